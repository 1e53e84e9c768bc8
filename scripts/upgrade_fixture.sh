#!/usr/bin/env bash
# The upgrade tests' fixtures (issue 16): the data of a tagged release, made by that release's
# own code, as a backup folder per engine under tests/upgrade/fixtures/<tag>-<engine>/.
#   scripts/upgrade_fixture.sh [TAG]        (default v0.1.0)
# The tag's code is checked out into a temporary git worktree and run with this checkout's
# interpreter ($PYTHON, default .venv/bin/python), its own src first on PYTHONPATH; then, on
# SQLite and on a scratch PostgreSQL database ($PG_SERVER, default
# postgres://postgres@127.0.0.1:5432): migrate, the demo, an audit checkpoint and a backup.
# The SQLite file is vacuumed and gzipped (8.7 MB → 1.2 MB; the tests unzip it into their
# copy of the folder). Run it once per release and commit the folders; tests/upgrade/
# restores them with the current code.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
tag=${1:-v0.1.0}
python=${PYTHON:-$root/.venv/bin/python}
pg_server=${PG_SERVER:-postgres://postgres@127.0.0.1:5432}
scratch="zhiban_fixture_$$"
work=$(mktemp -d /tmp/zhiban-fixture-XXXXXX)

cleanup() {
  git -C "$root" worktree remove --force "$work/code" >/dev/null 2>&1 || true
  psql -q -d "$pg_server/postgres" -c "DROP DATABASE IF EXISTS $scratch WITH (FORCE)" \
    >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

git rev-parse -q --verify "refs/tags/$tag" >/dev/null || { echo "no tag $tag" >&2; exit 1; }
git worktree add -q --detach "$work/code" "$tag"
# the tag's version: in pyproject.toml up to 0.1.0, zhiban.__version__ after
version=$("$python" - "$work/code" <<'PY'
import re, sys, tomllib
code = sys.argv[1]
project = tomllib.load(open(f"{code}/pyproject.toml", "rb"))["project"]
init = open(f"{code}/src/zhiban/__init__.py").read()
print(project.get("version") or re.search(r'__version__ = "(.+)"', init)[1])
PY
)
# 0.1.0 read its version from the installed package's metadata, which names this checkout's
# version: a dist-info of the tag's version comes first on the path.
mkdir -p "$work/meta/zhiban-$version.dist-info"
printf 'Metadata-Version: 2.1\nName: zhiban\nVersion: %s\n' "$version" \
  >"$work/meta/zhiban-$version.dist-info/METADATA"

run() {  # run ENGINE ARGS…: the tag's `zhiban` on that engine's data folder and database
  local engine=$1 database=()
  shift
  [ "$engine" = postgresql ] && database=(DATABASE_URL="$pg_server/$scratch")
  env -i PATH="$PATH" HOME="$HOME" LANG=C.UTF-8 \
    PYTHONPATH="$work/code/src:$work/meta" DJANGO_SETTINGS_MODULE=zhiban.settings \
    ZHIBAN_DATA="$work/data-$engine" "${database[@]}" \
    "$python" -m zhiban.cli "$@"
}

for engine in sqlite postgresql; do
  start=$SECONDS
  [ "$engine" = postgresql ] && psql -q -d "$pg_server/postgres" -c "CREATE DATABASE $scratch"
  run $engine migrate -v 0
  run $engine demo >/dev/null
  run $engine audit checkpoint >/dev/null
  run $engine backup --to "$work/out-$engine" >/dev/null
  made=$(echo "$work/out-$engine"/zhiban-backup-*)
  if [ "$engine" = sqlite ]; then
    "$python" -c \
      'import sqlite3, sys; db = sqlite3.connect(sys.argv[1]); db.execute("VACUUM"); db.close()' \
      "$made/database.sqlite3"
    gzip -9n "$made/database.sqlite3"
  fi
  target="tests/upgrade/fixtures/$tag-$engine"
  rm -rf "$target"
  mkdir -p "$(dirname "$target")"
  cp -r "$made" "$target"
  echo "$target: Zhiban $version, $(du -sh "$target" | cut -f1), $((SECONDS - start)) s"
done
