"""Equipment locks in the monitoring system (OPS-5), single operations (OPS-12) and the
typical-ticket library (典型票)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiban.core import audit
from zhiban.core.errors import Refused
from zhiban.core.permissions import Action
from zhiban.core.scoping import require
from zhiban.core.services import (
    create_in_centre,
    locked,
    save_change,
    update_in_centre,
    validated,
)
from zhiban.duty.models import LogCategory
from zhiban.duty.services import log_write

from ..forms import (
    LockForm,
    SingleOperationForm,
    TypicalTicketForm,
)
from ..models import (
    EquipmentLock,
    SingleOperation,
    TypicalTicket,
)

# --- locks and single operations ---------------------------------------------------------------


@transaction.atomic
def lock_place(*, actor, source, centre, data) -> EquipmentLock:
    """OPS-5: the centre locks equipment (封锁) in the monitoring system."""
    require(actor, Action.OPS_LOCK, centre)
    form = validated(LockForm, data, centre=centre)
    equipment = form.cleaned_data["equipment"]
    if EquipmentLock.objects.filter(equipment=equipment, released_at=None).exists():
        raise Refused(
            _("%(equipment)s is locked already.") % {"equipment": equipment}, rule="OPS-5"
        )
    lock = EquipmentLock.objects.create(
        centre=centre, equipment=equipment, locked_by=actor, reason=form.cleaned_data["reason"]
    )
    audit.record(
        actor=actor, source=source, verb="lock.place", obj=lock, after=audit.snapshot(lock)
    )
    log_write(
        actor=actor,
        source=source,
        centre=centre,
        category=LogCategory.OPERATION,
        equipment=equipment,
        site=equipment.site,
        regarding=lock,
        verb="lock.place",
        params={"equipment": equipment.double_name, "reason": lock.reason},
    )
    return lock


@transaction.atomic
def lock_release(*, actor, source, lock_id, version: int) -> EquipmentLock:
    lock = locked(
        EquipmentLock.objects.select_related("centre", "equipment__site"), lock_id, version
    )
    require(actor, Action.OPS_LOCK, lock.centre)
    if lock.released_at:
        raise Refused(_("This lock is released already."), rule="OPS-5")
    before = audit.snapshot(lock)
    lock.released_at, lock.released_by = timezone.now(), actor
    save_change(lock, actor=actor, source=source, verb="lock.release", before=before)
    log_write(
        actor=actor,
        source=source,
        centre=lock.centre,
        category=LogCategory.OPERATION,
        equipment=lock.equipment,
        site=lock.equipment.site,
        regarding=lock,
        verb="lock.release",
        params={"equipment": lock.equipment.double_name},
    )
    return lock


@transaction.atomic
def single_operation_record(*, actor, source, centre, data) -> SingleOperation:
    """OPS-12: a single operation is recorded by whoever performed it."""
    require(actor, Action.OPS_EXECUTE, centre)
    form = validated(SingleOperationForm, data, centre=centre)
    equipment = form.cleaned_data["equipment"]
    operation = SingleOperation.objects.create(
        centre=centre,
        equipment=equipment,
        action=form.cleaned_data["action"],
        at=form.cleaned_data["at"],
        by=actor,
    )
    audit.record(
        actor=actor,
        source=source,
        verb="single_operation.record",
        obj=operation,
        after=audit.snapshot(operation),
    )
    log_write(
        actor=actor,
        source=source,
        centre=centre,
        category=LogCategory.OPERATION,
        equipment=equipment,
        site=equipment.site,
        at=operation.at,
        regarding=operation,
        verb="single_operation.record",
        params={"equipment": equipment.double_name, "action": operation.action},
    )
    return operation


# --- the typical-ticket library ----------------------------------------------------------------


@transaction.atomic
def typical_ticket_create(*, actor, source, centre, data) -> TypicalTicket:
    return create_in_centre(
        actor=actor,
        source=source,
        centre=centre,
        data=data,
        form_class=TypicalTicketForm,
        action=Action.OPS_LIBRARY,
        verb="typical_ticket.create",
    )


@transaction.atomic
def typical_ticket_update(*, actor, source, typical_id, version: int, changes) -> TypicalTicket:
    return update_in_centre(
        actor=actor,
        source=source,
        model=TypicalTicket,
        pk=typical_id,
        version=version,
        changes=changes,
        form_class=TypicalTicketForm,
        action=Action.OPS_LIBRARY,
        verb="typical_ticket.update",
    )
