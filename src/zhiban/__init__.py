"""Zhiban (值班): duty operations for monitoring centres, field teams and service desks."""

# The version, in one place: pyproject.toml reads it (setuptools' dynamic version), the
# running code (backups' manifests, restore's newer-version refusal) too, so a checkout that
# is not installed again still knows its own version (issue 16).
__version__ = "0.2.0.dev0"
