"""Big-screen and remote-operation use (REG-9): who, when, why, approved by a named
department leader."""

from __future__ import annotations

from django.db import transaction

from ..forms.screens import ScreenUseForm
from ..models import ScreenUse
from .common import decide, entry_create


@transaction.atomic
def screen_use_create(*, actor, source, centre, data) -> ScreenUse:
    return entry_create(
        actor=actor,
        source=source,
        centre=centre,
        data=data,
        form_class=ScreenUseForm,
        verb="screen_use.create",
    )


def screen_use_decide(*, actor, source, pk, version: int, approve: bool, data) -> ScreenUse:
    return decide(
        actor=actor,
        source=source,
        model=ScreenUse,
        pk=pk,
        version=version,
        approve=approve,
        data=data,
        verb="screen_use",
    )
