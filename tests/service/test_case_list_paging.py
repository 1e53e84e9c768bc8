"""The case list API counts a centre's cases only up to a cap (CS-1, CS-6): a hotline's cases
grow to millions, and the exact COUNT(*) of 1.35 million took 0.4–2 s on every page
(bench/service_scale.py, docs/performance.md). Up to the cap the count is exact; past it
``count`` is null and ``more`` says whether another page exists."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from zhiban.core.api import CappedPagination
from zhiban.service.models import Case, Customer

S = "/service/kefu"


@pytest.fixture
def many_cases(cs, monkeypatch):
    """7 cases of kefu (the cap made 5 for the test), newest last, and one of kefu2."""
    monkeypatch.setattr(CappedPagination, "CAP", 5)
    customer = Customer.objects.create(centre=cs.kefu, name="王芳", phone="13800005123")
    other = Customer.objects.create(centre=cs.kefu2, name="李强", phone="13800005123")
    now = timezone.now()
    Case.objects.bulk_create(
        Case(
            centre=cs.kefu,
            number=f"KF-2026-{n:05d}",
            customer=customer,
            channel="phone",
            category="complaint" if n % 2 else "consultation",
            subject=f"第{n}件",
            opened_at=now - timedelta(hours=10 - n),
            owner=cs.people["agent1"],
        )
        for n in range(1, 8)
    )
    Case.objects.create(
        centre=cs.kefu2,
        number="KF-2026-00001",
        customer=other,
        channel="phone",
        category="complaint",
        subject="乙中心的",
        opened_at=now,
    )


def _page(cs, **query):
    r = cs.as_("agent1").get(f"{S}/cases", data=query)
    assert r.status_code == 200, r.content
    return r.json()


def test_case_list_past_the_cap_is_not_counted_but_pages_on__CS_1(cs, many_cases):
    first = _page(cs, limit=3)
    assert first["count"] is None and first["more"] is True
    assert [c["subject"] for c in first["items"]] == ["第7件", "第6件", "第5件"]
    last = _page(cs, limit=3, offset=6)
    assert last["count"] is None and last["more"] is False
    assert [c["subject"] for c in last["items"]] == ["第1件"]


def test_case_list_up_to_the_cap_counts_exactly__CS_1(cs, many_cases):
    complaints = _page(cs, category="complaint", limit=2)  # 4 of the 7, none of kefu2's
    assert complaints["count"] == 4 and complaints["more"] is True
    assert [c["subject"] for c in complaints["items"]] == ["第7件", "第5件"]
    assert _page(cs, category="complaint", offset=2)["more"] is False
