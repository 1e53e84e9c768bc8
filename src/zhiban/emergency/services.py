"""Every write of emergency plans and their runs (EMG-1, EMG-2): keep a plan and its
checklist, start a run (by hand, or by an alarm of a kind a plan names), tick or skip its
items — each into the duty log —, write the emergency or theft report, close the run."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiban.alarms.models import Alarm
from zhiban.core import audit, live
from zhiban.core.actors import GATEWAY, Source
from zhiban.core.errors import InvalidInput, NotFound, Refused
from zhiban.core.permissions import Action
from zhiban.core.scoping import require
from zhiban.core.services import (
    ANY_VERSION,
    create_from_form,
    form_data,
    locked,
    save_change,
    validated,
)
from zhiban.core.timewindow import shown
from zhiban.duty.models import LogCategory
from zhiban.duty.services import log_write

from .forms import PlanForm, ReportForm, RunStartForm, SkipForm, TickForm, items_text
from .models import EmergencyPlan, EmergencyRun, ItemState, PlanItem, RunItem, RunState

PANELS = ("emergency", "duty-handover")


def _person(actor):
    return None if getattr(actor, "is_system", False) else actor


def _refresh(centre) -> None:
    live.refresh_on_commit(centre, *PANELS)


# --- plans (EMG-1) ----------------------------------------------------------------------------


def _write_items(plan: EmergencyPlan, items: list[tuple[str, str]]) -> None:
    plan.items.all().delete()
    PlanItem.objects.bulk_create(
        PlanItem(plan=plan, position=n, text=what, who=who)
        for n, (what, who) in enumerate(items, start=1)
    )


@transaction.atomic
def plan_create(*, actor, source, centre, data) -> EmergencyPlan:
    """A new emergency plan with its checklist (EMG-1)."""
    require(actor, Action.EMERGENCY_PLAN, centre)
    form = validated(PlanForm, data, centre=centre)
    return create_from_form(
        actor=actor,
        source=source,
        form=form,
        verb="emergency_plan.create",
        prepare=lambda plan: setattr(plan, "centre", centre),
        after_save=lambda plan: _write_items(plan, form.cleaned_data["items"]),
    )


@transaction.atomic
def plan_update(*, actor, source, plan_id, version: int, changes) -> EmergencyPlan:
    """A change of a plan or its checklist (EMG-1); runs already started keep their items."""
    plan = locked(EmergencyPlan.objects.all(), plan_id, version)
    require(actor, Action.EMERGENCY_PLAN, plan.centre)
    before = {**audit.snapshot(plan), "items": items_text(plan)}
    data = {**form_data(plan, PlanForm), "items": items_text(plan), **changes}
    form = validated(PlanForm, data, instance=plan, centre=plan.centre)
    items = form.cleaned_data["items"]
    return save_change(
        form.save(commit=False),
        actor=actor,
        source=source,
        verb="emergency_plan.update",
        before=before,
        after_save=lambda saved: _write_items(saved, items),
        noted={"items": "\n".join(f"{what} | {who}" for what, who in items)},
    )


# --- runs (EMG-1) -----------------------------------------------------------------------------


def _start(
    *, actor, source, centre, plan: EmergencyPlan, event: str, alarm=None, at=None
) -> EmergencyRun:
    """The run of ``plan`` with its items copied; refused while one is running (EMG-1)."""
    running = EmergencyRun.objects.filter(plan=plan, state=RunState.RUNNING).first()
    if running is not None:
        raise Refused(
            _("The plan “%(plan)s” is running already since %(at)s (EMG-1).")
            % {"plan": plan, "at": shown(running.started_at, centre.tz)},
            rule="EMG-1",
        )
    run = EmergencyRun(
        centre=centre,
        plan=plan,
        event=event[:300],
        alarm=alarm,
        started_at=at or timezone.now(),
        started_by=_person(actor),
    )
    try:
        with transaction.atomic():
            run.save()
    except IntegrityError:  # another start of the same plan at the same moment
        raise Refused(
            _("The plan “%(plan)s” is running already (EMG-1).") % {"plan": plan}, rule="EMG-1"
        ) from None
    RunItem.objects.bulk_create(
        RunItem(run=run, position=item.position, text=item.text, who=item.who)
        for item in plan.items.all()
    )
    audit.record(
        actor=actor, source=source, verb="emergency_run.start", obj=run, after=audit.snapshot(run)
    )
    log_write(
        actor=actor,
        source=source,
        centre=centre,
        category=LogCategory.ANOMALY,
        verb="emergency.start",
        params={"plan": plan.name, "event": run.event},
        at=run.started_at,
        regarding=run,
    )
    _refresh(centre)
    return run


@transaction.atomic
def run_start(*, actor, source, centre, data) -> EmergencyRun:
    """A person starts a plan for an event (EMG-1)."""
    require(actor, Action.EMERGENCY_RUN, centre)
    form = validated(RunStartForm, data, centre=centre)
    plan = locked(EmergencyPlan.objects.all(), form.cleaned_data["plan"].pk, ANY_VERSION)
    return _start(
        actor=actor,
        source=source,
        centre=centre,
        plan=plan,
        event=form.cleaned_data["event"],
        at=form.cleaned_data["started_at"],
    )


def plans_for_alarm(alarm: Alarm):
    """The centre's active plans an alarm starts: its source's kind or its class named."""
    plans = EmergencyPlan.objects.filter(centre_id=alarm.centre_id, active=True)
    return [
        plan
        for plan in plans
        if alarm.source.kind in plan.source_kinds or alarm.klass in plan.alarm_classes
    ]


def runs_start_for_alarms(alarm_ids: list[int]) -> list[EmergencyRun]:
    """The alarms hook (EMG-1): each new alarm of a kind a plan names starts a run of that
    plan, unless one is running already. Called after the alarms' commit."""
    started = []
    alarms = Alarm.objects.filter(pk__in=alarm_ids).select_related("source", "site", "centre")
    for alarm in alarms.order_by("first_at", "pk"):
        for plan in plans_for_alarm(alarm):
            with transaction.atomic():
                plan = locked(EmergencyPlan.objects.all(), plan.pk, ANY_VERSION)
                if EmergencyRun.objects.filter(plan=plan, state=RunState.RUNNING).exists():
                    continue
                event = f"{alarm.site.name} {alarm.signal}"
                started.append(
                    _start(
                        actor=GATEWAY,
                        source=Source.GATEWAY,
                        centre=alarm.centre,
                        plan=plan,
                        event=event,
                        alarm=alarm,
                    )
                )
    return started


def _run_item(run_id, item_id, version) -> tuple[EmergencyRun, RunItem]:
    """The item of the run, locked with the version read (409 when stale, DESIGN-1)."""
    if not RunItem.objects.filter(run_id=run_id, pk=item_id).exists():
        raise InvalidInput(rule="EMG-1", fields={"item": [_("Not an item of this run (EMG-1).")]})
    item = locked(RunItem.objects.filter(run_id=run_id), item_id, version)
    run = EmergencyRun.objects.select_related("centre", "plan").get(pk=item.run_id)
    if run.state != RunState.RUNNING:
        raise Refused(_("The run is closed; its items stay as they are (EMG-1)."), rule="EMG-1")
    return run, item


def _item_done(*, actor, source, run, item, action, at, note, verb) -> RunItem:
    require(actor, Action.EMERGENCY_RUN, run.centre)
    before = audit.snapshot(item)
    if item.state != ItemState.OPEN:
        raise Refused(
            _("Item %(n)s was done already: %(state)s by %(who)s at %(at)s (EMG-1).")
            % {
                "n": item.position,
                "state": item.get_state_display(),
                "who": item.done_by or "—",
                "at": shown(item.done_at, run.centre.tz),
            },
            rule="EMG-1",
        )
    if at is not None and at < run.started_at.replace(second=0, microsecond=0):
        raise InvalidInput(
            rule="EMG-1",
            fields={
                "at": [
                    _("Not before the run started at %(at)s (EMG-1).")
                    % {"at": shown(run.started_at, run.centre.tz)}
                ]
            },
        )
    item.state = RunItem.FLOW.next_state(item.state, action)
    item.done_at = at or timezone.now()
    item.done_by = _person(actor)
    item.note = note
    save_change(item, actor=actor, source=source, verb=verb, before=before, centre=run.centre)
    log_write(
        actor=actor,
        source=source,
        centre=run.centre,
        category=LogCategory.ANOMALY,
        verb=verb,
        params={"plan": run.plan.name, "n": item.position, "item": item.text, "note": note},
        at=item.done_at,
        regarding=run,
    )
    _refresh(run.centre)
    return item


@transaction.atomic
def run_item_tick(*, actor, source, run_id, version: int, data) -> RunItem:
    """An item ticked with time and person, into the duty log (EMG-1); a second tick is
    refused, and of two people ticking at once the second gets 409."""
    run = EmergencyRun.objects.select_related("centre").filter(pk=run_id).first()
    if run is None:
        raise NotFound()
    form = validated(TickForm, data, centre=run.centre)
    run, item = _run_item(run_id, form.cleaned_data["item"], version)
    return _item_done(
        actor=actor,
        source=source,
        run=run,
        item=item,
        action="tick",
        at=form.cleaned_data["at"],
        note=form.cleaned_data["note"],
        verb="emergency.tick",
    )


@transaction.atomic
def run_item_skip(*, actor, source, run_id, version: int, data) -> RunItem:
    """An item that does not apply to this event, skipped with the reason (EMG-1)."""
    run = EmergencyRun.objects.select_related("centre").filter(pk=run_id).first()
    if run is None:
        raise NotFound()
    form = validated(SkipForm, data, centre=run.centre)
    run, item = _run_item(run_id, form.cleaned_data["item"], version)
    return _item_done(
        actor=actor,
        source=source,
        run=run,
        item=item,
        action="skip",
        at=None,
        note=form.cleaned_data["reason"],
        verb="emergency.skip",
    )


@transaction.atomic
def run_report(*, actor, source, run_id, version: int, data) -> EmergencyRun:
    """The emergency or theft report of the run, written in parts if need be (EMG-2)."""
    run = locked(EmergencyRun.objects.select_related("centre"), run_id, version)
    require(actor, Action.EMERGENCY_RUN, run.centre)
    run.state = EmergencyRun.FLOW.next_state(run.state, "report")
    before = audit.snapshot(run)
    merged = {**form_data(run, ReportForm), **data}
    form = validated(ReportForm, merged, instance=run, centre=run.centre)
    run = form.save(commit=False)
    run.reported_at = timezone.now()
    save_change(run, actor=actor, source=source, verb="emergency_run.report", before=before)
    _refresh(run.centre)
    return run


@transaction.atomic
def run_close(*, actor, source, run_id, version: int) -> EmergencyRun:
    """The run closed: every item ticked or skipped (EMG-1) and, where the plan asks for
    one, the report complete (EMG-2); the refusal names what is missing."""
    run = locked(EmergencyRun.objects.select_related("centre", "plan"), run_id, version)
    require(actor, Action.EMERGENCY_RUN, run.centre)
    state = EmergencyRun.FLOW.next_state(run.state, "close")
    open_items = list(run.items.filter(state=ItemState.OPEN).values_list("position", flat=True))
    if open_items:
        raise Refused(
            _("Items not yet ticked or skipped: %(items)s (EMG-1).")
            % {"items": "、".join(str(n) for n in open_items)},
            rule="EMG-1",
        )
    missing = run.missing_report_fields() if run.plan.report_required else []
    if missing:
        raise Refused(
            _("The report is not complete; missing: %(fields)s (EMG-2).")
            % {"fields": "、".join(missing)},
            rule="EMG-2",
        )
    before = audit.snapshot(run)
    run.state = state
    run.closed_at = timezone.now()
    run.closed_by = _person(actor)
    save_change(run, actor=actor, source=source, verb="emergency_run.close", before=before)
    log_write(
        actor=actor,
        source=source,
        centre=run.centre,
        category=LogCategory.ANOMALY,
        verb="emergency.close",
        params={"plan": run.plan.name, "event": run.event},
        regarding=run,
    )
    _refresh(run.centre)
    return run
