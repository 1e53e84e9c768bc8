"""Severe-weather mode (DUTY-9)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiban.core import audit
from zhiban.core.errors import Forbidden, Refused
from zhiban.core.models import Level
from zhiban.core.notify import Message, notify, people_with_roles
from zhiban.core.permissions import Action, Role
from zhiban.core.scoping import require
from zhiban.core.services import ANY_VERSION, create_from_form, locked, save_change, validated

from ..forms import ConfirmOnPostForm, WeatherForm
from ..models import LogCategory, SevereWeather, WeatherConfirmation
from .log import log_write

# --- severe weather (DUTY-9) -----------------------------------------------------------------


@transaction.atomic
def weather_start(*, actor, source, centre, data) -> SevereWeather:
    """Switch severe-weather mode on: every team leader serving the centre is asked to be on
    post and confirm; the banner shows until it is switched off (DUTY-9)."""
    require(actor, Action.DUTY_WEATHER, centre)
    if SevereWeather.objects.filter(centre=centre, ended_at=None).exists():
        raise Refused(_("Severe-weather mode is already on."), rule="DUTY-9")
    form = validated(WeatherForm, data, centre=centre)

    def prepare(weather):
        weather.centre, weather.started_by = centre, actor

    weather = create_from_form(
        actor=actor, source=source, form=form, verb="weather.start", prepare=prepare
    )
    leaders = people_with_roles(centre, {Role.TEAM_LEADER})
    WeatherConfirmation.objects.bulk_create(
        WeatherConfirmation(weather=weather, person=p) for p in leaders
    )
    notify(
        actor=actor,
        source=source,
        centre=centre,
        people=leaders,
        level=Level.URGENT,
        title=Message(
            gettext_lazy("Severe weather (%(kind)s): go on post and confirm"),
            {"kind": weather.get_kind_display()},
        ),
        body=weather.reason,
        link=f"/c/{centre.code}/duty/weather/",
        regarding=weather,
    )
    log_write(
        actor=actor,
        source=source,
        centre=centre,
        category=LogCategory.WEATHER,
        verb="weather.start",
        params={"kind": weather.kind, "reason": weather.reason},
        regarding=weather,
    )
    return weather


@transaction.atomic
def weather_confirm(*, actor, source, weather_id, data) -> WeatherConfirmation:
    """A team leader confirms being on post (DUTY-9), once: only the leader's own confirmation
    changes, the severe-weather record stays as it is, so no version applies (DESIGN-1)."""
    weather = locked(SevereWeather.objects.select_related("centre"), weather_id, ANY_VERSION)
    require(actor, Action.DUTY_SERVE, weather.centre)
    if weather.ended_at:
        raise Refused(_("Severe-weather mode is off."), rule="DUTY-9")
    confirmation = weather.confirmations.filter(person=actor.pk).first()
    if confirmation is None:
        raise Forbidden(_("Only the team leaders asked to be on post confirm."), rule="DUTY-9")
    where = validated(ConfirmOnPostForm, data).cleaned_data["where"]
    if confirmation.confirmed_at is None:
        confirmation.confirmed_at, confirmation.where = timezone.now(), where
        confirmation.save()
        audit.record(
            actor=actor,
            source=source,
            verb="weather.confirm",
            obj=weather,
            after={"person": actor.pk, "where": where},
        )
        log_write(
            actor=actor,
            source=source,
            centre=weather.centre,
            category=LogCategory.WEATHER,
            verb="weather.confirm",
            params={"person": actor, "where": where},
            regarding=weather,
        )
    return confirmation


@transaction.atomic
def weather_end(*, actor, source, weather_id, version: int) -> SevereWeather:
    weather = locked(SevereWeather.objects.select_related("centre"), weather_id, version)
    require(actor, Action.DUTY_WEATHER, weather.centre)
    if weather.ended_at:
        raise Refused(_("Severe-weather mode is off already."), rule="DUTY-9")
    before = audit.snapshot(weather)
    weather.ended_at, weather.ended_by = timezone.now(), actor
    save_change(weather, actor=actor, source=source, verb="weather.end", before=before)
    log_write(
        actor=actor,
        source=source,
        centre=weather.centre,
        category=LogCategory.WEATHER,
        verb="weather.end",
        regarding=weather,
    )
    return weather
