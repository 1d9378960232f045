"""Approvals on the web: submit one's week, decide on a person's week, and the manager's team overview.

The rules live in tracking.services (who may decide, which transitions exist, what locks); these views parse the
form, call the service and show its message. Members and viewers get a 403 on the overview.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from timetracker.errors import message as error_message

from .. import selectors, services
from ..periods import week_start
from ..utils import format_date
from ._common import back, get_or_404

DECISIONS = {
    "approve": (services.timesheet_approve, "Approved the week of {week} for {person}."),
    "reject": (services.timesheet_reject, "Returned the week of {week} to {person} with your comment."),
    "reopen": (services.timesheet_reopen, "Reopened the week of {week} for {person}."),
}


def _week(value) -> date:
    try:
        return week_start(date.fromisoformat(str(value or "")))
    except ValueError:
        raise Http404("No such week.") from None


def _id(value) -> int:
    value = str(value or "")
    return int(value) if value.isdigit() and len(value) < 19 else 0


def _week_url(person, monday: date, viewer) -> str:
    url = f"{reverse('entry_week')}?week={monday:%Y-%m-%d}"
    return url if person.pk == viewer.pk else f"{url}&user={person.pk}"


@login_required
@require_POST
def timesheet_submit(request):
    monday = _week(request.POST.get("week"))
    try:
        services.timesheet_submit(actor=request.user, week=monday)
        messages.success(request, f"Submitted the week of {format_date(monday, 'short')} for approval.")
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_message(exc))
    return back(request, _week_url(request.user, monday, request.user))


@login_required
@require_POST
def timesheet_decide(request):
    viewer = request.user
    monday = _week(request.POST.get("week"))
    person = get_or_404(selectors.timesheet_people(viewer=viewer, filters={"user": _id(request.POST.get("user"))}).get)
    decision = DECISIONS.get(request.POST.get("decision", ""))
    if decision is None:
        raise Http404("No such decision.")
    service, done = decision
    try:
        service(actor=viewer, user=person, week=monday, comment=request.POST.get("comment", ""))
        messages.success(request, done.format(week=format_date(monday, "short"), person=person.display_name))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_message(exc))
    return back(request, _week_url(person, monday, viewer))


@login_required
@require_POST
def timesheet_approve_bulk(request):
    viewer = request.user
    items = []
    for value in request.POST.getlist("week_of")[:500]:
        user_id, _, day = value.partition(":")
        person = selectors.timesheet_people(viewer=viewer, filters={"user": _id(user_id)}).first()
        if person is None:
            continue
        items.append((person, _week(day)))
    if not items:
        messages.error(request, "Choose the weeks to approve.")
        return back(request, reverse("team_overview"))
    approved, failed = services.timesheet_approve_many(actor=viewer, items=items)
    if approved:
        messages.success(request, f"Approved {len(approved)} week{'s' if len(approved) != 1 else ''}.")
    for line in failed:
        messages.error(request, line)
    return back(request, reverse("team_overview"))


@login_required
def team_overview(request, team_id: int | None = None):
    viewer = request.user
    teams = selectors.overview_teams(viewer=viewer)
    if not teams.exists():
        raise PermissionDenied("The team overview is for managers and admins.")
    team = get_or_404(teams.get, pk=team_id) if team_id is not None else teams.first()
    overview = selectors.team_overview(viewer=viewer, team=team)
    context = {
        "overview": overview,
        "teams": teams,
        "team": team,
        "approvals_enabled": services.approvals_enabled(),
    }
    return render(request, "tracking/team_overview.html", context)
