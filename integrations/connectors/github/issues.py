"""From a GitHub issue to a TimeTracker task: the one mapping the webhook and the sync share."""

from __future__ import annotations

from django.db import IntegrityError

from tracking import services as tracking
from tracking.exceptions import InvalidEntry
from tracking.models import Project, Source, Task

HIGH_PRIORITY_LABELS = frozenset({"bug", "critical"})
NORMAL_PRIORITY_LABELS = frozenset({"enhancement"})


def external_ref(repository: str, number: int) -> str:
    """Unique across repositories: `github:owner/name#12`."""
    return f"github:{repository.lower()}#{number}"


def label_names(issue: dict) -> set[str]:
    return {str(label.get("name", "")).strip().lower() for label in issue.get("labels") or []}


def priority_for(issue: dict) -> str:
    labels = label_names(issue)
    if labels & HIGH_PRIORITY_LABELS:
        return Task.Priority.HIGH
    return Task.Priority.NORMAL


def passes_label_filter(issue: dict, label_filter: list[str]) -> bool:
    if not label_filter:
        return True
    return bool(label_names(issue) & {name.strip().lower() for name in label_filter})


def find_task(repository: str, number: int) -> Task | None:
    return Task.objects.filter(source=Source.GITHUB, external_ref=external_ref(repository, number)).first()


def upsert_task(*, issue: dict, repository: str, project_id: int) -> tuple[Task, str]:
    """Create or update the task of `issue`. Returns the task and "created", "updated" or "unchanged".

    Writes go through tracking.services with actor=None (the system). The status follows the issue's state
    without undoing work in progress: closed → done; open → todo only when the task was done.
    """
    closed = issue.get("state") == "closed"
    wanted = {
        "name": (issue.get("title") or f"Issue #{issue['number']}")[:300],
        "description": issue.get("body") or "",
        "priority": priority_for(issue),
        "external_url": (issue.get("html_url") or "")[:500],
    }
    task = find_task(repository, issue["number"])
    if task is None:
        project = Project.objects.filter(pk=project_id).first()
        if project is None:
            raise InvalidEntry("The GitHub integration's default project no longer exists; choose another.")
        try:
            task = tracking.task_create(
                actor=None,
                project=project,
                source=Source.GITHUB,
                external_ref=external_ref(repository, issue["number"]),
                status=Task.Status.DONE if closed else Task.Status.TODO,
                **wanted,
            )
            return task, "created"
        except IntegrityError:
            # Another delivery for the same issue created it a moment ago (the unique external_ref says so):
            # update that task instead.
            task = find_task(repository, issue["number"])
            if task is None:
                raise
    if closed:
        wanted["status"] = Task.Status.DONE
    elif task.status == Task.Status.DONE:
        wanted["status"] = Task.Status.TODO
    changes = {k: v for k, v in wanted.items() if getattr(task, k) != v}
    if not changes:
        return task, "unchanged"
    return tracking.task_update(actor=None, task=task, **changes), "updated"


def set_status(task: Task, status: str) -> bool:
    if task.status == status:
        return False
    tracking.task_update(actor=None, task=task, status=status)
    return True
