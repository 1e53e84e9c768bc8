"""The hash-chained audit trail (ORG-4, DESIGN rule 3).

``record`` is called by every service inside its transaction; it locks the chain head, so
events form one line even with many writers, and stores SHA-256(fields + previous hash).
``verify`` walks the chain and names the first broken link.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.utils import timezone

from .actors import current_request_id, is_system
from .models import AuditEvent, AuditHead

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


def compute_hash(event: AuditEvent) -> str:
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
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _centre_id_of(obj) -> int | None:
    if obj is None:
        return None
    if obj._meta.label_lower == "org.centre":
        return obj.pk
    return getattr(obj, "centre_id", None)


def _lock_head() -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(id=1).first()
    if head is None:  # the first event ever
        AuditHead.objects.get_or_create(id=1, defaults={"seq": 0, "hash": GENESIS})
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


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    head_seq: int
    head_hash: str
    broken_seq: int | None = None
    problem: str = ""


def verify(batch: int = 2000) -> VerifyResult:
    """Walk the chain in order; report the first row that was altered, removed or re-ordered."""
    head = AuditHead.objects.filter(id=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    expected_seq, prev = 1, GENESIS
    checked = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=batch):
        if event.seq != expected_seq:
            return VerifyResult(
                False,
                checked,
                head_seq,
                head_hash,
                expected_seq,
                f"event #{expected_seq} is missing (deleted)",
            )
        if event.prev_hash != prev:
            return VerifyResult(
                False,
                checked,
                head_seq,
                head_hash,
                event.seq,
                f"event #{event.seq} does not link to event #{event.seq - 1}",
            )
        if compute_hash(event) != event.hash:
            return VerifyResult(
                False,
                checked,
                head_seq,
                head_hash,
                event.seq,
                f"event #{event.seq} was altered after it was written",
            )
        prev = event.hash
        expected_seq += 1
        checked += 1
    if checked != head_seq or prev != head_hash:
        return VerifyResult(
            False,
            checked,
            head_seq,
            head_hash,
            checked + 1,
            f"the chain ends at #{checked} but its head says #{head_seq}: "
            f"events were deleted from the end",
        )
    return VerifyResult(True, checked, head_seq, head_hash)
