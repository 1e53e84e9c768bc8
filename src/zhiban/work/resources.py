"""Work tickets', tags', limit changes' and setting sheets' record kinds as the pages and the
API see them; their pages stay under /c/<code>/ops/ in the operations area (ADR 0012)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhiban.core.permissions import Action
from zhiban.core.web import Resource

from . import filters, selectors, services, tables
from .forms import (
    LimitChangeForm,
    SettingSheetForm,
    WorkTicketForm,
)

WORK_TICKETS = Resource(
    key="work",
    namespace="work",
    area="ops",
    label=_("work ticket"),
    label_plural=_("Work tickets (工作票)"),
    icon="clipboard-text",
    table=tables.WORK_TICKETS,
    filterset=filters.WorkTicketFilter,
    form=WorkTicketForm,
    list=selectors.work_ticket_list,
    get=selectors.work_ticket_get,
    manage_action=Action.WORK_HOLD,
    create=services.work_ticket_receive,
    form_kwargs=lambda request, centre: {"user": request.user},
    update=lambda *, actor, source, centre, obj, version, changes: services.work_ticket_update(
        actor=actor, source=source, ticket_id=obj.pk, version=version, changes=changes
    ),
)

TAGS = Resource(
    key="tag",
    namespace="work",
    area="ops",
    label=_("maintenance tag"),
    label_plural=_("Maintenance tags (检修牌)"),
    icon="tag",
    table=tables.TAGS,
    filterset=filters.TagFilter,
    form=None,
    list=selectors.tag_list,
    get=selectors.tag_get,
    manage_action=Action.WORK_TAG,
    detail_extra=lambda request, centre, tag: {
        "related": [
            (
                _("work ticket"),
                [
                    (
                        WORK_TICKETS.url("detail", centre, tag.work_ticket_id),
                        str(tag.work_ticket),
                    )
                ],
            )
        ]
    },
)


# --- limit changes and setting sheets (WORK-6) ---------------------------------------------------


def _limit_extra(request, centre, change) -> dict:
    from zhiban.core.resources import PHONE

    from .acts import offered
    from .views import LIMIT_ACTS

    related = []
    if change.work_ticket_id:
        url = WORK_TICKETS.url("detail", centre, change.work_ticket_id)
        related.append((_("work ticket"), [(url, str(change.work_ticket))]))
    if change.contact_id:
        url = PHONE.url("detail", centre, change.contact_id)
        related.append((_("phone contact"), [(url, change.contact.number)]))
    sheets = [(SHEETS.url("detail", centre, s.pk), str(s)) for s in change.setting_sheets.all()]
    if sheets:
        related.append((_("setting sheets"), sheets))
    return {
        "extra_template": "work/_record_acts.html",
        "acts": offered(request, LIMIT_ACTS, change),
        "kind": "limits",
        "related": related,
    }


def _sheet_extra(request, centre, sheet) -> dict:
    from .acts import offered
    from .views import SHEET_ACTS

    related = []
    if sheet.limit_change_id:
        url = LIMITS.url("detail", centre, sheet.limit_change_id)
        related.append((_("limit change"), [(url, str(sheet.limit_change))]))
    return {
        "extra_template": "work/_sheet_copies.html",
        "acts": offered(request, SHEET_ACTS, sheet),
        "kind": "sheets",
        "copies": list(sheet.copies.all()),
        "related": related,
    }


LIMITS = Resource(
    key="limit",
    namespace="work",
    area="ops",
    label=_("limit change"),
    label_plural=_("Limit changes (越限值变更)"),
    icon="adjustments",
    table=tables.LIMITS,
    detail=tables.LIMIT_DETAIL,
    filterset=filters.LimitChangeFilter,
    form=LimitChangeForm,
    list=selectors.limit_change_list,
    get=selectors.limit_change_get,
    manage_action=Action.WORK_RECORD,
    create=services.limit_change_record,
    detail_extra=_limit_extra,
)

SHEETS = Resource(
    key="sheet",
    namespace="work",
    area="ops",
    label=_("setting sheet"),
    label_plural=_("Setting sheets (定值单)"),
    icon="file-certificate",
    table=tables.SHEETS,
    filterset=filters.SettingSheetFilter,
    form=SettingSheetForm,
    list=selectors.setting_sheet_list,
    get=selectors.setting_sheet_get,
    manage_action=Action.WORK_RECORD,
    create=services.setting_sheet_create,
    update=lambda *, actor, source, centre, obj, version, changes: services.setting_sheet_update(
        actor=actor, source=source, sheet_id=obj.pk, version=version, changes=changes
    ),
    detail_extra=_sheet_extra,
)
