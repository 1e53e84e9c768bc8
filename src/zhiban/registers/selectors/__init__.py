"""Scoped reads of the registers (ORG-3): another centre's entry is 404."""
