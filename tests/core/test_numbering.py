"""Gap-free numbering per centre, kind and year (the mechanism behind OPS-6 ticket numbers),
seen through phone-contact numbers."""

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from zhiban.core import services
from zhiban.core.actors import CLI, Source
from zhiban.core.models import PhoneContact
from zhiban.org import services as org

from ..clock import fixed_clock  # noqa: F401 (fixture)
from ..conftest import make_person


def call(client, person, at="2026-11-27T10:00:00+08:00", **extra):
    return client.post(
        "/centres/alpha/phone-contacts",
        {
            "direction": "outgoing",
            "at": at,
            "our_person": person.pk,
            "party_name": "调度",
            "subject": "测试",
            **extra,
        },
    )


def test_numbers_follow_each_other_per_centre_and_year(world, api):
    chief = world.people["chief_a"]
    # the clock at 2027-01-01 01:30 in Shanghai: the calls lie in the centre's window (ORG-4)
    with time_machine.travel(datetime(2027, 1, 1, 1, 30, tzinfo=ZoneInfo("Asia/Shanghai"))):
        client = api(chief)
        day = "2026-12-31T10:00:00+08:00"
        numbers = [call(client, chief, at=day).json()["number"] for _ in range(3)]
        assert numbers == ["DH-2026-0001", "DH-2026-0002", "DH-2026-0003"]
        # the year is the centre's own: 2026-12-31 17:00 UTC is 2027-01-01 01:00 in Shanghai
        assert call(client, chief, at="2026-12-31T17:00:00Z").json()["number"] == "DH-2027-0001"
        guard = world.people["guard_b"]
        other = api(guard).post(
            "/centres/beta/phone-contacts",
            {
                "direction": "incoming",
                "at": day,
                "our_person": guard.pk,
                "party_name": "业主",
                "subject": "报修",
            },
        )
        assert other.json()["number"] == "DH-2026-0001"


def test_a_refused_record_does_not_use_up_a_number(world, api, fixed_clock):  # noqa: F811
    chief = world.people["chief_a"]
    client = api(chief)
    assert call(client, chief).json()["number"] == "DH-2026-0001"
    assert call(client, chief, direction="sideways").status_code == 422
    assert call(client, chief).json()["number"] == "DH-2026-0002"


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_get_distinct_numbers_without_gaps(fixed_clock):  # noqa: F811
    centre = org.centre_create(
        actor=CLI,
        source=Source.CLI,
        data={
            "code": "busy",
            "name": "Busy",
            "kind": "power",
            "time_zone": "Asia/Shanghai",
            "active": True,
        },
    )
    person = make_person(centre, "caller", "chief_operator")
    barrier, errors = threading.Barrier(8), []

    def record(i):
        barrier.wait()
        try:
            for _ in range(5):
                services.phone_contact_record(
                    actor=person,
                    source=Source.API,
                    centre=centre,
                    data={
                        "direction": "outgoing",
                        "at": "2026-11-27T10:00:00+08:00",
                        "our_person": person.pk,
                        "party_name": f"队{i}",
                        "subject": "并发",
                    },
                )
        except Exception as error:  # noqa: BLE001
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(PhoneContact.objects.filter(centre=centre).values_list("number", flat=True))
    assert numbers == [f"DH-2026-{n:04d}" for n in range(1, 41)]
