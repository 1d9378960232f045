"""The access policy: the one place that answers "may this user see or change this object".

Every interface (web UI, API, admin, Slack, reports) asks here. Rules by role:

- admin: everything.
- manager: manages clients, projects, tasks and tags; sees and corrects the time of members of the teams they
  manage; tracks on projects open to them.
- member: tracks their own time on projects open to them; sees and changes only their own entries.
- viewer: read-only; sees the entries of the teams they belong to. Never writes anything (only their own
  profile: name, time zone, password, two-factor).

Users and teams: admins manage them (MANAGE_USERS, also for roles, deactivation and erasure); a manager sees the
members of the teams they manage and every team's name (to restrict projects to teams); members see themselves,
viewers the members of their teams; both see only their own teams. CHANGE on one's own User covers profile
fields only, never the role.

A project is open to a user when it is public, or when the user (or one of the user's teams) is listed on it.
The activity log: admins see all of it, managers what concerns the people of the teams they manage.

Integrations: an organisation-wide connector (no owner) is managed by admins, its status visible to everyone;
a personal connector is its owner's alone; webhook deliveries are for admins.

This module lives in `accounts` and must not import `tracking` or `integrations`: models are resolved lazily by
label.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet

from timetracker.errors import DomainError

from .models import Role, Team, User

VIEW = "view"
CREATE = "create"
CHANGE = "change"
DELETE = "delete"
ARCHIVE = "archive"
TRACK = "track"
MANAGE_USERS = "manage_users"

ACTIONS = (VIEW, CREATE, CHANGE, DELETE, ARCHIVE, TRACK, MANAGE_USERS)


class PolicyDenied(DomainError, PermissionDenied):
    """Raised by require(); the message says what was refused in words a person understands."""

    code = "permission_denied"
    status = 403


def _label(obj: Any) -> str:
    if isinstance(obj, type) and issubclass(obj, Model):
        return obj._meta.label
    if isinstance(obj, Model):
        return obj._meta.label
    return ""


def _active(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def is_admin(user: User) -> bool:
    return _active(user) and user.role == Role.ADMIN


def _is_manager_or_admin(user: User) -> bool:
    return _active(user) and user.role in (Role.ADMIN, Role.MANAGER)


def _writes(user: User) -> bool:
    return _active(user) and user.role != Role.VIEWER


def _team_scope_user_ids(user: User) -> QuerySet:
    """Ids of the users whose time `user` may see besides their own (as a subquery)."""
    if user.role == Role.MANAGER:
        teams = Team.objects.filter(managers=user)
    elif user.role == Role.VIEWER:
        teams = Team.objects.filter(Q(members=user) | Q(managers=user))
    else:
        return User.objects.none().values("pk")
    return User.objects.filter(teams__in=teams).values("pk")


def visible_user_ids(user: User) -> set[int] | None:
    """The ids of users whose entries `user` may see; None means everyone (admins)."""
    if not _active(user):
        return set()
    if is_admin(user):
        return None
    return {user.pk, *_team_scope_user_ids(user).values_list("pk", flat=True)}


def correctable_user_ids(user: User) -> set[int] | None:
    """The ids of users whose entries `user` may change or delete; None means everyone (admins).

    The set form of CHANGE on time entries, for pages that show many entries at once (one query, not one per row).
    """
    if not _writes(user):
        return set()
    if is_admin(user):
        return None
    if user.role == Role.MANAGER:
        return {user.pk, *_team_scope_user_ids(user).values_list("pk", flat=True)}
    return {user.pk}


def _may_see_user_time(user: User, owner_id: int) -> bool:
    if is_admin(user):
        return True
    if owner_id == user.pk:
        return True
    return _team_scope_user_ids(user).filter(pk=owner_id).exists()


def _may_correct_user_time(user: User, owner_id: int) -> bool:
    if not _writes(user):
        return False
    if is_admin(user) or owner_id == user.pk:
        return True
    return user.role == Role.MANAGER and _team_scope_user_ids(user).filter(pk=owner_id).exists()


def _project_open_to(user: User, project: Model) -> bool:
    if _is_manager_or_admin(user) or project.is_public:
        return True
    if project.pk is None:
        return False
    return (
        project.members.filter(pk=user.pk).exists() or project.teams.filter(Q(members=user) | Q(managers=user)).exists()
    )


def can(user: User, action: str, obj: Any = None) -> bool:
    """May `user` do `action` on `obj` (an instance, or a model class for create)?"""
    if action not in ACTIONS:
        raise ValueError(f"unknown policy action {action!r}")
    if not _active(user):
        return False
    if is_admin(user):
        return True
    label = _label(obj)

    if action == MANAGE_USERS:
        return False

    if label == "tracking.TimeEntry":
        if isinstance(obj, type):
            return action in (VIEW,) or (action == CREATE and _writes(user))
        if action == VIEW:
            return _may_see_user_time(user, obj.user_id)
        if action in (CREATE, CHANGE, DELETE):
            return _may_correct_user_time(user, obj.user_id)
        return False

    if label == "tracking.Project":
        if isinstance(obj, type):
            return action == VIEW or (action in (CREATE, CHANGE, ARCHIVE, DELETE) and user.role == Role.MANAGER)
        if action == VIEW:
            return _project_open_to(user, obj) or user.role == Role.VIEWER
        if action == TRACK:
            return _writes(user) and _project_open_to(user, obj)
        return action in (CREATE, CHANGE, ARCHIVE, DELETE) and user.role == Role.MANAGER

    if label == "tracking.Task":
        if action == VIEW:
            return isinstance(obj, type) or can(user, VIEW, obj.project)
        if action == TRACK:
            return not isinstance(obj, type) and can(user, TRACK, obj.project)
        return action in (CREATE, CHANGE, ARCHIVE, DELETE) and user.role == Role.MANAGER

    if label in ("tracking.Client", "tracking.Tag"):
        if action == VIEW:
            return True
        if label == "tracking.Tag" and action == CREATE:
            return _writes(user)
        return action in (CREATE, CHANGE, ARCHIVE, DELETE) and user.role == Role.MANAGER

    if label == "accounts.User":
        if isinstance(obj, type):
            return action == VIEW
        if action == VIEW:
            return obj.pk == user.pk or _may_see_user_time(user, obj.pk)
        if action == CHANGE:
            return obj.pk == user.pk  # own profile; roles and other people are for admins
        return False

    if label == "accounts.Team":
        if action != VIEW:
            return False
        if isinstance(obj, type) or user.role == Role.MANAGER:
            return True  # managers pick teams when they restrict a project
        return obj.pk is not None and _own_teams(user).filter(pk=obj.pk).exists()

    if label == "accounts.ApiToken":
        # Everyone may hold personal tokens (their scopes never widen the role); only the owner sees or revokes one.
        if isinstance(obj, type):
            return action in (VIEW, CREATE)
        return action in (VIEW, CREATE, CHANGE, DELETE) and obj.owner_id == user.pk

    if label == "integrations.Integration":
        # Organisation-wide connectors (no owner) are managed by admins and their status is visible to everyone;
        # a personal connector belongs to its owner alone.
        if isinstance(obj, type):
            return action == VIEW or (action == CREATE and _writes(user))
        if action == VIEW:
            return obj.owner_id is None or obj.owner_id == user.pk
        return action in (CREATE, CHANGE, DELETE) and _writes(user) and obj.owner_id == user.pk

    if label == "analytics.ActivityLog":
        # The Activity page: admins see everything, managers what concerns the people of the teams they manage.
        return action == VIEW and user.role == Role.MANAGER

    # integrations.WebhookDelivery (payloads from outside) and anything unknown: admins only.
    return False


_DENIED_MESSAGES = {
    VIEW: "You do not have access to this {what}.",
    CREATE: "You may not create this {what}.",
    CHANGE: "You may not change this {what}.",
    DELETE: "You may not delete this {what}.",
    ARCHIVE: "You may not archive this {what}.",
    TRACK: "You may not track time on this {what}.",
    MANAGE_USERS: "Only administrators may manage users.",
}


def require(user: User, action: str, obj: Any = None) -> None:
    """Raise PolicyDenied unless can(user, action, obj)."""
    if not can(user, action, obj):
        what = obj._meta.verbose_name if obj is not None and hasattr(obj, "_meta") else "object"
        if _active(user) and user.role == Role.VIEWER and action != VIEW:
            raise PolicyDenied("Viewers have read-only access and cannot change anything.")
        raise PolicyDenied(_DENIED_MESSAGES[action].format(what=what))


def may_list_users(user: User) -> bool:
    """Managers (their teams) and admins (everyone) may list people; members and viewers only see themselves."""
    return _is_manager_or_admin(user)


def visible(user: User, queryset: QuerySet) -> QuerySet:
    """Scope `queryset` to the rows `user` may see."""
    if not _active(user):
        return queryset.none()
    if is_admin(user):
        return queryset
    label = queryset.model._meta.label
    if label == "tracking.TimeEntry":
        return queryset.filter(Q(user=user) | Q(user__in=_team_scope_user_ids(user)))
    if label == "tracking.Project":
        if user.role in (Role.MANAGER, Role.VIEWER):
            return queryset
        return queryset.filter(pk__in=_open_project_ids(user))
    if label == "tracking.Task":
        if user.role in (Role.MANAGER, Role.VIEWER):
            return queryset
        return queryset.filter(project__in=_open_project_ids(user))
    if label in ("tracking.Client", "tracking.Tag"):
        return queryset
    if label == "accounts.Team":
        return queryset if user.role == Role.MANAGER else queryset.filter(pk__in=_own_teams(user).values("pk"))
    if label == "accounts.User":
        return queryset.filter(Q(pk=user.pk) | Q(pk__in=_team_scope_user_ids(user)))
    if label == "integrations.Integration":
        return queryset.filter(Q(owner__isnull=True) | Q(owner=user))
    if label == "accounts.ApiToken":
        return queryset.filter(owner=user)
    if label == "analytics.ActivityLog":
        if user.role != Role.MANAGER:
            return queryset.none()
        people = User.objects.filter(Q(pk=user.pk) | Q(pk__in=_team_scope_user_ids(user))).values("pk")
        return queryset.filter(Q(actor__in=people) | Q(owner__in=people))
    return queryset.none()


def trackable_projects(user: User, queryset: QuerySet | None = None) -> QuerySet:
    """Projects `user` may track time on (not archived, open to them)."""
    project_model = apps.get_model("tracking", "Project")
    qs = project_model.objects.all() if queryset is None else queryset
    if not _writes(user):
        return qs.none()
    qs = qs.filter(archived=False)
    if is_admin(user) or user.role == Role.MANAGER:
        return qs
    return qs.filter(pk__in=_open_project_ids(user))


def _own_teams(user: User) -> QuerySet:
    """The teams `user` belongs to or manages."""
    return Team.objects.filter(Q(members=user) | Q(managers=user))


def _open_project_ids(user: User) -> QuerySet:
    project_model = apps.get_model("tracking", "Project")
    user_teams = Team.objects.filter(Q(members=user) | Q(managers=user))
    return (
        project_model.objects.filter(Q(is_public=True) | Q(members=user) | Q(teams__in=user_teams))
        .values("pk")
        .distinct()
    )
