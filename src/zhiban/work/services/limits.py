"""Limit changes told to the centre and set in the monitoring system, protection setting
sheets and the receipt of their three copies (WORK-6)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiban.core import audit, live
from zhiban.core.errors import Refused
from zhiban.core.models import Direction, Level
from zhiban.core.notify import Message, notify, people_with_roles
from zhiban.core.permissions import Action, Role
from zhiban.core.scoping import require
from zhiban.core.services import (
    locked,
    save_change,
    update_in_centre,
    validated,
)
from zhiban.duty.models import LogCategory
from zhiban.duty.services import log_write

from ..forms import (
    CopyReceiptForm,
    LimitChangeForm,
    SettingSheetForm,
)
from ..models import (
    CopyHolder,
    LimitChange,
    SettingSheet,
    SettingSheetCopy,
)
from .common import phone_call

# --- limit changes and setting sheets (WORK-6) ---------------------------------------------------


def _fmt(value) -> str:
    return "—" if value is None else f"{value.normalize():f}"


@transaction.atomic
def limit_change_record(*, actor, source, centre, data) -> LimitChange:
    """WORK-6: after a CT replacement (流变更换) the team tells the centre the new limit
    values; the change is recorded against the equipment, the call is a recorded contact, the
    duty log has it and the centre's operators are asked to set it in the monitoring system."""
    require(actor, Action.WORK_RECORD, centre)
    form = validated(LimitChangeForm, data, centre=centre)
    change = form.save(commit=False)
    change.centre, change.recorded_by = centre, actor
    equipment, reporter = change.equipment, change.reported_by
    calling = reporter.pk == actor.pk
    change.contact = phone_call(
        actor=actor,
        source=source,
        centre=centre,
        direction=Direction.OUTGOING if calling else Direction.INCOMING,
        party=str(centre) if calling else str(reporter),
        party_person=None if calling else reporter,
        subject=_("New limit of %(equipment)s: %(quantity)s %(new)s %(unit)s")
        % {
            "equipment": equipment.double_name,
            "quantity": change.quantity,
            "new": _fmt(change.new_value),
            "unit": change.unit,
        },
        at=change.reported_at,
    )
    change.save()
    audit.record(
        actor=actor,
        source=source,
        verb="limit.record",
        obj=change,
        after=audit.snapshot(change),
    )
    log_write(
        actor=actor,
        source=source,
        centre=centre,
        category=LogCategory.OPERATION,
        site=equipment.site,
        equipment=equipment,
        at=change.reported_at,
        regarding=change,
        verb="limit_change.record",
        params={
            "equipment": equipment.double_name,
            "reason": change.reason,
            "quantity": change.quantity,
            "old": _fmt(change.old_value),
            "new": _fmt(change.new_value),
            "unit": change.unit,
            "person": reporter,
        },
    )
    notify(
        actor=actor,
        source=source,
        people=people_with_roles(centre, [Role.CHIEF_OPERATOR, Role.DEPUTY_OPERATOR]),
        centre=centre,
        title=Message(
            gettext_lazy("Set the new limit of %(equipment)s in the monitoring system"),
            {"equipment": equipment.double_name},
        ),
        link=f"/c/{centre.code}/ops/limits/{change.pk}/",
        level=Level.WARNING,
        email=False,
        chat=False,
        regarding=change,
    )
    live.refresh_on_commit(centre, "ops-work")
    return change


@transaction.atomic
def limit_change_apply(*, actor, source, limit_id, version: int) -> LimitChange:
    """WORK-6: the centre has set the new limit values in the monitoring system."""
    change = locked(
        LimitChange.objects.select_related("centre", "equipment__site"), limit_id, version
    )
    require(actor, Action.WORK_TAG, change.centre)
    if change.applied_at is not None:
        raise Refused(_("This limit change is set already."), rule="WORK-6")
    before = audit.snapshot(change)
    change.applied_at, change.applied_by = timezone.now(), actor
    save_change(change, actor=actor, source=source, verb="limit.apply", before=before)
    log_write(
        actor=actor,
        source=source,
        centre=change.centre,
        category=LogCategory.OPERATION,
        site=change.equipment.site,
        equipment=change.equipment,
        regarding=change,
        verb="limit_change.set",
        params={
            "equipment": change.equipment.double_name,
            "quantity": change.quantity,
            "new": _fmt(change.new_value),
            "unit": change.unit,
        },
    )
    live.refresh_on_commit(change.centre, "ops-work")
    return change


@transaction.atomic
def setting_sheet_create(*, actor, source, centre, data) -> SettingSheet:
    """WORK-6: a protection setting sheet with its three copies (station, team, centre),
    each waiting for its receipt."""
    require(actor, Action.WORK_RECORD, centre)
    form = validated(SettingSheetForm, data, centre=centre)
    sheet = form.save(commit=False)
    sheet.centre = centre
    sheet.save()
    SettingSheetCopy.objects.bulk_create(
        SettingSheetCopy(sheet=sheet, holder=holder) for holder in CopyHolder.values
    )
    audit.record(
        actor=actor,
        source=source,
        verb="setting_sheet.create",
        obj=sheet,
        after=audit.snapshot(sheet),
    )
    live.refresh_on_commit(centre, "ops-work")
    return sheet


@transaction.atomic
def setting_sheet_update(*, actor, source, sheet_id, version: int, changes) -> SettingSheet:
    return update_in_centre(
        actor=actor,
        source=source,
        model=SettingSheet,
        pk=sheet_id,
        version=version,
        changes=changes,
        form_class=SettingSheetForm,
        action=Action.WORK_RECORD,
        verb="setting_sheet.update",
    )


@transaction.atomic
def setting_copy_receive(*, actor, source, sheet_id, version: int, data) -> SettingSheet:
    """WORK-6: one copy of a setting sheet received — by the station, the team or the
    centre (the centre's at the monthly meeting, 运行分析会)."""
    sheet = locked(SettingSheet.objects.select_related("centre"), sheet_id, version)
    require(actor, Action.WORK_RECORD, sheet.centre)
    form = validated(CopyReceiptForm, data, centre=sheet.centre)
    holder = form.cleaned_data["holder"]
    copy = sheet.copies.get(holder=holder)
    if copy.received_at is not None:
        raise Refused(
            _("The %(holder)s copy was received already.") % {"holder": copy.get_holder_display()},
            code="received_already",
            rule="WORK-6",
        )
    before = audit.snapshot(sheet)
    copy.received_at = form.cleaned_data["received_at"]
    copy.received_by = form.cleaned_data["received_by"]
    copy.save()
    save_change(
        sheet,
        actor=actor,
        source=source,
        verb="setting_sheet.receive",
        before=before,
        reason=f"{copy.get_holder_display()} · {copy.received_by}",
    )
    live.refresh_on_commit(sheet.centre, "ops-work")
    return sheet
