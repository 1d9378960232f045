"""Clients, projects and tasks: lists with search and archive, detail pages with totals, the task board."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts import policy
from timetracker.errors import message as error_message

from .. import selectors, services
from ..forms import ClientForm, ProjectForm, TaskForm, add_service_error
from ..models import Client, Project, Task
from ..selectors import entry_totals, time_entry_list
from ._common import back, get_or_404


def _archived(request) -> bool:
    return request.GET.get("archived") == "1"


@login_required
def client_list(request):
    search = request.GET.get("q", "").strip()
    clients = selectors.client_list(viewer=request.user, filters={"search": search, "archived": _archived(request)})
    context = {
        "clients": clients,
        "q": search,
        "archived": _archived(request),
        "may_create": policy.can(request.user, policy.CREATE, Client),
    }
    return render(request, "tracking/clients.html", context)


@login_required
def client_detail(request, pk: int):
    client = get_or_404(selectors.client_get, viewer=request.user, pk=pk)
    entries = time_entry_list(viewer=request.user, filters={"client": client.pk})
    context = {
        "client": client,
        "projects": selectors.project_list(viewer=request.user, filters={"client": client, "archived": False}),
        "totals": entry_totals(entries),
        "recent": entries[:10],
        "may_archive": policy.can(request.user, policy.ARCHIVE, client),
        "may_change": policy.can(request.user, policy.CHANGE, client),
    }
    return render(request, "tracking/client_detail.html", context)


@login_required
def project_list(request):
    search = request.GET.get("q", "").strip()
    projects = selectors.project_list(
        viewer=request.user, filters={"search": search, "archived": _archived(request)}
    ).order_by(*selectors.PROJECTS_BY_CLIENT)
    context = {
        "projects": projects,
        "q": search,
        "archived": _archived(request),
        "may_create": policy.can(request.user, policy.CREATE, Project),
    }
    return render(request, "tracking/projects.html", context)


@login_required
def project_detail(request, pk: int):
    project = get_or_404(selectors.project_get, viewer=request.user, pk=pk)
    context = {
        "project": project,
        "summary": selectors.project_summary(viewer=request.user, project=project),
        "recent": time_entry_list(viewer=request.user, filters={"project": project.pk})[:10],
        "columns": selectors.tasks_by_status(viewer=request.user, filters={"project": project, "archived": False}),
        "may_archive": policy.can(request.user, policy.ARCHIVE, project),
        "may_change": policy.can(request.user, policy.CHANGE, project),
        "may_add_task": policy.can(request.user, policy.CREATE, Task),
        "statuses": Task.Status.choices,
    }
    return render(request, "tracking/project_detail.html", context)


@login_required
def task_board(request):
    search = request.GET.get("q", "").strip()
    context = {
        "columns": selectors.tasks_by_status(viewer=request.user, filters={"search": search, "archived": False}),
        "q": search,
        "may_create": policy.can(request.user, policy.CREATE, Task),
        "statuses": Task.Status.choices,
    }
    return render(request, "tracking/tasks.html", context)


def _create(request, form_class, service, title, list_url, **form_kwargs):
    model = form_class._meta.model
    if not policy.can(request.user, policy.CREATE, model):
        raise PermissionDenied(f"You may not create a {model._meta.verbose_name}.")
    form = form_class(request.POST or None, initial=request.GET.dict() or None, **form_kwargs)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                obj = service(actor=request.user, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, f"Created {model._meta.verbose_name} “{obj}”.")
                return back(request, list_url)
        status = 400
    context = {"form": form, "title": title, "cancel_url": reverse(list_url)}
    return render(request, "tracking/catalog_form.html", context, status=status)


@login_required
def client_new(request):
    return _create(request, ClientForm, services.client_create, "New client", "client_list")


@login_required
def project_new(request):
    return _create(request, ProjectForm, services.project_create, "New project", "project_list", viewer=request.user)


@login_required
def task_new(request):
    return _create(request, TaskForm, services.task_create, "New task", "task_board", viewer=request.user)


def _edit(request, form_class, service, obj, field: str, detail_url: str, **form_kwargs):
    """Change a client or project through its service; the service checks the policy (a 403 when not allowed)."""
    if not policy.can(request.user, policy.CHANGE, obj):
        raise PermissionDenied(f"You may not change this {obj._meta.verbose_name}.")
    form = form_class(request.POST or None, instance=obj, **form_kwargs)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                obj = service(actor=request.user, **{field: obj}, **data)
            except (ValidationError, PermissionDenied) as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, f"Saved {obj._meta.verbose_name} “{obj}”.")
                return redirect(detail_url, pk=obj.pk)
        status = 400
    title = f"Edit {obj._meta.verbose_name} “{obj}”"
    context = {"form": form, "title": title, "editing": obj, "cancel_url": reverse(detail_url, args=[obj.pk])}
    return render(request, "tracking/catalog_form.html", context, status=status)


@login_required
def client_edit(request, pk: int):
    client = get_or_404(selectors.client_get, viewer=request.user, pk=pk)
    return _edit(request, ClientForm, services.client_update, client, "client", "client_detail")


@login_required
def project_edit(request, pk: int):
    project = get_or_404(selectors.project_get, viewer=request.user, pk=pk)
    return _edit(
        request, ProjectForm, services.project_update, project, "project", "project_detail", viewer=request.user
    )


def _archive(request, selector, service, field, pk, list_url):
    obj = get_or_404(selector, viewer=request.user, pk=pk)
    archived = request.POST.get("archived", "1") == "1"
    service(actor=request.user, archived=archived, **{field: obj})
    messages.success(request, f"{'Archived' if archived else 'Restored'} “{obj}”.")
    return back(request, list_url)


@login_required
@require_POST
def client_archive(request, pk: int):
    return _archive(request, selectors.client_get, services.client_archive, "client", pk, "client_list")


@login_required
@require_POST
def project_archive(request, pk: int):
    return _archive(request, selectors.project_get, services.project_archive, "project", pk, "project_list")


@login_required
@require_POST
def task_archive(request, pk: int):
    return _archive(request, selectors.task_get, services.task_archive, "task", pk, "task_board")


@login_required
@require_POST
def task_status(request, pk: int):
    task = get_or_404(selectors.task_get, viewer=request.user, pk=pk)
    status = request.POST.get("status")
    if status not in Task.Status.values:
        messages.error(request, "Choose a status: to do, in progress or done.")
    else:
        try:
            services.task_update(actor=request.user, task=task, status=status)
        except ValidationError as exc:
            messages.error(request, error_message(exc))
    return back(request, "task_board")
