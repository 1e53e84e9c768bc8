"""The upkeep API: acceptance."""

from ninja import Router

router = Router()
