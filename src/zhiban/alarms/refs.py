"""What the gateway resolves events against (INC-1): the active sources by code, the sites of
their centres by code, each site's equipment by dispatch number, double name or name.

Read for what a batch names and kept in this process for ``TTL`` seconds: thousands of single
events a second (``http_gateway``) would otherwise read them again for every group. A save or
delete of a source, site or equipment forgets them at once in this process (signals, wired in
``apps.py``); other processes see the change within ``TTL``. What a batch names and is not
known is always looked up, so a new site or source works at once everywhere.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable

from zhiban.org.models import Equipment, Site

from .models import AlarmSource

TTL = 10.0


class Refs:
    """One process's known sources, sites and equipment (read-only for the callers)."""

    def __init__(self):
        self.expires = time.monotonic() + TTL
        self.sources: dict[str, AlarmSource] = {}
        self.sites: dict[tuple[int, str], int] = {}  # (centre id, code) → site id
        # (site id, reference) → equipment id; None when the reference is ambiguous
        self.equipment: dict[tuple[int, str], int | None] = {}
        self.equipment_of: set[int] = set()  # the sites whose equipment is here

    def learn(self, events: Iterable) -> None:
        """Reads the sources, sites and equipment ``events`` name that are not here yet."""
        events = list(events)
        codes = {e.source for e in events} - set(self.sources)
        if codes:
            found = AlarmSource.objects.filter(code__in=codes, active=True)
            self.sources.update((s.code, s) for s in found.select_related("centre"))
        wanted: dict[int, set[str]] = {}
        for e in events:
            source = self.sources.get(e.source)
            if source is not None and (source.centre_id, e.site) not in self.sites:
                wanted.setdefault(source.centre_id, set()).add(e.site)
        if wanted:
            rows = Site.objects.filter(
                centre_id__in=set(wanted), code__in=set().union(*wanted.values())
            ).values_list("pk", "centre_id", "code")
            self.sites.update(((centre_id, code), pk) for pk, centre_id, code in rows)
        sites = set(self.sites.values()) - self.equipment_of
        if sites:
            rows = Equipment.objects.filter(site_id__in=sites).values_list(
                "pk", "site_id", "name", "dispatch_number"
            )
            for pk, site_id, name, number in rows:
                for ref in {name, f"{name} {number}".strip(), number} - {""}:
                    key = (site_id, ref)
                    # an ambiguous name resolves to nothing, and the event is rejected
                    self.equipment[key] = None if key in self.equipment else pk
            self.equipment_of |= sites


_known: Refs | None = None
_lock = threading.Lock()


def for_events(events: Iterable) -> Refs:
    """This process's refs, with everything ``events`` name that exists."""
    global _known
    with _lock:
        if _known is None or _known.expires < time.monotonic():
            _known = Refs()
        _known.learn(events)
        return _known


def forget(*_args, **_kwargs) -> None:
    """Drops what this process knows (a source, site or equipment changed; a batch failed)."""
    global _known
    _known = None
