#!/usr/bin/env bash
# Install Zhiban into .venv, with the Debian packages it needs when run as root on Debian:
#   scripts/setup.sh          the product (fonts-noto-cjk for PDFs with Chinese text,
#                             postgresql-client for `zhiban backup` / `restore` on PostgreSQL)
#   scripts/setup.sh --test   the product, the test tools (with c104 for the IEC 104 bridge,
#                             mosquitto for the MQTT tests, which start their own broker,
#                             nginx, openssl and systemd for the tests of deploy/)
#                             and chromium for the browser tests
# Elsewhere it installs the Python side and `zhiban doctor` says what is still missing.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-run}
venv=${VENV:-.venv}

packages=(fonts-noto-cjk fontconfig postgresql-client)
# mosquitto: the tests start their own broker; nginx, openssl (a certificate) and systemd
# (systemd-analyze): the tests of the files of deploy/ (tests/test_deploy.py)
[ "$mode" = "--test" ] && packages+=(chromium gettext mosquitto nginx openssl systemd)
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null && [ -f /etc/debian_version ]; then
  missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ! python3 -c 'import ensurepip' >/dev/null 2>&1; then missing+=(python3-venv); fi
  if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: apt-get install ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 || {
      apt-get update -q >/dev/null && apt-get install -y -q "${missing[@]}" >/dev/null; }
  fi
else
  echo "setup: not root on Debian — install ${packages[*]} yourself if missing (see 'zhiban doctor')"
fi

python3 - <<'PY'
import sys
if sys.version_info < (3, 11):
    sys.exit(f"setup: Zhiban needs Python 3.11 or newer, this python3 is {sys.version.split()[0]}")
PY
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
extras="" pins=()
if [ "$mode" = "--test" ]; then
  extras="[dev,iec104]"  # iec104: c104 for the bridge's tests
  pins=(-c constraints/dev.txt)  # the test tools at exact versions: same verdicts everywhere
fi
# the stamp names what was installed from: a change to either file installs again
stamp="$venv/.installed-$(cat pyproject.toml ${pins[@]:+constraints/dev.txt} | sha256sum | cut -c1-16)${extras:+-dev}"
if [ ! -f "$stamp" ]; then
  echo "setup: pip install -e .${extras} ${pins[*]}"
  quiet() { grep -v "is ignored: it is neither a file nor a directory" >&2 || true; }
  "$venv/bin/python" -m pip install -q --upgrade pip 2> >(quiet)
  "$venv/bin/python" -m pip install -q -e ".${extras}" "${pins[@]}" 2> >(quiet)
  touch "$stamp"
fi
