"""Access rules for saved reports, comments and annotations, registered with accounts.policy in ReportsConfig.ready().

- A saved report is seen by its owner; with visibility "teams" by the people who share a team with the owner; with
  "everyone" by everyone. Only the owner changes or deletes it (admins may do everything, as always). Anyone who
  can see a report may duplicate it, favourite it and comment on it. Anyone may create a report (viewers: private
  ones only — the service checks the visibility).
- Comments follow their report; their author edits and deletes them.
- Annotations are seen by those who may see what they are about: everyone/client scopes by everyone, a project's by
  those who see the project, a team's by its members and managers, a person's by those who may see that person's
  time. Who may write which scope is `may_annotate`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from accounts import policy
from accounts.models import Role
from tracking.models import Project

from .models import Annotation, AnnotationScope, Comment, SavedReport, Visibility


def _team_mate_ids(user) -> QuerySet:
    teams = policy.own_teams(user)
    user_model = get_user_model()
    return user_model.objects.filter(Q(teams__in=teams) | Q(managed_teams__in=teams)).values("pk")


def visible_saved_reports(user, queryset: QuerySet, action: str) -> QuerySet:
    if action != policy.VIEW:
        return queryset.none()
    return queryset.filter(
        Q(owner=user)
        | Q(visibility=Visibility.EVERYONE)
        | Q(visibility=Visibility.TEAMS, owner__in=_team_mate_ids(user))
    )


def can_saved_report(user, action: str, obj: Any) -> bool:
    if isinstance(obj, type):
        return action in (policy.VIEW, policy.CREATE)
    if action == policy.VIEW:
        return visible_saved_reports(user, SavedReport.objects.filter(pk=obj.pk), action).exists()
    return action in (policy.CHANGE, policy.DELETE) and obj.owner_id == user.pk


def may_verify(user) -> bool:
    return policy.is_manager_or_admin(user)


def visible_comments(user, queryset: QuerySet, action: str) -> QuerySet:
    if action != policy.VIEW:
        return queryset.none()
    return queryset.filter(report__in=visible_saved_reports(user, SavedReport.objects.all(), action))


def can_comment(user, action: str, obj: Any) -> bool:
    if isinstance(obj, type):
        return action in (policy.VIEW, policy.CREATE)
    if action == policy.VIEW:
        return policy.can(user, policy.VIEW, obj.report)
    return action in (policy.CHANGE, policy.DELETE) and obj.author_id == user.pk


def visible_annotations(user, queryset: QuerySet, action: str) -> QuerySet:
    if action != policy.VIEW:
        return queryset.none()
    projects = policy.visible(user, Project.objects.all()).values("pk")
    return queryset.filter(
        Q(author=user)
        | Q(scope__in=(AnnotationScope.EVERYONE, AnnotationScope.CLIENT))
        | Q(scope=AnnotationScope.PROJECT, project__in=projects)
        | Q(scope=AnnotationScope.TEAM, team__in=policy.own_teams(user).values("pk"))
        | Q(scope=AnnotationScope.USER, user=user)
        | Q(scope=AnnotationScope.USER, user__in=policy.team_scope_user_ids(user))
    )


def may_annotate(user, scope: str, target: Any = None) -> bool:
    """Admins annotate any scope; managers everyone, clients, projects, their teams and their teams' people;
    members and viewers only their own time."""
    if not policy.is_active(user):
        return False
    if policy.is_admin(user):
        return True
    if scope == AnnotationScope.USER and target is not None and target.pk == user.pk:
        return True
    if user.role != Role.MANAGER:
        return False
    if scope in (AnnotationScope.EVERYONE, AnnotationScope.CLIENT, AnnotationScope.PROJECT):
        return True
    if scope == AnnotationScope.TEAM:
        return target is not None and target.managers.filter(pk=user.pk).exists()
    if scope == AnnotationScope.USER:
        return target is not None and policy.may_see_user_time(user, target.pk)
    return False


def can_annotation(user, action: str, obj: Any) -> bool:
    if isinstance(obj, type):
        return action in (policy.VIEW, policy.CREATE)
    if action == policy.VIEW:
        return visible_annotations(user, Annotation.objects.filter(pk=obj.pk), action).exists()
    return action in (policy.CHANGE, policy.DELETE) and obj.author_id == user.pk


def register() -> None:
    policy.register(SavedReport, can=can_saved_report, visible=visible_saved_reports)
    policy.register(Comment, can=can_comment, visible=visible_comments)
    policy.register(Annotation, can=can_annotation, visible=visible_annotations)
