"""Reads of the catalog — clients, projects, tasks, tags — and of the choices the forms offer.

One function per list, used by the API, the web pages and the forms alike; each starts from `accounts.policy`.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet

from accounts import policy

from ..exceptions import InvalidFilter
from ..models import Client, Project, Tag, Task
from .entries import _in, entry_totals, time_entry_list

# Projects listed by client, those without a client first, then by name — the same on SQLite and PostgreSQL
# (which otherwise disagree on where NULLs sort).
PROJECTS_BY_CLIENT = (F("client__name").asc(nulls_first=True), "name")


def _catalog_filters(qs: QuerySet, filters: dict | None, allowed: dict[str, str], search: tuple[str, ...] = ()):
    """Apply `filters` (None values ignored); "search" matches any of the `search` fields, case-insensitively."""
    filters = {k: v for k, v in (filters or {}).items() if v is not None}
    text = str(filters.pop("search", "") or "").strip() if search else ""
    unknown = set(filters) - set(allowed)
    if unknown:
        raise InvalidFilter(f"Unknown filters: {', '.join(sorted(unknown))}.", field=sorted(unknown)[0])
    for name, value in filters.items():
        lookup = allowed[name]
        qs = qs.filter(_in(lookup, value)) if not isinstance(value, bool) else qs.filter(**{lookup: value})
    if text:
        query = Q()
        for field in search:
            query |= Q(**{f"{field}__icontains": text})
        qs = qs.filter(query)
    return qs


def client_list(*, viewer, filters: dict | None = None) -> QuerySet:
    """Clients `viewer` may see, by name, each with `project_count` (its open projects).

    filters: archived (bool), search (part of the name or contact).
    """
    qs = policy.visible(viewer, Client.objects.all())
    qs = _catalog_filters(qs, filters, {"archived": "archived"}, search=("name", "contact"))
    # Explicit order: Django leaves Meta.ordering out of a query with an aggregate.
    return qs.annotate(project_count=Count("projects", filter=Q(projects__archived=False))).order_by("name")


def project_list(*, viewer, filters: dict | None = None) -> QuerySet:
    """Projects `viewer` may see, by name.

    filters: client (id/instance/list), archived, billable (bool), search (part of the name, code or client's name).
    """
    qs = policy.visible(viewer, Project.objects.all())
    qs = _catalog_filters(
        qs,
        filters,
        {"client": "client_id", "archived": "archived", "billable": "billable"},
        search=("name", "code", "client__name"),
    )
    return qs.select_related("client").prefetch_related("teams", "members")


def task_list(*, viewer, filters: dict | None = None) -> QuerySet:
    """Tasks `viewer` may see. filters: project, assignee (ids), status (a Task.Status or list), archived (bool),
    search (part of the name or description)."""
    qs = policy.visible(viewer, Task.objects.all())
    qs = _catalog_filters(
        qs,
        filters,
        {"project": "project_id", "assignee": "assignee_id", "status": "status", "archived": "archived"},
        search=("name", "description"),
    )
    return qs.select_related("project", "project__client", "assignee")


def tag_list(*, viewer, filters: dict | None = None) -> QuerySet:
    """Tags, by name. filters: name (case-insensitive, contains)."""
    qs = policy.visible(viewer, Tag.objects.all())
    filters = dict(filters or {})
    name = filters.pop("name", None)
    qs = _catalog_filters(qs, filters, {})
    return qs.filter(name__icontains=name) if name else qs


def tasks_by_status(*, viewer, filters: dict | None = None) -> list[dict]:
    """The task board: one column per status, from `task_list` with the same filters."""
    tasks = list(task_list(viewer=viewer, filters=filters))
    return [
        {"status": value, "label": label, "tasks": [t for t in tasks if t.status == value]}
        for value, label in Task.Status.choices
    ]


def trackable_projects(*, user) -> QuerySet:
    """Projects `user` may log time on, by client and name (the timer's and the entry form's choices)."""
    return policy.trackable_projects(user).select_related("client").order_by(*PROJECTS_BY_CLIENT)


def trackable_tasks(*, user) -> QuerySet:
    """Open tasks of the projects `user` may log time on."""
    return (
        Task.objects.filter(project__in=policy.trackable_projects(user), archived=False)
        .exclude(status=Task.Status.DONE)
        .select_related("project")
        .order_by("project__name", "name")
    )


def user_choices(*, viewer) -> QuerySet:
    """The people whose time `viewer` may see (for the "user" filter of managers and viewers)."""
    from accounts.models import User

    return policy.visible(viewer, User.objects.filter(is_active=True)).order_by("username")


def team_choices(*, viewer) -> QuerySet:
    """The teams `viewer` may see (for the teams who may track on a project)."""
    from accounts.models import Team

    return policy.visible(viewer, Team.objects.all()).order_by("name")


def client_get(*, viewer, pk: int) -> Client:
    return policy.visible(viewer, Client.objects.all()).get(pk=pk)


def project_get(*, viewer, pk: int) -> Project:
    return policy.visible(viewer, Project.objects.select_related("client")).get(pk=pk)


def task_get(*, viewer, pk: int) -> Task:
    return policy.visible(viewer, Task.objects.select_related("project", "project__client", "assignee")).get(pk=pk)


def project_summary(*, viewer, project: Project) -> dict:
    """Totals of the project's time `viewer` may see, and how much of its budget is used (in percent)."""
    totals = entry_totals(time_entry_list(viewer=viewer, filters={"project": project.pk}))
    hours = Decimal(totals["seconds"]) / 3600
    totals["hours_pct"] = (
        min(int(hours * 100 / project.budget_hours), 999) if project.budget_hours else None
    )  # capped so an overrun still draws a full bar with an honest number
    totals["amount_pct"] = (
        min(int(totals["amount"] * 100 / project.budget_amount), 999) if project.budget_amount else None
    )
    return totals
