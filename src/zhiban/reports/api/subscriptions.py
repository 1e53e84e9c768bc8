"""Reports API: subscriptions (issue 15)."""

from ninja import Router

router = Router()
