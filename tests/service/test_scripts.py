"""Scripts (话术, CS-11): kept per centre by the supervisor, every change of title or text a new
revision with the earlier text kept, retired and put back, shown to agents beside the intake
and the call list (``{% scripts_panel %}``)."""

from __future__ import annotations

import re

from zhiban.core.models import AuditEvent

BASE = "/service/kefu/scripts"


def _create(cs, login="supervisor", **values):
    body = {
        "kind": "greeting",
        "title": "来电问候",
        "body": "您好，恒康乳业客户中心，工号 01 为您服务。",
    }
    r = cs.as_(login).post(BASE, {**body, **values})
    assert r.status_code == 201, r.content
    return r.json()


def test_script_edit_keeps_revision_history__CS_11(cs):
    script = _create(cs)
    assert script["revision"] == 1 and len(script["revisions"]) == 1

    changed = cs.as_("supervisor").patch(
        f"{BASE}/{script['id']}",
        {"version": script["version"], "body": "您好，恒康乳业客户中心，请问有什么可以帮您？"},
    )

    assert changed.status_code == 200, changed.content
    body = changed.json()
    assert body["revision"] == 2 and body["body"].endswith("请问有什么可以帮您？")
    assert [(r["revision"], r["body"]) for r in body["revisions"]] == [
        (2, "您好，恒康乳业客户中心，请问有什么可以帮您？"),
        (1, "您好，恒康乳业客户中心，工号 01 为您服务。"),
    ]
    assert {r["by_name"] for r in body["revisions"]} == {"Supervisor"}
    page = cs.as_("agent1").client.get(f"/c/kefu/service/scripts/{script['id']}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="revision-1"' in html and "工号 01 为您服务" in html  # the earlier text
    assert re.search(r"<del>− 您好，恒康乳业客户中心，工号 01 为您服务。</del>", html)  # its diff


def test_a_change_of_kind_alone_keeps_the_revision__CS_11(cs):
    script = _create(cs)
    r = cs.as_("supervisor").patch(
        f"{BASE}/{script['id']}", {"version": script["version"], "kind": "return_visit"}
    )
    assert r.status_code == 200, r.content
    assert (r.json()["kind"], r.json()["revision"], r.json()["version"]) == ("return_visit", 1, 2)


def test_script_edit_with_a_stale_version_refused__CS_11(cs):
    script = _create(cs)
    supervisor = cs.as_("supervisor")
    first = supervisor.patch(f"{BASE}/{script['id']}", {"version": 1, "title": "问候（新）"})
    assert first.status_code == 200

    stale = supervisor.patch(f"{BASE}/{script['id']}", {"version": 1, "body": "覆盖别人的修改"})

    assert stale.status_code == 409 and stale.json()["code"] == "conflict", stale.content
    now = supervisor.get(f"{BASE}/{script['id']}").json()
    assert (now["revision"], now["title"]) == (2, "问候（新）")
    assert "覆盖别人的修改" not in now["body"] and len(now["revisions"]) == 2


def test_script_edit_without_a_version_refused__DESIGN_1(cs):
    script = _create(cs)
    r = cs.as_("supervisor").patch(f"{BASE}/{script['id']}", {"body": "没有版本号"})
    assert r.status_code == 422 and r.json()["rule"] == "DESIGN-1", r.content
    assert cs.as_("supervisor").get(f"{BASE}/{script['id']}").json()["revision"] == 1


def test_an_agent_may_read_but_not_write_scripts__CS_11(cs):
    script = _create(cs)
    agent = cs.as_("agent1")
    assert agent.get(f"{BASE}/{script['id']}").status_code == 200
    created = agent.post(BASE, {"kind": "objection", "title": "嫌贵", "body": "理解您的顾虑……"})
    changed = agent.patch(f"{BASE}/{script['id']}", {"version": 1, "body": "改掉"})
    assert created.status_code == 403 and changed.status_code == 403
    assert agent.get(BASE).json()["count"] == 1
    assert agent.get(f"{BASE}/{script['id']}").json()["revision"] == 1


def test_an_empty_text_refused_by_field(cs):
    r = cs.as_("supervisor").post(BASE, {"kind": "greeting", "title": "问候", "body": "  "})
    assert r.status_code == 422 and "body" in r.json()["fields"], r.content
    assert cs.as_("supervisor").get(BASE).json()["count"] == 0


def test_retired_script_leaves_the_agents_panel_and_comes_back__CS_11(cs):
    kept = _create(cs, title="标准问候")
    retired = _create(cs, title="旧问候")
    supervisor = cs.as_("supervisor")
    r = supervisor.post(f"{BASE}/{retired['id']}/retire", {"version": retired["version"]})
    assert r.status_code == 200 and r.json()["active"] is False, r.content
    again = supervisor.post(f"{BASE}/{retired['id']}/retire", {"version": r.json()["version"]})
    assert again.status_code == 409 and again.json()["rule"] == "CS-11", again.content

    panel = _panel(cs, "greeting")
    assert "标准问候" in panel and "旧问候" not in panel
    assert [s["title"] for s in supervisor.get(f"{BASE}?active=true").json()["items"]] == [
        kept["title"]
    ]

    back = supervisor.post(f"{BASE}/{retired['id']}/reactivate", {"version": r.json()["version"]})
    assert back.status_code == 200 and back.json()["active"] is True
    assert "旧问候" in _panel(cs, "greeting")


def _panel(cs, kind) -> str:
    """The ``scripts_panel`` as the scripts page renders it for ``kind``."""
    page = cs.as_("agent1").client.get(f"/c/kefu/service/scripts/?kind={kind}")
    assert page.status_code == 200
    html = page.content.decode()
    return html[html.index('data-testid="scripts-panel"') :]  # the last card of the page


def test_scripts_panel_shows_the_kind_with_its_revision_and_objections_beside_greetings__CS_11(
    cs,
):
    greeting = _create(cs, title="来电问候")
    cs.as_("supervisor").patch(
        f"{BASE}/{greeting['id']}", {"version": 1, "body": "您好，这里是恒康乳业客户中心。"}
    )
    _create(
        cs, kind="return_visit", title="配送回访", body="您好，这里是恒康乳业，回访您上周的订单。"
    )
    _create(cs, kind="objection", title="嫌价格贵", body="理解您的顾虑，我们的奶源来自自有牧场。")

    panel = _panel(cs, "greeting")

    assert "来电问候" in panel and "r2" in panel and "这里是恒康乳业客户中心" in panel
    assert "配送回访" not in panel  # another kind
    assert 'data-testid="scripts-objection"' in panel and "嫌价格贵" in panel  # folded beside
    visit = _panel(cs, "return_visit")  # the call list shows the objection panel beside it
    assert "配送回访" in visit and "嫌价格贵" not in visit and "来电问候" not in visit
    assert "嫌价格贵" in _panel(cs, "objection")


def test_scripts_page_edit_makes_the_next_revision(cs):
    script = _create(cs)
    client = cs.as_("supervisor").client
    url = f"/c/kefu/service/scripts/{script['id']}/edit/"
    assert client.get(url).status_code == 200
    r = client.post(
        url, {"version": "1", "kind": "greeting", "title": "来电问候", "body": "新的问候语"}
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    stale = client.post(
        url, {"version": "1", "kind": "greeting", "title": "来电问候", "body": "又一次"}
    )
    assert stale.status_code == 409 and 'data-testid="reload"' in stale.content.decode()
    now = cs.as_("supervisor").get(f"{BASE}/{script['id']}").json()
    assert (now["revision"], now["body"]) == (2, "新的问候语")
    verbs = AuditEvent.objects.filter(object_type="service.script").values_list("verb", flat=True)
    assert sorted(verbs) == ["script.create", "script.update"]


def test_new_script_page_refuses_an_agent_and_creates_for_the_supervisor(cs):
    data = {"kind": "objection", "title": "不需要", "body": "好的，打扰您了。"}
    refused = cs.as_("agent1").client.post("/c/kefu/service/scripts/new/", data)
    assert refused.status_code == 403
    r = cs.as_("supervisor").client.post("/c/kefu/service/scripts/new/", data)
    assert r.status_code == 302
    assert [s["title"] for s in cs.as_("agent1").get(BASE).json()["items"]] == ["不需要"]


def test_another_centres_script_is_404__ORG_3(cs):
    script = _create(cs)
    other = cs.as_("supervisor_b")
    assert other.get(f"{BASE}/{script['id']}").status_code == 404
    assert other.get(f"/service/kefu2/scripts/{script['id']}").status_code == 404
    stale = other.patch(f"/service/kefu2/scripts/{script['id']}", {"version": 1, "body": "x"})
    assert stale.status_code == 404
    assert other.client.get(f"/c/kefu/service/scripts/{script['id']}/").status_code == 404
    assert other.client.get(f"/c/kefu2/service/scripts/{script['id']}/").status_code == 404
    assert cs.as_("supervisor").get(f"{BASE}/{script['id']}").json()["body"].startswith("您好")


def test_the_intake_page_shows_the_greetings_to_the_agent__CS_11(cs):
    greeting = _create(cs, title="来电问候")
    cs.as_("supervisor").patch(
        f"{BASE}/{greeting['id']}", {"version": 1, "body": "您好，这里是恒康乳业客户中心。"}
    )
    old = _create(cs, title="旧的问候")
    cs.as_("supervisor").post(f"{BASE}/{old['id']}/retire", {"version": 1})

    page = cs.as_("agent1").client.get("/c/kefu/service/intake/")

    assert page.status_code == 200
    html = page.content.decode()
    panel = html[html.index('data-testid="scripts-panel"') :]
    assert 'data-kind="greeting"' in panel[:200]
    assert "来电问候" in panel and "r2" in panel and "这里是恒康乳业客户中心" in panel
    assert "旧的问候" not in html
