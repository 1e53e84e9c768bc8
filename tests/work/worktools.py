"""Carries a work ticket through the API to any stage as the right people: the team (leader_a,
field_a of 一队) receives, permits and ends it; the centre (chief_a, deputy_a) places and
removes the maintenance tag and checks the four remotes with the team (WORK-1 … WORK-7)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

BASE = "/centres/alpha"
MEASURES = [
    "拉开苏越线751开关",
    "在751开关操作把手上挂“禁止合闸，有人工作”标示牌",
    "合上苏越线75130接地闸刀",
]
FOUR = ["telesignal", "telemetry", "telecontrol", "teleadjust"]


def iso(dt) -> str:
    return timezone.localtime(dt).isoformat()


class Work:
    def __init__(self, world, grid, api):
        self.w, self.g, self.api = world, grid, api
        self.p = world.people

    def as_(self, login):
        return self.api(self.p[login])

    def body(self, **extra) -> dict:
        now = timezone.now()
        return {
            "kind": "first",
            "team": self.w.team.pk,
            "site": self.w.sites["station"].pk,
            "equipment": [self.g.breaker.pk],
            "task": "苏越线751开关及线路检修",
            "location": "一号变110kV苏越线间隔",
            "planned_start": iso(now - timedelta(hours=1)),
            "planned_end": iso(now + timedelta(hours=8)),
            "work_leader": "王强",
            "crew_size": 3,
            "members": "李四、张三",
            "issuer": "陈工",
            "permitter": self.p["leader_a"].pk,
            "safety_measures": "\n".join(MEASURES),
            **extra,
        }

    def receive(self, by="field_a", **extra) -> dict:
        r = self.as_(by).post(f"{BASE}/work-tickets", self.body(**extra))
        assert r.status_code == 201, r.content
        return r.json()

    def act(self, login, ticket, action, **body):
        return self.as_(login).post(
            f"{BASE}/work-tickets/{ticket['id']}/{action}", {"version": ticket["version"], **body}
        )

    def ok(self, login, ticket, action, **body) -> dict:
        r = self.act(login, ticket, action, **body)
        assert r.status_code == 200, r.content
        return r.json()

    def get(self, ticket, by="chief_a") -> dict:
        return self.as_(by).get(f"{BASE}/work-tickets/{ticket['id']}").json()

    def measures_done(self, ticket, by="field_a") -> dict:
        for measure in ticket["safety_measures"]:
            if not measure["done"]:
                ticket = self.ok(by, ticket, "measure-done", seq=measure["seq"])
        return ticket

    def permit(self, ticket, by="leader_a", **extra) -> dict:
        body = {
            "permitted_at": iso(timezone.now()),
            "dispatcher": "地调 王调度",
            "permitter": self.p["leader_a"].pk,
            "centre_person": self.p["chief_a"].pk,
            **extra,
        }
        return self.act(by, ticket, "permit", **body)

    def permitted(self, **extra) -> dict:
        """A received ticket, its measures done, permitted and tagged by the centre."""
        ticket = self.measures_done(self.receive(**extra))
        r = self.permit(ticket)
        assert r.status_code == 200, r.content
        return self.ok("chief_a", r.json(), "tag")

    def check(self, ticket, kind, points=("751开关位置",), result="ok", by="chief_a"):
        return self.as_(by).post(
            f"{BASE}/work-tickets/{ticket['id']}/remote-checks",
            {
                "kind": kind,
                "points": list(points),
                "result": result,
                "at": iso(timezone.now()),
                "centre_checker": self.p["chief_a"].pk,
                "team_checker": self.p["field_a"].pk,
            },
        )

    def four_remotes(self, ticket) -> dict:
        for kind in FOUR:
            assert self.check(ticket, kind).status_code == 201
        return self.get(ticket)

    def work_end(self, ticket, by="field_a"):
        return self.act(by, ticket, "work-end", at=iso(timezone.now()), acceptance="验收合格")

    def final_check(self, ticket, by="leader_a"):
        return self.act(
            by,
            ticket,
            "final-check",
            at=iso(timezone.now()),
            centre_person=self.p["chief_a"].pk,
            checked="信号已复归，遥测正常，无异常",
        )

    def end(self, ticket, by="leader_a"):
        return self.act(by, ticket, "end", at=iso(timezone.now()))

    def work_ended(self, **extra) -> dict:
        ticket = self.four_remotes(self.permitted(**extra))
        r = self.work_end(ticket)
        assert r.status_code == 200, r.content
        return r.json()
