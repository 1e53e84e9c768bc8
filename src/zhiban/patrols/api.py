"""The patrols API under /api/."""

from ninja import Router

router = Router(tags=["patrols"])
