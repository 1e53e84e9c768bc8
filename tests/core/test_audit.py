"""The hash-chained audit trail (ORG-4): every change is recorded with who, when, what and
why; `zhiban audit verify` finds any row altered or deleted by hand, and, against the
checkpoints noted outside the database and the audit key (issue 10, docs/audit.md), a chain
cut back or re-hashed by someone with database access only."""

import hashlib
import importlib
import io
import json
import socket
import stat
from datetime import datetime
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from huey.contrib.djhuey import HUEY

from zhiban.core import audit, tasks
from zhiban.core.actors import CLI, Source
from zhiban.core.models import AuditEvent, AuditHead
from zhiban.org import services as org
from zhiban.org.models import Person

from ..clock import ago, ahead
from ..fresh import fresh_env, zhiban


@pytest.fixture(autouse=True)
def checkpoint_file(settings, tmp_path):
    """A checkpoint file per test: the database is rolled back after each test, a file is not."""
    path = tmp_path / "audit-checkpoints.log"
    settings.ZHIBAN_AUDIT_CHECKPOINTS = str(path)
    return path


@pytest.fixture
def platform_admin(world):
    """guard_b, made a platform administrator: the chain's own figures (ORG-4)."""
    org.person_grant_platform_admin(
        actor=CLI, source=Source.CLI, person_id=world.people["guard_b"].pk
    )
    return Person.objects.get(pk=world.people["guard_b"].pk)


def last_event():
    return AuditEvent.objects.order_by("-seq").first()


def test_every_change_records_actor_source_before_after_reason_and_request__ORG_4(world, api):
    admin = world.people["admin_a"]
    client = api(admin)
    station = world.sites["station"]
    r = client.patch(
        f"/centres/alpha/sites/{station.pk}",
        {"version": 1, "name": "一号变电站"},
        headers={"X-Request-ID": "req-0123456789"},
    )
    assert r.status_code == 200
    event = last_event()
    assert (event.actor_id, event.source, event.verb) == (admin.pk, "api", "site.update")
    assert event.object_type == "org.site" and event.object_id == str(station.pk)
    assert event.before["name"] == "一号变" and event.after["name"] == "一号变电站"
    assert event.request_id == "req-0123456789" and r["X-Request-ID"] == "req-0123456789"
    assert event.centre_id == world.alpha.pk

    timeline = client.get(f"/centres/alpha/audit?object_type=org.site&object_id={station.pk}")
    verbs = [e["verb"] for e in timeline.json()["items"]]
    assert verbs == ["site.update", "site.create"]


def test_reason_is_kept_with_the_change__ORG_4(world, api):
    client = api(world.people["chief_a"])
    contact = client.post(
        "/centres/alpha/phone-contacts",
        {
            "direction": "outgoing",
            "at": ago(hours=1),
            "our_person": world.people["chief_a"].pk,
            "party_name": "一队 张三",
            "subject": "通知检查",
        },
    ).json()
    deadline = client.post(
        "/centres/alpha/deadlines",
        {
            "object_type": "core.phonecontact",
            "object_id": contact["id"],
            "name": "回电",
            "due_at": ahead(days=1),
        },
    ).json()
    r = client.post(
        f"/centres/alpha/deadlines/{deadline['id']}/cancel",
        {"version": deadline["version"], "reason": "调度取消了任务"},
    )
    assert r.status_code == 200
    assert last_event().reason == "调度取消了任务"


def test_refused_change_leaves_neither_record_nor_event__ORG_4(world, api):
    before = AuditEvent.objects.count()
    r = api(world.people["admin_a"]).post(
        "/centres/alpha/sites", {"code": "S1", "name": "", "kind": "substation"}
    )
    assert r.status_code == 422
    assert AuditEvent.objects.count() == before


def test_verify_passes_on_an_untouched_chain__ORG_4(world, api):
    call_command("audit", "verify")
    r = api(world.people["admin_a"]).get("/audit/verify")
    assert r.status_code == 200 and r.json()["ok"] is True
    assert r.json()["checked"] == AuditEvent.objects.filter(centre=world.alpha).count()


def tamper(sql, *params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def verify_fails_at(seq):
    with pytest.raises(CommandError) as failure:
        call_command("audit", "verify", "--language", "en")
    assert f"#{seq}" in str(failure.value)
    return str(failure.value)


def test_verify_finds_an_altered_row__ORG_4(world):
    target = AuditEvent.objects.order_by("seq")[3]
    tamper("UPDATE core_auditevent SET reason = %s WHERE seq = %s", "改过了", target.seq)
    assert "altered" in verify_fails_at(target.seq)


def test_verify_finds_a_deleted_row__ORG_4(world):
    target = AuditEvent.objects.order_by("seq")[5]
    tamper("DELETE FROM core_auditevent WHERE seq = %s", target.seq)
    assert "missing" in verify_fails_at(target.seq)


def test_verify_finds_rows_deleted_from_the_end__ORG_4(world):
    last = last_event()
    tamper("DELETE FROM core_auditevent WHERE seq = %s", last.seq)
    assert "deleted from the end" in verify_fails_at(last.seq)


def test_verify_finds_a_rewritten_link__ORG_4(world):
    target = AuditEvent.objects.order_by("seq")[2]
    tamper("UPDATE core_auditevent SET prev_hash = %s WHERE seq = %s", "f" * 64, target.seq)
    verify_fails_at(target.seq)


def test_verify_page_and_api_report_the_break__ORG_4(world, web, api):
    target = AuditEvent.objects.filter(centre=world.alpha).order_by("seq")[1]  # alpha's (ORG-3)
    tamper("UPDATE core_auditevent SET verb = %s WHERE seq = %s", "nothing.happened", target.seq)
    result = api(world.people["admin_a"]).get("/audit/verify").json()
    assert result["ok"] is False and result["broken_seq"] == target.seq
    html = web(world.people["admin_a"]).get("/audit/verify/").content.decode()
    assert f"#{target.seq}" in html
    assert api(world.people["field_a"]).get("/audit/verify").status_code == 403


def test_object_page_and_audit_page_show_the_timeline__ORG_4(world, web):
    client = web(world.people["admin_a"])
    html = client.get(f"/c/alpha/org/sites/{world.sites['station'].pk}/").content.decode()
    assert 'data-testid="timeline"' in html and "site.create" in html
    html = client.get("/c/alpha/audit/?q=site").content.decode()
    assert "site.create" in html and "一号变" in html
    # beta's events are not in alpha's trail
    assert "一层" not in html


def checkpoint():
    call_command("audit", "checkpoint", stdout=io.StringIO())


def verify_output():
    out = io.StringIO()
    call_command("audit", "verify", "--language", "en", stdout=out)
    return out.getvalue()


def rehash_with_plain_sha256():
    """What someone with database access but without the key can do: rebuild every link with
    SHA-256 (the format is public) and move the head along."""
    prev = audit.GENESIS
    for event in AuditEvent.objects.order_by("seq"):
        event.prev_hash = prev
        prev = hashlib.sha256(audit.canonical(event)).hexdigest()
        tamper(
            "UPDATE core_auditevent SET prev_hash = %s, hash = %s WHERE seq = %s",
            event.prev_hash,
            prev,
            event.seq,
        )
    tamper("UPDATE core_audithead SET hash = %s WHERE id = 1", prev)


def test_checkpoints_are_json_lines_appended_and_an_untouched_chain_matches_them__ORG_4(
    world, api, web, checkpoint_file, platform_admin
):
    checkpoint()
    first_head = last_event()
    r = api(world.people["admin_a"]).patch(
        f"/centres/alpha/sites/{world.sites['station'].pk}", {"version": 1, "name": "一号变电站"}
    )
    assert r.status_code == 200
    tasks.audit_checkpoint_every_5_minutes()  # the periodic job writes the same line
    lines = [json.loads(line) for line in checkpoint_file.read_text().splitlines()]
    assert [(c["seq"], c["hash"]) for c in lines] == [
        (first_head.seq, first_head.hash),
        (last_event().seq, last_event().hash),
    ]
    assert lines[1]["count"] == AuditEvent.objects.count() and lines[1]["at"].endswith("Z")
    assert stat.S_IMODE(checkpoint_file.stat().st_mode) == 0o600
    assert "2 checkpoints match" in verify_output()
    html = web(platform_admin).get("/audit/verify/").content.decode()
    assert "审计链与库外保存的全部 2 个检查点相符" in html
    html = web(world.people["admin_a"]).get("/audit/verify/").content.decode()
    assert "检查点" not in html  # the platform's checkpoints, not a centre's (ORG-3)
    result = api(world.people["admin_a"]).get("/audit/verify").json()
    assert result["ok"] is True and result["head_seq"] == last_event().seq  # alpha's last


def test_checkpoint_job_runs_every_five_minutes__ORG_4():
    def due(minute):
        return {task.name for task in HUEY.read_periodic(datetime(2026, 12, 3, 8, minute))}

    name = "audit_checkpoint_every_5_minutes"
    assert name in due(35) and name not in due(36)


def test_tail_deleted_and_head_moved_back_is_found_by_the_checkpoint__ORG_4(
    world, api, platform_admin
):
    checkpoint()
    end = last_event().seq
    keep = AuditEvent.objects.get(seq=end - 3)
    tamper("DELETE FROM core_auditevent WHERE seq > %s", keep.seq)
    tamper("UPDATE core_audithead SET seq = %s, hash = %s WHERE id = 1", keep.seq, keep.hash)
    failure = verify_fails_at(keep.seq + 1)
    assert f"chain cut back: checkpoint at #{end} (" in failure
    assert f"beyond the chain's end at #{keep.seq}" in failure
    result = api(platform_admin).get("/audit/verify").json()  # in the person's zh-Hans
    assert result["ok"] is False and result["broken_seq"] == keep.seq + 1
    assert result["problem"].startswith(f"审计链被截短：检查点 #{end}（")


def test_chain_cut_back_and_grown_again_does_not_match_the_checkpoint__ORG_4(world, api):
    checkpoint()
    end = last_event()
    keep = AuditEvent.objects.get(seq=end.seq - 1)
    tamper("DELETE FROM core_auditevent WHERE seq > %s", keep.seq)
    tamper("UPDATE core_audithead SET seq = %s, hash = %s WHERE id = 1", keep.seq, keep.hash)
    r = api(world.people["admin_a"]).patch(
        f"/centres/alpha/sites/{world.sites['station'].pk}", {"version": 1, "name": "一号变电站"}
    )
    assert r.status_code == 200 and last_event().seq == end.seq  # a new event #end
    failure = verify_fails_at(end.seq)
    assert f"checkpoint at #{end.seq} (" in failure and "the chain was rewritten" in failure


def test_chain_rehashed_without_the_key_is_found__ORG_4(world, api):
    rehash_with_plain_sha256()
    assert "hashed without the audit key" in verify_fails_at(1)
    result = api(world.people["admin_a"]).get("/audit/verify").json()
    assert result["ok"] is False and result["broken_seq"] == 1


def test_moving_the_start_of_keyed_hashing_is_found__ORG_4(world):
    rehash_with_plain_sha256()
    head = AuditHead.objects.get()
    tamper("UPDATE core_audithead SET keyed_from = %s WHERE id = 1", head.seq + 1)
    failure = verify_fails_at(head.seq + 1)
    assert "does not match the audit key" in failure


def test_a_chain_from_before_the_key_still_verifies__ORG_4(world, api):
    rehash_with_plain_sha256()  # as the code before issue 10 wrote it
    legacy = AuditHead.objects.get().seq
    migration = importlib.import_module("zhiban.core.migrations.0003_audit_keyed_hash")
    migration.key_the_chain_from_here(apps, None)
    r = api(world.people["admin_a"]).patch(
        f"/centres/alpha/sites/{world.sites['station'].pk}", {"version": 1, "name": "一号变电站"}
    )
    assert r.status_code == 200
    new = last_event()
    assert new.hash == audit.compute_hash(new, keyed=True) != audit.compute_hash(new, keyed=False)
    checkpoint()
    assert f"{legacy + 1} events ({legacy} of them from before the audit key)" in verify_output()
    assert api(world.people["admin_a"]).get("/audit/verify").json()["ok"] is True
    tamper("UPDATE core_auditevent SET reason = %s WHERE seq = %s", "改过了", 2)
    assert "altered" in verify_fails_at(2)


def test_checkpoint_goes_to_syslog_when_configured__ORG_4(world, settings):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as syslog:
        syslog.bind(("127.0.0.1", 0))
        syslog.settimeout(10)
        settings.ZHIBAN_AUDIT_SYSLOG = f"udp://127.0.0.1:{syslog.getsockname()[1]}"
        checkpoint()
        message = syslog.recv(4096).decode()
    assert "zhiban-audit: checkpoint" in message and last_event().hash in message


def test_zhiban_audit_checkpoint_and_verify_in_a_fresh_zhiban__ORG_4():
    with fresh_env(start="migrated") as env:
        noted = zhiban(env, "audit", "checkpoint")
        assert noted.returncode == 0 and "检查点已写入：#0" in noted.stdout, noted.stderr
        verify = zhiban(env, "audit", "verify")
        assert verify.returncode == 0 and "1 个检查点相符" in verify.stdout, verify.stderr
        data = env["ZHIBAN_DATA"]
        for kept in ("audit_key", "audit-checkpoints.log"):
            assert stat.S_IMODE((Path(data) / kept).stat().st_mode) == 0o600
        bad = zhiban({**env, "ZHIBAN_AUDIT_SYSLOG": "loghost"}, "check")
        assert bad.returncode != 0 and "ZHIBAN_AUDIT_SYSLOG must be" in bad.stderr
