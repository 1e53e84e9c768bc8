"""The registers API under /api/."""

from ninja import Router

router = Router(tags=["registers"])
