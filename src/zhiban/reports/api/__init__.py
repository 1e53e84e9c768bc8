"""The reports API under /api/centres/{code}/reports/: one router per report."""

from ninja import Router

from . import monthly, shift, subscriptions

router = Router(tags=["reports"])
router.add_router("", monthly.router)
router.add_router("", shift.router)
router.add_router("", subscriptions.router)
