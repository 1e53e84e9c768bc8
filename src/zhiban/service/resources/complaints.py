"""The complaint and follow-up lists as the pages, the API and the .xlsx exports see them: one
FilterSet, one column list and one Resource each (CS-3, CS-4, CS-5)."""

from __future__ import annotations

import django_filters as df
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhiban.core.filters import ActiveFilter, SearchFilterSet
from zhiban.core.permissions import Action
from zhiban.core.tables import Column, Table
from zhiban.core.web import Resource

from ..models import OPEN_CASE_STATES, CaseState, Complaint, ComplaintKind, FollowUp, FollowUpKind
from ..selectors import complaints as complaint_selectors
from ..selectors import followups as follow_up_selectors

OPEN, CLOSED = "open", "closed"
STATE_CHOICES = [(OPEN, _("Open (处理中)")), (CLOSED, _("Closed (已办结)"))]


class ComplaintFilter(SearchFilterSet):
    """Kind, major, unjustified, open or closed, and promised reply overdue (CS-4, CS-5)."""

    search_fields = ("case__number", "complained_of", "reason", "case__customer__name")
    kind = df.ChoiceFilter(label=_("kind"), choices=ComplaintKind.choices, empty_label=_("All"))
    major = ActiveFilter(label=_("major"))
    unjustified = ActiveFilter(label=_("unjustified"))
    state = df.ChoiceFilter(
        label=_("state"), choices=STATE_CHOICES, method="by_state", empty_label=_("All")
    )
    breached = ActiveFilter(label=_("promised reply overdue"), method="by_breach")

    class Meta:
        model = Complaint
        fields = ["q", "kind", "major", "unjustified", "state", "breached"]

    def by_state(self, queryset, name, value):
        if value == OPEN:
            return queryset.filter(case__state__in=OPEN_CASE_STATES)
        if value == CLOSED:
            return queryset.filter(case__state=CaseState.CLOSED)
        return queryset

    def by_breach(self, queryset, name, value):
        if value is None:
            return queryset
        late = complaint_selectors.breached(queryset)
        return late if value else queryset.exclude(pk__in=late.values("pk"))


def _outcome(complaint: Complaint) -> str:
    if complaint.unjustified:
        return str(_("unjustified (无理投诉)"))
    if complaint.solved:
        return str(_("solved"))
    if complaint.replied_at:
        return str(_("replied, unsolved"))
    return str(_("no reply yet"))


COMPLAINTS = Table(
    [
        Column(_("case number"), "case.number", link=True, width=16),
        Column(_("contact time"), "case.opened_at", width=16),
        Column(_("customer"), "case.customer", width=14),
        Column(_("kind"), "kind", width=14),
        Column(_("complaint object"), "complained_of", link=True, width=20),
        Column(_("major"), "major", width=6),
        Column(_("bodily harm"), "bodily_harm", width=6),
        Column(_("owner"), "case.owner", width=10),
        Column(_("outcome"), _outcome, width=14),
        Column(_("next reply promised"), "next_reply_at", width=16),
        Column(
            _("promised reply overdue"),
            lambda c: complaint_selectors.overdue(c),
            width=8,
        ),
        Column(_("state"), "case.state", width=10),
    ]
)

# the complaint's own facts beside its case (the case page shows the case, the customer, and
# the major / bodily-harm marks as badges)
COMPLAINT_FACTS = Table(
    [
        Column(_("kind"), "kind"),
        Column(_("complaint object"), "complained_of"),
        Column(_("reason"), "reason"),
        Column(_("symptom"), "symptom"),
        Column(_("where bought"), "bought_where"),
        Column(_("how bought"), "bought_how"),
        Column(_("batch number"), "batch_number"),
        Column(_("production date"), "production_date"),
        Column(_("service fault"), "service_fault"),
        Column(_("staff name or number"), "staff"),
    ]
)

COMPLAINT_LIST = Resource(
    key="complaint",
    namespace="service",
    area="service",
    label=_("complaint"),
    label_plural=_("Complaints (投诉)"),
    icon="message-report",
    table=COMPLAINTS,
    filterset=ComplaintFilter,
    form=None,  # complaints come in through the intake (CS-1); replies on their page (CS-4)
    list=complaint_selectors.complaint_list,
    get=complaint_selectors.complaint_get,
    manage_action=Action.SERVICE_INTAKE,
)


# --- follow-ups (CS-3, CS-5) --------------------------------------------------------------------

FOLLOW_UP_STATES = [(OPEN, _("Open")), ("done", _("Done"))]


class FollowUpFilter(SearchFilterSet):
    """Open or done, kind, overdue, mine."""

    search_fields = ("case__number", "case__customer__name", "result")
    kind = df.ChoiceFilter(label=_("kind"), choices=FollowUpKind.choices, empty_label=_("All"))
    state = df.ChoiceFilter(
        label=_("state"), choices=FOLLOW_UP_STATES, method="by_state", empty_label=_("All")
    )
    overdue = ActiveFilter(label=_("overdue"), method="by_overdue")
    mine = ActiveFilter(label=_("mine"), method="by_mine")

    class Meta:
        model = FollowUp
        fields = ["q", "kind", "state", "overdue", "mine"]

    def by_state(self, queryset, name, value):
        if value == OPEN:
            return queryset.filter(done_at__isnull=True)
        if value == "done":
            return queryset.filter(done_at__isnull=False)
        return queryset

    def by_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = Q(done_at__isnull=True, due_at__lt=timezone.now())
        return queryset.filter(late) if value else queryset.exclude(late)

    def by_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if value is None or user is None:
            return queryset
        return queryset.filter(owner=user) if value else queryset.exclude(owner=user)


FOLLOW_UPS = Table(
    [
        Column(_("kind"), "kind", link=True, width=18),
        Column(_("case number"), "case.number", width=16),
        Column(_("customer"), "case.customer", width=14),
        Column(_("due"), "due_at", width=16),
        Column(_("owner"), "owner", width=10),
        Column(_("done"), "done_at", width=16),
        Column(_("done by"), "done_by", width=10),
        Column(_("result"), "result", width=30),
    ]
)

FOLLOW_UP_LIST = Resource(
    key="follow_up",
    namespace="service",
    area="service",
    label=_("follow-up"),
    label_plural=_("Follow-ups (跟进任务)"),
    icon="phone-call",
    table=FOLLOW_UPS,
    filterset=FollowUpFilter,
    form=None,  # follow-ups are opened by their cases (CS-3, CS-5); done on their page
    list=follow_up_selectors.follow_up_list,
    get=follow_up_selectors.follow_up_get,
    manage_action=Action.SERVICE_INTAKE,
)
