"""Access rules for tracking's objects, registered with the access policy (accounts.policy) in TrackingConfig.ready().

Callers never use these functions directly: they ask `policy.can / require / visible`. Admins never reach here
(the policy lets them do everything); every function below sees an active user who is not an admin.

- Time entries: one's own, plus (to see) the people of one's teams' scope; managers correct their teams' time.
- Projects: managers manage them; a project is open to a user when it is public, or when the user (or one of the
  user's teams) is listed on it. Viewers see every project; one tracks only on open, unarchived projects.
- Tasks follow their project. Clients and tags are visible to everyone; any writer may create a tag.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from accounts import policy
from accounts.models import Role, Team

from .models import Client, PeriodLock, Project, Tag, Task, TimeEntry, Timesheet


def _is_manager(user) -> bool:
    return user.role == Role.MANAGER


def project_open_to(user, project: Project) -> bool:
    if policy.is_manager_or_admin(user) or project.is_public:
        return True
    if project.pk is None:
        return False
    return (
        project.members.filter(pk=user.pk).exists() or project.teams.filter(Q(members=user) | Q(managers=user)).exists()
    )


def open_project_ids(user) -> QuerySet:
    user_teams = Team.objects.filter(Q(members=user) | Q(managers=user))
    return Project.objects.filter(Q(is_public=True) | Q(members=user) | Q(teams__in=user_teams)).values("pk").distinct()


# --- can --------------------------------------------------------------------------------------------------------------


def can_time_entry(user, action: str, obj: Any) -> bool:
    if isinstance(obj, type):
        return action == policy.VIEW or (action == policy.CREATE and policy.writes(user))
    if action == policy.VIEW:
        return policy.may_see_user_time(user, obj.user_id)
    if action in (policy.CREATE, policy.CHANGE, policy.DELETE):
        return policy.may_correct_user_time(user, obj.user_id)
    return False


_MANAGE = (policy.CREATE, policy.CHANGE, policy.ARCHIVE, policy.DELETE)


def can_project(user, action: str, obj: Any) -> bool:
    if isinstance(obj, type):
        return action == policy.VIEW or (action in _MANAGE and _is_manager(user))
    if action == policy.VIEW:
        return project_open_to(user, obj) or user.role == Role.VIEWER
    if action == policy.TRACK:
        return policy.writes(user) and project_open_to(user, obj)
    return action in _MANAGE and _is_manager(user)


def can_task(user, action: str, obj: Any) -> bool:
    if action == policy.VIEW:
        return isinstance(obj, type) or policy.can(user, policy.VIEW, obj.project)
    if action == policy.TRACK:
        return not isinstance(obj, type) and policy.can(user, policy.TRACK, obj.project)
    return action in _MANAGE and _is_manager(user)


def can_client(user, action: str, obj: Any) -> bool:
    return action == policy.VIEW or (action in _MANAGE and _is_manager(user))


def can_tag(user, action: str, obj: Any) -> bool:
    if action == policy.CREATE and policy.writes(user):
        return True
    return can_client(user, action, obj)


def can_timesheet(user, action: str, obj: Any) -> bool:
    """VIEW: whose time one may see. CREATE: submit one's own week. CHANGE (approve, reject, reopen): a manager, for
    the people of the teams they manage, never their own week (an admin or another manager decides that)."""
    if isinstance(obj, type):
        return action == policy.VIEW or (action == policy.CREATE and policy.writes(user))
    if action == policy.VIEW:
        return policy.may_see_user_time(user, obj.user_id)
    if action == policy.CREATE:
        return policy.writes(user) and obj.user_id == user.pk
    if action == policy.CHANGE:
        return (
            _is_manager(user)
            and obj.user_id != user.pk
            and policy.team_scope_user_ids(user).filter(pk=obj.user_id).exists()
        )
    return False


def can_period_lock(user, action: str, obj: Any) -> bool:
    # Everyone may see which periods are locked (their own writes are refused there); only admins lock and reopen.
    return action == policy.VIEW


# --- visible ----------------------------------------------------------------------------------------------------------


def visible_time_entries(user, queryset: QuerySet, action: str) -> QuerySet:
    if action != policy.VIEW:
        return queryset.none()
    return queryset.filter(Q(user=user) | Q(user__in=policy.team_scope_user_ids(user)))


def visible_projects(user, queryset: QuerySet, action: str) -> QuerySet:
    if action == policy.TRACK:  # the projects one may track time on
        if not policy.writes(user):
            return queryset.none()
        queryset = queryset.filter(archived=False)
        return queryset if policy.is_manager_or_admin(user) else queryset.filter(pk__in=open_project_ids(user))
    if action != policy.VIEW:
        return queryset.none()
    if user.role in (Role.MANAGER, Role.VIEWER):
        return queryset
    return queryset.filter(pk__in=open_project_ids(user))


def visible_tasks(user, queryset: QuerySet, action: str) -> QuerySet:
    if action != policy.VIEW:
        return queryset.none()
    if user.role in (Role.MANAGER, Role.VIEWER):
        return queryset
    return queryset.filter(project__in=open_project_ids(user))


def visible_to_everyone(user, queryset: QuerySet, action: str) -> QuerySet:
    return queryset if action == policy.VIEW else queryset.none()


def visible_timesheets(user, queryset: QuerySet, action: str) -> QuerySet:
    return visible_time_entries(user, queryset, action)


def register() -> None:
    policy.register(TimeEntry, can=can_time_entry, visible=visible_time_entries)
    policy.register(Project, can=can_project, visible=visible_projects, trackable=True)
    policy.register(Task, can=can_task, visible=visible_tasks)
    policy.register(Client, can=can_client, visible=visible_to_everyone)
    policy.register(Tag, can=can_tag, visible=visible_to_everyone)
    policy.register(Timesheet, can=can_timesheet, visible=visible_timesheets)
    policy.register(PeriodLock, can=can_period_lock, visible=visible_to_everyone)
