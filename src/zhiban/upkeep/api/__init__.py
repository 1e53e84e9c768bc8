"""The upkeep API under /api/centres/{code}/upkeep/: one router per sub-domain."""

from ninja import Router

from . import acceptance, counters, defects

router = Router(tags=["upkeep"])
router.add_router("", defects.router)
router.add_router("", counters.router)
router.add_router("", acceptance.router)
