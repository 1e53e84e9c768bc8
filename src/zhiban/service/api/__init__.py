"""The customer-service API under /api/service/: one router per sub-domain module."""

from ninja import Router

from . import calls as calls_api
from . import campaigns, cases, complaints, followups, records, scripts
from . import orders as orders_api
from . import surveys as surveys_api

router = Router(tags=["service"])
router.add_router("", cases.router)
router.add_router("", complaints.router)
router.add_router("", followups.router)
router.add_router("", campaigns.router)
router.add_router("", orders_api.router)
router.add_router("", surveys_api.router)
router.add_router("", scripts.router)
router.add_router("", records.router)
router.add_router("", calls_api.router)
