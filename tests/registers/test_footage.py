"""Footage access (调阅录像, REG-2) through the API and the pages: a request approved or
refused by the department leader before any viewing, copying or download; every access
recorded against the approved request inside its window, else refused naming REG-2; no
delete anywhere; the footage's retention end and its warning; the .xlsx export; another
centre's request is 404 (ORG-3)."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from zhiban.core.models import AuditEvent
from zhiban.registers.models import FootageAccess, FootageRequest

from .conftest import footage_body, local

F = "/centres/room/registers/footage"


def _file(reg, login="monitor", **changes) -> dict:
    answer = reg.as_(login).post(F, footage_body(reg, **changes))
    assert answer.status_code == 201, answer.content
    return answer.json()


def _approve(reg, request, login="head", note="同意") -> dict:
    answer = reg.as_(login).post(
        f"{F}/{request['id']}/approve", {"version": request["version"], "decision_note": note}
    )
    assert answer.status_code == 200, answer.content
    return answer.json()


def test_request_waits_for_the_department_leader_who_is_named__REG_2(reg):
    request = _file(reg)
    assert request["state"] == "pending" and request["decided_by_id"] is None
    refused = reg.as_("monitor").post(f"{F}/{request['id']}/approve", {"version": 1})
    assert refused.status_code == 403  # a monitor keeps the register, a leader approves it
    approved = _approve(reg, request)
    assert approved["state"] == "approved"
    assert approved["decided_by_id"] == reg.people["head"].pk
    assert approved["decided_at"] is not None


def test_access_before_approval_refused_and_nothing_written__REG_2(reg):
    request = _file(reg)
    answer = reg.as_("monitor").post(
        f"{F}/{request['id']}/accesses", {"version": request["version"], "kind": "view"}
    )
    assert answer.status_code == 409
    assert answer.json()["rule"] == "REG-2"
    assert "REG-2" in answer.json()["message"]
    assert not FootageAccess.objects.exists()


def test_access_after_approval_recorded_with_who_and_when__REG_2(reg):
    request = _approve(reg, _file(reg))
    for kind in ("view", "copy", "download"):
        answer = reg.as_("monitor").post(
            f"{F}/{request['id']}/accesses",
            {"version": request["version"], "kind": kind, "note": "交民警"},
        )
        assert answer.status_code == 201, answer.content
        assert answer.json()["by_id"] == reg.people["monitor"].pk
    listed = reg.as_("leader").get(f"{F}/{request['id']}/accesses").json()
    assert sorted(a["kind"] for a in listed) == ["copy", "download", "view"]
    verbs = set(
        AuditEvent.objects.filter(object_id=str(request["id"])).values_list("verb", flat=True)
    )
    assert {"footage_access.view", "footage_access.copy", "footage_access.download"} <= verbs


def test_access_outside_the_window_refused__REG_2(reg, _on_the_fixed_clock):
    request = _approve(reg, _file(reg, window_from=local_shift(hours=1)))
    early = reg.as_("monitor").post(
        f"{F}/{request['id']}/accesses", {"version": request["version"], "kind": "copy"}
    )
    assert early.status_code == 409 and early.json()["rule"] == "REG-2"
    assert "REG-2" in early.json()["message"]
    _on_the_fixed_clock.shift(timedelta(days=1, hours=1))  # the window has ended
    expired = reg.as_("monitor").post(
        f"{F}/{request['id']}/accesses", {"version": request["version"], "kind": "view"}
    )
    assert expired.status_code == 409 and expired.json()["rule"] == "REG-2"
    assert not FootageAccess.objects.exists()


def test_access_dated_before_the_approval_refused__REG_2(reg):
    request = _approve(reg, _file(reg, window_from=local_shift(hours=-3)))
    answer = reg.as_("monitor").post(
        f"{F}/{request['id']}/accesses",
        {"version": request["version"], "kind": "view", "at": local_shift(hours=-2)},
    )
    assert answer.status_code == 409 and answer.json()["rule"] == "REG-2"
    assert not FootageAccess.objects.exists()


def local_shift(**delta) -> str:
    return local(timezone.now() + timedelta(**delta))


def test_refused_request_needs_a_reason_and_allows_no_access__REG_2(reg):
    request = _file(reg)
    bare = reg.as_("head").post(f"{F}/{request['id']}/refuse", {"version": 1})
    assert bare.status_code == 422 and bare.json()["rule"] == "REG-2"
    assert "decision_note" in bare.json()["fields"]
    refused = reg.as_("head").post(
        f"{F}/{request['id']}/refuse", {"version": 1, "decision_note": "非公务需要"}
    )
    assert refused.json()["state"] == "refused"
    access = reg.as_("monitor").post(
        f"{F}/{request['id']}/accesses", {"version": 2, "kind": "view"}
    )
    assert access.status_code == 409 and access.json()["rule"] == "REG-2"
    again = reg.as_("head").post(f"{F}/{request['id']}/approve", {"version": 2})
    assert again.status_code == 409 and again.json()["rule"] == "REG-2"


def test_stale_version_is_a_conflict__REG_2(reg):
    request = _file(reg)
    _approve(reg, request)
    stale = reg.as_("manager").post(
        f"{F}/{request['id']}/refuse", {"version": 1, "decision_note": "晚了"}
    )
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"


def test_approval_after_the_window_ended_refused__REG_2(reg, _on_the_fixed_clock):
    request = _file(reg)
    _on_the_fixed_clock.shift(timedelta(days=2))
    answer = reg.as_("head").post(f"{F}/{request['id']}/approve", {"version": 1})
    assert answer.status_code == 409 and answer.json()["rule"] == "REG-2"
    assert FootageRequest.objects.get().state == "pending"


def test_bad_request_is_refused_per_field__REG_2(reg):
    answer = reg.as_("monitor").post(
        F,
        footage_body(
            reg,
            camera=reg.other_camera.pk,
            window_until=footage_body(reg)["window_from"],
            span_until=footage_body(reg)["span_from"],
        ),
    )
    assert answer.status_code == 422
    assert {"camera", "window_until", "span_until"} <= set(answer.json()["fields"])
    assert not FootageRequest.objects.exists()


def test_camera_must_be_at_the_place__REG_2(reg):
    from .conftest import _camera, _site

    lobby = _site(reg.room, "A-2F", "二层", "floor")
    elsewhere = _camera(lobby, "2F-01枪机", "C2F01")
    answer = reg.as_("monitor").post(F, footage_body(reg, camera=elsewhere.pk))
    assert answer.status_code == 422 and answer.json()["rule"] == "REG-2"
    assert "REG-2" in answer.json()["fields"]["camera"][0]


def test_no_delete_path_anywhere__REG_2(reg):
    request = _approve(reg, _file(reg))
    assert reg.as_("head").client.delete(f"/api{F}/{request['id']}").status_code == 405
    paths = [str(p.pattern) for p in __import__("zhiban.registers.urls").registers.urls.urlpatterns]
    assert not any("delete" in p for p in paths)
    page = reg.web("head").get(f"/c/room/registers/footage/{request['id']}/")
    assert "不能删除" in page.content.decode() or "cannot be deleted" in page.content.decode()


def test_retention_end_and_overwrite_warning__REG_2(reg):
    """30 days after the footage by default; a warning inside the warning days (3)."""
    old = _file(reg, span_from=local_shift(days=-28, hours=-1), span_until=local_shift(days=-28))
    fresh = _file(reg)
    assert old["overwrite_warning"] == "soon"
    assert fresh["overwrite_warning"] == ""
    assert old["retention_end"].startswith(local_shift(days=2)[:10])
    page = reg.web("monitor").get(f"/c/room/registers/footage/{old['id']}/")
    assert 'data-testid="overwrite-soon"' in page.content.decode()
    console = reg.web("head").get("/c/room/").content.decode()
    assert 'data-testid="overwrite-soon"' in console


def test_retention_follows_the_centres_setting__REG_2(reg):
    admin = reg.as_("head")  # no admin here: the platform's CLI sets it
    from zhiban.core.actors import CLI, Source
    from zhiban.org import services as org

    centre = reg.room
    org.centre_settings_update(
        actor=CLI,
        source=Source.CLI,
        centre_id=centre.pk,
        version=centre.version,
        changes={"registers.footage_retention_days": 7},
    )
    request = _file(reg)
    shown = admin.get(f"{F}/{request['id']}").json()
    assert shown["retention_end"].startswith(local_shift(days=6)[:10])


def test_pages_file_approve_and_record_a_viewing__REG_2(reg):
    monitor, head = reg.web("monitor"), reg.web("head")
    new = monitor.post(
        reverse("registers:footage_new", args=["room"]), footage_body(reg, site=reg.floor.pk)
    )
    assert new.status_code == 302, new.content.decode()[:3000]
    request = FootageRequest.objects.get()
    detail = reverse("registers:footage_detail", args=["room", request.pk])
    early = monitor.post(
        reverse("registers:footage_access", args=["room", request.pk]),
        {"version": 1, "kind": "view"},
    )
    assert early.status_code == 409 and "REG-2" in early.content.decode()
    assert 'data-testid="approve"' in head.get(detail).content.decode()
    approved = head.post(
        reverse("registers:footage_approve", args=["room", request.pk]),
        {"version": 1, "decision_note": "同意"},
    )
    assert approved.status_code == 302
    viewed = monitor.post(
        reverse("registers:footage_access", args=["room", request.pk]),
        {"version": 2, "kind": "view", "note": "查看"},
    )
    assert viewed.status_code == 302
    page = monitor.get(detail).content.decode()
    assert page.count('data-testid="access"') == 1


def test_list_filters_and_xlsx_export__REG_2(reg):
    _approve(reg, _file(reg))
    _file(reg, requester_name="王丽")
    pending = reg.as_("monitor").get(f"{F}?state=pending").json()
    assert [r["requester_name"] for r in pending["items"]] == ["王丽"]
    page = reg.web("monitor").get("/c/room/registers/footage/?q=王丽")
    assert page.status_code == 200 and "王丽" in page.content.decode()
    export = reg.web("monitor").get("/c/room/registers/footage/?export=xlsx")
    sheet = load_workbook(BytesIO(b"".join(export.streaming_content))).active
    assert sheet.max_row == 3
    api_export = reg.as_("monitor").get(f"{F}.xlsx")
    assert api_export.status_code == 200


def test_another_centres_request_is_not_found__ORG_3(reg):
    request = _file(reg)
    other = reg.as_("head_b")
    assert other.get(f"{F}/{request['id']}").status_code == 404
    assert other.post(f"{F}/{request['id']}/approve", {"version": 1}).status_code == 404
    assert reg.web("head_b").get(f"/c/room/registers/footage/{request['id']}/").status_code == 404
    same_id = other.get(f"/centres/other/registers/footage/{request['id']}")
    assert same_id.status_code == 404


def test_list_page_pages_without_counting_every_request__REG_2(reg):
    """A provincial centre files a hundred thousand requests a year: the list page shows the
    next page without counting them all (docs/performance.md, footage access)."""
    from zhiban.core.actors import Source
    from zhiban.registers.services.footage import footage_request_create

    for n in range(51):
        footage_request_create(
            actor=reg.people["monitor"],
            source=Source.CLI,
            centre=reg.room,
            data=footage_body(reg, requester_name=f"申请人{n:02d}"),
        )
    first = reg.web("monitor").get("/c/room/registers/footage/").content.decode()
    assert first.count("申请人") >= 50 and "申请人00" not in first  # newest first
    assert "page=2" in first and " of 51" not in first and "共 51" not in first
    second = reg.web("monitor").get("/c/room/registers/footage/?page=2").content.decode()
    assert "申请人00" in second
