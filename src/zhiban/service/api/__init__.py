"""The customer-service API under /api/service/: one router per sub-domain module."""

from ninja import Router

router = Router(tags=["service"])
