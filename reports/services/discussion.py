"""Comments on saved reports and annotations on the data."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts import policy
from accounts.models import Role, Team
from tracking.models import Client, Project

from .. import rules, signals
from ..exceptions import InvalidAnnotation, InvalidComment
from ..models import (
    ANNOTATION_MAX,
    COMMENT_MAX,
    Annotation,
    AnnotationScope,
    Comment,
    Notice,
    SavedReport,
)
from ._common import _text


@transaction.atomic
def comment_create(*, actor, report: SavedReport, text: Any) -> Comment:
    """Comment on a report `actor` may see; its owner gets an in-app notice (and Slack, if they asked)."""
    policy.require(actor, policy.VIEW, report)
    text = _text(text, field="text", maximum=COMMENT_MAX, required=True, error=InvalidComment)
    comment = Comment.objects.create(report=report, author=actor, text=text)
    if report.owner_id != actor.pk:
        Notice.objects.create(recipient_id=report.owner_id, report=report, comment=comment)
    transaction.on_commit(
        lambda: signals.report_commented.send(
            sender=SavedReport,
            report_id=report.pk,
            comment_id=comment.pk,
            actor_id=actor.pk,
            owner_id=report.owner_id,
        )
    )
    return comment


@transaction.atomic
def comment_update(*, actor, comment: Comment, text: Any) -> Comment:
    policy.require(actor, policy.CHANGE, comment)
    comment.text = _text(text, field="text", maximum=COMMENT_MAX, required=True, error=InvalidComment)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["text", "edited_at"])
    return comment


@transaction.atomic
def comment_delete(*, actor, comment: Comment) -> None:
    policy.require(actor, policy.DELETE, comment)
    comment.delete()


_SCOPE_MODELS = {
    AnnotationScope.CLIENT: Client,
    AnnotationScope.PROJECT: Project,
    AnnotationScope.TEAM: Team,
}


def _scope_target(actor, scope: str, scope_id: Any):
    if scope == AnnotationScope.EVERYONE:
        if scope_id is not None:
            raise InvalidAnnotation("An annotation for everyone takes no scope_id.", field="scope_id")
        return None
    if scope == AnnotationScope.USER and scope_id is None:
        return actor
    if isinstance(scope_id, bool) or not isinstance(scope_id, int) or not 0 < scope_id < 2**63:
        raise InvalidAnnotation(f"An annotation about a {scope} needs its id (scope_id).", field="scope_id")
    model = _SCOPE_MODELS.get(scope) or get_user_model()
    target = policy.visible(actor, model.objects.filter(pk=scope_id)).first()
    if target is None:
        raise InvalidAnnotation(f"No {scope} with id {scope_id} that you may see.", field="scope_id")
    return target


@transaction.atomic
def annotation_create(
    *, actor, start: date, end: date | None = None, text: Any, scope: str = "everyone", scope_id: Any = None
) -> Annotation:
    """A dated note on the data. Who may write which scope: rules.may_annotate."""
    if scope not in AnnotationScope.values:
        raise InvalidAnnotation(f"scope must be one of {', '.join(AnnotationScope.values)}.", field="scope")
    if not isinstance(start, date) or (end is not None and not isinstance(end, date)):
        raise InvalidAnnotation("start and end must be dates.", field="start")
    end = end or start
    if end < start:
        raise InvalidAnnotation("The end date must not be before the start date.", field="end")
    if (end - start).days > 366:
        raise InvalidAnnotation("An annotation covers at most a year.", field="end")
    text = _text(text, field="text", maximum=ANNOTATION_MAX, required=True, error=InvalidAnnotation)
    target = _scope_target(actor, scope, scope_id)
    if not rules.may_annotate(actor, scope, target):
        raise policy.PolicyDenied(
            "You may annotate only your own time."
            if actor.role in (Role.MEMBER, Role.VIEWER)
            else "You may not annotate this."
        )
    annotation = Annotation(start=start, end=end, text=text, scope=scope, author=actor)
    if target is not None:
        setattr(annotation, scope, target)
    annotation.save()
    transaction.on_commit(
        lambda: signals.annotation_created.send(
            sender=Annotation, annotation_id=annotation.pk, actor_id=actor.pk, scope=scope
        )
    )
    return annotation


@transaction.atomic
def annotation_delete(*, actor, annotation: Annotation) -> None:
    policy.require(actor, policy.DELETE, annotation)
    annotation.delete()
