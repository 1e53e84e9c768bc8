"""The code base stays as the team agreed: ruff clean and formatted, mypy clean on the
service and selector modules, the apps' layers in one direction (import-linter), migrations in
step with the models, the zh-Hans catalogue complete and compiled, the development tools at the
versions pinned for every machine, and no product dependency that the product does not use."""

import os
import re
import shutil
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CATALOGUE = ROOT / "src/zhiban/locale/zh_Hans/LC_MESSAGES"
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
# used without an import of their own: Django's Argon2PasswordHasher, Django's PostgreSQL
# backend, zoneinfo's data where the system has none
IMPLICIT = {"argon2-cffi", "psycopg", "tzdata"}


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


def test_mypy_checks_every_services_and_selectors_module():
    """[tool.mypy] files reaches every app's services and selectors, a module or a package
    (DESIGN: Layout, issue 11 item 6): the paths mypy resolves from the config hold them all."""
    listing = run(
        str(BIN / "python"),
        "-c",
        "from mypy.main import process_options; print(*(s.path for s in process_options([])[0]))",
    )
    checked = {(ROOT / path).resolve() for path in listing.stdout.split()}
    patterns = ("*/services.py", "*/services/**/*.py", "*/selectors.py", "*/selectors/**/*.py")
    modules = {path.resolve() for p in patterns for path in (ROOT / "src/zhiban").glob(p)}
    assert len(modules) > 20, modules
    assert sorted(map(str, modules - checked)) == [], listing.stderr


def test_layers_point_one_way__core_imports_no_app():
    """import-linter's layers contract in pyproject.toml (DESIGN: Layout, ADR 0013): core <
    org < duty < upkeep < alarms < work < ops; a lower layer imports no higher one, at load
    time or inside a function."""
    result = run(str(BIN / "lint-imports"), "--no-cache")
    assert result.returncode == 0, result.stdout


def name_of(requirement: str) -> str:
    """The normalised distribution name of a requirement ("django-stubs>=5.1" → "django-stubs")."""
    return re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9_.-]+", requirement).group()).lower()


def test_development_tools_are_installed_at_their_pinned_versions():
    """Every tool of the [dev] extra has an exact version in constraints/dev.txt, and that is
    the version installed (``scripts/setup.sh --test`` installs with ``-c``): ruff, mypy and the
    tests give the same verdict on every machine."""
    text = (ROOT / "constraints/dev.txt").read_text(encoding="utf-8")
    pins = {name_of(name): version for name, version in re.findall(r"^(\S+)==(\S+)$", text, re.M)}
    unpinned = {name_of(r) for r in PROJECT["optional-dependencies"]["dev"]} - pins.keys()
    assert unpinned == set(), f"pin these in constraints/dev.txt: {sorted(unpinned)}"
    installed = {name: metadata.version(name) for name in pins}
    assert installed == pins, "run scripts/setup.sh --test"


def test_every_product_dependency_is_used_by_the_product():
    """A product dependency is imported (or named in the settings) somewhere in src/: aiomqtt
    stayed a dependency after the gateway and the doctor's probe moved to paho-mqtt."""
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "src").rglob("*.py"))
    modules: dict[str, set[str]] = {}
    for module, distributions in metadata.packages_distributions().items():
        for distribution in distributions:
            modules.setdefault(name_of(distribution), set()).add(module)
    unused = [
        name
        for name in map(name_of, PROJECT["dependencies"])
        if name not in IMPLICIT
        and not any(
            re.search(rf"^\s*(?:import|from)\s+{m}\b|[\"']{m}[.\"']", code, re.M)
            for m in modules.get(name, ())
        )
    ]
    assert unused == [], f"drop from pyproject.toml or use: {unused}"


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
