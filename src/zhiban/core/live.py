"""Live pushes to open consoles over Channels (the bell, later the alarm and duty boards).

Groups: ``person.<id>`` for one person's consoles, ``centre.<id>`` for a centre's consoles.
Pushes are sent after commit, so nobody sees a change that was rolled back.
"""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

log = logging.getLogger(__name__)


def person_group(person_id: int) -> str:
    return f"person.{person_id}"


def centre_group(centre_id: int) -> str:
    return f"centre.{centre_id}"


def send_now(group: str, event: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, {"type": "live.event", "event": event})
    except Exception:  # a live push is a courtesy; the record is already stored
        log.exception("live push to %s failed", group)


def push_on_commit(group: str, event: dict) -> None:
    transaction.on_commit(lambda: send_now(group, event))


def refresh_on_commit(centre, *panels: str) -> None:
    """Tell every open console of the centre to reload these panels (after commit)."""
    push_on_commit(centre_group(centre.pk), {"kind": "refresh", "panels": list(panels)})
