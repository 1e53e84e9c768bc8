"""Report subscriptions over HTTP (RPT-1) under /api/centres/{code}/reports/subscriptions:
the list, subscribing, changing (with the version read: 409 if stale) and cancelling."""

from datetime import datetime
from typing import Annotated

from ninja import Field, Router, Schema, Status

from zhiban.core.actors import Source
from zhiban.core.api import Id, VersionIn, centre_of
from zhiban.core.permissions import Action

from ..selectors import subscriptions as selectors
from ..services import subscriptions as services

router = Router()
TAG = "reports: subscriptions"
BASE = "/centres/{code}/reports/subscriptions"
Choice = Annotated[str, Field(max_length=12)]
Target = Annotated[str, Field(max_length=500)]


class ReportSubscriptionIn(Schema):
    report: Choice = Field(examples=["monthly"])
    channel: Choice = Field(examples=["email"])
    target: Target = Field(examples=["duty@example.com"])
    person: Id | None = None
    active: bool = True


class ReportSubscriptionPatch(Schema):
    version: Id
    report: Choice | None = Field(None, examples=["daily_log"])
    channel: Choice | None = Field(None, examples=["wecom"])
    target: Target | None = Field(
        None, examples=["https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"]
    )
    person: Id | None = None
    active: bool | None = None


class ReportSubscriptionOut(Schema):
    id: int
    report: str
    channel: str
    target: str
    person_id: int | None
    active: bool
    created_by_id: int
    last_sent_at: datetime | None
    last_failed_at: datetime | None
    last_error: str
    version: int


def _get(request, code: str, pk: int):
    centre = centre_of(request, code, Action.REPORT_VIEW)
    return selectors.subscription_get(user=request.user, centre=centre, pk=pk)


@router.get(
    BASE,
    response=list[ReportSubscriptionOut],
    tags=[TAG],
    operation_id="report_subscription_list",
)
def report_subscription_list(request, code: str):
    """The centre's report subscriptions with their last delivery and last failure (RPT-1)."""
    centre = centre_of(request, code, Action.REPORT_VIEW)
    return list(selectors.subscription_list(user=request.user, centre=centre))


@router.post(
    BASE,
    response={201: ReportSubscriptionOut},
    tags=[TAG],
    operation_id="report_subscription_create",
)
def report_subscription_create(request, code: str, payload: ReportSubscriptionIn):
    """RPT-1: an e-mail address or a chat robot (wecom, dingtalk, feishu) receives the monthly
    report (``monthly``) or the daily log (``daily_log``); needs ``report.subscribe``."""
    centre = centre_of(request, code, Action.REPORT_VIEW)
    data = payload.dict()
    data["person"] = data["person"] or ""
    subscription = services.subscription_create(
        actor=request.user, source=Source.API, centre=centre, data=data
    )
    return Status(201, _get(request, code, subscription.pk))


@router.get(
    BASE + "/{pk}",
    response=ReportSubscriptionOut,
    tags=[TAG],
    operation_id="report_subscription_get",
)
def report_subscription_get(request, code: str, pk: Id):
    return _get(request, code, pk)


@router.patch(
    BASE + "/{pk}",
    response=ReportSubscriptionOut,
    tags=[TAG],
    operation_id="report_subscription_update",
)
def report_subscription_update(request, code: str, pk: Id, payload: ReportSubscriptionPatch):
    """RPT-1: change what is sent where; the version read is required (409 if stale)."""
    subscription = _get(request, code, pk)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    if "person" in changes:
        changes["person"] = changes["person"] or ""
    services.subscription_update(
        actor=request.user,
        source=Source.API,
        subscription_id=subscription.pk,
        version=version,
        changes=changes,
    )
    return _get(request, code, pk)


@router.post(
    BASE + "/{pk}/cancel",
    response={204: None},
    tags=[TAG],
    operation_id="report_subscription_cancel",
)
def report_subscription_cancel(request, code: str, pk: Id, payload: VersionIn):
    """RPT-1: the subscription ends (the version read is required: 409 if stale)."""
    subscription = _get(request, code, pk)
    services.subscription_cancel(
        actor=request.user,
        source=Source.API,
        subscription_id=subscription.pk,
        version=payload.version,
    )
    return Status(204, None)
