"""Scoped reads of the monthly customer records (CS-10): a month's imports per shop with the
shops still missing, one import with its spot checks, the customers it brought and the sample
offered to the regional manager."""

from __future__ import annotations

import calendar
import math
import random
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from zhiban.core.scoping import limit
from zhiban.core.selectors import get_or_404

from .. import phones
from ..models import Customer, CustomerImport, SpotCheck

SAMPLE_MIN = 5  # customers offered for spot checks: at least five …
SAMPLE_SHARE = 0.02  # … or 2 % of the import's rows


def due_date(centre, month: date) -> date:
    """The day a month's records are due (CS-10): ``service.records_due_day`` of that month,
    or its last day in a shorter month."""
    last = calendar.monthrange(month.year, month.month)[1]
    return month.replace(day=min(int(centre.setting("service.records_due_day")), last))


def is_late(centre, month: date, at=None) -> bool:
    """Whether records for ``month`` given at ``at`` (default now) came after the due day."""
    return timezone.localdate(at or timezone.now(), timezone=centre.tz) > due_date(centre, month)


def import_list(*, user, centre, month: date | None = None, shop: str = "") -> QuerySet:
    imports = limit(CustomerImport.objects.filter(centre=centre), user)
    if month is not None:
        imports = imports.filter(month=month)
    if shop:
        imports = imports.filter(shop=shop)
    return (
        imports.select_related("imported_by")
        .annotate(checks=Count("spot_checks"))
        .order_by("-month", "shop", "-at", "-pk")
    )


def import_get(*, user, centre, pk) -> CustomerImport:
    """One import with its spot checks, newest first (404 outside the centre, ORG-3)."""
    checks = SpotCheck.objects.select_related("customer", "by").order_by("-at", "-pk")
    return get_or_404(
        import_list(user=user, centre=centre).prefetch_related(
            Prefetch("spot_checks", queryset=checks)
        ),
        pk,
    )


@dataclass
class Missing:
    shop: str
    late: bool


@dataclass
class MonthRecords:
    """A month of the records (CS-10): what came, from which shops, and who is missing."""

    month: date
    due: date
    past_due: bool
    imports: list = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)


def _previous(month: date) -> date:
    return date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)


def month_records(*, user, centre, month: date) -> MonthRecords:
    """The month's imports (per shop, newest first) and the shops that sent records the
    month before but none this month: missing, and late once the due day has passed."""
    due = due_date(centre, month)
    past_due = timezone.localdate(timezone=centre.tz) > due
    imports = list(import_list(user=user, centre=centre, month=month))
    came = {i.shop for i in imports}
    before = (
        import_list(user=user, centre=centre, month=_previous(month))
        .order_by()
        .values_list("shop", flat=True)
        .distinct()
    )
    missing = [Missing(shop, past_due) for shop in sorted(set(before) - came)]
    return MonthRecords(month=month, due=due, past_due=past_due, imports=imports, missing=missing)


def sample_size(batch: CustomerImport) -> int:
    """How many customers a spot check of the import looks at: 5 or 2 %, whichever is more."""
    return min(batch.rows, max(SAMPLE_MIN, math.ceil(batch.rows * SAMPLE_SHARE)))


def checked_share(batch: CustomerImport) -> float:
    """The share of the import's rows spot-checked, in per cent (one decimal)."""
    checks = getattr(batch, "checks", None)
    if checks is None:
        checks = batch.spot_checks.count()
    return round(100 * checks / batch.rows, 1) if batch.rows else 0.0


def import_customers(batch: CustomerImport, q: str = "") -> QuerySet[Customer]:
    """The customers the import brought; ``q`` finds them by name or any digits of the phone."""
    customers = batch.customers.all().order_by("name", "pk")
    q = (q or "").strip()
    if q:
        digits = phones.digits(q)
        match = Q(name__contains=q)
        if digits.isdigit():
            match |= Q(phone__contains=digits)
        customers = customers.filter(match)
    return customers


def spot_check_sample(batch: CustomerImport) -> list[Customer]:
    """The random sample offered for spot checks (CS-10): ``sample_size`` customers of the
    import, drawn once per import (the same on every visit), those checked already left out."""
    ids = sorted(batch.customers.values_list("pk", flat=True))
    random.Random(batch.pk).shuffle(ids)
    chosen = ids[: sample_size(batch)]
    checked = set(batch.spot_checks.values_list("customer_id", flat=True))
    customers = Customer.objects.in_bulk([pk for pk in chosen if pk not in checked])
    return [customers[pk] for pk in chosen if pk in customers]
