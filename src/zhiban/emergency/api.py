"""The emergency API under /api/."""

from ninja import Router

router = Router(tags=["emergency"])
