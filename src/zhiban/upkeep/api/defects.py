"""The upkeep API: defects."""

from ninja import Router

router = Router()
