"""The desk registers through the API, the pages, the job, the console and the handover:
item lending returned once and overdue items chased (REG-4); found items handed back once
against a proof (REG-5); phone messages read back, passed to a person and followed until done
(REG-3); equipment repairs open until their result (REG-6)."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from zhiban.core.models import Notification
from zhiban.duty import handover_sources
from zhiban.registers.models import FoundItem, Loan
from zhiban.registers.services.desk import loans_chase

from .conftest import local
from .desk import hotel  # noqa: F401 (fixture)

L = "/centres/hotel/registers/loans"
F = "/centres/hotel/registers/found-items"
P = "/centres/hotel/registers/phone-messages"
R = "/centres/hotel/registers/repairs"


def _created(client, path, body) -> dict:
    answer = client.post(path, body)
    assert answer.status_code == 201, answer.content
    return answer.json()


def _loan(hotel, hours=2) -> dict:  # noqa: F811
    now = timezone.now()
    body = {
        "item": "充电器（Type-C）",
        "borrower": "张先生",
        "place": "1208",
        "lent_at": local(now - timedelta(minutes=5)),
        "due_at": local(now + timedelta(hours=hours)),
    }
    return _created(hotel.as_("clerk"), L, body)


def _open_things(centre, kind_text: str) -> list:
    return [t for t in handover_sources.gather(centre) if kind_text in t.text]


def test_returned_once__REG_4(hotel):  # noqa: F811
    loan = _loan(hotel)
    back = hotel.as_("clerk").post(f"{L}/{loan['id']}/return", {"version": 1})
    assert back.status_code == 200 and back.json()["state"] == "returned"
    again = hotel.as_("clerk").post(f"{L}/{loan['id']}/return", {"version": 2})
    assert again.status_code == 409
    assert again.json()["rule"] == "REG-4" and "REG-4" in again.json()["message"]
    assert Loan.objects.get().version == 2


def test_due_before_lent_refused__REG_4(hotel):  # noqa: F811
    now = timezone.now()
    body = {
        "item": "雨伞",
        "borrower": "李女士",
        "place": "大堂",
        "lent_at": local(now),
        "due_at": local(now - timedelta(hours=1)),
    }
    answer = hotel.as_("clerk").post(L, body)
    assert answer.status_code == 422 and "REG-4" in str(answer.json()["fields"]["due_at"])


def test_overdue_chased_once_on_console_and_handover__REG_4(hotel, fixed_clock):  # noqa: F811
    _loan(hotel, hours=1)
    assert loans_chase() == 0
    fixed_clock.shift(timedelta(hours=2))
    assert loans_chase() == 1 and loans_chase() == 0
    told = Notification.objects.filter(recipient=hotel.people["clerk"]).get()
    assert "REG-4" in told.title and "张先生" in told.title
    assert 'data-testid="overdue"' in hotel.web("clerk").get("/c/hotel/").content.decode()
    things = _open_things(hotel.room, "REG-4")
    assert len(things) == 1 and not things[0].blocks


def test_handed_back_once_against_a_proof__REG_5(hotel):  # noqa: F811
    item = _created(
        hotel.as_("clerk"),
        F,
        {
            "item": "黑色钱包（内有银行卡）",
            "found_where": "1506房床头柜",
            "found_at": local(timezone.now() - timedelta(hours=3)),
            "found_by": "客房服务员 李阿姨",
            "kept_where": "房务中心失物柜A3",
        },
    )
    assert 'data-testid="kept"' in hotel.web("clerk").get("/c/hotel/").content.decode()
    no_proof = hotel.as_("clerk").post(
        f"{F}/{item['id']}/hand-back",
        {"version": 1, "claimant": "赵先生", "proof_kind": "id_card", "proof_number": ""},
    )
    assert no_proof.status_code == 422 and "proof_number" in no_proof.json()["fields"]
    body = {
        "version": 1,
        "claimant": "赵先生",
        "proof_kind": "id_card",
        "proof_number": "3205**1234",
    }
    back = hotel.as_("clerk").post(f"{F}/{item['id']}/hand-back", body)
    assert back.status_code == 200, back.content
    assert back.json()["state"] == "handed_back" and back.json()["claimant"] == "赵先生"
    again = hotel.as_("clerk").post(f"{F}/{item['id']}/hand-back", body | {"version": 2})
    assert again.status_code == 409 and again.json()["rule"] == "REG-5"
    assert FoundItem.objects.get().claimant == "赵先生"


def test_message_read_back_passed_on_and_followed__REG_3(hotel):  # noqa: F811
    body = {
        "at": local(timezone.now() - timedelta(minutes=10)),
        "caller": "刘经理",
        "place": "携程商旅",
        "phone": "021-34064880",
        "content": "明天团队20间房提前到12:00入住",
        "read_back": "",
        "routed_to": hotel.people["supervisor"].pk,
    }
    missing = hotel.as_("clerk").post(P, body)
    assert missing.status_code == 422 and "read_back" in missing.json()["fields"]
    message = _created(hotel.as_("clerk"), P, body | {"read_back": "明天20间，12点入住"})
    told = Notification.objects.get(recipient=hotel.people["supervisor"])
    assert "刘经理" in told.title
    assert len(_open_things(hotel.room, "REG-3")) == 1
    done = hotel.as_("supervisor").post(
        f"{P}/{message['id']}/done", {"version": 1, "result": "已安排楼层提前清扫"}
    )
    assert done.status_code == 200 and done.json()["state"] == "done"
    again = hotel.as_("clerk").post(f"{P}/{message['id']}/done", {"version": 2, "result": "x"})
    assert again.status_code == 409 and again.json()["rule"] == "REG-3"
    assert not _open_things(hotel.room, "REG-3")


def test_routed_to_a_person_of_another_centre_refused__REG_3(hotel):  # noqa: F811
    body = {
        "at": local(timezone.now()),
        "caller": "刘经理",
        "place": "携程商旅",
        "content": "x",
        "read_back": "x",
        "routed_to": hotel.people["clerk_b"].pk,
    }
    answer = hotel.as_("clerk").post(P, body)
    assert answer.status_code == 422 and "routed_to" in answer.json()["fields"]


def test_repair_open_on_the_handover_until_done__REG_6(hotel):  # noqa: F811
    web = hotel.web("clerk")
    new = reverse("registers:repair_new", kwargs={"code": "hotel"})
    created = web.post(
        new,
        {
            "equipment": "1208房空调",
            "fault": "不制热",
            "reported_at": local(timezone.now() - timedelta(hours=1)),
            "reported_by": "客人",
            "repairer": "工程部 周师傅",
        },
    )
    assert created.status_code == 302
    repair = hotel.as_("clerk").get(R).json()["items"][0]
    assert len(_open_things(hotel.room, "REG-6")) == 1
    step = reverse("registers:repair_done", kwargs={"code": "hotel", "pk": repair["id"]})
    empty = web.post(step, {"version": 1, "done-result": ""})
    assert empty.status_code == 422
    assert web.post(step, {"version": 1, "done-result": "更换温控器，恢复正常"}).status_code == 302
    again = web.post(step, {"version": 2, "done-result": "x"})
    assert again.status_code == 409 and "REG-6" in again.content.decode()
    assert not _open_things(hotel.room, "REG-6")
    detail = web.get(
        reverse("registers:repair_detail", kwargs={"code": "hotel", "pk": repair["id"]})
    )
    assert "更换温控器" in detail.content.decode()


def test_other_centres_entries_are_404__REG_4(hotel):  # noqa: F811
    loan = _loan(hotel)
    assert hotel.as_("clerk_b").get(f"/centres/inn/registers/loans/{loan['id']}").status_code == 404
    assert hotel.web("clerk_b").get(f"/c/inn/registers/loans/{loan['id']}/").status_code == 404


def test_exports__REG_5(hotel):  # noqa: F811
    for path in (L, F, P, R):
        answer = hotel.as_("clerk").get(f"{path}.xlsx")
        assert answer.status_code == 200, path
