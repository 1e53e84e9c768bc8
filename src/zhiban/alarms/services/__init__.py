"""The one door for writes to alarms and incidents, one module per sub-domain.

- ``ingest``: the gateway's one write, ``events_ingest`` (INC-1; ``events_ingest_from`` for
  several senders in one transaction), alarm sources and the dead letters.
- ``actions``: people's actions on alarms: acknowledge, shelve, unshelve (INC-2), and
  commissioning windows.
- ``incidents``: opened by hand, from alarms or by another capability (OPS-10); each step, the
  verdict of a security alarm and closing follow the kind's playbook (``playbooks.py``;
  INC-4, INC-6 … INC-10); an open incident blocks the handover (DUTY-10).
- ``accidents``: accident records, drafted by a breaker trip, written by hand, completed (INC-5).
"""

from .accidents import (
    ACCIDENT_COMPLETE_FIELDS,
    accident_record_complete,
    accident_record_create,
    accident_record_update,
)
from .actions import (
    alarm_ack,
    alarm_ack_many,
    alarm_shelve,
    alarm_unshelve,
    alarms_unshelve_expired,
    commissioning_create,
    commissioning_update,
)
from .incidents import (
    incident_alarms_add,
    incident_close,
    incident_open,
    incident_step_record,
    incident_verdict,
)
from .ingest import (
    DEAD_LETTER_MAX_BYTES,
    Letter,
    Sender,
    alarm_source_create,
    alarm_source_update,
    dead_letters_record,
    events_ingest,
    events_ingest_from,
)

__all__ = [
    "ACCIDENT_COMPLETE_FIELDS",
    "DEAD_LETTER_MAX_BYTES",
    "Letter",
    "Sender",
    "accident_record_complete",
    "accident_record_create",
    "accident_record_update",
    "alarm_ack",
    "alarm_ack_many",
    "alarm_shelve",
    "alarm_source_create",
    "alarm_source_update",
    "alarm_unshelve",
    "alarms_unshelve_expired",
    "commissioning_create",
    "commissioning_update",
    "dead_letters_record",
    "events_ingest",
    "events_ingest_from",
    "incident_alarms_add",
    "incident_close",
    "incident_open",
    "incident_step_record",
    "incident_verdict",
]
