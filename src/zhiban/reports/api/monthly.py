"""Reports API: monthly (issue 15)."""

from ninja import Router

router = Router()
