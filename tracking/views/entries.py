"""Time entries: list with filters, week view, manual add, inline edit, delete with undo, bulk actions."""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import DEFERRED
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_POST

from accounts import policy
from accounts.models import Role, User
from timetracker.counting import bounded_count
from timetracker.errors import message as error_message
from timetracker.prepared import PreparedRead

from .. import selectors, services, signals
from ..exports import export_response, with_currency
from ..forms import BulkForm, EntryFieldForm, EntryFilterForm, EntryForm, add_service_error, tag_names
from ..models import Client, Project, Tag, Task, TimeEntry
from ..periods import local_today, outside_window, week_start
from ..rows import project_option_rows
from ..selectors import entry_totals, time_entry_list
from ..utils import format_duration, parse_duration
from ._common import back, get_or_404, mark_changeable

PAGE_SIZE = 50
UNDO_KEY = "tt_undo_entries"


# The columns a row of the list shows (tracking.rows.entry_row) and mark_changeable reads: the people's, projects'
# and clients' other columns (dates among them, each parsed) were most of the cost of reading a page of 50 entries.
ROW_FIELDS = (
    *("start", "end", "duration_seconds", "billable", "notes", "user", "project", "task"),
    *("user__username", "user__full_name", "user__first_name", "user__last_name", "user__timezone"),
    *("project__name", "project__color", "project__code", "project__client", "project__client__name"),
    "task__name",
)


def _build_first_page(role: str, size: int, *, viewer_id: int):
    # The access rule reads the viewer's id and role alone (an inactive viewer is not asked here).
    viewer = policy.rule_viewer(viewer_id, role)
    return time_entry_list(viewer=viewer, filters={}).values("pk", *ROW_FIELDS)[:size]


# The unfiltered list's first page (the common case), compiled once per process, role and page size
# (timetracker.prepared):
# PostgreSQL planned its five-table join in ~1 ms for ~0.3 ms of execution, and Django built it on every list.
_first_page_read = PreparedRead(_build_first_page, unused_values=True)


def _loaded(model, row: dict, names: dict):
    """An instance of `model` with the fields `names` maps to (attname -> key of `row`) loaded, as `.only()` and
    select_related load it (Model.from_db, the other fields deferred)."""
    values = [row[names[f.attname]] if f.attname in names else DEFERRED for f in model._meta.concrete_fields]
    return model.from_db("default", list(names), values)


_ENTRY_NAMES = {"id": "pk", **{f: f for f in ROW_FIELDS[:5]}, "user_id": "user", "project_id": "project"}
_ENTRY_NAMES["task_id"] = "task"
_USER_NAMES = {"id": "user", **{f: f"user__{f}" for f in ("username", "full_name", "first_name", "last_name")}}
_USER_NAMES["timezone"] = "user__timezone"
_PROJECT_NAMES = {"id": "project", "name": "project__name", "color": "project__color", "code": "project__code"}
_PROJECT_NAMES["client_id"] = "project__client"


def first_page_entries(viewer) -> list[TimeEntry]:
    """The unfiltered list's first page of entries, as `time_entry_list(...).only(*ROW_FIELDS)[:PAGE_SIZE]` reads
    them (the same SQL, sent without building it), with their user, project, client and task."""
    entries = []
    for row in _first_page_read.rows((viewer.role, PAGE_SIZE), viewer_id=viewer.pk):
        entry = _loaded(TimeEntry, row, _ENTRY_NAMES)
        entry.user = _loaded(User, row, _USER_NAMES)
        project = entry.project = _loaded(Project, row, _PROJECT_NAMES)
        project.client = (
            _loaded(Client, row, {"id": "project__client", "name": "project__client__name"})
            if row["project__client"] is not None
            else None
        )
        entry.task = _loaded(Task, row, {"id": "task", "name": "task__name"}) if row["task"] is not None else None
        entries.append(entry)
    return entries


class _CountedPaginator(Paginator):
    """A paginator told its count (bounded_count's: exact, or an estimate for a very long list)."""

    def __init__(self, *args, count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.__dict__["count"] = count


@login_required
def entry_list(request):
    viewer = request.user
    filters_form = EntryFilterForm(request.GET or None, viewer=viewer)
    filters = filters_form.selector_filters(viewer.tzinfo) if filters_form.is_bound else {}
    entries = time_entry_list(viewer=viewer, filters=filters)
    if filters_form.errors:  # say what is wrong with the filters; never list everything as if they applied
        entries = entries.none()
    count, exact = bounded_count(entries)
    shown = entries.only(*ROW_FIELDS).prefetch_related(None)
    page = _CountedPaginator(shown, PAGE_SIZE, count=count).get_page(request.GET.get("page"))
    if not request.GET and policy.is_active(viewer):  # the unfiltered first page: its read compiled once
        page.object_list = first_page_entries(viewer)
    mark_changeable(viewer, page.object_list)
    tag_names = selectors.entry_tag_names(page.object_list)  # the rows show their tags' names only
    for entry in page.object_list:
        entry.tag_names = tag_names[entry.pk]
    # Totals of a few thousand entries are one quick sum; over an estimated million they would read every row.
    totals = entry_totals(entries, running=_own_running(request, filters_form)) if exact else None
    # The bulk select and the rows' picker show a project's name, colour, code and client's name, read as rows: for
    # one who writes, the filter's own project rows (the same projects), else (a viewer: none) from the selector.
    if policy.writes(viewer):
        projects = filters_form.trackable_project_rows()
    else:
        projects = project_option_rows(selectors.trackable_projects(user=viewer))
    context = {
        "filters": filters_form,
        "page": page,
        "entries": page.object_list,
        "days": _by_day(entries, list(page.object_list), viewer.tzinfo),
        "totals": totals,
        "count_exact": exact,
        "bulk_projects": projects,
        "inline_projects": projects if policy.writes(viewer) else None,  # one list for every row's project picker
        "show_user": viewer.role != "member",
    }
    return render(request, "tracking/entries.html", context, status=400 if filters_form.errors else 200)


ENTRY_HEADER = [
    "Date",
    "Start",
    "End",
    "Duration",
    "Hours",
    "Person",
    "Client",
    "Project",
    "Task",
    "Notes",
    "Tags",
    "Billable",
    "Amount",
]


def entry_rows(entries) -> list[list]:
    """One row per entry, in the viewer's time zone (the active one), as the detailed export writes it."""
    rows = []
    for entry in entries:
        start = timezone.localtime(entry.start)
        end = timezone.localtime(entry.end) if entry.end else None
        seconds = entry.duration_seconds if end else 0
        rate = entry.project.effective_hourly_rate
        amount = (Decimal(seconds) * rate / 3600).quantize(Decimal("0.01")) if entry.billable and rate else 0
        rows.append(
            [
                start.date().isoformat(),
                start.strftime("%H:%M"),
                end.strftime("%H:%M") if end else "running",
                format_duration(seconds),
                round(seconds / 3600, 2),
                entry.user.display_name,
                entry.project.client.name if entry.project.client_id else "",
                entry.project.name,
                entry.task.name if entry.task_id else "",
                entry.notes,
                ", ".join(t.name for t in entry.tags.all()),
                "yes" if entry.billable else "no",
                float(amount),
            ]
        )
    return rows


@login_required
def entry_export(request, fmt: str):
    """The detailed export: one row per entry of the list's current filters (all pages), CSV or XLSX."""
    viewer = request.user
    filters_form = EntryFilterForm(request.GET or None, viewer=viewer)
    if filters_form.is_bound and not filters_form.is_valid():
        return HttpResponse("Invalid filters: " + filters_form.errors.as_text(), status=400, content_type="text/plain")
    filters = filters_form.selector_filters(viewer.tzinfo) if filters_form.is_bound else {}
    rows = entry_rows(time_entry_list(viewer=viewer, filters=filters).order_by("start"))
    response = export_response(
        fmt,
        filename=f"timetracker-entries-{local_today(viewer).isoformat()}",
        header=with_currency(ENTRY_HEADER),
        rows=rows,
        sheet_title="Time entries",
        widths=(11, 7, 7, 10, 7, 20, 20, 24, 24, 40, 20, 8, 10),
    )
    signals.report_exported.send(sender=TimeEntry, user_id=viewer.pk, format=fmt, row_count=len(rows), interface="web")
    return response


@login_required
def entry_week(request):
    viewer = request.user
    try:
        day = date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = local_today(viewer)
    problem = outside_window(day, field="week")
    if problem:
        raise BadRequest(problem)
    person = viewer
    if request.GET.get("user"):
        person = get_or_404(selectors.user_choices(viewer=viewer).get, pk=request.GET["user"])
    return _week(request, week_start(day), person)


def _week(request, monday, person, *, cell_error=None, status=200):
    viewer = request.user
    grid = selectors.week_grid(viewer=viewer, user=person, monday=monday)
    approvals = services.approvals_enabled() and policy.writes(viewer)  # viewers see nothing of approvals
    editable = person == viewer and policy.can(viewer, policy.CREATE, TimeEntry)
    trackable = selectors.trackable_projects(user=viewer) if editable else None
    added = _int(request.GET.get("add") or request.POST.get("add"))
    if added and editable and not any(r["project"].pk == added and r["task"] is None for r in grid["rows"]):
        project = trackable.filter(pk=added).first()
        if project is not None:  # a new row for a project, to type its week into
            grid["rows"].append({"project": project, "task": None, "days": [0] * 7, "total": 0})
    for row in grid["rows"]:
        row["cells"] = [
            {"name": f"cell-{row['project'].pk}-{row['task'].pk if row['task'] else 0}-{i}", "seconds": s, "day": d}
            for i, (s, d) in enumerate(zip(row["days"], grid["days"], strict=True))
        ]
    context = {
        "sheet": selectors.timesheet_get(viewer=viewer, user=person, week=monday) if approvals else None,
        "approvals_enabled": approvals,
        "lock": selectors.period_lock_covering(user=person),
        "can_submit": approvals and person.pk == viewer.pk and monday <= week_start(local_today(viewer)),
        "grid": grid,
        "monday": monday,
        "previous": monday - timedelta(days=7),
        "next": monday + timedelta(days=7),
        "person": person,
        "people": selectors.user_choices(viewer=viewer) if viewer.role != "member" else None,
        "editable": editable,
        "trackable": trackable,
        "cell_error": cell_error or {},
    }
    return render(request, "tracking/week.html", context, status=status)


@login_required
@require_POST
def entry_week_cell(request):
    """Timesheet mode: the time typed into one cell of the person's own week becomes their entries for it."""
    viewer = request.user
    try:
        monday = week_start(date.fromisoformat(request.POST.get("week", "")))
        _, project_id, task_id, index = request.POST.get("cell", "").split("-")
        day = monday + timedelta(days=int(index))
        project = selectors.trackable_projects(user=viewer).get(pk=int(project_id))
        task = selectors.trackable_tasks(user=viewer).get(pk=int(task_id), project=project) if int(task_id) else None
    except (ValueError, ObjectDoesNotExist):
        return HttpResponse("Unknown cell of the week.", status=400, content_type="text/plain")
    name = request.POST["cell"]
    text = request.POST.get(name, "").strip()
    try:
        seconds = parse_duration(text) if text not in ("", "0", "-", "–") else 0
        services.week_cell_set(
            actor=viewer, user=viewer, project=project, task=task, day=day, seconds=seconds, tz=viewer.tzinfo
        )
    except ValueError as exc:
        return _week(request, monday, viewer, cell_error={"name": name, "message": str(exc), "text": text}, status=400)
    except (ValidationError, PermissionDenied) as exc:
        error = {"name": name, "message": error_message(exc), "text": text}
        return _week(request, monday, viewer, cell_error=error, status=400)
    return _week(request, monday, viewer)


@login_required
def entry_add(request):
    user = request.user
    if not policy.can(user, policy.CREATE, TimeEntry):
        raise PermissionDenied("Viewers read their team's time; they do not log time.")
    if request.method == "POST":
        form = EntryForm(request.POST, user=user)
        if form.is_valid():
            try:
                entry = services.time_entry_create(
                    actor=user, tags=tag_names(form.cleaned_data.get("tags")), **form.service_kwargs()
                )
            except (ValidationError, PermissionDenied) as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, f"Added {format_duration(entry.duration_seconds)} on {entry.project}.")
                return back(request, "entry_list")
        return render(request, "tracking/entry_form.html", {"form": form, "adding": True}, status=400)
    initial = {"date": request.GET.get("date") or local_today(user), "billable": True}
    if project := selectors.trackable_projects(user=user).filter(pk=_int(request.GET.get("project"))).first():
        initial.update(project=project.pk, billable=project.billable)  # the default follows the project
    return render(request, "tracking/entry_form.html", {"form": EntryForm(user=user, initial=initial), "adding": True})


@login_required
def entry_edit(request, pk: int):
    """Edit an entry: a full page, or (from the list, with htmx) a form in place of the table row."""
    entry = get_or_404(selectors.time_entry_get, viewer=request.user, pk=pk)
    if not policy.can(request.user, policy.CHANGE, entry):
        raise PermissionDenied("You may not change this entry.")
    inline = bool(request.htmx) and not request.htmx.boosted
    template = "tracking/_entry_row_form.html" if inline else "tracking/entry_form.html"
    if request.method == "POST":
        form = EntryForm(request.POST, user=entry.user, entry=entry)
        if form.is_valid():
            try:
                entry = services.time_entry_update(
                    actor=request.user,
                    entry=entry,
                    tags=tag_names(form.cleaned_data.get("tags")),
                    **form.service_kwargs(),
                )
            except (ValidationError, PermissionDenied) as exc:
                add_service_error(form, exc)
            else:
                if inline:
                    return _row(request, selectors.time_entry_get(viewer=request.user, pk=entry.pk))
                messages.success(request, "Entry saved.")
                return back(request, "entry_list")
        return render(request, template, {"form": form, "entry": entry}, status=400)
    if request.GET.get("cancel") and inline:
        return _row(request, entry)
    return render(request, template, {"form": EntryForm(user=entry.user, entry=entry), "entry": entry})


MAX_GROUP_ROWS = PAGE_SIZE  # a day group on a page holds at most a page of rows


def _refused(message: str, status: int = 400) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


@login_required
@require_POST
def entry_inline(request, pk: int):
    """One field of an entry changed on its row (description, project, start, end or duration) through the same
    service as the edit form. Answers the row's day group with its total and the page's totals, or the reason in
    plain text (400; 403 for an entry the viewer may see but not change) with nothing saved."""
    viewer = request.user
    entry = get_or_404(selectors.time_entry_get, viewer=viewer, pk=pk)
    if not policy.can(viewer, policy.CHANGE, entry):
        return _refused("You may not change this entry.", status=403)
    if entry.end is None:
        return _refused("A running timer is changed in the timer bar.")
    form = EntryFieldForm(request.POST, entry=entry)
    if not form.is_valid():
        return _refused(" ".join(str(m) for errors in form.errors.values() for m in errors))
    if changes := form.changes():
        try:
            services.time_entry_update(actor=viewer, entry=entry, **changes)
        except PermissionDenied as exc:
            return _refused(error_message(exc), status=403)
        except ValidationError as exc:  # overlap, locked time, rules of the entry
            return _refused(error_message(exc))
    if request.POST.get("view") == "recent":
        return _recent_group(request)
    return _day_group(request, pk)


def _recent_group(request):
    """The dashboard's recent entries and the viewer's own totals (today, this week), as the dashboard shows them."""
    viewer = request.user
    recent = list(selectors.recent_entries(user=viewer))
    mark_changeable(viewer, recent)
    running = services.timer_status(user=viewer)
    totals = selectors.own_totals(user=viewer, today=local_today(viewer), running=running)
    return render(request, "tracking/_recent_swap.html", {"recent": recent, "totals": totals})


def _day_group(request, pk: int):
    """The day group holding entry `pk` as the page shows it (its rows: `ids`), with the day's and the page's totals
    under the page's filters (`q`, the list's query string)."""
    viewer = request.user
    sent = (v.strip() for v in request.POST.get("ids", "").split(",")[:MAX_GROUP_ROWS])
    ids = {int(v) for v in sent if v.isdigit() and len(v) <= 18} | {pk}  # ids, not numbers past the database's
    query = QueryDict(request.POST.get("q", "").lstrip("?")[:2000])
    filters_form = EntryFilterForm(query or None, viewer=viewer)
    valid = filters_form.is_bound and filters_form.is_valid()
    filters = filters_form.selector_filters(viewer.tzinfo) if valid else {}
    listed = time_entry_list(viewer=viewer, filters=filters)
    rows = list(time_entry_list(viewer=viewer).filter(pk__in=ids))
    mark_changeable(viewer, rows)
    entry = next(row for row in rows if row.pk == pk)
    day = timezone.localtime(entry.start, viewer.tzinfo).date()
    rows = [row for row in rows if timezone.localtime(row.start, viewer.tzinfo).date() == day]
    count, exact = bounded_count(listed)
    context = {
        "group": {
            "day": day,
            "seconds": selectors.day_totals(listed, days=[day], tz=viewer.tzinfo).get(day, 0),
            "entries": rows,
        },
        "totals": entry_totals(listed) if exact else None,
        "count": count,
        "show_user": viewer.role != "member",
        "next_url": reverse("entry_list") + ("?" + query.urlencode() if query else ""),
    }
    return render(request, "tracking/_entry_day_swap.html", context)


def _own_running(request, filters_form) -> dict[int, int] | None:
    """{} when none of the listed entries can be running, read once with the timer bar's own read (left on the
    request for it): a member lists their own entries alone and runs at most one timer, so with none running
    there is none to look for among them. None (the totals look for them) otherwise."""
    viewer = request.user
    if viewer.role != Role.MEMBER or filters_form.errors:
        return None
    request.running_entry = services.timer_status(user=viewer)
    return {} if request.running_entry is None else None


def _by_day(entries, shown: list, tz) -> list[dict]:
    """The page's entries grouped by their local day, newest first, each day with its whole total."""
    groups: dict = {}
    for entry in shown:
        groups.setdefault(timezone.localtime(entry.start, tz).date(), []).append(entry)
    totals = selectors.day_totals(entries, days=list(groups), tz=tz)
    return [{"day": day, "seconds": totals.get(day, 0), "entries": rows} for day, rows in groups.items()]


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


def _row(request, entry):
    mark_changeable(request.user, [entry])
    return render(request, "tracking/_entry_row.html", {"entry": entry, "show_user": request.user.role != "member"})


def _snapshot(entry) -> dict:
    return {
        "user": entry.user_id,
        "project": entry.project_id,
        "task": entry.task_id,
        "start": entry.start.isoformat(),
        "end": entry.end.isoformat() if entry.end else None,
        "notes": entry.notes,
        "billable": entry.billable,
        "tags": [t.pk for t in entry.tags.all()],
        "source": entry.source,
    }


def _delete(request, entries) -> tuple[int, list[str]]:
    """Delete through the service, keeping what is needed to undo it in the session."""
    snapshots, failed = [], []
    for entry in entries:
        snapshot = _snapshot(entry)
        try:
            services.time_entry_delete(actor=request.user, entry=entry)
        except (PermissionDenied, ValidationError) as exc:  # e.g. PeriodLocked: the entry is in locked time
            failed.append(f"#{entry.pk}: {error_message(exc)}")
        else:
            snapshots.append(snapshot)
    request.session[UNDO_KEY] = snapshots
    return len(snapshots), failed


@login_required
@require_POST
def entry_delete(request, pk: int):
    entry = get_or_404(selectors.time_entry_get, viewer=request.user, pk=pk)
    if not policy.can(request.user, policy.DELETE, entry):
        raise PermissionDenied("You may not delete this entry.")
    done, failed = _delete(request, [entry])
    if failed:  # refused by a rule (locked time): say why, keep the entry
        messages.error(request, failed[0].split(": ", 1)[-1])
        return back(request, "entry_list")
    messages.success(request, "Entry deleted.", extra_tags="undo")
    return back(request, "entry_list")


@login_required
@require_POST
def entry_undo(request):
    """Put back the entries deleted last (by this person, in this session)."""
    snapshots = request.session.pop(UNDO_KEY, [])
    restored = 0
    for snap in snapshots:
        try:
            services.time_entry_create(
                actor=request.user,
                user=User.objects.get(pk=snap["user"]),
                project=Project.objects.get(pk=snap["project"]),
                task=Task.objects.filter(pk=snap["task"]).first() if snap["task"] else None,
                start=parse_datetime(snap["start"]),
                end=parse_datetime(snap["end"]) if snap["end"] else None,
                notes=snap["notes"],
                billable=snap["billable"],
                tags=list(Tag.objects.filter(pk__in=snap["tags"])),
                source=snap["source"],
            )
            restored += 1
        except (ValidationError, PermissionDenied, User.DoesNotExist, Project.DoesNotExist) as exc:
            messages.error(request, "Could not restore an entry: " + error_message(exc))
    if restored:
        messages.success(request, f"Restored {restored} entr{'y' if restored == 1 else 'ies'}.")
    elif not snapshots:
        messages.info(request, "Nothing to undo.")
    return back(request, "entry_list")


@login_required
@require_POST
def entry_bulk(request):
    form = BulkForm(request.POST, user=request.user)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        if not request.POST.getlist("ids"):
            messages.error(request, "Select at least one entry.")
        return back(request, "entry_list")
    action = form.cleaned_data["action"]
    entries = list(time_entry_list(viewer=request.user, filters={}).filter(pk__in=form.cleaned_data["ids"]))
    done, failed = 0, []
    if action == "delete":
        done, failed = _delete(request, entries)
    else:
        for entry in entries:
            change = (
                {"project": form.cleaned_data["project"], "task": None}
                if action == "set_project"
                else {"billable": action == "billable"}
            )
            try:
                services.time_entry_update(actor=request.user, entry=entry, **change)
                done += 1
            except (ValidationError, PermissionDenied) as exc:
                failed.append(f"#{entry.pk}: " + error_message(exc))
    if done:
        tags = "undo" if action == "delete" else ""
        messages.success(request, f"{dict(BulkForm.ACTIONS)[action]}: {done} entr{'y' if done == 1 else 'ies'}.", tags)
    for failure in failed:
        messages.error(request, failure)
    return back(request, "entry_list")
