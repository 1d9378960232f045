"""GitHub webhook deliveries: signature check and the events → task changes table.

| event / action | effect |
|---|---|
| ping | 200, nothing changes |
| issues.opened | task created in the default project (status todo) |
| issues.edited | title and description updated |
| issues.closed / reopened | status done / todo |
| issues.labeled / unlabeled | priority derived again from the labels |
| issues.assigned | the user with that github_username is assigned; with auto_start_timer their timer starts |
| anything else | 202, ignored |
"""

from __future__ import annotations

import hashlib
import hmac

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from accounts.policy import PolicyDenied
from timetracker.errors import message as error_message
from tracking import services as tracking
from tracking.exceptions import TimerAlreadyRunning, TrackingError
from tracking.models import Source, Task

from ..base import WebhookOutcome
from . import issues

PROCESSED, IGNORED = "processed", "ignored"


def signature_valid(secret: str, body: bytes, header: str) -> bool:
    """X-Hub-Signature-256 is `sha256=` + the hex HMAC-SHA256 of the raw body; compared in constant time."""
    if not secret or not header:
        return False
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), header.strip().encode("utf-8", "replace"))


def ignored(detail: str) -> WebhookOutcome:
    return WebhookOutcome(IGNORED, detail, 202, {"status": IGNORED, "detail": detail})


def processed(detail: str, **body) -> WebhookOutcome:
    return WebhookOutcome(PROCESSED, detail, 200, {"status": PROCESSED, "detail": detail, **body})


def _kind(value) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "true or false"}.get(type(value), "a number")


def payload_problem(payload: dict) -> str | None:
    """What is wrong with the shape of a signed `issues` delivery (a field of the wrong type), or None. GitHub never
    sends such a body; a signed one is a bug or a test, and it is refused as a failed delivery, not a crash."""
    expected = [
        ("action", payload.get("action"), (str,)),
        ("issue", payload.get("issue"), (dict,)),
        ("repository", payload.get("repository"), (dict,)),
        ("assignee", payload.get("assignee"), (dict,)),
    ]
    issue = payload.get("issue") if isinstance(payload.get("issue"), dict) else {}
    repository = payload.get("repository") if isinstance(payload.get("repository"), dict) else {}
    assignee = payload.get("assignee") if isinstance(payload.get("assignee"), dict) else {}
    expected += [
        ("issue.number", issue.get("number"), (int,)),
        *((f"issue.{name}", issue.get(name), (str,)) for name in ("title", "body", "html_url", "state")),
        ("issue.labels", issue.get("labels"), (list,)),
        ("repository.full_name", repository.get("full_name"), (str,)),
        ("assignee.login", assignee.get("login"), (str,)),
    ]
    expected += [(f"issue.labels[{i}]", label, (dict,)) for i, label in enumerate(issue.get("labels") or [])]
    for name, value, types in expected:
        if value is not None and (not isinstance(value, types) or isinstance(value, bool) and bool not in types):
            return f"{name} must be {_kind(types[0]())}, not {_kind(value)}."
    labels = issue.get("labels") if isinstance(issue.get("labels"), list) else []
    for i, label in enumerate(labels):
        if label.get("name") is not None and not isinstance(label.get("name"), str):
            return f"issue.labels[{i}].name must be a string, not {_kind(label.get('name'))}."
    return None


def handle(connector, event: str, payload: dict) -> WebhookOutcome:
    if event == "issues":
        problem = payload_problem(payload)
        if problem:
            raise ValidationError(f"The delivery's {problem}", code="invalid_payload")
    if event == "ping":
        return processed("pong", zen=payload.get("zen", ""))
    if event != "issues":
        return ignored(f"The {event or 'unnamed'} event is not used.")
    action = payload.get("action") or ""
    handler = ISSUE_ACTIONS.get(action)
    if handler is None:
        return ignored(f"issues.{action} is not used.")
    issue = payload.get("issue") or {}
    repository = (payload.get("repository") or {}).get("full_name", "")
    if not issue.get("number") or not repository:
        return ignored("The delivery names no issue or repository.")
    if "pull_request" in issue:
        return ignored("Pull requests do not become tasks.")
    configured = connector.config.get("repository", "")
    if configured and configured.lower() != repository.lower():
        return ignored(f"{repository} is not the configured repository {configured}.")
    if not issues.passes_label_filter(issue, connector.config.get("label_filter") or []):
        return ignored("The issue has none of the labels in the label filter.")
    return handler(connector, payload, issue, repository)


def _upsert(connector, issue: dict, repository: str) -> tuple[Task, str]:
    return issues.upsert_task(issue=issue, repository=repository, project_id=connector.config.get("default_project"))


def on_opened(connector, payload, issue, repository) -> WebhookOutcome:
    task, outcome = _upsert(connector, issue, repository)
    return processed(f"Task #{task.pk} {outcome}.", task_id=task.pk)


def on_changed(connector, payload, issue, repository) -> WebhookOutcome:
    """edited, closed, reopened, labeled, unlabeled: the issue in the payload is the new state."""
    task, outcome = _upsert(connector, issue, repository)
    return processed(f"Task #{task.pk} {outcome} ({payload.get('action')}).", task_id=task.pk)


def on_assigned(connector, payload, issue, repository) -> WebhookOutcome:
    task, _ = _upsert(connector, issue, repository)
    login = ((payload.get("assignee") or {}).get("login") or "").strip()
    user = (
        get_user_model().objects.filter(github_username__iexact=login, is_active=True).order_by("pk").first()
        if login
        else None
    )
    if user is None:
        return processed(f"Task #{task.pk}: no TimeTracker user has the GitHub username {login!r}.", task_id=task.pk)
    if task.assignee_id != user.pk:
        task = tracking.task_update(actor=None, task=task, assignee=user)
    detail = f"Task #{task.pk} assigned to {user.username}."
    if not connector.config.get("auto_start_timer"):
        return processed(detail, task_id=task.pk)
    try:
        entry = tracking.timer_start(actor=user, project=task.project, task=task, source=Source.GITHUB)
    except TimerAlreadyRunning as exc:
        why = exc.messages[0] if exc.messages else "A timer is already running."
        return processed(f"{detail} Timer not started: {why} It was left running.", task_id=task.pk)
    except (PolicyDenied, TrackingError) as exc:
        why = error_message(exc)
        return processed(f"{detail} Timer not started: {why}", task_id=task.pk)
    return processed(f"{detail} Timer started (entry #{entry.pk}).", task_id=task.pk, entry_id=entry.pk)


ISSUE_ACTIONS = {
    "opened": on_opened,
    "edited": on_changed,
    "closed": on_changed,
    "reopened": on_changed,
    "labeled": on_changed,
    "unlabeled": on_changed,
    "assigned": on_assigned,
}
