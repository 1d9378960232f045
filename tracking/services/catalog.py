"""Clients, projects and tasks: create, update, archive."""

from django.db import transaction

from accounts import policy

from .. import signals
from ..exceptions import InvalidEntry
from ..models import Client, Project, Task
from ._common import send_on_commit

CLIENT_FIELDS = ("name", "contact", "default_hourly_rate", "archived")
PROJECT_FIELDS = (
    "client",
    "name",
    "code",
    "color",
    "billable",
    "hourly_rate",
    "budget_hours",
    "budget_amount",
    "archived",
    "is_public",
)
TASK_FIELDS = (
    "project",
    "name",
    "description",
    "status",
    "priority",
    "assignee",
    "due_date",
    "source",
    "external_ref",
    "external_url",
    "archived",
)

_SIGNALS = {
    Client: (signals.client_changed, "client_id"),
    Project: (signals.project_changed, "project_id"),
    Task: (signals.task_changed, "task_id"),
}


def _announce(obj, actor, action: str) -> None:
    signal, id_name = _SIGNALS[type(obj)]
    extra = {"project_id": obj.project_id} if isinstance(obj, Task) else {}
    send_on_commit(signal, type(obj), **{id_name: obj.pk}, actor_id=getattr(actor, "pk", None), action=action, **extra)


def _require(actor, action: str, obj) -> None:
    # actor=None is the system itself (a connector, a sync task, a management command), which the policy
    # does not restrict; every interface a person uses passes that person.
    if actor is not None:
        policy.require(actor, action, obj)


def _check_fields(fields: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise InvalidEntry(f"Unknown fields: {', '.join(sorted(unknown))}.")


def _create(model, actor, fields: dict, allowed: tuple[str, ...], m2m: dict | None = None):
    _check_fields(fields, allowed)
    obj = model(**fields)
    _require(actor, policy.CREATE, obj)
    obj.full_clean()
    obj.save()
    for name, values in (m2m or {}).items():
        if values is not None:
            getattr(obj, name).set(values)
    _announce(obj, actor, signals.CREATED)
    return obj


def _update(obj, actor, fields: dict, allowed: tuple[str, ...], m2m: dict | None = None):
    _check_fields(fields, allowed)
    _require(actor, policy.CHANGE, obj)
    obj = type(obj).objects.get(pk=obj.pk)
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    for name, values in (m2m or {}).items():
        if values is not None:
            getattr(obj, name).set(values)
    _announce(obj, actor, signals.UPDATED)
    return obj


def _archive(obj, actor, archived: bool):
    _require(actor, policy.ARCHIVE, obj)
    obj.archived = archived
    obj.save(update_fields=["archived", "updated_at"])
    _announce(obj, actor, signals.ARCHIVED if archived else signals.UPDATED)
    return obj


@transaction.atomic
def client_create(*, actor, **fields) -> Client:
    return _create(Client, actor, fields, CLIENT_FIELDS)


@transaction.atomic
def client_update(*, actor, client: Client, **fields) -> Client:
    return _update(client, actor, fields, CLIENT_FIELDS)


@transaction.atomic
def client_archive(*, actor, client: Client, archived: bool = True) -> Client:
    return _archive(client, actor, archived)


@transaction.atomic
def project_create(*, actor, teams=None, members=None, **fields) -> Project:
    if fields.get("client") is not None and fields["client"].archived:
        raise InvalidEntry(f"The client “{fields['client']}” is archived.", field="client")
    return _create(Project, actor, fields, PROJECT_FIELDS, {"teams": teams, "members": members})


@transaction.atomic
def project_update(*, actor, project: Project, teams=None, members=None, **fields) -> Project:
    return _update(project, actor, fields, PROJECT_FIELDS, {"teams": teams, "members": members})


@transaction.atomic
def project_archive(*, actor, project: Project, archived: bool = True) -> Project:
    return _archive(project, actor, archived)


@transaction.atomic
def task_create(*, actor, **fields) -> Task:
    project = fields.get("project")
    if project is not None and project.archived:
        raise InvalidEntry(f"The project “{project}” is archived.", field="project")
    return _create(Task, actor, fields, TASK_FIELDS)


@transaction.atomic
def task_update(*, actor, task: Task, **fields) -> Task:
    return _update(task, actor, fields, TASK_FIELDS)


@transaction.atomic
def task_archive(*, actor, task: Task, archived: bool = True) -> Task:
    return _archive(task, actor, archived)
