"""The job worker in both runtime shapes: inside `zhiban serve` (one room), and as a separate
`zhiban worker` next to `zhiban serve --no-worker` (scale-out). A change that notifies puts a
message in the outbox; the worker delivers it to the centre's chat robot by itself."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime, timedelta

import pytest

from tests.fresh import ZHIBAN, fresh_env, live_server

from .conftest import Zhiban

pytestmark = pytest.mark.e2e


def notify_through_a_robot(server: Zhiban, robot, name: str) -> None:
    admin = server.token("admin")
    server.api(
        "POST",
        "/centres/suwu/chat-robots",
        admin,
        {
            "name": f"机器人 {name}",
            "channel": "wecom",
            "url": f"{robot.url}/send?key={name}",
            "min_level": "info",
        },
    )
    chief = server.token("zhangwei")
    people = server.api("GET", "/centres/suwu/people?q=zhaogang", chief)["items"]
    site = server.api("GET", "/centres/suwu/sites", chief)["items"][0]
    server.api(
        "POST",
        "/centres/suwu/deadlines",
        chief,
        {
            "object_type": "org.site",
            "object_id": site["id"],
            "name": name,
            "due_at": (datetime.now(UTC) + timedelta(hours=2)).isoformat(),
            "assignee": people[0]["id"],
        },
    )


def test_serve_delivers_robot_messages_with_its_own_worker(zhiban_server, robot):
    notify_through_a_robot(zhiban_server, robot, "进程内任务")
    body = robot.wait_for("进程内任务")
    assert body["msgtype"] == "text"


def test_separate_worker_delivers_when_web_runs_without_one(robot):
    with fresh_env(start="demo") as env, live_server(env, "--no-worker") as base:
        server = Zhiban(base=base, env=env)
        notify_through_a_robot(server, robot, "独立任务进程")
        worker = subprocess.Popen(
            [*ZHIBAN, "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            # the kick on commit, or at the latest the worker's every-minute round (a busy
            # CI machine once took over 30 s to start the worker and run the kick)
            assert robot.wait_for("独立任务进程", timeout=75)
        finally:
            worker.terminate()
            worker.wait(timeout=15)
