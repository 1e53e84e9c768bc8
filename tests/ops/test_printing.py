"""Printing operation tickets (OPS-13): one ticket on A4 in the standard layout with its
stamps and "page x of y", long tickets over several pages with the steps header repeated, a
month's tickets bound as one file in number order, scope (ORG-3) and bad input (422).

Labels are compared in the people's language (zh-Hans) through the catalogue, so the tests
hold before and after the Chinese catalogue is merged; the data is Chinese either way."""

from datetime import UTC, datetime

import pytest

from zhiban.core.actors import CLI, Source
from zhiban.ops import pdf
from zhiban.ops.models import OperationTicket, StepState, TicketState, TicketStep
from zhiban.org import services as org

from ..pdf import has_cjk_font, page_sizes, pdf_pages
from .conftest import BASE, STEPS
from .finished import centre_done, done, squash, terminated, voided, zh

TITLE = "Substation (power plant) switching operation ticket (变电站（发电厂）倒闸操作票)"
LONG = [f"第{n}项：检查苏越线751开关位置指示正确" for n in range(1, 46)]


def pdf_of(client, path) -> tuple[bytes, list[str]]:
    r = client.get(path)
    assert r.status_code == 200, r.content[:500]
    assert r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
    return r.content, pdf_pages(r.content)


def ticket_pdf(flow, ticket, login="field_a") -> list[str]:
    return pdf_of(flow.as_(login), f"{BASE}/tickets/{ticket['id']}/pdf")[1]


def test_ticket_prints_on_a4_with_its_chinese_text_fields_and_page_numbers__OPS_13(
    november, flow, web
):
    """OPS-13, OPS-15: the standard form on A4 with the Chinese glyphs embedded, the order, the
    task, the equipment by double name, the ticked steps with the centre's time, the signatures
    and "第 1 页 共 1 页"."""
    ticket = done(flow)
    data, pages = pdf_of(flow.as_("field_a"), f"{BASE}/tickets/{ticket['id']}/pdf")
    assert has_cjk_font(data)
    assert page_sizes(data) == [(210, 297)]
    text = squash(pages[0])
    for shown in [
        zh(TITLE),
        ticket["number"],
        "地调 王调度",
        "苏越线751开关由运行转检修",
        "苏越线开关 751",  # the double name (OPS-15)
        *STEPS,
        "Field_A",  # operator
        "Leader_A",  # guardian
        zh("order (顺序)"),
        zh("step (操作项目)"),
        zh("person in charge (值班负责人（值长）)"),
        zh("Page %(page)s of %(pages)s", page=1, pages=1),
    ]:
        assert squash(shown) in text, shown
    assert text.count("√") >= 1 + len(STEPS)  # the column header and a tick per step
    assert "09:00" in text and "01:00" not in text  # Asia/Shanghai, not UTC
    page = web(flow.p["field_a"]).get(f"/c/alpha/ops/tickets/{ticket['id']}/pdf/")
    assert page.status_code == 200 and page.content.startswith(b"%PDF")
    assert f'filename="{ticket["number"]}.pdf"' in page["Content-Disposition"]


def test_ticket_page_offers_print__OPS_13(november, flow, web):
    ticket = flow.ticket()
    page = web(flow.p["field_a"]).get(f"/c/alpha/ops/tickets/{ticket['id']}/")
    assert f"/c/alpha/ops/tickets/{ticket['id']}/pdf/" in page.content.decode()


def test_completed_ticket_is_stamped_executed_under_its_last_step__OPS_13(november, flow):
    lines = ticket_pdf(flow, done(flow))[0].splitlines()
    assert zh(TicketState.COMPLETED.label) in lines  # the stamp: 已执行
    assert zh("blank below (以下空白)") in lines
    assert zh(TicketState.VOIDED.label) not in lines


def test_voided_ticket_is_stamped_void_with_its_reason__OPS_13(november, flow):
    lines = ticket_pdf(flow, voided(flow))[0].splitlines()
    assert zh(TicketState.VOIDED.label) in lines  # the stamp: 作废
    assert any("调度取消操作" in line for line in lines)  # the reason, in the remarks
    assert zh(TicketState.COMPLETED.label) not in lines


def test_terminated_ticket_marks_each_step_not_executed__OPS_13(november, flow):
    lines = ticket_pdf(flow, terminated(flow))[0].splitlines()
    assert zh(TicketState.TERMINATED.label) in lines  # the stamp: 终止操作
    assert lines.count(zh(StepState.NOT_DONE.label)) == len(STEPS) - 1  # 未执行, steps 2 and 3
    assert any("调度令终止" in line for line in lines)


def test_long_ticket_flows_onto_more_pages_with_the_steps_header_repeated__OPS_13(november, flow):
    ticket = done(flow, steps=LONG)
    pages = ticket_pdf(flow, ticket)
    assert len(pages) >= 2
    for n, text in enumerate(pages, start=1):
        assert squash(zh("step (操作项目)")) in squash(text)  # the steps header, on every page
        assert ticket["number"] in text  # every sheet says which ticket it belongs to
        assert squash(zh("Page %(page)s of %(pages)s", page=n, pages=len(pages))) in squash(text)
    assert LONG[0] in pages[0] and LONG[-1] in pages[-1]
    assert squash(zh("operator (操作人)")) in squash(pages[-1])  # signatures close the ticket
    assert zh(TicketState.COMPLETED.label) in pages[-1].splitlines()


def test_month_export_is_one_file_in_number_order_one_ticket_per_page__OPS_13(
    november, flow, monkeypatch
):
    """OPS-13: a team's month binds in number order (by the serial, also across a change of
    the number's prefix), each ticket from a new page and numbered as its own, the centre's
    own tickets apart; also where the file is rendered in batches (two tickets to a batch)."""
    monkeypatch.setattr(pdf, "BATCH", 2)
    first = done(flow)
    second = voided(flow)
    centre_own = centre_done(flow)["number"]
    admin = flow.as_("admin_a")
    r = admin.patch(
        "/centres/alpha/settings",
        {
            "version": admin.get("/centres/alpha").json()["version"],
            "values": {"ops.ticket_prefix": "AA"},  # sorts before "ALPHA" as text
        },
    )
    assert r.status_code == 200, r.content
    third = terminated(flow)
    assert third["number"].startswith("AA-")
    team_numbers = [first["number"], second["number"], third["number"]]

    client = flow.as_("leader_a")
    data, pages = pdf_of(client, f"{BASE}/tickets/month.pdf?month=2026-11&team={flow.w.team.pk}")
    assert has_cjk_font(data)
    index, sheets = pages[0], pages[1:]
    assert [index.index(n) for n in team_numbers] == sorted(index.index(n) for n in team_numbers)
    assert centre_own not in "".join(pages)
    shown = [[n for n in team_numbers if n in page] for page in sheets]
    assert all(len(found) == 1 for found in shown)  # one ticket per page
    assert [found[0] for found in shown] == team_numbers  # in number order
    assert [squash(page).count(squash(zh(TITLE))) for page in sheets] == [1, 1, 1]
    assert zh(TicketState.VOIDED.label) in sheets[1].splitlines()
    assert all(  # each ticket's own page numbers, not the file's
        squash(zh("Page %(page)s of %(pages)s", page=1, pages=1)) in squash(page) for page in sheets
    )
    assert squash(zh("Page %(page)s of %(pages)s", page=1, pages=1)) in squash(index)

    _data, everything = pdf_of(client, f"{BASE}/tickets/month.pdf?month=2026-11")
    assert len(everything) == 1 + 4 and centre_own in everything[3]
    _data, own = pdf_of(client, f"{BASE}/tickets/month.pdf?month=2026-11&team=centre")
    assert len(own) == 2 and centre_own in own[1]
    _data, october = pdf_of(client, f"{BASE}/tickets/month.pdf?month=2026-10")
    assert len(october) == 1 and squash(zh("No ticket this month.")) in squash(october[0])


def test_month_export_numbers_the_pages_of_each_ticket__OPS_13(november, flow):
    """OPS-13: in the bound month a long ticket shows 第 1 页 共 2 页 and 第 2 页 共 2 页, and the
    next one starts again at 第 1 页 共 1 页, as each printed ticket does."""
    long, short = done(flow, steps=LONG), done(flow)
    data, pages = pdf_of(
        flow.as_("leader_a"), f"{BASE}/tickets/month.pdf?month=2026-11&team={flow.w.team.pk}"
    )
    assert page_sizes(data) == [(210, 297)] * 4
    index, sheets = pages[0], pages[1:]
    assert [long["number"] in page for page in sheets] == [True, True, False]
    assert short["number"] in sheets[2]
    assert LONG[0] in sheets[0] and LONG[-1] in sheets[1]
    for page, (n, of) in zip(sheets, [(1, 2), (2, 2), (1, 1)], strict=True):
        assert squash(zh("Page %(page)s of %(pages)s", page=n, pages=of)) in squash(page)
    for ticket, count in [(long, 2), (short, 1)]:  # the index: number, task, state, pages
        row = f"{ticket['number']}{ticket['task']}{zh(TicketState.COMPLETED.label)}{count}"
        assert squash(row) in squash(index)


def test_month_export_through_the_pages__OPS_13(november, flow, web):
    done(flow)
    client = web(flow.p["leader_a"])
    home = client.get("/c/alpha/ops/").content.decode()
    assert 'data-testid="month-export"' in home and "/c/alpha/ops/tickets/month.pdf" in home
    r = client.get(f"/c/alpha/ops/tickets/month.pdf?month=2026-11&team={flow.w.team.pk}")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert r["Content-Disposition"] == 'inline; filename="alpha-tickets-2026-11.pdf"'
    assert len(pdf_pages(r.content)) == 2  # the index and the ticket
    r = client.get("/c/alpha/ops/tickets/month.pdf")  # no month: this month
    assert r.status_code == 200 and r.content.startswith(b"%PDF")


@pytest.mark.parametrize("month", ["2026-13", "2026-1", "nov", "2026-11-01", "0000-01", "٢٠٢٦-١١"])
def test_bad_month_answers_422_with_a_message_for_the_field__OPS_13(november, flow, web, month):
    api = flow.as_("leader_a").get(f"{BASE}/tickets/month.pdf?month={month}")
    assert api.status_code == 422 and api.json()["code"] == "invalid"
    assert api.json()["fields"]["month"] == [zh("Give the month as YYYY-MM, e.g. 2026-11.")]
    page = web(flow.p["leader_a"]).get(f"/c/alpha/ops/tickets/month.pdf?month={month}")
    assert page.status_code == 422
    assert zh("Give the month as YYYY-MM, e.g. 2026-11.") in page.content.decode()


def test_month_export_of_a_team_of_another_centre_answers_422__OPS_13(november, flow, world):
    stranger = org.team_create(
        actor=CLI,
        source=Source.CLI,
        centre=world.beta,
        data={"name": "保安一班", "kind": "patrol", "active": True},
    )
    for team in (stranger.pk, "999999", "x"):
        r = flow.as_("leader_a").get(f"{BASE}/tickets/month.pdf?month=2026-11&team={team}")
        assert r.status_code == 422 and "team" in r.json()["fields"]


def test_printing_another_centres_tickets_is_not_found__ORG_3(november, flow, web):
    ticket = done(flow)
    outsider = flow.p["admin_b"]
    api = flow.api(outsider)
    assert api.get(f"{BASE}/tickets/{ticket['id']}/pdf").status_code == 404
    assert api.get(f"{BASE}/tickets/month.pdf?month=2026-11").status_code == 404
    assert api.get("/centres/beta/tickets/{}/pdf".format(ticket["id"])).status_code == 404
    page = web(outsider)
    assert page.get(f"/c/alpha/ops/tickets/{ticket['id']}/pdf/").status_code == 404
    assert page.get("/c/alpha/ops/tickets/month.pdf?month=2026-11").status_code == 404


def test_a_ticket_with_far_stored_times_still_shows_and_prints__ORG_4(november, flow, web):
    """DESIGN rule 5: a ticket whose times were stored before the window existed (a raw
    update here, past the forms) still shows and prints; a time the centre's zone cannot
    hold is printed as stored (UTC)."""
    ticket = done(flow)
    far = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
    OperationTicket.objects.filter(pk=ticket["id"]).update(
        ordered_at=far, centre_notified_at=far, started_at=far, ended_at=far
    )
    TicketStep.objects.filter(ticket_id=ticket["id"]).update(done_at=far)
    client = web(flow.p["field_a"])
    page = client.get(f"/c/alpha/ops/tickets/{ticket['id']}/")
    assert page.status_code == 200 and "9999" in page.content.decode()
    printed = client.get(f"/c/alpha/ops/tickets/{ticket['id']}/pdf/")
    assert printed.status_code == 200 and printed.content.startswith(b"%PDF")
    text = squash(ticket_pdf(flow, ticket)[0])
    assert "9999" in text and "23:59" in text  # shown as stored (UTC)
