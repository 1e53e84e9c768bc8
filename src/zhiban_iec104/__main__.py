"""``python -m zhiban_iec104``: see the package docstring."""

from .bridge import main

main()
