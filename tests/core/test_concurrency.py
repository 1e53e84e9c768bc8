"""Optimistic concurrency: two people change the same record at once — one wins, the other
gets 409 "someone else changed this; reload", and no update is lost."""

import threading

import pytest
from django.db import connection

from zhiban.core.actors import CLI, Source
from zhiban.org import services as org
from zhiban.org.models import Site


def test_second_writer_with_the_same_version_gets_409(world, api):
    one, two = api(world.people["admin_a"]), api(world.people["admin_a"])
    station = world.sites["station"].pk
    seen = one.get(f"/centres/alpha/sites/{station}").json()["version"]
    first = one.patch(f"/centres/alpha/sites/{station}", {"version": seen, "name": "甲改的名"})
    second = two.patch(f"/centres/alpha/sites/{station}", {"version": seen, "address": "乙改的址"})
    assert first.status_code == 200 and first.json()["version"] == seen + 1
    assert second.status_code == 409
    assert second.json()["code"] == "conflict"
    assert "reload" in second.json()["message"] or "刷新" in second.json()["message"]
    now = one.get(f"/centres/alpha/sites/{station}").json()
    assert now["name"] == "甲改的名" and now["address"] == ""


def test_edit_page_shows_the_conflict_with_a_reload_link(world, web):
    one, two = web(world.people["admin_a"]), web(world.people["admin_a"])
    url = f"/c/alpha/org/sites/{world.sites['station'].pk}/edit/"
    form = {
        "version": 1,
        "code": "S1",
        "kind": "substation",
        "voltage_level": "110kV",
        "parent": "",
        "address": "",
        "active": "on",
    }
    assert one.post(url, {**form, "name": "甲"}).status_code == 302
    r = two.post(url, {**form, "name": "乙"})
    assert r.status_code == 409
    html = r.content.decode()
    assert 'data-testid="form-error"' in html and 'data-testid="reload"' in html
    assert 'name="version" value="1"' in html  # resubmitting still conflicts until reloaded
    assert Site.objects.get(pk=world.sites["station"].pk).name == "甲"


@pytest.mark.django_db(transaction=True)
def test_truly_simultaneous_writers_one_wins_one_conflicts():
    centre = org.centre_create(
        actor=CLI,
        source=Source.CLI,
        data={
            "code": "race",
            "name": "Race",
            "kind": "power",
            "time_zone": "Asia/Shanghai",
            "active": True,
        },
    )
    site = org.site_create(
        actor=CLI,
        source=Source.CLI,
        centre=centre,
        data={"code": "R", "name": "R", "kind": "area", "active": True},
    )
    barrier, outcomes = threading.Barrier(4), []

    def write(name):
        barrier.wait()
        try:
            org.site_update(
                actor=CLI, source=Source.CLI, site_id=site.pk, version=1, changes={"name": name}
            )
            outcomes.append("ok")
        except Exception as error:  # noqa: BLE001
            outcomes.append(getattr(error, "code", repr(error)))
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(f"名{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "conflict", "conflict", "ok"]
    assert Site.objects.get(pk=site.pk).version == 2
