"""Limit changes and setting sheets through the API and the pages (WORK-6): a CT replacement
records the new limit values against the equipment and tells the centre, which sets them in
the monitoring system; protection setting sheets are tracked in three copies (station, team,
centre) with their receipts."""

import pytest

from zhiban.core.models import Notification, PhoneContact
from zhiban.duty.models import LogEntry
from zhiban.work.models import LimitChange, SettingSheet

from .worktools import BASE

AT = "2026-11-27T17:30:00+08:00"


def limit_body(work, **extra) -> dict:
    return {
        "equipment": work.g.breaker.pk,
        "reason": "ct_replacement",
        "quantity": "电流上限",
        "old_value": "600",
        "new_value": "1200",
        "unit": "A",
        "ct_ratio_old": "600/5",
        "ct_ratio_new": "1200/5",
        "effective_at": AT,
        "reported_by": work.p["field_a"].pk,
        "reported_at": AT,
        **extra,
    }


def sheet_body(work, **extra) -> dict:
    return {
        "number": "苏继2026-118",
        "site": work.w.sites["station"].pk,
        "equipment": work.g.breaker.pk,
        "subject": "苏越线751开关保护定值（流变更换后）",
        "issued_on": "2026-11-20",
        **extra,
    }


def test_ct_replacement_records_limits__WORK_6(work, web):
    ticket = work.permitted()
    r = work.as_("field_a").post(
        f"{BASE}/limit-changes", limit_body(work, work_ticket=ticket["id"])
    )
    assert r.status_code == 201, r.content
    change = r.json()
    assert change["equipment"]["double_name"] == "苏越线开关 751"
    assert float(change["old_value"]) == 600 and float(change["new_value"]) == 1200
    assert change["ct_ratio_new"] == "1200/5" and change["applied_at"] is None
    # the team told the centre: a recorded call, a duty-log entry, the centre's operators asked
    contact = PhoneContact.objects.get(pk=change["contact_id"])
    assert contact.our_person_id == work.p["field_a"].pk and "1200" in contact.subject
    entry = LogEntry.objects.get(text__contains="电流上限")
    assert entry.equipment_id == work.g.breaker.pk and "600 → 1200 A" in entry.text
    assert Notification.objects.filter(recipient=work.p["chief_a"]).exists()
    # recorded against the equipment
    mine = work.as_("chief_a").get(f"{BASE}/limit-changes?equipment={work.g.breaker.pk}").json()
    assert [c["id"] for c in mine["items"]] == [change["id"]]
    other = work.as_("chief_a").get(f"{BASE}/limit-changes?equipment={work.g.capacitor.pk}")
    assert other.json()["items"] == []
    # the centre sets it in the monitoring system, once
    apply = f"{BASE}/limit-changes/{change['id']}/apply"
    assert work.as_("field_a").post(apply, {"version": change["version"]}).status_code == 403
    r = work.as_("chief_a").post(apply, {"version": change["version"]})
    assert r.status_code == 200 and r.json()["applied_by_id"] == work.p["chief_a"].pk
    r = work.as_("deputy_a").post(apply, {"version": r.json()["version"]})
    assert r.status_code == 409 and r.json()["rule"] == "WORK-6"
    html = web(work.p["chief_a"]).get(f"/c/alpha/ops/work/{ticket['id']}/").content.decode()
    assert 'data-testid="limit-changes"' in html


def test_limit_change_recorded_by_the_centre_is_an_incoming_call__WORK_6(work):
    r = work.as_("deputy_a").post(f"{BASE}/limit-changes", limit_body(work))
    assert r.status_code == 201, r.content
    contact = PhoneContact.objects.get(pk=r.json()["contact_id"])
    assert contact.direction == "incoming" and contact.party_person_id == work.p["field_a"].pk


@pytest.mark.parametrize(
    "change,field",
    [
        ({"ct_ratio_new": ""}, "ct_ratio_new"),  # a CT replacement gives the new ratio
        ({"new_value": "abc"}, "new_value"),
        ({"new_value": "1234567890123"}, "new_value"),
        ({"equipment": 10**6}, "equipment"),
        ({"reported_by": 10**6}, "reported_by"),
        ({"reason": "whim"}, "reason"),
        ({"unit": ""}, "unit"),
        ({"effective_at": "soon"}, "effective_at"),
    ],
)
def test_bad_limit_change_answers_422_per_field__WORK_6(work, change, field):
    r = work.as_("field_a").post(f"{BASE}/limit-changes", limit_body(work, **change))
    assert r.status_code == 422, r.content
    assert field in r.json()["fields"]
    assert LimitChange.objects.count() == 0


def test_limit_change_shows_on_the_ops_home_until_set__WORK_6(work, web):
    change = work.as_("field_a").post(f"{BASE}/limit-changes", limit_body(work)).json()
    client = web(work.p["chief_a"])
    assert 'data-testid="limits-to-set"' in client.get("/c/alpha/ops/").content.decode()
    html = client.get(f"/c/alpha/ops/limits/{change['id']}/").content.decode()
    assert 'data-testid="act-apply"' in html and "1200/5" in html
    r = client.post(
        f"/c/alpha/ops/limits/{change['id']}/act/apply/", {"version": change["version"]}
    )
    assert r.status_code == 302
    assert 'data-testid="limits-to-set"' not in client.get("/c/alpha/ops/").content.decode()


def test_setting_sheet_copies_receipt__WORK_6(work, web):
    r = work.as_("field_a").post(f"{BASE}/setting-sheets", sheet_body(work))
    assert r.status_code == 201, r.content
    sheet = r.json()
    assert [c["holder"] for c in sheet["copies"]] == ["station", "team", "centre"]
    assert sheet["outstanding"] == ["station", "team", "centre"]
    receipts = f"{BASE}/setting-sheets/{sheet['id']}/receipts"
    body = {"holder": "centre", "received_at": AT, "received_by": work.p["chief_a"].pk}
    sheet = work.as_("chief_a").post(receipts, {"version": sheet["version"], **body}).json()
    assert sheet["outstanding"] == ["station", "team"]
    centre_copy = next(c for c in sheet["copies"] if c["holder"] == "centre")
    assert centre_copy["received_by_id"] == work.p["chief_a"].pk and centre_copy["received_at"]
    r = work.as_("chief_a").post(receipts, {"version": sheet["version"], **body})
    assert r.status_code == 409 and r.json()["rule"] == "WORK-6"
    r = work.as_("chief_a").post(receipts, {"version": 1, **body, "holder": "team"})
    assert r.status_code == 409 and r.json()["code"] == "conflict"  # a stale version
    r = work.as_("chief_a").post(receipts, {"version": sheet["version"], **body, "holder": "x"})
    assert r.status_code == 422 and "holder" in r.json()["fields"]
    # outstanding receipts are visible: the list filter, the ops home and the sheet's page
    waiting = work.as_("chief_a").get(f"{BASE}/setting-sheets?outstanding=true").json()
    assert [s["id"] for s in waiting["items"]] == [sheet["id"]]
    client = web(work.p["leader_a"])
    assert 'data-testid="sheets-outstanding"' in client.get("/c/alpha/ops/").content.decode()
    html = client.get(f"/c/alpha/ops/setting-sheets/{sheet['id']}/").content.decode()
    assert html.count('data-received="0"') == 2 and 'data-testid="receive-team"' in html
    r = client.post(
        f"/c/alpha/ops/sheets/{sheet['id']}/act/receive/",
        {
            "version": sheet["version"],
            "holder": "team",
            "received_at": "2026-11-28T09:00",
            "received_by": work.p["leader_a"].pk,
        },
    )
    assert r.status_code == 302
    version = SettingSheet.objects.get(pk=sheet["id"]).version
    body = {"holder": "station", "received_at": AT, "received_by": work.p["field_a"].pk}
    r = work.as_("field_a").post(receipts, {"version": version, **body})
    assert r.status_code == 200 and r.json()["outstanding"] == []
    done = work.as_("chief_a").get(f"{BASE}/setting-sheets?outstanding=false").json()
    assert [s["id"] for s in done["items"]] == [sheet["id"]]


def test_setting_sheet_number_is_unique_in_the_centre__WORK_6(work):
    assert work.as_("field_a").post(f"{BASE}/setting-sheets", sheet_body(work)).status_code == 201
    r = work.as_("field_a").post(f"{BASE}/setting-sheets", sheet_body(work))
    assert r.status_code == 422 and "number" in r.json()["fields"]
    r = work.as_("field_a").post(
        f"{BASE}/setting-sheets",
        sheet_body(work, number="苏继2026-119", site=work.g.other_station.pk),
    )
    assert r.status_code == 422 and "equipment" in r.json()["fields"]  # not at that station


def test_limits_and_sheets_of_another_centre_are_not_found__ORG_3(work):
    change = work.as_("field_a").post(f"{BASE}/limit-changes", limit_body(work)).json()
    sheet = work.as_("field_a").post(f"{BASE}/setting-sheets", sheet_body(work)).json()
    outsider = work.as_("admin_b")
    assert outsider.get(f"{BASE}/limit-changes/{change['id']}").status_code == 404
    assert outsider.get(f"{BASE}/setting-sheets/{sheet['id']}").status_code == 404
    r = outsider.post(f"{BASE}/limit-changes/{change['id']}/apply", {"version": 1})
    assert r.status_code == 404
    r = outsider.post(
        f"{BASE}/setting-sheets/{sheet['id']}/receipts",
        {"version": 1, "holder": "centre", "received_at": AT, "received_by": 1},
    )
    assert r.status_code == 404
    # equipment of another centre is no choice here
    r = outsider.post("/centres/beta/limit-changes", limit_body(work))
    assert r.status_code in (403, 422)


def test_setting_sheet_edit_page_keeps_the_date_and_saves_unchanged__WORK_6(work, web):
    """Issue 11: the edit form showed no issue date (a <input type=date> needs 2026-11-20, the
    page wrote the locale's 2026/11/20) and so could not be saved as it stood."""
    sheet = work.as_("field_a").post(f"{BASE}/setting-sheets", sheet_body(work)).json()
    client = web(work.p["field_a"])
    edit = f"/c/alpha/ops/setting-sheets/{sheet['id']}/edit/"
    html = client.get(edit).content.decode()
    assert 'type="date" name="issued_on" value="2026-11-20"' in html, html
    form = {
        "version": sheet["version"],
        "number": sheet["number"],
        "site": sheet_body(work)["site"],
        "equipment": sheet_body(work)["equipment"],
        "subject": sheet_body(work)["subject"],
        "issued_on": "2026-11-20",  # what the browser sends back from the date box
        "limit_change": "",
    }
    r = client.post(edit, form)
    assert r.status_code == 302, r.content.decode()[:2000]
    saved = SettingSheet.objects.get(pk=sheet["id"])
    assert saved.issued_on.isoformat() == "2026-11-20" and saved.version == sheet["version"] + 1
