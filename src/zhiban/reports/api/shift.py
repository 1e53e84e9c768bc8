"""Reports API: shift (issue 15)."""

from ninja import Router

router = Router()
