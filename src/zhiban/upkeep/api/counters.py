"""The upkeep API: counters."""

from ninja import Router

router = Router()
