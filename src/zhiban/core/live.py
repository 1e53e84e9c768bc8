"""Live pushes to open consoles over Channels (the bell, later the alarm and duty boards).

Groups: ``person.<id>`` for one person's consoles, ``centre.<id>`` for a centre's consoles.
Pushes are sent after commit, so nobody sees a change that was rolled back. Code that runs a
service from a worker thread of an event loop may collect the pushes (``collected``) and send
them from the loop (``send_all``), instead of the thread waiting for each one.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

log = logging.getLogger(__name__)
_collected: contextvars.ContextVar[list | None] = contextvars.ContextVar("live", default=None)


def person_group(person_id: int) -> str:
    return f"person.{person_id}"


def centre_group(centre_id: int) -> str:
    return f"centre.{centre_id}"


def send_now(group: str, event: dict) -> None:
    collected = _collected.get()
    if collected is not None:
        collected.append((group, event))
        return
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, {"type": "live.event", "event": event})
    except Exception:  # a live push is a courtesy; the record is already stored
        log.exception("live push to %s failed", group)


@contextlib.contextmanager
def collected():
    """The pushes of the block, kept in the list it gives instead of being sent."""
    pushes: list[tuple[str, dict]] = []
    token = _collected.set(pushes)
    try:
        yield pushes
    finally:
        _collected.reset(token)


async def send_all(pushes: list[tuple[str, dict]]) -> None:
    """Sends collected pushes, from the event loop."""
    layer = get_channel_layer()
    for group, event in pushes if layer is not None else ():
        try:
            await layer.group_send(group, {"type": "live.event", "event": event})
        except Exception:  # a courtesy, as above
            log.exception("live push to %s failed", group)


def push_on_commit(group: str, event: dict) -> None:
    transaction.on_commit(lambda: send_now(group, event))


def refresh_on_commit(centre, *panels: str) -> None:
    """Tell every open console of the centre to reload these panels (after commit)."""
    push_on_commit(centre_group(centre.pk), {"kind": "refresh", "panels": list(panels)})
