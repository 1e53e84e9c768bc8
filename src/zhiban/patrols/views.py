"""Patrol pages: the area's home (rounds open now, missed), a round walked on a phone (PAT-2,
PAT-4), its photos served through the round's scope, a site's QR sheet (PAT-2) and the
completion per plan, person and shift (PAT-3). Each action is one small view calling one
service; a refusal shows the round again with the message and the refusal's status."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhiban.core.actors import Source
from zhiban.core.errors import DomainError, MissingVersion
from zhiban.core.nav import AREAS
from zhiban.core.pdf import pdf_response
from zhiban.core.permissions import Action
from zhiban.core.scoping import can
from zhiban.core.selectors import get_or_404
from zhiban.core.web import centre_page, required_version
from zhiban.org.selectors import site_list
from zhiban.registers.resources.desk import REPAIR_LIST, REPAIRS
from zhiban.upkeep.views.defects import report_url as defect_report_url

from . import photos, qr, selectors, services
from .forms import AnswerForm, ConfirmForm
from .models import PatrolRound, Result, RoundState

WEB = Source.WEB
AREA = "patrols"
INCIDENT_CENTRES = next(area.kinds for area in AREAS if area.key == "alarms")


@centre_page(AREA)
def home(request, centre):
    """The patrol desk: rounds due now and in progress, rounds missed in the last day."""
    now = timezone.now()
    return render(
        request,
        "patrols/home.html",
        {
            "open_rounds": selectors.open_rounds(centre, now).filter(
                pk__in=selectors.round_list(user=request.user, centre=centre).values("pk")
            ),
            "missed": selectors.missed_since(centre, now - timedelta(days=1))[:20],
            "can_plan": can(request.user, Action.PATROL_PLAN, centre),
        },
    )


@centre_page(AREA)
def centre_round(request, centre):
    """PAT-5: the centre's own patrol from the duty pages — its round open now, else its
    rounds (the duty log shows each ended one under the centre's unit)."""
    plans = selectors.centre_own_plans(centre)
    rnd = selectors.open_rounds(centre).filter(plan__in=plans).first()
    if rnd is not None:
        return HttpResponseRedirect(reverse("patrols:round_detail", args=[centre.code, rnd.pk]))
    query = {"plan": plan.pk} if (plan := plans.first()) else {}
    url = reverse("patrols:round_list", args=[centre.code])
    return HttpResponseRedirect(f"{url}?{urlencode(query)}" if query else url)


def _round_context(request, centre, rnd: PatrolRound, error: str = "") -> dict:
    """The round with one checkpoint open (``?checkpoint=<id>``, else the first without a
    result): a round of a hundred sampled branches stays one short list on a phone, and the
    page renders one form, not a hundred (bench/patrol_scale.py)."""
    walking = rnd.state == RoundState.IN_PROGRESS and selectors.may_walk(request.user, rnd)
    checks = list(rnd.checks.all())
    wanted = request.GET.get("checkpoint", "")
    focus = next((c for c in checks if str(c.checkpoint_id) == wanted), None)
    if focus is None and walking:
        focus = next((c for c in checks if c.result == Result.PENDING), None)
    for row in checks:
        row.incident_url = _incident_url(centre, rnd, row)
        row.repair_url = _repair_url(centre, row)
        row.defect_url = _defect_url(request, centre, rnd, row)
    if focus is not None:
        focus.counted = [
            (item, focus.counts.get(str(item.seq), ""))
            for item in focus.checkpoint.items.all()
            if item.minimum is not None
        ]
    return {
        "round": rnd,
        "checks": checks,
        "focus": focus,
        "checked": sum(1 for c in checks if c.result != Result.PENDING),
        "walking": walking,
        "can_start": rnd.state == RoundState.DUE and selectors.may_walk(request.user, rnd),
        "answer_form": AnswerForm(centre=centre)
        if rnd.plan.station_patrol
        and rnd.answered_at is None
        and rnd.state == RoundState.DUE
        and can(request.user, Action.PATROL_ANSWER, centre)
        else None,
        "confirm_form": ConfirmForm(centre=centre) if walking else None,
        "result_choices": [
            (Result.NORMAL, Result.NORMAL.label),
            (Result.ABNORMAL, Result.ABNORMAL.label),
        ],
        "error": error,
    }


def _incident_url(centre, rnd, row) -> str:
    """An abnormal result offers to open an incident prefilled with the checkpoint (PAT-2)."""
    if row.result != Result.ABNORMAL or centre.kind not in INCIDENT_CENTRES:
        return ""
    query = urlencode(
        {
            "site": row.checkpoint.site_id,
            "title": f"{row.checkpoint.name}: {row.note}"[:200],
            "location": str(row.checkpoint)[:200],
            "description": f"{rnd.plan.name} · {row.note}"[:2000],
        }
    )
    return reverse("alarms:incident_new", args=[centre.code]) + "?" + query


def _repair_url(centre, row) -> str:
    """An abnormal result at a desk that keeps the repairs register offers to report the fault
    there, prefilled with the checkpoint and the note (PAT-2, REG-6)."""
    if row.result != Result.ABNORMAL or centre.kind not in REPAIRS.kinds:
        return ""
    query = urlencode(
        {
            "equipment": str(row.checkpoint)[:100],
            "fault": row.note[:500],
            "reported_by": row.checked_by.name if row.checked_by else "",
        }
    )
    return REPAIR_LIST.url("new", centre) + "?" + query


def _defect_url(request, centre, rnd, row) -> str:
    """An abnormal result at a power centre offers to report a defect, prefilled with the
    checkpoint's site and equipment and the note (PAT-2, DEF-1)."""
    if row.result != Result.ABNORMAL:
        return ""
    return defect_report_url(
        centre,
        request.user,
        site=row.checkpoint.site_id,
        equipment=row.checkpoint.equipment_id,
        kind="local",
        phenomenon=f"{row.checkpoint.name}: {row.note}"[:1000],
        origin="patrol",
        origin_id=rnd.pk,
    )


@centre_page(AREA)
def round_detail(request, centre, pk):
    rnd = selectors.round_get(user=request.user, centre=centre, pk=pk)
    return render(request, "patrols/round.html", _round_context(request, centre, rnd))


def _run(request, centre, pk, call):
    """Run ``call(rnd, version)``; back to the round (at the checkpoint ``call`` names, if it
    names one), or the round shown again with the refusal and its status (409, 422). A
    missing version answers as it is (DESIGN-1)."""
    rnd = selectors.round_get(user=request.user, centre=centre, pk=pk)
    version = required_version(request)
    try:
        checkpoint = call(rnd, version)
    except MissingVersion:
        raise
    except DomainError as error:
        fields = getattr(error, "fields", None) or {}
        text = "；".join(m for ms in fields.values() for m in ms) or error.text()
        rnd = selectors.round_get(user=request.user, centre=centre, pk=pk)
        context = _round_context(request, centre, rnd, error=text)
        return render(request, "patrols/round.html", context, status=error.status)
    url = reverse("patrols:round_detail", args=[centre.code, pk])
    if isinstance(checkpoint, int):
        url += f"?checkpoint={checkpoint}#check-{checkpoint}"
    return HttpResponseRedirect(url)


@require_POST
@centre_page(AREA, Action.PATROL_ANSWER)
def round_answer(request, centre, pk):
    return _run(
        request,
        centre,
        pk,
        lambda rnd, version: services.round_answer(
            actor=request.user, source=WEB, round_id=rnd.pk, version=version, data=request.POST
        ),
    )


@require_POST
@centre_page(AREA, Action.PATROL_WALK)
def round_start(request, centre, pk):
    return _run(
        request,
        centre,
        pk,
        lambda rnd, version: services.round_start(
            actor=request.user, source=WEB, round_id=rnd.pk, version=version
        ),
    )


@require_POST
@centre_page(AREA, Action.PATROL_WALK)
def round_check(request, centre, pk):
    """A checkpoint's result with its counted items (``count_<seq>``) and an optional photo."""

    def call(rnd, version):
        data = {
            "checkpoint": request.POST.get("checkpoint"),
            "result": request.POST.get("result"),
            "note": request.POST.get("note", ""),
            "counts": {
                key.removeprefix("count_"): value
                for key, value in request.POST.items()
                if key.startswith("count_")
            },
        }
        rnd = services.round_check(
            actor=request.user, source=WEB, round_id=rnd.pk, version=version, data=data
        )
        upload = request.FILES.get("photo")
        if upload is not None:
            services.round_photo(
                actor=request.user,
                source=WEB,
                round_id=rnd.pk,
                version=rnd.version,
                checkpoint_id=data["checkpoint"],
                data=_read(upload, centre),
            )

    return _run(request, centre, pk, call)


def _read(upload, centre) -> bytes:
    """The upload's bytes, reading no more than one byte past the centre's limit."""
    limit = centre.setting("patrols.photo_max_kb") * 1024
    return upload.read(limit + 1)


@require_POST
@centre_page(AREA, Action.PATROL_WALK)
def round_confirm(request, centre, pk):
    return _run(
        request,
        centre,
        pk,
        lambda rnd, version: (
            services.round_confirm(
                actor=request.user, source=WEB, round_id=rnd.pk, version=version, data=request.POST
            ).checkpoint_id
        ),
    )


@require_POST
@centre_page(AREA, Action.PATROL_WALK)
def round_end(request, centre, pk):
    return _run(
        request,
        centre,
        pk,
        lambda rnd, version: services.round_end(
            actor=request.user, source=WEB, round_id=rnd.pk, version=version
        ),
    )


@centre_page(AREA)
def round_photo(request, centre, pk):
    """A round's photo, only through the round's scope (404 otherwise, ORG-3): served with
    its image type, ``nosniff`` and as an attachment-safe inline image, never as a page."""
    found = selectors.photo_get(user=request.user, centre=centre, pk=pk)
    path = photos.path_of(found.name)
    if not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), content_type=found.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = f'inline; filename="{found.name}"'
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@centre_page(AREA, Action.PATROL_PLAN)
def qr_sheet(request, centre, pk):
    """PAT-2: the QR codes of a site's checkpoints as a printable PDF sheet."""
    site = get_or_404(site_list(user=request.user, centre=centre).select_related("centre"), pk)
    checkpoints = (
        selectors.checkpoint_list(user=request.user, centre=centre)
        .filter(site=site, active=True)
        .order_by("name")
    )
    return pdf_response(qr.sheet_pdf(site, checkpoints), f"{centre.code}-{site.code}-qr.pdf")


@centre_page(AREA)
def completion(request, centre):
    """PAT-3: rounds done, missed and open per plan, per person and per shift."""
    since, until = selectors.span(centre, request.GET)
    return render(
        request,
        "patrols/completion.html",
        {
            "figures": selectors.completion(
                user=request.user, centre=centre, since=since, until=until
            ),
            "since": since,
            "until": until - timedelta(days=1),
        },
    )
