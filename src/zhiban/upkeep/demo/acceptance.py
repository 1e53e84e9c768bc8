"""Demo upkeep: acceptance (ACC-2 … ACC-4). 苏吴监控中心 accepts the new station 新建 110kV
木渎变 (served by 吴中操作队): its four-remote sheet of 40 points is being checked by 张伟 for
the centre and 孙丽 for the team — half ticked by both, a few by the centre only, one wrong
point a defect, one on the summary list and one still for the centre to decide —, the
completion acceptance (竣工验收) of the station's building works is partly ticked and signed by
the foreman and the supervisor, the designer's and the client's signatures still owed, and the
materials acceptance of its secondary equipment is still being prepared. Idempotent: a sheet already there is left as it is."""

from __future__ import annotations

from zhiban.core.actors import DEMO, Source
from zhiban.org import services as org
from zhiban.org.models import Site

from .. import services
from ..models import AcceptancePoint, AcceptanceSheet, RemoteType, SheetKind

WEB = Source.WEB
STATION_CODE = "MD110"
STATION = "新建 110kV 木渎变"
TITLE = "新建 110kV 木渎变四遥信息验收"
WORKS_TITLE = "新建 110kV 木渎变土建竣工验收"
MATERIALS_TITLE = "新建 110kV 木渎变二次设备材料进场验收"

# (bay, [(signal, type, klass, low, high, unit)]) — 40 points in all
BAYS = [
    (
        "110kV 木胥线 761",
        [
            ("761 开关位置", RemoteType.YX, "一类", None, None, ""),
            ("7611 闸刀位置", RemoteType.YX, "一类", None, None, ""),
            ("7613 闸刀位置", RemoteType.YX, "一类", None, None, ""),
            ("保护动作", RemoteType.YX, "一类", None, None, ""),
            ("重合闸动作", RemoteType.YX, "一类", None, None, ""),
            ("控制回路断线", RemoteType.YX, "二类", None, None, ""),
            ("有功功率", RemoteType.YC, "", -120, 120, "MW"),
            ("无功功率", RemoteType.YC, "", -60, 60, "Mvar"),
            ("A 相电流", RemoteType.YC, "", 0, 800, "A"),
            ("761 开关遥控", RemoteType.YK, "", None, None, ""),
        ],
    ),
    (
        "1 号主变",
        [
            ("701 开关位置", RemoteType.YX, "一类", None, None, ""),
            ("101 开关位置", RemoteType.YX, "一类", None, None, ""),
            ("本体重瓦斯动作", RemoteType.YX, "一类", None, None, ""),
            ("有载重瓦斯动作", RemoteType.YX, "一类", None, None, ""),
            ("油温高告警", RemoteType.YX, "二类", None, None, ""),
            ("冷却器全停", RemoteType.YX, "一类", None, None, ""),
            ("油温", RemoteType.YC, "", -20, 120, "℃"),
            ("高压侧有功功率", RemoteType.YC, "", -60, 60, "MW"),
            ("低压侧电流", RemoteType.YC, "", 0, 3000, "A"),
            ("分接头档位", RemoteType.YC, "", 1, 17, "档"),
            ("701 开关遥控", RemoteType.YK, "", None, None, ""),
            ("101 开关遥控", RemoteType.YK, "", None, None, ""),
            ("有载调压升降", RemoteType.YT, "", None, None, ""),
        ],
    ),
    (
        "10kV I 段母线",
        [
            ("母线 Uab", RemoteType.YC, "", 9.5, 10.7, "kV"),
            ("母线 3U0", RemoteType.YC, "", 0, 30, "V"),
            ("母线接地告警", RemoteType.YX, "二类", None, None, ""),
            ("PT 断线", RemoteType.YX, "二类", None, None, ""),
        ],
    ),
    (
        "10kV 木渎 1 号线 111",
        [
            ("111 开关位置", RemoteType.YX, "一类", None, None, ""),
            ("过流Ⅰ段动作", RemoteType.YX, "一类", None, None, ""),
            ("111 电流", RemoteType.YC, "", 0, 600, "A"),
            ("111 开关遥控", RemoteType.YK, "", None, None, ""),
        ],
    ),
    (
        "1 号电容器 131",
        [
            ("131 开关位置", RemoteType.YX, "一类", None, None, ""),
            ("电容器保护动作", RemoteType.YX, "一类", None, None, ""),
            ("131 无功功率", RemoteType.YC, "", 0, 3.2, "Mvar"),
            ("131 开关遥控", RemoteType.YK, "", None, None, ""),
        ],
    ),
    (
        "公用测控",
        [
            ("直流母线电压", RemoteType.YC, "", 200, 250, "V"),
            ("直流接地", RemoteType.YX, "二类", None, None, ""),
            ("消防火灾告警", RemoteType.YX, "一类", None, None, ""),
            ("安防入侵告警", RemoteType.YX, "二类", None, None, ""),
            ("站用电失电", RemoteType.YX, "一类", None, None, ""),
        ],
    ),
]


def _station(centre, team):
    site = Site.objects.filter(centre=centre, code=STATION_CODE).first()
    if site is None:
        site = org.site_create(
            actor=DEMO,
            source=Source.CLI,
            centre=centre,
            data={
                "code": STATION_CODE,
                "name": STATION,
                "kind": "substation",
                "voltage_level": "110kV",
                "parent": "",
                "address": "苏州市吴中区木渎镇",
                "active": True,
            },
            reason="demo",
        )
    if not team.sites.filter(pk=site.pk).exists():
        org.team_update(
            actor=DEMO,
            source=Source.CLI,
            team_id=team.pk,
            version=team.version,
            changes={"sites": [*team.sites.values_list("pk", flat=True), site.pk]},
            reason="demo",
        )
        team.refresh_from_db()
    return site


def _tick(sheet, point, person, result="ok", method="real", remark=""):
    point.refresh_from_db()
    services.point_tick(
        actor=person,
        source=WEB,
        sheet_id=sheet.pk,
        point_id=point.pk,
        version=point.version,
        data={"result": result, "method": method, "remark": remark},
    )


def _prepare(centre, site, team, kind, title, chief):
    return services.sheet_create(
        actor=chief,
        source=WEB,
        centre=centre,
        data={"kind": kind, "title": title, "site": site.pk, "team": team.pk},
    )


def _name_and_open(sheet, chief, checker):
    sheet = services.sheet_checkers(
        actor=chief,
        source=WEB,
        sheet_id=sheet.pk,
        version=sheet.version,
        data={"centre_checker": chief.pk, "team_checker": checker.pk},
    )
    return services.sheet_open(actor=chief, source=WEB, sheet_id=sheet.pk, version=sheet.version)


def _commissioning(centre, site, team, chief, field):
    sheet = _prepare(centre, site, team, SheetKind.COMMISSIONING, TITLE, chief)
    rows, seq = [], 0
    for bay, signals in BAYS:
        for name, kind, klass, low, high, unit in signals:
            seq += 1
            base = {RemoteType.YX: 1, RemoteType.YC: 16385, RemoteType.YK: 24577}.get(kind, 25089)
            rows.append(
                AcceptancePoint(
                    sheet=sheet,
                    seq=seq,
                    site=site,
                    bay=bay,
                    name=name,
                    remote_type=kind,
                    address=base + seq,
                    klass=klass,
                    low=low,
                    high=high,
                    unit=unit,
                )
            )
    AcceptancePoint.objects.bulk_create(rows)
    sheet = _name_and_open(sheet, chief, field)
    points = list(sheet.points.order_by("seq"))
    for point in points[:20]:
        method = "simulated" if point.remote_type == RemoteType.YC else "real"
        _tick(sheet, point, chief, method=method)
        if point.seq == 9:  # A 相电流: the team reads 0 on site
            _tick(sheet, point, field, "fail", method, "现场实测 312A，主站显示 0，系数未配置")
        elif point.seq == 15:  # 油温高告警: no signal at the master station
            _tick(sheet, point, field, "fail", "real", "现场短接告警接点，主站未收到")
        elif point.seq != 19:  # 19: below, the last
            _tick(sheet, point, field, method=method)
    for point in points[20:25]:  # the centre ahead of the team
        _tick(sheet, point, chief)
    wrong = {p.seq: p for p in sheet.points.filter(seq__in=(9, 15))}
    services.point_raise_defect(
        actor=chief,
        source=WEB,
        sheet_id=sheet.pk,
        point_id=wrong[9].pk,
        version=wrong[9].version,
        data={"grade": "serious", "phenomenon": ""},
    )
    services.point_summarise(
        actor=chief,
        source=WEB,
        sheet_id=sheet.pk,
        point_id=wrong[15].pk,
        version=wrong[15].version,
    )
    # 低压侧电流, the team's tick the last: the centre still to decide, defect or summary
    _tick(sheet, points[18], field, "fail", "simulated", "主站显示值偏小约一半，待查变比")


def _completion(centre, site, team, chief, leader):
    sheet = _prepare(centre, site, team, SheetKind.COMPLETION, WORKS_TITLE, chief)
    sheet = _name_and_open(sheet, chief, leader)
    for point in list(sheet.points.order_by("seq"))[:4]:
        _tick(sheet, point, chief, method="")
        _tick(sheet, point, leader, method="")
    for party, name in (("foreman", "钱建国"), ("supervisor", "周海涛")):
        sheet.refresh_from_db()
        services.sign(
            actor=chief,
            source=WEB,
            sheet_id=sheet.pk,
            version=sheet.version,
            data={"party": party, "name": name, "remark": ""},
        )


def load(ctx: dict) -> None:
    centre = ctx["centres"]["suwu"]
    team = ctx["teams"]["吴中操作队"]
    people = ctx["people"]
    site = _station(centre, team)
    sheets = AcceptanceSheet.objects.filter(centre=centre)
    if not sheets.filter(title=WORKS_TITLE).exists():
        _completion(centre, site, team, people["zhangwei"], people["zhaogang"])
    if not sheets.filter(title=MATERIALS_TITLE).exists():  # still being prepared
        _prepare(centre, site, team, SheetKind.MATERIALS, MATERIALS_TITLE, people["zhangwei"])
    if not sheets.filter(title=TITLE).exists():  # the last: its points the latest changed
        _commissioning(centre, site, team, people["zhangwei"], people["sunli"])
