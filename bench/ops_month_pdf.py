"""A team's month of operation tickets bound as one PDF (月底统一装订, OPS-13): how long
``ops.pdf.month_pdf`` takes for a busy month, how much memory it needs and how big the file
is, against the same tickets printed one by one in the same run.

Set-up (not measured): one power centre with its team, people, stations and a breaker made
through the services, then ``--tickets`` (300) completed tickets of ``--steps`` (12) steps
each, all filled in November 2026, written straight into the tables (bulk_create: the services'
audited writes are the door for people, here the point is the size of the month). The lines
and stations differ from ticket to ticket, as in a real month, so the font subsets of the
batches differ too (identical text would let the bound file share them and flatter its size).

Measured, in this order, after one ticket printed as a warm-up (fonts loaded, templates
compiled):

- ``select``: ``selectors.ticket_month`` — the month's tickets with everything a sheet shows;
- ``month_pdf``: the whole bound file, ``BATCH`` (``--batch``) tickets to a WeasyPrint render
  and the parts bound by pypdf (ADR 0006): time, the growth of the process's peak resident
  memory ``ru_maxrss`` and that peak, file size and pages;
- floor: ``ticket_pdf`` of ``--sample`` (20) of the same tickets one by one — what printing the
  month ticket by ticket would cost per ticket; the ratio says what binding costs per ticket
  against that (lower is better; 1.0 = the same as printing each ticket alone);
- ``tracemalloc``: ``month_pdf`` once more under tracemalloc, for the peak of Python
  allocations (slower, so its overhead is in no other figure).

``--one-render`` measures, in place of ``month_pdf``, the same sheets as one WeasyPrint
document (the way the month was made before ADR 0006; its index page is left empty): run it
as a separate process for the comparison, since ``ru_maxrss`` only ever grows.

SQLite runs in a throw-away data folder; with DATABASE_URL (PostgreSQL) the database must be
empty (freshly created). Prints one JSON line and a one-line summary.
"""

from __future__ import annotations

import argparse
import random
import resource
import time
import tracemalloc
from datetime import date, datetime, timedelta
from io import BytesIO

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--tickets", type=int, default=300, help="completed tickets (300)")
parser.add_argument("--steps", type=int, default=12, help="steps per ticket (12)")
parser.add_argument("--sample", type=int, default=20, help="tickets printed one by one (20)")
parser.add_argument("--batch", type=int, help="tickets to a render (ops.pdf.BATCH)")
parser.add_argument(
    "--one-render", action="store_true", help="also the month as one render (the old way)"
)
args = parser.parse_args()

import _setup  # noqa: E402  (configures Django and migrates)
from _setup import report  # noqa: E402
from django.utils import translation  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from zhiban.core.actors import CLI, Source  # noqa: E402
from zhiban.ops import pdf, selectors  # noqa: E402
from zhiban.ops.models import (  # noqa: E402
    Executor,
    OperationTicket,
    StepState,
    TaskKind,
    TicketState,
    TicketStep,
)
from zhiban.org import services as org  # noqa: E402

MONTH = date(2026, 11, 1)
# {line} is a line's name (苏越线), {n} its breaker's dispatch number (751)
STEPS = [
    "拉开{line}{n}开关",
    "检查{line}{n}开关确已拉开",
    "检查{line}{n}开关电流指示为零",
    "拉开{line}{n}3线路闸刀",
    "检查{line}{n}3线路闸刀确已拉开",
    "拉开{line}{n}1母线闸刀",
    "检查{line}{n}1母线闸刀确已拉开",
    "在{line}{n}3线路闸刀线路侧验明确无电压",
    "合上{line}{n}37线路接地闸刀",
    "检查{line}{n}37线路接地闸刀确已合上",
    "拉开{line}{n}开关控制电源空气开关",
    "在{line}{n}3线路闸刀操作把手上悬挂“禁止合闸，线路有人工作！”标示牌",
]
PLACES = (  # noqa: SIM905 (a list of 50 quoted names reads worse)
    "苏州 吴江 横塘 木渎 胥口 东山 光福 甪直 车坊 斜塘 唯亭 浒关 望亭 黄埭 渭塘 湘城 阳澄 "
    "北桥 盛泽 震泽 桃源 七都 平望 黎里 芦墟 同里 松陵 越溪 郭巷 娄葑 胜浦 金鸡 独墅 狮山 "
    "枫桥 通安 镇湖 东渚 藏书 临湖 浦庄 渡村 香山 长桥 城南 太湖 虎丘 留园 盘门 葑门"
).split()
TASKS = ("由运行转检修", "由检修转运行", "由运行转热备用", "由热备用转冷备用")


def person(centre, login, name, role, team=None):
    return org.person_create(
        actor=CLI,
        source=Source.CLI,
        centre=centre,
        data={
            "username": login,
            "name": name,
            "password": "Bench#pass-2026",
            "role": role,
            "team": team.pk if team else "",
            "post": "",
            "phone": "",
            "employee_no": "",
            "email": "",
            "language": "zh-hans",
            "is_active": True,
        },
    )


def build() -> tuple:
    centre = _setup.centre("bench", "苏吴监控中心")
    team = org.team_create(
        actor=CLI,
        source=Source.CLI,
        centre=centre,
        data={"name": "吴中操作队", "kind": "operation", "active": True},
    )
    leader = person(centre, "zhaogang", "赵刚", "team_leader", team)
    operator = person(centre, "sunli", "孙丽", "field_operator", team)
    guardian = person(centre, "zhoujie", "周杰", "field_operator", team)
    rng = random.Random(2026)
    sites, breakers = [], []
    for k, place in enumerate(PLACES[:12], start=1):
        sites.append(
            org.site_create(
                actor=CLI,
                source=Source.CLI,
                centre=centre,
                data={
                    "code": f"S{k:02d}",
                    "name": f"110kV{place}变",
                    "kind": "substation",
                    "active": True,
                },
            )
        )
        breakers.append(
            org.equipment_create(
                actor=CLI,
                source=Source.CLI,
                centre=centre,
                data={
                    "site": sites[-1].pk,
                    "kind": "breaker",
                    "name": f"{place[0]}{rng.choice(PLACES)[0]}线开关",
                    "dispatch_number": str(rng.randint(101, 999)),
                    "active": True,
                },
            )
        )
    # each ticket: a station, and a line named after two places with its breaker's number
    plan = [
        (
            rng.randrange(len(sites)),
            f"{rng.choice(PLACES)[0]}{rng.choice(PLACES)[-1]}线",
            rng.randint(101, 999),
            rng.choice(TASKS),
        )
        for _n in range(args.tickets)
    ]
    start = datetime(2026, 11, 1, 8, 0, tzinfo=centre.tz)
    gap = min(timedelta(hours=2), timedelta(days=29) / args.tickets)  # all within November
    tickets = OperationTicket.objects.bulk_create(
        OperationTicket(
            centre=centre,
            number=f"BENCH-2026-{n:05d}",
            executor=Executor.TEAM,
            team=team,
            site=sites[plan[n - 1][0]],
            task_kind=TaskKind.LINE_MAINTENANCE,
            task=f"{plan[n - 1][1]}{plan[n - 1][2]}开关{plan[n - 1][3]}",
            state=TicketState.COMPLETED,
            filled_by=operator,
            reviewed_by=guardian,
            issuer="地调 王调度",
            receiver=leader,
            ordered_at=start + gap * n,
            started_at=start + gap * n + timedelta(minutes=5),
            ended_at=start + gap * n + timedelta(minutes=5 + 2 * args.steps),
            operator=operator,
            guardian=guardian,
            in_charge=leader,
            qualified=True,
            assessed_by=leader,
        )
        for n in range(1, args.tickets + 1)
    )
    for t, (site, _line, _number, _task) in zip(tickets, plan, strict=True):
        t.equipment.add(breakers[site])
    TicketStep.objects.bulk_create(
        TicketStep(
            ticket=t,
            seq=i,
            text=STEPS[(i - 1) % len(STEPS)].format(line=line, n=number),
            state=StepState.DONE,
            done_at=t.started_at + timedelta(minutes=2 * i),
            done_by=operator,
            guardian=guardian,
        )
        for t, (_site, line, number, _task) in zip(tickets, plan, strict=True)
        for i in range(1, args.steps + 1)
    )
    # auto_now_add gave them today: the month is November 2026, as filled
    for t in tickets:
        OperationTicket.objects.filter(pk=t.pk).update(created_at=t.ordered_at)
    return centre, team, operator


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def page_count(data: bytes) -> int:
    return len(PdfReader(BytesIO(data)).pages)


def month() -> bytes:
    """The bound month: ``month_pdf``, or with ``--one-render`` the same sheets (and an index
    page) as one WeasyPrint document, the way it was made before ADR 0006."""
    if not args.one_render:
        return pdf.month_pdf(tickets, centre=centre, month=MONTH, team=team)
    from zhiban.core.pdf import render_pdf

    sheets = [pdf.sheet(t) for t in tickets]
    index = {"centre": centre, "whose": team.name, "summary": "", "rows": []}
    return render_pdf(pdf.TEMPLATE, pdf._context("", sheets, index=index), tz=centre.tz)


translation.activate("zh-hans")
centre, team, someone = build()
if args.batch:
    pdf.BATCH = args.batch

start = time.perf_counter()
tickets = selectors.ticket_month(user=CLI, centre=centre, month=MONTH, team=team)
select_s = time.perf_counter() - start
assert len(tickets) == args.tickets

pdf.ticket_pdf(tickets[0])  # warm-up: fonts loaded, templates compiled (not measured)
rss_before = maxrss_mb()
start = time.perf_counter()
data = month()
month_s = time.perf_counter() - start
rss_after = maxrss_mb()

sample = tickets[: args.sample]
start = time.perf_counter()
for ticket in sample:
    pdf.ticket_pdf(ticket)
single_s = (time.perf_counter() - start) / len(sample)

tracemalloc.start()
month()
_current, traced_peak = tracemalloc.get_traced_memory()
tracemalloc.stop()

per_ticket = month_s / args.tickets
results = {
    "tickets": args.tickets,
    "steps_per_ticket": args.steps,
    "made": "one render" if args.one_render else f"batches of {pdf.BATCH}",
    "pages": page_count(data),
    "pdf_mb": round(len(data) / 2**20, 2),
    "select_s": round(select_s, 3),
    "month_pdf_s": round(month_s, 2),
    "month_pdf_per_ticket_ms": round(per_ticket * 1000, 1),
    "ticket_pdf_alone_ms": round(single_s * 1000, 1),
    "ratio": round(per_ticket / single_s, 2),
    "maxrss_growth_mb": round(rss_after - rss_before, 1),
    "maxrss_mb": round(rss_after, 1),
    "tracemalloc_peak_mb": round(traced_peak / 2**20, 1),
}
summary = (
    f"ops_month_pdf ({results['made']}): {args.tickets} tickets × {args.steps} steps → "
    f"{results['pages']} pages, "
    f"{results['pdf_mb']} MB in {results['month_pdf_s']} s ({results['month_pdf_per_ticket_ms']} "
    f"ms a ticket, ×{results['ratio']} vs. one ticket alone), peak RSS "
    f"+{results['maxrss_growth_mb']} MB, tracemalloc peak {results['tracemalloc_peak_mb']} MB"
)
report("ops_month_pdf", results)
print(summary)
