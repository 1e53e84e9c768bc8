"""The ``zhiban`` command: ``zhiban serve | demo | worker | doctor | audit verify | flows`` and
every Django management command (``zhiban migrate``, ``zhiban createsuperuser`` …)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhiban.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    execute_from_command_line(["zhiban", *(args or ["help"])])


if __name__ == "__main__":
    main()
