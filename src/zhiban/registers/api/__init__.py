"""The registers API under /api/centres/{code}/registers/: one router per register module."""

from ninja import Router

from . import desk, footage, hotel, screens, visitors

router = Router(tags=["registers"])
router.add_router("", visitors.router)
router.add_router("", footage.router)
router.add_router("", screens.router)
router.add_router("", hotel.router)
router.add_router("", desk.router)
