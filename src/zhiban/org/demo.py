"""Demo organisation (``zhiban demo``): the power monitoring centre 苏吴监控中心 with two
operation teams and six 110 kV / 35 kV substations, a mall security monitoring room, a
customer-service hotline centre and a hotel room centre, with about 25 people in every role.

Everything is written through the services (so the audit trail and timelines are real) and
only when missing, so running it again refreshes the demo without duplicates.
"""

from __future__ import annotations

from zhiban.core.actors import DEMO, Source
from zhiban.core.permissions import Role

from . import services
from .models import Centre, Equipment, Membership, Person, Site, Team

PASSWORD = "Zhiban#2026"

CENTRES = [
    ("suwu", "苏吴监控中心", "power", "0512-65520110", "苏州市吴中区东吴北路 88 号"),
    ("xinghu", "星湖广场监控室", "security", "0512-62880119", "苏州工业园区星湖街 218 号"),
    ("kefu", "吴越客服中心", "customer_service", "400-8200-365", "苏州市姑苏区人民路 1 号"),
    (
        "fangwu",
        "金鸡湖酒店房务中心",
        "housekeeping",
        "0512-62960000",
        "苏州工业园区金鸡湖大道 9 号",
    ),
]

TEAMS = [
    ("suwu", "吴中操作队", "operation", "0512-65520120"),
    ("suwu", "越溪操作队", "operation", "0512-65520130"),
    ("xinghu", "秩序维护部巡逻队", "patrol", "0512-62880120"),
    ("kefu", "热线一组", "service", "400-8200-365"),
    ("fangwu", "客房楼层组", "housekeeping", "0512-62960088"),
]

# (code, name, voltage, team) — the first three are 110 kV, the rest 35 kV.
SUBSTATIONS = [
    ("SW110", "苏吴变", "110kV", "吴中操作队"),
    ("DW110", "东吴变", "110kV", "吴中操作队"),
    ("YX110", "越溪变", "110kV", "越溪操作队"),
    ("HJ35", "横泾变", "35kV", "越溪操作队"),
    ("XK35", "胥口变", "35kV", "吴中操作队"),
    ("DS35", "东山变", "35kV", "越溪操作队"),
]

# (login, name, phone, employee no., centre, team or "", role, post)
PEOPLE = [
    ("admin", "周敏", "13800000001", "SW0001", "suwu", "", Role.ADMIN, "系统管理员"),
    ("zhangwei", "张伟", "13800000011", "SW1001", "suwu", "", Role.CHIEF_OPERATOR, "正值"),
    ("liuyang", "刘洋", "13800000012", "SW1002", "suwu", "", Role.DEPUTY_OPERATOR, "副值"),
    ("chenjing", "陈静", "13800000013", "SW1003", "suwu", "", Role.CHIEF_OPERATOR, "正值"),
    ("wanglei", "王磊", "13800000014", "SW1004", "suwu", "", Role.DEPUTY_OPERATOR, "副值"),
    ("heping", "何平", "13800000015", "SW1005", "suwu", "", Role.DEPARTMENT_HEAD, "监控中心主任"),
    ("lijun", "李军", "13800000016", "SW1006", "suwu", "", Role.MANAGER, "运维部经理"),
    ("zhaogang", "赵刚", "13800000021", "WZ2001", "suwu", "吴中操作队", Role.TEAM_LEADER, "队长"),
    ("sunli", "孙丽", "13800000022", "WZ2002", "suwu", "吴中操作队", Role.FIELD_OPERATOR, "值班员"),
    (
        "zhoujie",
        "周杰",
        "13800000023",
        "WZ2003",
        "suwu",
        "吴中操作队",
        Role.FIELD_OPERATOR,
        "值班员",
    ),
    ("wuqiang", "吴强", "13800000031", "YX3001", "suwu", "越溪操作队", Role.TEAM_LEADER, "队长"),
    (
        "zhengfang",
        "郑芳",
        "13800000032",
        "YX3002",
        "suwu",
        "越溪操作队",
        Role.FIELD_OPERATOR,
        "值班员",
    ),
    (
        "huangming",
        "黄明",
        "13800000033",
        "YX3003",
        "suwu",
        "越溪操作队",
        Role.FIELD_OPERATOR,
        "值班员",
    ),
    # one gateway account per alarm source, each of one centre (alarms/demo.py SOURCES)
    ("gw-suwu-scada", "苏吴监控系统接入", "", "GW0001", "suwu", "", Role.GATEWAY, "接入网关"),
    ("gw-suwu-online", "苏吴在线监测接入", "", "GW0002", "suwu", "", Role.GATEWAY, "接入网关"),
    ("gw-xinghu-fire", "星湖火灾报警接入", "", "GW0003", "xinghu", "", Role.GATEWAY, "接入网关"),
    (
        "gw-xinghu-intrusion",
        "星湖防盗报警接入",
        "",
        "GW0004",
        "xinghu",
        "",
        Role.GATEWAY,
        "接入网关",
    ),
    ("gw-xinghu-video", "星湖视频分析接入", "", "GW0005", "xinghu", "", Role.GATEWAY, "接入网关"),
    ("gaoyuan", "高远", "13800000041", "XH4001", "xinghu", "", Role.ADMIN, "系统管理员"),
    (
        "huyan",
        "胡岩",
        "13800000042",
        "XH4002",
        "xinghu",
        "",
        Role.DEPARTMENT_HEAD,
        "秩序维护部经理",
    ),
    ("xuhui", "徐辉", "13800000043", "XH4003", "xinghu", "", Role.TEAM_LEADER, "当班班长"),
    ("zhuwen", "朱文", "13800000044", "XH4004", "xinghu", "", Role.GUARD, "监控员"),
    (
        "mashuai",
        "马帅",
        "13800000045",
        "XH4005",
        "xinghu",
        "秩序维护部巡逻队",
        Role.GUARD,
        "巡逻岗",
    ),
    ("tangyu", "唐宇", "13800000051", "KF5001", "kefu", "", Role.CS_SUPERVISOR, "客服中心经理"),
    (
        "luoqing",
        "罗青",
        "13800000052",
        "KF5002",
        "kefu",
        "热线一组",
        Role.CS_GROUP_LEAD,
        "接线员组长",
    ),
    ("linxiao", "林晓", "13800000053", "KF5003", "kefu", "热线一组", Role.CS_AGENT, "客服专员"),
    ("hemei", "何美", "13800000054", "KF5004", "kefu", "热线一组", Role.CS_AGENT, "客服专员"),
    ("hanxue", "韩雪", "13800000061", "FW6001", "fangwu", "", Role.DEPARTMENT_HEAD, "客房部经理"),
    (
        "fengtao",
        "冯涛",
        "13800000062",
        "FW6002",
        "fangwu",
        "客房楼层组",
        Role.TEAM_LEADER,
        "楼层主管",
    ),
    ("xieyan", "谢燕", "13800000063", "FW6003", "fangwu", "", Role.CS_AGENT, "房务中心文员"),
]
# A manager who oversees two centres sees the centre switcher.
EXTRA_MEMBERSHIPS = [
    ("lijun", "xinghu", "", Role.MANAGER, "分管领导"),
]

ACT = {"actor": DEMO, "source": Source.CLI, "reason": "demo"}


def _centre(code, name, kind, phone, address) -> Centre:
    found = Centre.objects.filter(code=code).first()
    if found:
        return found
    return services.centre_create(
        data={
            "code": code,
            "name": name,
            "kind": kind,
            "time_zone": "Asia/Shanghai",
            "phone": phone,
            "address": address,
            "active": True,
        },
        **ACT,
    )


def _team(centre, name, kind, phone) -> Team:
    found = Team.objects.filter(centre=centre, name=name).first()
    if found:
        return found
    return services.team_create(
        centre=centre, data={"name": name, "kind": kind, "phone": phone, "active": True}, **ACT
    )


def _site(centre, code, name, kind, voltage="", parent=None, address="") -> Site:
    found = Site.objects.filter(centre=centre, code=code).first()
    if found:
        return found
    return services.site_create(
        centre=centre,
        data={
            "code": code,
            "name": name,
            "kind": kind,
            "voltage_level": voltage,
            "parent": parent.pk if parent else "",
            "address": address,
            "active": True,
        },
        **ACT,
    )


def _equipment(site, kind, name, number="", voltage="", parent=None, model="") -> Equipment:
    found = Equipment.objects.filter(site=site, name=name, dispatch_number=number).first()
    if found:
        return found
    return services.equipment_create(
        centre=site.centre,
        data={
            "site": site.pk,
            "parent": parent.pk if parent else "",
            "kind": kind,
            "name": name,
            "dispatch_number": number,
            "voltage_level": voltage,
            "model_number": model,
            "active": True,
        },
        **ACT,
    )


def _substation(centre, code, name, voltage) -> Site:
    """A substation's equipment tree: buses, lines with their breakers, main transformers with
    on-load tap changers, capacitors with their breakers, telecontrol and protection."""
    site = _site(centre, code, name, "substation", voltage, address=f"苏州市吴中区{name[:2]}镇")
    high = voltage
    lines = ["苏越线", "吴东线"] if high == "110kV" else ["横胥线", "东山线"]
    base = 751 if high == "110kV" else 351
    bus_high = _equipment(site, "bus", f"{high} I段母线", "", high)
    _equipment(site, "bus", f"{high} II段母线", "", high)
    for i, line_name in enumerate(lines):
        line = _equipment(site, "line", line_name, "", high, parent=bus_high)
        _equipment(
            site,
            "breaker",
            f"{line_name}开关",
            str(base + i),
            high,
            parent=line,
            model="LW36-126" if high == "110kV" else "ZW7-40.5",
        )
    bus_low = _equipment(site, "bus", "10kV I段母线", "", "10kV")
    for t in (1, 2) if high == "110kV" else (1,):
        transformer = _equipment(
            site,
            "main_transformer",
            f"{t}号主变",
            f"#{t}",
            high,
            model="SZ11-50000/110" if high == "110kV" else "SZ11-10000/35",
        )
        _equipment(
            site,
            "tap_changer",
            f"{t}号主变有载调压分接头",
            f"#{t}",
            high,
            parent=transformer,
            model="CMIII-500",
        )
        _equipment(site, "breaker", f"{t}号主变10kV开关", f"10{t}", "10kV", parent=transformer)
    for c in (1, 2) if high == "110kV" else (1,):
        capacitor = _equipment(
            site, "capacitor", f"{c}号电容器", f"C{c}", "10kV", parent=bus_low, model="TBB10-3000"
        )
        _equipment(site, "breaker", f"{c}号电容器开关", f"13{c}", "10kV", parent=capacitor)
    for f in (1, 2, 3):
        _equipment(site, "breaker", f"10kV {name[:2]}{f}号线开关", f"11{f}", "10kV", parent=bus_low)
    _equipment(site, "rtu", "远动装置", "RTU1", model="NSC2200")
    _equipment(site, "protection", "主变保护屏", "P1", model="PST-1200")
    _equipment(site, "camera", "主控室摄像机", "CAM1")
    return site


def load(ctx: dict) -> None:
    centres = {
        code: _centre(code, name, kind, phone, address)
        for code, name, kind, phone, address in CENTRES
    }
    teams = {name: _team(centres[c], name, kind, phone) for c, name, kind, phone in TEAMS}

    suwu = centres["suwu"]
    unit = _site(suwu, "SWJK", "苏吴监控中心监控单元", "centre_unit")
    for i in (1, 2, 3, 4):
        _equipment(unit, "monitor_host", f"{i}号监控机", f"OPEN-{i}", model="OPEN-2000")
    _equipment(unit, "ups", "监控机UPS电源", "UPS1", model="APC SRT6K")
    _equipment(unit, "vqc", "VQC系统", "VQC1")
    _equipment(unit, "screen", "视频监视系统", "TV1")
    for code, name, voltage, team_name in SUBSTATIONS:
        site = _substation(suwu, code, name, voltage)
        team = teams[team_name]
        if not team.sites.filter(pk=site.pk).exists():
            services.team_update(
                team_id=team.pk,
                version=team.version,
                changes={"sites": [*team.sites.values_list("pk", flat=True), site.pk]},
                **ACT,
            )
            team.refresh_from_db()

    xinghu = centres["xinghu"]
    mall = _site(xinghu, "XH-A", "星湖广场A座", "building", address="苏州工业园区星湖街 218 号")
    room = _site(xinghu, "XH-JK", "监控中心", "room", parent=mall)
    _equipment(room, "dvr", "1号硬盘录像机", "DVR1", model="DS-9664N")
    _equipment(room, "dvr", "2号硬盘录像机", "DVR2", model="DS-9664N")
    _equipment(room, "fire_panel", "火灾报警控制器", "FAS1", model="JB-QB-GST200")
    _equipment(room, "intrusion_panel", "防盗报警主机", "ALM1", model="DS-19A")
    _equipment(room, "ups", "监控UPS", "UPS1")
    _equipment(room, "screen", "电视墙", "TVW1")
    for floor_code, floor_name in [
        ("B1", "地下一层停车场"),
        ("1F", "一层商场"),
        ("2F", "二层商场"),
        ("3F", "三层餐饮"),
    ]:
        floor = _site(xinghu, f"XH-{floor_code}", floor_name, "floor", parent=mall)
        for n in (1, 2, 3):
            _equipment(floor, "camera", f"{floor_code}-{n:02d}枪机", f"C{floor_code}{n:02d}")
        _equipment(floor, "dome_camera", f"{floor_code}电梯厅球机", f"D{floor_code}")
    services_team = teams["秩序维护部巡逻队"]
    if not services_team.sites.exists():
        services.team_update(
            team_id=services_team.pk,
            version=services_team.version,
            changes={"sites": list(xinghu.sites.filter(kind="floor").values_list("pk", flat=True))},
            **ACT,
        )

    kefu = centres["kefu"]
    for code, name in [("KF-HQ", "客服中心热线大厅"), ("KF-GS", "姑苏门店"), ("KF-YQ", "园区门店")]:
        _site(kefu, code, name, "branch")

    fangwu = centres["fangwu"]
    hotel = _site(fangwu, "JH", "金鸡湖酒店主楼", "building")
    for f in range(8, 13):
        _site(fangwu, f"JH-{f}F", f"{f}层客房", "floor", parent=hotel)

    people = {}
    for login, name, phone, number, code, team_name, role, post in PEOPLE:
        person = Person.objects.filter(username=login).first()
        if person is None:
            person = services.person_create(
                centre=centres[code],
                data={
                    "username": login,
                    "name": name,
                    "phone": phone,
                    "employee_no": number,
                    "email": "",
                    "language": "zh-hans",
                    "is_active": True,
                    "password": PASSWORD,
                    "role": role,
                    "team": teams[team_name].pk if team_name else "",
                    "post": post,
                },
                **ACT,
            )
        elif not person.check_password(PASSWORD):
            services.person_set_password(
                centre=centres[code],
                person_id=person.pk,
                version=person.version,
                data={"password": PASSWORD},
                actor=DEMO,
                source=Source.CLI,
            )
        people[login] = person
    for login, code, team_name, role, post in EXTRA_MEMBERSHIPS:
        if not Membership.objects.filter(
            person=people[login], centre=centres[code], role=role
        ).exists():
            services.membership_create(
                centre=centres[code],
                data={
                    "person": people[login].pk,
                    "team": teams[team_name].pk if team_name else "",
                    "role": role,
                    "post": post,
                    "active": True,
                },
                **ACT,
            )
    _retire_shared_gateway(centres["suwu"])
    if not people["admin"].is_superuser:  # the platform administrator of the demo
        services.person_grant_platform_admin(person_id=people["admin"].pk, **ACT)

    ctx.update(centres=centres, teams=teams, people=people)


def _retire_shared_gateway(centre) -> None:
    """Demos made before issue 10 had one gateway login for every centre: a refresh switches
    it off, so only the per-source accounts above post events (ORG-3, INC-1)."""
    old = Person.objects.filter(username="gateway", is_active=True).first()
    if old is not None and old.memberships.filter(centre=centre).exists():
        services.person_update(
            centre=centre,
            person_id=old.pk,
            version=old.version,
            changes={"is_active": False},
            **ACT,
        )
