"""The upkeep API: point tables (ACC-2)."""

from ninja import Router

router = Router()
