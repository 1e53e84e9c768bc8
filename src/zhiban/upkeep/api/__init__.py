"""The upkeep API under /api/centres/{code}/upkeep/: one router per sub-domain."""

from ninja import Router

from . import acceptance, counters, defects, point_table

router = Router(tags=["upkeep"])
router.add_router("", defects.router)
router.add_router("", counters.router)
router.add_router("", acceptance.router)
router.add_router("", point_table.router)
