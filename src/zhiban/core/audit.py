"""The hash-chained audit trail (ORG-4, DESIGN rule 3, docs/audit.md).

``record`` is called by every service inside its transaction; it locks the chain head, so
events form one line even with many writers, and stores HMAC-SHA256(audit key, fields +
previous hash). ``checkpoint`` notes the head outside the database (an append-only file and,
when configured, syslog). ``verify`` walks the chain, compares it with every checkpoint and
names the first broken link.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from logging.handlers import SysLogHandler
from urllib.parse import urlsplit

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext as _

from .actors import current_request_id, is_system
from .models import AuditEvent, AuditHead

log = logging.getLogger(__name__)

GENESIS = "0" * 64
SECRET_FIELDS = {"password", "digest", "secret"}


def _json_native(value):
    """Values as they come back from a JSON column: str/int/float/bool/None/list/dict."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def snapshot(obj: models.Model) -> dict:
    """The object's stored fields (foreign keys as ids, many-to-many as sorted id lists),
    without secrets, as JSON-native values."""
    data = {}
    for field in obj._meta.concrete_fields:
        if field.name in SECRET_FIELDS:
            continue
        data[field.attname] = field.value_from_object(obj)
    if obj.pk:
        for field in obj._meta.many_to_many:
            data[field.name] = sorted(o.pk for o in getattr(obj, field.name).all())
    return _json_native(data)


def _stamp(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(event: AuditEvent) -> bytes:
    """The bytes a row's hash covers: its fields and the previous hash, as sorted JSON."""
    payload = {
        "seq": event.seq,
        "at": _stamp(event.at),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "source": event.source,
        "verb": event.verb,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "centre_id": event.centre_id,
        "before": event.before,
        "after": event.after,
        "reason": event.reason,
        "request_id": event.request_id,
        "prev_hash": event.prev_hash,
    }
    raw = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return raw.encode("utf-8")


def _mac(data: bytes) -> str:
    return hmac.digest(settings.ZHIBAN_AUDIT_KEY.encode("utf-8"), data, "sha256").hex()


def compute_hash(event: AuditEvent, *, keyed: bool = True) -> str:
    """HMAC-SHA256 with the audit key; ``keyed=False``: the plain SHA-256 of rows written
    before the key existed (ADR 0002, kept verifiable, never rewritten)."""
    if keyed:
        return _mac(canonical(event))
    return hashlib.sha256(canonical(event)).hexdigest()


def keyed_from_mac(seq: int) -> str:
    """The HMAC of "events from #seq on are keyed" kept on the head: moving that start (to pass
    a chain re-hashed with SHA-256 alone) needs the key."""
    return _mac(f"zhiban audit keyed from {seq}".encode())


def _centre_id_of(obj) -> int | None:
    if obj is None:
        return None
    if obj._meta.label_lower == "org.centre":
        return obj.pk
    return getattr(obj, "centre_id", None)


def _lock_head() -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(id=1).first()
    if head is None:  # the first event ever
        AuditHead.objects.get_or_create(
            id=1,
            defaults={"seq": 0, "hash": GENESIS, "keyed_from": 1, "keyed_mac": keyed_from_mac(1)},
        )
        head = AuditHead.objects.select_for_update().get(id=1)
    return head


def record(
    *,
    actor,
    source: str,
    verb: str,
    obj: models.Model | None = None,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
    centre=None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEvent:
    """Append one event. Must run inside the service's transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record must run inside the service's transaction")
    head = _lock_head()
    person = None if is_system(actor) or actor is None else actor
    event = AuditEvent(
        seq=head.seq + 1,
        at=timezone.now(),
        actor=person,
        actor_label=str(actor) if actor is not None else "",
        source=str(source),
        verb=verb,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=str(object_id or (obj.pk if obj is not None else "")),
        object_repr=(object_repr or (str(obj) if obj is not None else ""))[:200],
        centre_id=centre.pk if centre is not None else _centre_id_of(obj),
        before=_json_native(before) if before is not None else None,
        after=_json_native(after) if after is not None else None,
        reason=reason or "",
        request_id=current_request_id(),
        prev_hash=head.hash,
    )
    event.hash = compute_hash(event)
    event.save(force_insert=True)
    head.seq, head.hash = event.seq, event.hash
    head.save(update_fields=["seq", "hash"])
    return event


def _head() -> tuple[int, str, int, str]:
    """(seq, hash, keyed_from, keyed_mac) of the head as committed; an empty chain's if none."""
    head = AuditHead.objects.filter(id=1).first()
    if head is None:
        return 0, GENESIS, 1, keyed_from_mac(1)
    return head.seq, head.hash, head.keyed_from, head.keyed_mac


def checkpoint() -> dict:
    """Note the head outside the database (issue 10): one JSON line (time, seq, hash, count)
    appended to ZHIBAN_AUDIT_CHECKPOINTS, and sent to ZHIBAN_AUDIT_SYSLOG when set. ``verify``
    then finds a chain cut back or rewritten below any noted head."""
    seq, head_hash, _keyed_from, _keyed_mac = _head()
    entry = {
        "at": _stamp(timezone.now()),
        "seq": seq,
        "hash": head_hash,
        "count": AuditEvent.objects.filter(seq__lte=seq).count(),
    }
    line = json.dumps(entry, separators=(",", ":"))
    fd = os.open(settings.ZHIBAN_AUDIT_CHECKPOINTS, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, f"{line}\n".encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    if settings.ZHIBAN_AUDIT_SYSLOG:
        _to_syslog(settings.ZHIBAN_AUDIT_SYSLOG, line)
    return entry


def _to_syslog(address: str, line: str) -> None:
    """Send one checkpoint to syslog (a socket path, udp:// or tcp://); a failure is logged,
    the file checkpoint stands."""
    parsed = urlsplit(address)
    try:
        if parsed.scheme in {"udp", "tcp"}:
            kind = socket.SOCK_DGRAM if parsed.scheme == "udp" else socket.SOCK_STREAM
            target = (parsed.hostname, parsed.port or 514)
            handler = SysLogHandler(target, SysLogHandler.LOG_AUTH, socktype=kind)
        else:
            handler = SysLogHandler(address, SysLogHandler.LOG_AUTH)
    except OSError as error:
        log.warning("audit checkpoint not sent to syslog %s: %s", address, error)
        return
    handler.ident = "zhiban-audit: "
    try:
        record = {"msg": f"checkpoint {line}", "levelno": logging.INFO, "levelname": "INFO"}
        handler.emit(logging.makeLogRecord(record))
    finally:
        handler.close()


@dataclass
class Checkpoint:
    at: str
    seq: int
    hash: str


def _checkpoints(path: str) -> tuple[list[Checkpoint], str]:
    """The checkpoints noted so far, and a problem if the file cannot be read."""
    found: list[Checkpoint] = []
    try:
        with open(path, encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                try:
                    entry = json.loads(line)
                    found.append(
                        Checkpoint(str(entry["at"]), int(entry["seq"]), str(entry["hash"]))
                    )
                except (ValueError, KeyError, TypeError):
                    return found, _("checkpoint file %(path)s, line %(line)s cannot be read") % {
                        "path": path,
                        "line": number,
                    }
    except FileNotFoundError:
        pass
    except OSError as error:
        return found, _("checkpoint file %(path)s cannot be read: %(error)s") % {
            "path": path,
            "error": error.strerror,
        }
    return found, ""


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    head_seq: int
    head_hash: str
    broken_seq: int | None = None
    problem: str = ""
    keyed_from: int = 1
    checkpoints: int | None = 0  # None: not told (a centre's verifier, ORG-3)


def verify(batch: int = 2000, progress=None) -> VerifyResult:
    """Walk the chain in order and report the first row that was altered, removed, re-ordered
    or re-hashed without the key, or a checkpoint the chain no longer matches (ORG-4,
    docs/audit.md). Messages in the active language. ``progress(checked, head_seq)`` is
    called every ``batch`` events (the command's progress bar)."""
    # The checkpoints first: every one then lies at or below the head read next.
    noted, unreadable = _checkpoints(settings.ZHIBAN_AUDIT_CHECKPOINTS)
    head_seq, head_hash, keyed_from, keyed_mac = _head()

    def broken(seq: int, problem: str, checked: int) -> VerifyResult:
        return VerifyResult(
            False, checked, head_seq, head_hash, seq, problem, keyed_from, len(noted)
        )

    if not hmac.compare_digest(keyed_mac, keyed_from_mac(keyed_from)):
        return broken(
            keyed_from,
            _(
                "the head's mark that keyed hashing starts at event #%(seq)s does not match "
                "the audit key: the key was changed or the mark was moved"
            )
            % {"seq": keyed_from},
            0,
        )
    if unreadable:
        return broken(0, unreadable, 0)
    by_seq: dict[int, list[Checkpoint]] = {}
    for noted_head in noted:
        by_seq.setdefault(noted_head.seq, []).append(noted_head)
    expected_seq, prev = 1, GENESIS
    checked = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=batch):
        seq = event.seq
        if seq != expected_seq:
            problem = _("event #%(seq)s is missing (deleted)") % {"seq": expected_seq}
            return broken(expected_seq, problem, checked)
        if event.prev_hash != prev:
            problem = _("event #%(seq)s does not link to event #%(prev)s") % {
                "seq": seq,
                "prev": seq - 1,
            }
            return broken(seq, problem, checked)
        keyed = seq >= keyed_from
        if compute_hash(event, keyed=keyed) != event.hash:
            if keyed and compute_hash(event, keyed=False) == event.hash:
                problem = _(
                    "event #%(seq)s was hashed without the audit key: the chain was re-hashed"
                ) % {"seq": seq}
            else:
                problem = _("event #%(seq)s was altered after it was written") % {"seq": seq}
            return broken(seq, problem, checked)
        for noted_head in by_seq.get(seq, ()):
            if noted_head.hash != event.hash:
                problem = _(
                    "checkpoint at #%(seq)s (%(at)s) does not match event #%(seq)s: "
                    "the chain was rewritten"
                ) % {"seq": seq, "at": noted_head.at}
                return broken(seq, problem, checked)
        prev = event.hash
        expected_seq += 1
        checked += 1
        if progress and checked % batch == 0:
            progress(checked, head_seq)
    if checked != head_seq or prev != head_hash:
        problem = _(
            "the chain ends at #%(end)s but its head says #%(head)s: "
            "events were deleted from the end"
        ) % {"end": checked, "head": head_seq}
        return broken(checked + 1, problem, checked)
    beyond = max(noted, key=lambda noted_head: noted_head.seq, default=None)
    if beyond is not None and beyond.seq > checked:
        problem = _(
            "chain cut back: checkpoint at #%(seq)s (%(at)s) lies beyond the chain's end at "
            "#%(end)s: events were deleted and the head moved back"
        ) % {"seq": beyond.seq, "at": beyond.at, "end": checked}
        return broken(checked + 1, problem, checked)
    return VerifyResult(True, checked, head_seq, head_hash, None, "", keyed_from, len(noted))
