"""The core's record kinds as the web pages and the API see them: phone contacts,
deadlines and chat robots (table, filters, form, scoped selectors and services of each)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from . import selectors, services
from .filters import ChatRobotFilter, DeadlineFilter, PhoneContactFilter
from .forms import ChatRobotForm, DeadlineForm, PhoneContactForm, ReadBackForm
from .permissions import Action
from .scoping import can
from .tables import Column, Table
from .web import Resource

PHONE_TABLE = Table(
    [
        Column(gettext_lazy("number"), "number", link=True, width=16),
        Column(gettext_lazy("time of call"), "at", width=18),
        Column(gettext_lazy("direction"), "direction", width=10),
        Column(gettext_lazy("our side"), "our_person", width=12),
        Column(gettext_lazy("other party"), "party_name", width=18),
        Column(gettext_lazy("subject"), "subject", width=30),
        Column(gettext_lazy("read-back confirmed"), "read_back_confirmed_at", width=18),
    ]
)
PHONE_DETAIL = Table(
    PHONE_TABLE.columns
    + [
        Column(gettext_lazy("other party's phone"), "party_phone"),
        Column(gettext_lazy("what was said"), "content"),
        Column(gettext_lazy("read-back"), "read_back"),
        Column(gettext_lazy("confirmed by"), "read_back_confirmed_by"),
        Column(gettext_lazy("recorded by"), "recorded_by"),
    ]
)


PHONE = Resource(
    key="phone",
    namespace="core",
    area="phone",
    label=gettext_lazy("phone contact"),
    label_plural=gettext_lazy("Phone contacts"),
    icon="phone",
    table=PHONE_TABLE,
    detail=PHONE_DETAIL,
    filterset=PhoneContactFilter,
    form=PhoneContactForm,
    list=selectors.phone_contact_list,
    get=selectors.phone_contact_get,
    manage_action=Action.PHONE_RECORD,
    create=services.phone_contact_record,
    detail_extra=lambda request, centre, contact: {
        "read_back_form": ReadBackForm()
        if can(request.user, Action.PHONE_RECORD, centre) and not contact.read_back_confirmed_at
        else None
    },
)


DEADLINE_TABLE = Table(
    [
        Column(gettext_lazy("name"), "name", link=True, width=20),
        Column(gettext_lazy("record"), "target", width=30),
        Column(gettext_lazy("due"), "due_at", width=18),
        Column(gettext_lazy("responsible"), "assignee", width=12),
        Column(gettext_lazy("state"), "state", width=10),
        Column(gettext_lazy("escalation level"), "escalation_level", width=10),
        Column(gettext_lazy("met"), "met_at", width=18),
    ]
)
DEADLINE_DETAIL = Table(
    DEADLINE_TABLE.columns
    + [
        Column(gettext_lazy("warned"), "warned_at"),
        Column(gettext_lazy("breached"), "breached_at"),
        Column(gettext_lazy("escalated"), "escalated_at"),
    ]
)

DEADLINES = Resource(
    key="deadline",
    namespace="core",
    area="deadlines",
    label=gettext_lazy("deadline"),
    label_plural=gettext_lazy("Deadlines"),
    icon="hourglass",
    table=DEADLINE_TABLE,
    detail=DEADLINE_DETAIL,
    filterset=DeadlineFilter,
    form=DeadlineForm,
    list=selectors.deadline_list,
    get=selectors.deadline_get,
    manage_action=Action.DEADLINE_MANAGE,
    detail_extra=lambda request, centre, deadline: {
        "deadline_actions": deadline_actions(request, centre, deadline)
    },
)


def deadline_actions(request, centre, deadline) -> list[str]:
    if not can(request.user, Action.DEADLINE_MANAGE, centre):
        return []
    return [a for a in deadline.FLOW.actions_from(deadline.state) if a in ("meet", "cancel")]


ROBOT_TABLE = Table(
    [
        Column(gettext_lazy("name"), "name", link=True),
        Column(gettext_lazy("kind"), "channel"),
        Column(gettext_lazy("send from level"), "min_level"),
        Column(gettext_lazy("active"), "active"),
    ]
)

ROBOTS = Resource(
    key="robot",
    namespace="core",
    area="org",
    label=gettext_lazy("chat robot"),
    label_plural=gettext_lazy("Chat robots"),
    icon="robot",
    table=ROBOT_TABLE,
    filterset=ChatRobotFilter,
    form=ChatRobotForm,
    list=selectors.chat_robot_list,
    get=selectors.chat_robot_get,
    manage_action=Action.WEBHOOK_MANAGE,
    create=lambda *, actor, source, centre, data: services.chat_robot_create(
        actor=actor, source=source, centre=centre, data=data
    ),
    update=lambda *, actor, source, centre, obj, version, changes: services.chat_robot_update(
        actor=actor, source=source, robot_id=obj.pk, version=version, changes=changes
    ),
)
