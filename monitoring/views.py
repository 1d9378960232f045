"""Monitoring's pages and endpoints: /healthz, /readyz, /metrics, the admin health page, the usage page."""

from __future__ import annotations

import hmac

import redis
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Role

from . import metrics, onboarding, runner, store, usage

READINESS_TIMEOUT = 2.5


@never_cache
@require_GET
def healthz(request):
    """Liveness: the process answers. Touches nothing else."""
    return JsonResponse({"status": "ok"})


def _database_ready() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _broker_ready() -> None:
    conn = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        conn.ping()
    finally:
        conn.close()


@never_cache
@require_GET
def readyz(request):
    """Readiness: the database and the broker answer (within READINESS_TIMEOUT); 503 otherwise."""
    tasks = {"database": _database_ready}
    if store.configured():
        tasks["broker"] = _broker_ready
    answers = runner.probe(tasks, READINESS_TIMEOUT)
    checks = {name: "ok" if ok else "unavailable" for name, ok in answers.items()}
    checks.setdefault("broker", "not configured")
    ready = all(answers.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)


@never_cache
@require_GET
def metrics_view(request):
    """Prometheus' text format, for `Authorization: Bearer <METRICS_TOKEN>`; off (404) without a token set."""
    token = settings.METRICS_TOKEN
    if not token:
        raise Http404("Metrics are off: set METRICS_TOKEN.")
    given = request.headers.get("Authorization", "")
    if not given.startswith("Bearer "):
        response = HttpResponse("Authorization: Bearer <METRICS_TOKEN> required.\n", status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    if not hmac.compare_digest(given.removeprefix("Bearer ").strip().encode(), token.encode()):
        return HttpResponse("Wrong metrics token.\n", status=403)
    return HttpResponse(metrics.render(), content_type="text/plain; version=0.0.4; charset=utf-8")


def is_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_active and getattr(user, "role", None) == Role.ADMIN)


def _docs_url(path: str) -> str:
    if not path:
        return ""
    page, _, anchor = path.partition("#")
    return reverse("help_docs", args=[page]) + (f"#{anchor}" if anchor else "")


def check_rows(outcomes) -> list[dict]:
    return [
        {
            "name": o.name,
            "status": o.result.status,
            "value": o.result.value,
            "threshold": o.result.threshold,
            "advice": o.result.advice,
            "docs_url": _docs_url(o.result.docs),
            "details": o.result.details,
        }
        for o in outcomes
    ]


def _worst(rows: list[dict]) -> str:
    statuses = {r["status"] for r in rows}
    return "fail" if "fail" in statuses else "warn" if "warn" in statuses else "ok"


@never_cache
def health_page(request):
    """The admin's health page: every registered check, run side by side, each within its deadline."""
    if not is_admin(request.user):
        raise PermissionDenied("Only administrators may see the installation's health.")
    rows = check_rows(runner.run_checks())
    context = {
        **admin.site.each_context(request),
        "title": "Installation health",
        "checks": rows,
        "worst": _worst(rows),
        "docs_url": _docs_url("admin/monitoring/README.md"),
        "scaling_url": _docs_url("admin/monitoring/scaling.md"),
    }
    return render(request, "monitoring/health.html", context)


health_admin_view = admin.site.admin_view(health_page)


@never_cache
def usage_page(request):
    """How the organisation uses TimeTracker: admins see every team, managers the teams they manage."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not usage.may_see_usage(request.user):
        raise PermissionDenied("Only administrators and managers may see usage.")
    return render(request, "monitoring/usage.html", {"usage": usage.usage_overview(viewer=request.user)})


@require_POST
@login_required
def onboarding_confirm_timezone(request):
    onboarding.onboarding_step_done(actor=request.user, step=onboarding.STEP_TIMEZONE)
    return redirect("dashboard")


@require_GET
@login_required
def onboarding_open_reports(request):
    """The checklist's link to the team's reports: counts the step, then goes there."""
    onboarding.onboarding_step_done(actor=request.user, step=onboarding.STEP_REPORTS)
    return redirect("report")


@require_POST
@login_required
def onboarding_dismiss(request):
    onboarding.onboarding_dismiss(actor=request.user)
    return redirect("dashboard")
