"""The registers' forms (ADR 0003: the services validate with them, the pages show them)."""
