"""What a load balancer and a monitoring system ask (issue 16, ADR 0018): ``/healthz`` (the
process answers), ``/readyz`` (it can serve: core/health.py) and ``/metrics`` (Prometheus,
core/metrics.py). No login: a bearer token guards ``/metrics`` when ZHIBAN_METRICS_TOKEN is
set, and the nginx site in deploy/ lets only the monitoring network reach the last two."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST

from . import health, metrics


@never_cache
def healthz(request):
    """Alive: nothing outside the process is asked, so a database outage restarts nothing."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    """200 ``ready`` or ``degraded`` (a shared service failed: the broker, the worker, the
    outbox); 503 when an essential check fails (database, Redis), or any with ``?strict=1``."""
    checks = health.readiness()
    failed = [c for c in checks if not c.ok]
    strict = request.GET.get("strict") in {"1", "true"}
    down = any(c.essential for c in failed) or (strict and failed)
    body = {
        "status": "not ready" if down else "degraded" if failed else "ready",
        "checks": {c.name: {"ok": c.ok, "detail": c.detail} for c in checks},
    }
    return JsonResponse(body, status=503 if down else 200)


@never_cache
def metrics_view(request):
    token = settings.ZHIBAN_METRICS_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if token and not hmac.compare_digest(given.encode(), token.encode()):
        response = HttpResponse("a bearer token is needed (ZHIBAN_METRICS_TOKEN)\n", status=401)
        response["WWW-Authenticate"] = "Bearer"
        return response
    return HttpResponse(metrics.exposition(), content_type=CONTENT_TYPE_LATEST)
