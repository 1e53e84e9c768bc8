"""No module of the product passes about 800 lines (DESIGN: Layout, issue 11 item 2): a file
that grows past it becomes a package of modules named by sub-domain, or gives a sub-domain
its own module (``duty/api_handover.py``). Migrations are generated and left out."""

from __future__ import annotations

from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
MOST = 800


def test_no_module_passes_800_lines():
    long = {
        str(path.relative_to(SRC)): lines
        for path in SRC.rglob("*.py")
        if "migrations" not in path.parts
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > MOST
    }
    assert long == {}, "split these by sub-domain"
