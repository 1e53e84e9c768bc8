"""What the gateway resolves events against (INC-1): the active sources by code, the sites of
their centres by code, each site's equipment by dispatch number, double name or name.

Read for what a batch names and kept in this process for ``TTL`` seconds: thousands of single
events a second (``http_gateway``) would otherwise read them again for every group. A save or
delete of a source, site or equipment forgets them in this process, at once and again at its
commit (``changed``, wired in ``apps.py``); other processes see a rename or deactivation
within ``TTL``. What a batch names and is not known is always looked up (a site's equipment
read again), so a new source, site or equipment works at once everywhere.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable

from django.db import transaction

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
        for e in events:  # equipment named but not known: its site's is read again
            source = self.sources.get(e.source)
            site_id = source and self.sites.get((source.centre_id, e.site))
            if site_id and e.equipment and (site_id, e.equipment) not in self.equipment:
                sites.add(site_id)
        if sites:
            rows = Equipment.objects.filter(site_id__in=sites).values_list(
                "pk", "site_id", "name", "dispatch_number"
            )
            known = {key: pk for key, pk in self.equipment.items() if key[0] not in sites}
            for pk, site_id, name, number in rows:
                for ref in {name, f"{name} {number}".strip(), number} - {""}:
                    key = (site_id, ref)
                    # an ambiguous name resolves to nothing, and the event is rejected
                    known[key] = None if key in known else pk
            self.equipment = known  # a new dict: other threads may be reading the old one
            self.equipment_of |= sites


_known: Refs | None = None
_lock = threading.Lock()


def for_events(events: Iterable) -> Refs:
    """This process's refs, with everything ``events`` name that exists."""
    global _known
    with _lock:
        refs = _known
        if refs is None or refs.expires < time.monotonic():
            refs = _known = Refs()
        refs.learn(events)
        return refs


def forget() -> None:
    """Drops what this process knows (a batch failed, or see ``changed``)."""
    global _known
    _known = None


def changed(**_signal) -> None:
    """A source, site or equipment was saved or deleted: forgotten now, and again at commit
    (a batch in between may have read the rows as they were)."""
    forget()
    transaction.on_commit(forget)
