"""What happens elsewhere when a handover is taken over (RPT-1): a higher layer registers a
callback here — the reports app freezes the outgoing shift's report — and ``handover_accept``
calls each inside its own transaction, so the handover and what follows from it are written
together or not at all. Duty imports no higher layer (DESIGN: Layout)."""

from __future__ import annotations

from collections.abc import Callable

Callback = Callable[..., object]
_ACCEPTED: dict[str, Callback] = {}


def on_handover_accepted(name: str, callback: Callback) -> None:
    """Register ``callback(*, actor, source, handover)``, once per ``name``."""
    _ACCEPTED[name] = callback


def handover_accepted(*, actor, source, handover) -> None:
    """Called by ``handover_accept`` after the incoming side signed, inside its transaction."""
    for callback in _ACCEPTED.values():
        callback(actor=actor, source=source, handover=handover)
