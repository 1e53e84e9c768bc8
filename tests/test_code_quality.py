"""The code base stays as the team agreed: ruff clean and formatted, mypy clean on the
service and selector modules, migrations in step with the models, and the zh-Hans catalogue
complete and compiled."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CATALOGUE = ROOT / "src/zhiban/locale/zh_Hans/LC_MESSAGES"


def run(*args, cwd=ROOT):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zhiban.settings"}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def test_ruff_lint_and_format_are_clean():
    lint = run(str(BIN / "ruff"), "check", "src", "tests", "bench")
    assert lint.returncode == 0, lint.stdout
    fmt = run(str(BIN / "ruff"), "format", "--check", "src", "tests", "bench")
    assert fmt.returncode == 0, fmt.stdout


def test_mypy_is_clean_on_services_and_selectors():
    result = run(str(BIN / "mypy"))
    assert result.returncode == 0, result.stdout


def test_migrations_match_the_models(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_chinese_catalogue_is_complete_and_compiled(tmp_path):
    stats = run(
        "msgfmt",
        "--check",
        "--statistics",
        "-o",
        str(tmp_path / "django.mo"),
        str(CATALOGUE / "django.po"),
    )
    assert stats.returncode == 0, stats.stderr
    assert "untranslated" not in stats.stderr and "fuzzy" not in stats.stderr, stats.stderr
    assert (tmp_path / "django.mo").read_bytes() == (CATALOGUE / "django.mo").read_bytes()
    # every text in the code and templates has an entry in the committed catalogue
    copy = tmp_path / "zhiban"
    shutil.copytree(ROOT / "src/zhiban", copy, ignore=shutil.ignore_patterns("vendor", "*.mo"))
    fresh = run(
        str(BIN / "python"),
        "-m",
        "zhiban.cli",
        "makemessages",
        "-l",
        "zh_Hans",
        "--no-location",
        "--no-obsolete",
        cwd=copy,
    )
    assert fresh.returncode == 0, fresh.stderr
    missing = msgids(copy / "locale/zh_Hans/LC_MESSAGES/django.po") - msgids(
        CATALOGUE / "django.po"
    )
    assert missing == set(), f"run `make messages` and translate: {sorted(missing)}"


def msgids(path: Path) -> set[str]:
    """The catalogue's msgids, long ones joined from their continuation lines."""
    blocks = re.findall(r'^msgid ((?:".*"\n)+)', path.read_text(encoding="utf-8"), re.M)
    return {"".join(re.findall(r'"(.*)"', block)) for block in blocks} - {""}
