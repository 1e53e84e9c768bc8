"""Demo desk registers (``zhiban demo``, called from ``demo.load``): a week at 金鸡湖酒店房务中心
— wake-up calls booked by the clerk 谢燕 (one missed and called again, one missed twice with
the floor attendant sent, one missed now awaiting its second call, one awaiting the
attendant, tomorrow's bookings) and the afternoon do-not-disturb checks, one room not
answering each time, followed up by the floor supervisor 冯涛 and the department head 韩雪;
items lent (one overdue) and found items at both desks; at 星湖广场监控室 phone messages passed
to the shift leader 徐辉 and repairs, written by the monitor 朱文."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from zhiban.core.actors import Source

from .models import WakeUpCall
from .services import desk, hotel

DEMO_ZONE = ZoneInfo("Asia/Shanghai")  # the demo centres' zone (org.demo)

S = Source.CLI

# (days ago, room, guest, wake-up time, requested by, [(result, minutes after the wake-up)],
#  the floor attendant's visit or None)
WAKE_UP = [
    (5, "1208", "王先生", "06:30", "客人来电", [("answered", 0)], None),
    (5, "0816", "", "07:00", "前台转告", [("answered", 0)], None),
    (5, "1502", "Mr. Smith", "05:45", "客人来电", [("answered", 0)], None),
    (4, "0921", "李女士", "06:00", "客人来电", [("no_answer", 0), ("answered", 5)], None),
    (4, "1107", "", "07:30", "前台转告", [("answered", 0)], None),
    (3, "1208", "王先生", "06:30", "客人来电", [("busy", 0), ("answered", 5)], None),
    (
        2,
        "0719",
        "赵先生",
        "06:15",
        "客人来电",
        [("no_answer", 0), ("no_answer", 5)],
        ("李阿姨", 8, "敲门后客人应答，已起床，表示手机静音未听到"),
    ),
    (1, "1603", "陈女士", "05:30", "旅行社导游", [("answered", 0)], None),
    (1, "1012", "", "06:45", "客人来电", [("answered", 0)], None),
]

# (days ago, room, answered?, the outcome)
DND = [
    (5, "1305", True, "客人在房休息，要求明日再打扫"),
    (5, "0812", False, "楼层主管冯涛敲门无应答，会同大堂副理开门查看，客人外出，房内正常"),
    (3, "1109", True, "客人需要补眠，16:00后再清扫"),
    (2, "1501", False, "大堂副理联系客人手机，客人在外开会，同意晚间清扫"),
    (1, "0907", True, "客人身体不适在房休息，已送姜茶"),
]


def _at(now: datetime, days: int, hhmm: str) -> datetime:
    """``hhmm`` on the day ``days`` before, on the demo centres' clock (Asia/Shanghai)."""
    hour, minute = (int(x) for x in hhmm.split(":"))
    day = timezone.localtime(now, DEMO_ZONE) - timedelta(days=days)
    return day.replace(hour=hour, minute=minute, second=0, microsecond=0)


def _book(clerk, centre, room, guest, wake_at, by, requested_at) -> WakeUpCall:
    return hotel.wake_up_call_create(
        actor=clerk,
        source=S,
        centre=centre,
        data={
            "room": room,
            "guest_name": guest,
            "wake_at": wake_at,
            "requested_by": by,
            "requested_at": requested_at,
        },
    )


def _attempt(clerk, call, result, at) -> WakeUpCall:
    return hotel.wake_up_attempt(
        actor=clerk,
        source=S,
        call_id=call.pk,
        version=call.version,
        data={"result": result, "at": at},
    )


def load(ctx: dict) -> None:
    centre = ctx["centres"]["fangwu"]
    if WakeUpCall.objects.filter(centre=centre).exists():
        return
    people = ctx["people"]
    clerk, supervisor = people["xieyan"], people["fengtao"]
    now = timezone.now()
    for days, room, guest, hhmm, by, attempts, visit in WAKE_UP:
        wake_at = _at(now, days, hhmm)
        call = _book(clerk, centre, room, guest, wake_at, by, wake_at - timedelta(hours=9))
        for result, minutes in attempts:
            call = _attempt(clerk, call, result, wake_at + timedelta(minutes=minutes))
        if visit:
            attendant, minutes, found = visit
            hotel.wake_up_attendant(
                actor=supervisor,
                source=S,
                call_id=call.pk,
                version=call.version,
                data={
                    "attendant": attendant,
                    "sent_at": wake_at + timedelta(minutes=minutes),
                    "found": found,
                },
            )
    # live: one missed a few minutes ago (its second call due), one missed twice (the floor
    # attendant to be sent), and the bookings still to come
    missed = _book(
        clerk,
        centre,
        "1118",
        "周先生",
        now - timedelta(minutes=4),
        "客人来电",
        now - timedelta(hours=8),
    )
    _attempt(clerk, missed, "no_answer", now - timedelta(minutes=3))
    twice = _book(
        clerk,
        centre,
        "0605",
        "",
        now - timedelta(minutes=12),
        "前台转告",
        now - timedelta(hours=10),
    )
    twice = _attempt(clerk, twice, "no_answer", now - timedelta(minutes=12))
    _attempt(clerk, twice, "busy", now - timedelta(minutes=6))
    for room, guest, minutes in [
        ("1208", "王先生", 90),
        ("1506", "", 60 * 14),
        ("0803", "孙女士", 60 * 20),
    ]:
        _book(clerk, centre, room, guest, now + timedelta(minutes=minutes), "客人来电", None)
    _dnd(centre, clerk, supervisor, now)
    _lending_and_found(centre, clerk, now, HOTEL_LOANS, HOTEL_FOUND)
    _messages_and_repairs(centre, clerk, supervisor, now, HOTEL_MESSAGES, HOTEL_REPAIRS)
    _security_desk(ctx, now)


def _dnd(centre, clerk, supervisor, now: datetime) -> None:
    check_time = centre.setting("registers.dnd_check_time")
    for days, room, answered, outcome in DND:
        check = _list(centre, clerk, room, _at(now, days, check_time))
        called = _at(now, days, check_time) + timedelta(minutes=10)
        check = _call(clerk, check, "answered" if answered else "no_answer", called, outcome)
        if not answered:
            hotel.dnd_check_outcome(
                actor=supervisor,
                source=S,
                check_id=check.pk,
                version=check.version,
                data={"outcome": outcome},
            )
    # the last check (today's if its time has passed): one room to phone, one not answering
    today = _at(now, 0, check_time)
    at = today if today <= now else today - timedelta(days=1)
    _list(centre, clerk, "1221", at)
    quiet = _list(centre, clerk, "0710", at)
    _call(clerk, quiet, "no_answer", at + timedelta(minutes=5), "")


def _list(centre, clerk, room, at):
    return hotel.dnd_check_create(
        actor=clerk, source=S, centre=centre, data={"room": room, "listed_at": at}
    )


def _call(clerk, check, result, at, note):
    return hotel.dnd_check_call(
        actor=clerk,
        source=S,
        check_id=check.pk,
        version=check.version,
        data={"result": result, "at": at, "note": note},
    )


# (item, borrower, place, lent days ago at, due hours after, returned hours after or None)
HOTEL_LOANS = [
    ("熨斗及熨衣板", "1208 王先生", "1208", (5, "20:10"), 2, 1),
    ("手机充电器（Type-C）", "0921 李女士", "0921", (3, "22:40"), 12, 10),
    ("婴儿床", "1502 Mr. Smith", "1502", (2, "15:00"), 48, None),
    ("转换插头", "1107 陈先生", "1107", (1, "09:30"), 6, None),  # overdue
]
HOTEL_FOUND = [
    # (item, found where, found days ago at, found by, kept where, handed back to, proof)
    (
        "黑色钱包（内有身份证、银行卡）",
        "1506房床头柜",
        (4, "12:20"),
        "客房服务员 李阿姨",
        "失物柜A3",
        ("赵先生", "id_card", "3205**********1234"),
    ),
    ("儿童水杯（粉色）", "大堂休息区", (2, "16:45"), "大堂副理 孙婷", "失物柜A1", None),
    ("笔记本电脑充电器", "0816房书桌", (1, "13:05"), "客房服务员 钱阿姨", "失物柜B2", None),
]
HOTEL_MESSAGES = [
    (
        (2, "09:10"),
        "刘经理",
        "携程商旅",
        "021-34064880",
        "明天旅行团20间房提前到12:00入住",
        "明天二十间房，中午十二点入住",
        "已安排楼层优先清扫12、15层",
    ),
    (
        (0, "07:40"),
        "周先生",
        "1118 房客人",
        "",
        "退房前想把行李寄存到下午5点，另需一把备用房卡",
        "行李寄存到下午五点，加一张房卡",
        None,
    ),
]
HOTEL_REPAIRS = [
    ((3, "21:15"), "1208 房空调", "不制热", "客人", "工程部 周师傅", "更换温控面板，恢复正常"),
    ((0, "06:50"), "0816 房卫生间", "马桶水箱漏水", "客房服务员 钱阿姨", "工程部 吴师傅", None),
]
XINGHU_LOANS = [
    ("对讲机 07号", "保洁 王阿姨", "B1 车库", (4, "08:05"), 10, 9),
    ("应急手电", "工程部 周工", "3F 强电间", (1, "19:30"), 3, None),  # overdue
    ("梯子（2米）", "一层 优品生活馆", "1F-12 商铺", (0, "09:00"), 8, None),
]
XINGHU_FOUND = [
    (
        "蓝色雨伞",
        "一层东门",
        (6, "18:30"),
        "巡逻岗 马帅",
        "监控室失物柜1号",
        ("刘女士", "other", "说出伞柄挂件样式，与实物相符"),
    ),
    ("钥匙串（3把+门禁卡）", "B1 车库C区", (1, "21:10"), "巡逻岗 马帅", "监控室失物柜2号", None),
]
# (days ago at, caller, from, phone, content, read back, result or None)
XINGHU_MESSAGES = [
    (
        (3, "10:15"),
        "张经理",
        "物业公司",
        "0512-62880100",
        "周六8:00-12:00消防联动测试，请提前通知商户",
        "周六上午八点到十二点消防联动测试，通知商户",
        "已在商户群通知并张贴公告",
    ),
    (
        (1, "16:40"),
        "王警官",
        "星湖派出所",
        "0512-62880110",
        "今晚22点后加强地下车库巡逻，近期有车辆被划",
        "今晚十点后加强车库巡逻",
        "已安排马帅22:00-02:00每小时巡车库一次",
    ),
    (
        (0, "08:20"),
        "李女士",
        "3F-08 美甲店",
        "13912345678",
        "店门卷帘门卡住无法打开，请派人查看",
        "三楼08号店卷帘门卡住，派人去看",
        None,
    ),
]
# (reported days ago at, equipment, fault, reported by, repairer, result or None)
XINGHU_REPAIRS = [
    (
        (5, "09:40"),
        "C2F03 摄像机",
        "画面模糊",
        "监控员 朱文",
        "海康维保 陈工",
        "清洁镜头并重新对焦，恢复正常",
    ),
    ((2, "14:10"), "东门门禁读卡器", "刷卡无反应", "巡逻岗 马帅", "弱电班 吴工", "更换读卡器"),
    ((0, "07:50"), "B1 车库照明回路3", "一排灯不亮", "巡逻岗 马帅", "工程部 周工", None),
]


def _lending_and_found(centre, keeper, now: datetime, loans, found) -> None:
    for item, borrower, place, (days, hhmm), due, back in loans:
        lent_at = min(_at(now, days, hhmm), now)
        loan = desk.loan_create(
            actor=keeper,
            source=S,
            centre=centre,
            data={
                "item": item,
                "borrower": borrower,
                "place": place,
                "lent_at": lent_at,
                "due_at": lent_at + timedelta(hours=due),
            },
        )
        if back is not None:
            desk.loan_return(
                actor=keeper,
                source=S,
                loan_id=loan.pk,
                version=loan.version,
                data={"at": lent_at + timedelta(hours=back)},
            )
    for item, where, (days, hhmm), by, kept, handed in found:
        found_at = _at(now, days, hhmm)
        entry = desk.found_item_create(
            actor=keeper,
            source=S,
            centre=centre,
            data={
                "item": item,
                "found_where": where,
                "found_at": found_at,
                "found_by": by,
                "kept_where": kept,
            },
        )
        if handed:
            claimant, proof, number = handed
            desk.found_item_hand_back(
                actor=keeper,
                source=S,
                item_id=entry.pk,
                version=entry.version,
                data={
                    "claimant": claimant,
                    "proof_kind": proof,
                    "proof_number": number,
                    "at": found_at + timedelta(hours=20),
                },
            )


def _security_desk(ctx: dict, now: datetime) -> None:
    centre = ctx["centres"]["xinghu"]
    monitor, leader = ctx["people"]["zhuwen"], ctx["people"]["xuhui"]
    _lending_and_found(centre, monitor, now, XINGHU_LOANS, XINGHU_FOUND)
    _messages_and_repairs(centre, monitor, leader, now, XINGHU_MESSAGES, XINGHU_REPAIRS)


def _messages_and_repairs(centre, writer, acting, now: datetime, messages, repairs) -> None:
    """Phone messages passed to ``acting``, who records what was done; repairs reported by
    ``writer`` (REG-3, REG-6)."""
    for (days, hhmm), caller, place, phone, content, read_back, result in messages:
        at = min(_at(now, days, hhmm), now)
        message = desk.phone_message_create(
            actor=writer,
            source=S,
            centre=centre,
            data={
                "at": at,
                "caller": caller,
                "place": place,
                "phone": phone,
                "content": content,
                "read_back": read_back,
                "routed_to": acting.pk,
            },
        )
        if result:
            desk.phone_message_done(
                actor=acting,
                source=S,
                message_id=message.pk,
                version=message.version,
                data={"result": result, "at": at + timedelta(minutes=30)},
            )
    for (days, hhmm), equipment, fault, by, repairer, result in repairs:
        at = min(_at(now, days, hhmm), now)
        repair = desk.repair_create(
            actor=writer,
            source=S,
            centre=centre,
            data={
                "equipment": equipment,
                "fault": fault,
                "reported_at": at,
                "reported_by": by,
                "repairer": repairer,
            },
        )
        if result:
            desk.repair_done(
                actor=writer,
                source=S,
                repair_id=repair.pk,
                version=repair.version,
                data={"result": result, "at": at + timedelta(hours=3)},
            )
