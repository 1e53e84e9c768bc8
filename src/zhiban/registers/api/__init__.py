"""The registers API under /api/centres/{code}/registers/: one router per register module."""

from ninja import Router

from . import footage, screens, visitors

router = Router(tags=["registers"])
router.add_router("", visitors.router)
router.add_router("", footage.router)
router.add_router("", screens.router)
