"""A desk sees its own kind of work: the security room, the customer-service centre and the
hotel's room centre show no power-grid panel, button or term (no centre patrol PAT-5, no
operation tickets, dispatch or substations) on their console, duty page and duty log; the
power centre still shows them (ORG-1, issue 11)."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client

from zhiban.org.models import Membership

PAGES = ("/c/{code}/", "/c/{code}/duty/", "/c/{code}/duty/log/")
POWER_TERMS = re.compile(
    r"PAT-5|监控中心巡视|操作票|调度|变电站|操作队|data-testid=\"centre-patrol\""
)


@pytest.fixture
def demo(db):
    call_command("demo", stdout=io.StringIO())


def desk(code: str) -> Client:
    """The first person of the centre in the demo (its administrator, head or supervisor)."""
    member = (
        Membership.objects.filter(centre__code=code)
        .exclude(role="gateway")
        .select_related("person")
        .order_by("pk")
        .first()
    )
    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(member.person, backend="django.contrib.auth.backends.ModelBackend")
    return client


def shown(client: Client, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, path
    return re.sub(r"<[^>]+>", " ", page.content.decode()) + page.content.decode()


def test_each_desk_shows_its_own_work__ORG_1(demo):
    """The security room, the hotline and the hotel desk show no power-grid work; the power
    centre keeps its patrol and its tickets (one demo for the four desks: it takes most of a
    minute on PostgreSQL)."""
    for code in ("xinghu", "kefu", "fangwu"):
        client = desk(code)
        for path in PAGES:
            found = sorted(set(POWER_TERMS.findall(shown(client, path.format(code=code)))))
            assert not found, f"{path.format(code=code)} shows {found}"
    client = desk("suwu")
    assert 'data-testid="centre-patrol"' in shown(client, "/c/suwu/duty/")
    assert 'data-testid="centre-patrol"' in shown(client, "/c/suwu/duty/log/")
    assert "操作票" in shown(client, "/c/suwu/")
