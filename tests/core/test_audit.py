"""The hash-chained audit trail (ORG-4): every change is recorded with who, when, what and
why; `zhiban audit verify` finds any row altered or deleted by hand."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from zhiban.core.models import AuditEvent


def last_event():
    return AuditEvent.objects.order_by("-seq").first()


def test_every_change_records_actor_source_before_after_reason_and_request__ORG_4(world, api):
    admin = world.people["admin_a"]
    client = api(admin)
    station = world.sites["station"]
    r = client.patch(
        f"/centres/alpha/sites/{station.pk}",
        {"version": 1, "name": "一号变电站"},
        headers={"X-Request-ID": "req-0123456789"},
    )
    assert r.status_code == 200
    event = last_event()
    assert (event.actor_id, event.source, event.verb) == (admin.pk, "api", "site.update")
    assert event.object_type == "org.site" and event.object_id == str(station.pk)
    assert event.before["name"] == "一号变" and event.after["name"] == "一号变电站"
    assert event.request_id == "req-0123456789" and r["X-Request-ID"] == "req-0123456789"
    assert event.centre_id == world.alpha.pk

    timeline = client.get(f"/centres/alpha/audit?object_type=org.site&object_id={station.pk}")
    verbs = [e["verb"] for e in timeline.json()["items"]]
    assert verbs == ["site.update", "site.create"]


def test_reason_is_kept_with_the_change__ORG_4(world, api):
    client = api(world.people["chief_a"])
    contact = client.post(
        "/centres/alpha/phone-contacts",
        {
            "direction": "outgoing",
            "at": "2026-11-27T10:00:00+08:00",
            "our_person": world.people["chief_a"].pk,
            "party_name": "一队 张三",
            "subject": "通知检查",
        },
    ).json()
    deadline = client.post(
        "/centres/alpha/deadlines",
        {
            "object_type": "core.phonecontact",
            "object_id": contact["id"],
            "name": "回电",
            "due_at": "2026-11-28T10:00:00+08:00",
        },
    ).json()
    r = client.post(
        f"/centres/alpha/deadlines/{deadline['id']}/cancel",
        {"version": deadline["version"], "reason": "调度取消了任务"},
    )
    assert r.status_code == 200
    assert last_event().reason == "调度取消了任务"


def test_refused_change_leaves_neither_record_nor_event__ORG_4(world, api):
    before = AuditEvent.objects.count()
    r = api(world.people["admin_a"]).post(
        "/centres/alpha/sites", {"code": "S1", "name": "", "kind": "substation"}
    )
    assert r.status_code == 422
    assert AuditEvent.objects.count() == before


def test_verify_passes_on_an_untouched_chain__ORG_4(world, api):
    call_command("audit", "verify")
    r = api(world.people["admin_a"]).get("/audit/verify")
    assert r.status_code == 200 and r.json()["ok"] is True
    assert r.json()["checked"] == AuditEvent.objects.count()


def tamper(sql, *params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def verify_fails_at(seq):
    with pytest.raises(CommandError) as failure:
        call_command("audit", "verify")
    assert f"#{seq}" in str(failure.value)
    return str(failure.value)


def test_verify_finds_an_altered_row__ORG_4(world):
    target = AuditEvent.objects.order_by("seq")[3]
    tamper("UPDATE core_auditevent SET reason = %s WHERE seq = %s", "改过了", target.seq)
    assert "altered" in verify_fails_at(target.seq)


def test_verify_finds_a_deleted_row__ORG_4(world):
    target = AuditEvent.objects.order_by("seq")[5]
    tamper("DELETE FROM core_auditevent WHERE seq = %s", target.seq)
    assert "missing" in verify_fails_at(target.seq)


def test_verify_finds_rows_deleted_from_the_end__ORG_4(world):
    last = last_event()
    tamper("DELETE FROM core_auditevent WHERE seq = %s", last.seq)
    assert "deleted from the end" in verify_fails_at(last.seq)


def test_verify_finds_a_rewritten_link__ORG_4(world):
    target = AuditEvent.objects.order_by("seq")[2]
    tamper("UPDATE core_auditevent SET prev_hash = %s WHERE seq = %s", "f" * 64, target.seq)
    verify_fails_at(target.seq)


def test_verify_page_and_api_report_the_break__ORG_4(world, web, api):
    target = AuditEvent.objects.order_by("seq")[1]
    tamper("UPDATE core_auditevent SET verb = %s WHERE seq = %s", "nothing.happened", target.seq)
    result = api(world.people["admin_a"]).get("/audit/verify").json()
    assert result["ok"] is False and result["broken_seq"] == target.seq
    html = web(world.people["admin_a"]).get("/audit/verify/").content.decode()
    assert f"#{target.seq}" in html
    assert api(world.people["field_a"]).get("/audit/verify").status_code == 403


def test_object_page_and_audit_page_show_the_timeline__ORG_4(world, web):
    client = web(world.people["admin_a"])
    html = client.get(f"/c/alpha/org/sites/{world.sites['station'].pk}/").content.decode()
    assert 'data-testid="timeline"' in html and "site.create" in html
    html = client.get("/c/alpha/audit/?q=site").content.decode()
    assert "site.create" in html and "一号变" in html
    # beta's events are not in alpha's trail
    assert "一层" not in html
