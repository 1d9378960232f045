"""The dashboard and the timer: start, stop, continue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts import policy
from timetracker.errors import message as error_message

from .. import panels, selectors, services
from ..exceptions import NoRunningTimer
from ..forms import TimerEditForm, TimerStartForm, add_service_error, tag_names
from ..models import Project, TimeEntry
from ..periods import local_today
from ..utils import format_duration
from ._common import back, get_or_404, mark_changeable


def _recent_projects(recent) -> list[int]:
    return list(dict.fromkeys(entry.project_id for entry in recent))


def _dashboard(request, form=None, edit_form=None, status=200):
    user = request.user
    # The rows show their tags' names only: read as names (one query), not as Tag objects per entry.
    recent = list(selectors.recent_entries(user=user).prefetch_related(None))
    tag_names = selectors.entry_tag_names(recent)
    for entry in recent:
        entry.tag_names = tag_names[entry.pk]
    running = request.running_entry = services.timer_status(user=user)  # also the header's (context processor)
    mark_changeable(user, recent)  # the recent entries are edited in place, outside locked time
    if form is None:
        form = TimerStartForm(user=user, recent_projects=_recent_projects(recent))
        # The bar's project options (and the rows' pickers, from the same read) are read as rows; a bound form (a
        # refused start) keeps whole projects, which its validation hands to the services.
        rows = form.project_rows()
        projects = [(pk, name, client_id, client, color, code) for pk, name, client_id, client, _b, color, code in rows]
    else:
        projects = form.fields["project"].queryset
    context = {
        "form": form,
        # The rows' project pickers offer the timer bar's projects (read once, for both).
        "inline_projects": projects if policy.writes(user) else None,
        "edit_form": edit_form or (TimerEditForm(user=user, entry=running) if running else None),
        "totals": selectors.own_totals(user=user, today=local_today(user), running=running),
        "recent": recent,
        "may_track": policy.can(user, policy.CREATE, TimeEntry),
        "may_create_project": policy.can(user, policy.CREATE, Project),
        "first_run": not recent and not selectors.has_entries(viewer=user),
        "panels": panels.panels(panels.DASHBOARD, request),
    }
    return render(request, "tracking/dashboard.html", context, status=status)


@login_required
def dashboard(request):
    home = panels.home_for(request.user)
    if home:
        return redirect(home)
    return _dashboard(request)


@login_required
@require_POST
def timer_start(request):
    form = TimerStartForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.timer_start(
                actor=request.user,
                project=data["project"],
                task=data.get("task"),
                notes=data.get("notes", ""),
                tags=tag_names(data.get("tags", "")),
                billable=data.get("billable"),
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_error(form, exc)
        else:
            return back(request, "dashboard")
    return _dashboard(request, form=form, status=400)


@login_required
@require_POST
def timer_edit(request):
    """Change the running timer in place: its description, project and start time."""
    running = services.timer_status(user=request.user)
    if running is None:
        messages.info(request, "No timer is running.")
        return back(request, "dashboard")
    form = TimerEditForm(request.POST, user=request.user, entry=running)
    if form.is_valid():
        try:
            services.time_entry_update(actor=request.user, entry=running, **form.changes())
        except (ValidationError, PermissionDenied) as exc:
            add_service_error(form, exc)
        else:
            return back(request, "dashboard")
    return _dashboard(request, edit_form=form, status=400)


@login_required
@require_POST
def timer_stop(request):
    try:
        entry = services.timer_stop(actor=request.user)
    except NoRunningTimer:
        messages.info(request, "No timer was running.")
    else:
        messages.success(request, f"Stopped: {entry.project} · {format_duration(entry.duration_seconds)}")
    return back(request, "dashboard")


@login_required
@require_POST
def timer_continue(request, pk: int):
    """Start a new timer with the project, task, notes and tags of an earlier entry."""
    entry = get_or_404(selectors.time_entry_get, viewer=request.user, pk=pk)
    try:
        running = services.timer_status(user=request.user)
        if running is not None:
            services.timer_stop(actor=request.user)
        services.timer_start(
            actor=request.user,
            project=entry.project,
            task=entry.task,
            notes=entry.notes,
            tags=list(entry.tags.all()),
            billable=entry.billable,
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_message(exc))
    return back(request, "dashboard")
