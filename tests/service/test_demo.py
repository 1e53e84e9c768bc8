"""The demo month of 吴越客服中心 (issue 12 item 11): ``zhiban demo`` twice adds nothing the
second time, and the supervisor, the group lead and both agents find work when they log in
(owned cases, the morning queue, call-list entries, the hand-over, missed calls)."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.core.management import call_command

from zhiban.core.models import AuditEvent
from zhiban.org.models import Person
from zhiban.service.models import OPEN_CASE_STATES, Call, CampaignMember, Case, Order


def _counts() -> dict[str, int]:
    return {
        m.__name__: m.objects.count()
        for m in apps.get_app_config("service").get_models()
        if m is not Call  # the calls of the minutes between the two loads come in (CS-6)
    }


@pytest.mark.django_db(transaction=False)
def test_demo_twice_adds_nothing_and_gives_each_login_work__CS_6():
    call_command("demo", stdout=io.StringIO())
    first = _counts()
    call_command("demo", stdout=io.StringIO())
    assert _counts() == first
    assert first["Case"] >= 250 and first["Customer"] >= 150
    people = {p.username: p for p in Person.objects.filter(username__in=["linxiao", "hemei"])}
    open_cases = Case.objects.filter(centre__code="kefu", state__in=OPEN_CASE_STATES)
    for login, person in people.items():
        assert open_cases.filter(owner=person).exists(), login
        assert CampaignMember.objects.filter(agent=person, result="pending").exists(), login
    assert open_cases.filter(owner=None).count() >= 2  # the morning queue (CS-6)
    assert Call.objects.filter(centre__code="kefu", call_id="sim-demo-missed").exists()
    assert Order.objects.filter(centre__code="kefu", state="new").exists()  # for luoqing
    assert Order.objects.filter(centre__code="kefu", state="out_of_area").exists()
    # every change the hotline's people made is in their centre's record (ORG-3)
    kefu_work = AuditEvent.objects.filter(object_type__startswith="service.")
    assert kefu_work.exists() and not kefu_work.filter(centre=None).exists()
    for login in ("tangyu", "luoqing", "linxiao", "hemei"):
        assert Person.objects.filter(username=login, memberships__centre__code="kefu").exists()
