"""Acceptance sheet pages (ACC-2 … ACC-4): prepared through the form, the checkers named, each
named checker's own side's tick form on every row (htmx answers the row; a stale version the
row again with 409), the close refused with what is owed, the stage acceptance's items and
signatures, the PDF, the upkeep home's progress; another centre's sheet answers 404."""

from __future__ import annotations

from django.urls import reverse

from zhiban.core.actors import Source
from zhiban.upkeep import services
from zhiban.upkeep.models import AcceptancePoint, AcceptanceSheet

from ..pdf import pdf_pages

WEB = Source.WEB
HX = {"HTTP_HX_REQUEST": "true"}


def url(name, *args, code="alpha"):
    return reverse(f"upkeep:{name}", args=[code, *args])


def prepared(upkeep, kind="commissioning", points=3, open_=True):
    people = upkeep.world.people
    chief = people["chief_a"]
    sheet = services.sheet_create(
        actor=chief,
        source=WEB,
        centre=upkeep.world.alpha,
        data={
            "kind": kind,
            "title": "一号变四遥验收",
            "site": upkeep.sites["station"].pk,
            "team": upkeep.world.team.pk,
        },
    )
    for i in range(1, points + 1):
        sheet.refresh_from_db()
        services.point_add(
            actor=chief,
            source=WEB,
            sheet_id=sheet.pk,
            version=sheet.version,
            data={"bay": "1号主变", "name": f"油温{i}", "remote_type": "yc", "address": 100 + i},
        )
    sheet.refresh_from_db()
    sheet = services.sheet_checkers(
        actor=chief,
        source=WEB,
        sheet_id=sheet.pk,
        version=sheet.version,
        data={"centre_checker": chief.pk, "team_checker": people["field_a"].pk},
    )
    if open_:
        sheet = services.sheet_open(
            actor=chief, source=WEB, sheet_id=sheet.pk, version=sheet.version
        )
    return sheet


def test_sheet_prepared_through_the_form_with_a_stage_acceptances_items__ACC_4(web, upkeep):
    client = web(upkeep.world.people["chief_a"])
    assert client.get(url("sheet_create")).status_code == 200
    r = client.post(
        url("sheet_create"),
        {
            "kind": "concealed",
            "title": "配电室隐蔽工程验收",
            "site": upkeep.sites["station"].pk,
            "team": upkeep.world.team.pk,
        },
    )
    assert r.status_code == 302
    sheet = AcceptanceSheet.objects.get(title="配电室隐蔽工程验收")
    page = client.get(r["Location"]).content.decode()
    assert "闭水试验" in page and "checkers-form" in page
    assert sheet.points.count() >= 5
    r = client.post(url("sheet_create"), {"kind": "concealed", "title": ""})
    assert r.status_code == 422


def test_checkers_form_refuses_a_team_member_as_the_centres_checker__ACC_2(web, upkeep):
    people = upkeep.world.people
    sheet = prepared(upkeep, open_=False)
    client = web(people["chief_a"])
    r = client.post(
        url("sheet_checkers", sheet.pk),
        {
            "version": sheet.version,
            "centre_checker": people["leader_a"].pk,
            "team_checker": people["field_a"].pk,
        },
    )
    assert r.status_code == 422 and "ACC-2" in r.content.decode()


def test_only_the_named_checker_gets_a_tick_form_for_their_side__ACC_2(web, upkeep):
    people = upkeep.world.people
    sheet = prepared(upkeep)
    for login, forms in (("chief_a", 3), ("field_a", 3), ("deputy_a", 0), ("leader_a", 0)):
        page = web(people[login]).get(url("sheet_detail", sheet.pk)).content.decode()
        assert page.count('data-testid="tick-form"') == forms, login
    mine = web(people["field_a"]).get(url("sheet_detail", sheet.pk) + "?show=mine")
    assert mine.content.decode().count('data-testid="point"') == 3


def test_a_tick_from_the_phone_answers_its_row_and_a_stale_one_409__ACC_2(web, upkeep):
    people = upkeep.world.people
    sheet = prepared(upkeep)
    point = sheet.points.order_by("seq").first()
    field = web(people["field_a"])
    r = field.post(
        url("sheet_point_tick", point.pk),
        {"version": point.version, "result": "fail", "method": "real", "remark": "无数据"},
        **HX,
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert f'id="p-{point.pk}"' in html and 'data-team="fail"' in html and "无数据" in html
    r = web(people["chief_a"]).post(
        url("sheet_point_tick", point.pk),
        {"version": point.version, "result": "ok", "method": "real"},
        **HX,
    )
    assert r.status_code == 409 and 'data-testid="point-error"' in r.content.decode()
    assert 'data-team="fail"' in r.content.decode()  # the row as it is now
    # an outsider is refused naming the rule, the row unchanged
    point.refresh_from_db()
    r = web(people["deputy_a"]).post(
        url("sheet_point_tick", point.pk),
        {"version": point.version, "result": "ok"},
        **HX,
    )
    assert r.status_code == 409 and "ACC-2" in r.content.decode()
    # the live refresh of one row
    row = field.get(url("sheet_point", point.pk))
    assert row.status_code == 200 and 'data-testid="point"' in row.content.decode()


def test_close_refused_on_the_page_names_what_is_owed__ACC_2(web, upkeep):
    people = upkeep.world.people
    sheet = prepared(upkeep)
    client = web(people["chief_a"])
    r = client.post(url("sheet_close", sheet.pk), {"version": sheet.version}, follow=True)
    assert "ACC-2" in r.content.decode()
    sheet.refresh_from_db()
    assert sheet.state == "checking"


def test_raise_defect_from_a_wrong_point_on_the_page__ACC_3(web, upkeep):
    people = upkeep.world.people
    sheet = prepared(upkeep, points=1)
    point = sheet.points.get()
    services.point_tick(
        actor=people["field_a"],
        source=WEB,
        sheet_id=sheet.pk,
        point_id=point.pk,
        version=point.version,
        data={"result": "fail", "remark": "量程不符"},
    )
    point.refresh_from_db()
    page = web(people["chief_a"]).get(url("sheet_detail", sheet.pk)).content.decode()
    assert 'data-testid="raise-defect"' in page
    field_page = web(people["field_a"]).get(url("sheet_detail", sheet.pk)).content.decode()
    assert 'data-testid="raise-defect"' not in field_page
    r = web(people["chief_a"]).post(
        url("sheet_point_defect", point.pk),
        {"version": point.version, "grade": "general"},
        **HX,
    )
    assert r.status_code == 200 and 'data-testid="point-defect"' in r.content.decode()
    point.refresh_from_db()
    assert point.defect.kind == "four_remote" and "量程不符" in point.defect.phenomenon


def sign(sheet, person, party, name):
    sheet.refresh_from_db()
    services.sign(
        actor=person,
        source=WEB,
        sheet_id=sheet.pk,
        version=sheet.version,
        data={"party": party, "name": name},
    )


def test_pdf_prints_every_point_both_ticks_problems_and_signatures__ACC_4(web, upkeep):
    people = upkeep.world.people
    sheet = prepared(upkeep, kind="materials", points=0)
    first = sheet.points.order_by("seq").first()
    for who, result in (("chief_a", "ok"), ("field_a", "fail")):
        first.refresh_from_db()
        services.point_tick(
            actor=people[who],
            source=WEB,
            sheet_id=sheet.pk,
            point_id=first.pk,
            version=first.version,
            data={"result": result, "remark": "合格证缺失" if result == "fail" else ""},
        )
    first.refresh_from_db()
    services.point_summarise(
        actor=people["chief_a"],
        source=WEB,
        sheet_id=sheet.pk,
        point_id=first.pk,
        version=first.version,
    )
    sign(sheet, people["chief_a"], "foreman", "钱建国")
    r = web(people["leader_a"]).get(url("sheet_pdf", sheet.pk))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = "\n".join(pdf_pages(r.content))
    assert sheet.number in text and "钱建国" in text and "合格证缺失" in text
    assert AcceptancePoint.objects.filter(sheet=sheet).first().name[:4] in text


def test_home_shows_the_sheets_being_checked_with_progress__ACC_2(web, upkeep):
    sheet = prepared(upkeep)
    page = web(upkeep.world.people["leader_a"]).get(url("home")).content.decode()
    assert sheet.number in page and 'data-testid="home-sheet"' in page
    listing = web(upkeep.world.people["leader_a"]).get(url("sheet_list")).content.decode()
    assert sheet.number in listing


def test_another_centres_sheet_answers_404_on_every_page__ACC_2(web, upkeep):
    sheet = prepared(upkeep)
    point = sheet.points.first()
    other = web(upkeep.world.people["admin_b"])
    for name, args in (
        ("sheet_detail", [sheet.pk]),
        ("sheet_pdf", [sheet.pk]),
        ("sheet_point", [point.pk]),
    ):
        assert other.get(url(name, *args)).status_code == 404
        assert other.get(url(name, *args, code="beta")).status_code == 404


def test_the_sheet_reads_in_english__ACC_2(web, upkeep):
    people = upkeep.world.people
    sheet = prepared(upkeep)
    client = web(people["field_a"])
    r = client.get(url("sheet_detail", sheet.pk), HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200
