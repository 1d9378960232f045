"""Every write of saved reports, favourites, views, comments and annotations: atomic, checked against the access
policy for the acting user, validated, a domain signal sent on commit (ids only)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts import policy
from accounts.models import Role, Team
from tracking.models import Client, Project

from . import rules, sharing, signals
from .definition import definition_clean, match_key, suggest_name
from .exceptions import InvalidAnnotation, InvalidComment, InvalidReport, InvalidShareLink, InvalidSubscription
from .models import (
    ANNOTATION_MAX,
    COMMENT_MAX,
    DESCRIPTION_MAX,
    NAME_MAX,
    NOTE_MAX,
    TAG_MAX,
    TAGS_MAX,
    Annotation,
    AnnotationScope,
    Comment,
    Favourite,
    Notice,
    ReportView,
    SavedReport,
    SavedReportTag,
    ShareKind,
    ShareLink,
    Subscription,
    SubscriptionFrequency,
    Visibility,
)


def _text(value: Any, *, field: str, maximum: int, required: bool = False, error=InvalidReport) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise error(f"{field} must be text.", field=field)
    if "\x00" in value:
        raise error(f"{field} must not contain NUL characters.", field=field)
    value = value.strip()
    if required and not value:
        raise error(f"Give a {field}.", field=field)
    if len(value) > maximum:
        raise error(f"{field} is {len(value)} characters long; at most {maximum}.", field=field)
    return value


def _tags(tags: Any) -> list[str]:
    if tags is None:
        return []
    if not isinstance(tags, list | tuple):
        raise InvalidReport("tags must be a list of words.", field="tags")
    if len(tags) > TAGS_MAX:
        raise InvalidReport(f"At most {TAGS_MAX} tags.", field="tags")
    names = []
    for tag in tags:
        name = _text(tag, field="tags", maximum=TAG_MAX).lower()
        if name and name not in names:
            names.append(name)
    return names


def _visibility(actor, visibility: Any) -> str:
    if visibility not in Visibility.values:
        raise InvalidReport(f"visibility must be one of {', '.join(Visibility.values)}.", field="visibility")
    if visibility != Visibility.PRIVATE and actor.role == Role.VIEWER:
        raise InvalidReport("Viewers may save private reports only.", field="visibility")
    return visibility


def _set_verified(report: SavedReport, actor, verified: Any) -> None:
    if not isinstance(verified, bool):
        raise InvalidReport("verified must be true or false.", field="verified")
    if verified == report.verified:
        return
    if not rules.may_verify(actor):
        raise policy.PolicyDenied("Only managers and administrators may mark a report verified.")
    report.verified = verified
    report.verified_by = actor if verified else None
    report.verified_at = timezone.now() if verified else None


def _save_tags(report: SavedReport, names: list[str]) -> None:
    report.tags.exclude(name__in=names).delete()
    have = set(report.tags.values_list("name", flat=True))
    SavedReportTag.objects.bulk_create([SavedReportTag(report=report, name=n) for n in names if n not in have])


def _on_commit_saved(report_id: int, actor, action: str) -> None:
    transaction.on_commit(
        lambda: signals.report_saved.send(sender=SavedReport, report_id=report_id, actor_id=actor.pk, action=action)
    )


@transaction.atomic
def saved_report_create(
    *,
    actor,
    definition: Any,
    name: str | None = None,
    description: str = "",
    tags: Any = None,
    visibility: str = Visibility.PRIVATE,
    verified: bool = False,
    action: str = signals.CREATED,
) -> SavedReport:
    """Save a report definition owned by `actor`. The name defaults to the one suggested from the definition."""
    policy.require(actor, policy.CREATE, SavedReport)
    definition = definition_clean(definition, owner=actor)
    name = _text(name, field="name", maximum=NAME_MAX) or suggest_name(definition)
    report = SavedReport(
        name=name,
        description=_text(description, field="description", maximum=DESCRIPTION_MAX),
        definition=definition,
        match_key=match_key(definition),
        owner=actor,
        visibility=_visibility(actor, visibility),
        created_by=actor,
        updated_by=actor,
    )
    tag_names = _tags(tags)
    _set_verified(report, actor, verified)
    report.save()
    _save_tags(report, tag_names)
    _on_commit_saved(report.pk, actor, action)
    return report


UPDATABLE = ("name", "description", "tags", "visibility", "definition", "verified")


@transaction.atomic
def saved_report_update(*, actor, report: SavedReport, **fields) -> SavedReport:
    """Change a report: its owner and admins change anything; managers and admins may (un)mark it verified.
    Everything is checked before anything is written."""
    unknown = set(fields) - set(UPDATABLE)
    if unknown:
        raise InvalidReport(f"Unknown fields: {', '.join(sorted(unknown))}.", field=sorted(unknown)[0])
    report = SavedReport.objects.select_for_update().get(pk=report.pk)
    policy.require(actor, policy.VIEW, report)
    if set(fields) - {"verified"}:
        policy.require(actor, policy.CHANGE, report)
    owner = report.owner
    if "definition" in fields:
        report.definition = definition_clean(fields["definition"], owner=owner)
        report.match_key = match_key(report.definition)
    if "name" in fields:
        report.name = _text(fields["name"], field="name", maximum=NAME_MAX) or suggest_name(report.definition)
    if "description" in fields:
        report.description = _text(fields["description"], field="description", maximum=DESCRIPTION_MAX)
    if "visibility" in fields:
        report.visibility = _visibility(owner, fields["visibility"])
    tag_names = _tags(fields["tags"]) if "tags" in fields else None
    if "verified" in fields:
        _set_verified(report, actor, fields["verified"])
    report.updated_by = actor
    report.save()
    if tag_names is not None:
        _save_tags(report, tag_names)
    _on_commit_saved(report.pk, actor, signals.UPDATED)
    return report


@transaction.atomic
def saved_report_delete(*, actor, report: SavedReport) -> None:
    policy.require(actor, policy.DELETE, report)
    report_id = report.pk
    report.delete()
    _on_commit_saved(report_id, actor, signals.DELETED)


def saved_report_duplicate(*, actor, report: SavedReport, name: str | None = None) -> SavedReport:
    """A private copy of a report `actor` may see, owned by `actor` (“save as”)."""
    policy.require(actor, policy.VIEW, report)
    return saved_report_create(
        actor=actor,
        definition=report.definition,
        name=name or f"{report.name} (copy)"[:NAME_MAX],
        description=report.description,
        tags=list(report.tags.values_list("name", flat=True)),
        visibility=Visibility.PRIVATE,
        action=signals.DUPLICATED,
    )


def favourite_set(*, actor, report: SavedReport, on: bool) -> bool:
    """Star (on=True) or unstar a report `actor` may see. Idempotent; returns the new state."""
    policy.require(actor, policy.VIEW, report)
    if on:
        Favourite.objects.get_or_create(report=report, user=actor)
    else:
        Favourite.objects.filter(report=report, user=actor).delete()
    return on


def report_view_record(*, user, report: SavedReport, interface: str = "web") -> None:
    """Count `user` opening `report`: one row per person and day, upserted; marks their notices on it read.
    Never raises into the page: a view that cannot be recorded is simply not counted."""
    now = timezone.now()
    try:
        with transaction.atomic():
            updated = ReportView.objects.filter(report=report, user=user, day=now.date()).update(last_viewed_at=now)
            if not updated:
                ReportView.objects.create(report=report, user=user, day=now.date(), last_viewed_at=now)
    except IntegrityError:  # the same person in two tabs at once: the other request counted it
        pass
    if report.owner_id == user.pk:
        Notice.objects.filter(recipient=user, report=report, read_at__isnull=True).update(read_at=now)
    transaction.on_commit(
        lambda: signals.saved_report_viewed.send(
            sender=SavedReport, report_id=report.pk, user_id=user.pk, interface=interface
        )
    )


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


PASSWORD_MIN = 8
PASSWORD_MAX = 128


def _share_expiry(expires_at: Any, now) -> Any:
    """The expiry to store: the installation's default for None (never, when allowed), else a future moment within
    SHARE_LINK_MAX_DAYS."""
    latest = now + timedelta(days=settings.SHARE_LINK_MAX_DAYS)
    if expires_at is None:
        return None if settings.SHARE_LINK_ALLOW_NEVER else now + timedelta(days=settings.SHARE_LINK_DEFAULT_DAYS)
    if not isinstance(expires_at, datetime):
        raise InvalidShareLink("expires_at must be a date and time (ISO 8601) or null.", field="expires_at")
    if timezone.is_naive(expires_at):
        raise InvalidShareLink("expires_at needs a time zone offset (for example Z or +01:00).", field="expires_at")
    if expires_at <= now:
        raise InvalidShareLink("expires_at must be in the future.", field="expires_at")
    if expires_at > latest and not settings.SHARE_LINK_ALLOW_NEVER:
        raise InvalidShareLink(
            f"expires_at may be at most {settings.SHARE_LINK_MAX_DAYS} days from now "
            f"(until {latest:%Y-%m-%d %H:%M} UTC).",
            field="expires_at",
        )
    return expires_at


def _share_password(password: Any) -> str:
    if password is None or password == "":
        return ""
    if not isinstance(password, str):
        raise InvalidShareLink("password must be text or null.", field="password")
    if "\x00" in password:
        raise InvalidShareLink("password must not contain NUL characters.", field="password")
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise InvalidShareLink(f"password must be {PASSWORD_MIN} to {PASSWORD_MAX} characters long.", field="password")
    return make_password(password)


@transaction.atomic
def share_link_create(
    *,
    actor,
    report: SavedReport,
    kind: Any = ShareKind.LIVE,
    expires_at: Any = None,
    password: Any = None,
    members_only: bool = False,
    show_names: bool = False,
    allow_csv: bool = False,
    note: Any = "",
    now=None,
) -> tuple[ShareLink, str]:
    """Make a share link to `report` as `actor`; returns (link, token). The token is not stored (only its SHA-256):
    this is the one moment it exists. A snapshot freezes the public payload now, with the actor's visibility."""
    now = now or timezone.now()
    if not policy.visible(actor, SavedReport.objects.filter(pk=report.pk)).exists():
        raise PermissionDenied("You may not see this report.")
    if actor.role == Role.VIEWER:
        raise PermissionDenied("Viewers may not share reports.")
    if kind not in ShareKind.values:
        raise InvalidShareLink(f"kind must be one of {', '.join(ShareKind.values)}.", field="kind")
    for field, value in (("members_only", members_only), ("show_names", show_names), ("allow_csv", allow_csv)):
        if not isinstance(value, bool):
            raise InvalidShareLink(f"{field} must be true or false.", field=field)
    if not members_only and not settings.SHARE_LINKS_PUBLIC:
        raise InvalidShareLink(
            "Public links are switched off on this installation: choose “organisation members only”.",
            field="members_only",
        )
    token = sharing.token_new()
    link = ShareLink(
        report=report,
        created_by=actor,
        token_hash=sharing.token_hash(token),
        kind=kind,
        expires_at=_share_expiry(expires_at, now),
        password_hash=_share_password(password),
        members_only=members_only,
        show_names=show_names,
        allow_csv=allow_csv,
        note=_text(note, field="note", maximum=NOTE_MAX, error=InvalidShareLink),
    )
    if kind == ShareKind.SNAPSHOT:
        link.snapshot = sharing.share_payload(link=link, now=now)
    link.save()
    transaction.on_commit(
        lambda: signals.report_shared.send(
            sender=SavedReport, report_id=report.pk, link_id=link.pk, actor_id=actor.pk, kind=kind
        )
    )
    return link, token


@transaction.atomic
def share_link_revoke(*, actor, link: ShareLink) -> ShareLink:
    """Revoke a link at once (its maker or an admin); revoking twice keeps the first time."""
    if link.created_by_id != actor.pk and actor.role != Role.ADMIN:
        raise PermissionDenied("Only the person who shared this link, or an admin, may revoke it.")
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.revoked_by = actor
        link.save(update_fields=["revoked_at", "revoked_by"])
    return link


def share_link_view_record(*, link: ShareLink) -> None:
    """Count one opening of a link (views + 1, last view now) in one UPDATE."""
    ShareLink.objects.filter(pk=link.pk).update(views=F("views") + 1, last_viewed_at=timezone.now())
    transaction.on_commit(
        lambda: signals.share_viewed.send(
            sender=SavedReport,
            report_id=link.report_id,
            link_id=link.pk,
            sharer_id=link.created_by_id,
            kind=link.kind,
        )
    )


# -- subscriptions (scheduled delivery) -------------------------------------------------------------------------------

MAX_SUBSCRIPTIONS = 50


def subscription_create(
    *,
    actor,
    report_id: int,
    channel: str,
    target: str | None,
    frequency: str,
    weekday: int | None,
    day: int | None,
    time,
) -> Subscription:
    """Subscribe `actor` to a saved report they may see. The target is checked by its channel (an email address;
    a Slack channel the bot is in, or the actor's linked Slack account for null). Made before this period's
    delivery time, it is delivered this period."""
    from . import subscriptions

    report = policy.visible(actor, SavedReport.objects.filter(pk=report_id)).first()
    if report is None:
        raise InvalidSubscription(f"No saved report {report_id} that you may see.", field="saved_report")
    if frequency == SubscriptionFrequency.WEEKLY:
        if weekday is None:
            raise InvalidSubscription(
                "weekday (0 = Monday … 6 = Sunday) is required for a weekly one.", field="weekday"
            )
        if day is not None:
            raise InvalidSubscription("day is for monthly subscriptions; a weekly one has a weekday.", field="day")
    elif frequency == SubscriptionFrequency.MONTHLY:
        if day is None:
            raise InvalidSubscription("day (1-28) is required for a monthly one.", field="day")
        if weekday is not None:
            raise InvalidSubscription("weekday is for weekly subscriptions; a monthly one has a day.", field="weekday")
    else:
        raise InvalidSubscription("frequency must be weekly or monthly.", field="frequency")
    target = (target or "").strip()
    carrier = subscriptions.channel_get(channel)
    if carrier is None:
        raise InvalidSubscription(f"Delivery by {channel} is not available on this installation.", field="channel")
    problem = carrier.check(actor, target)
    if problem:
        raise InvalidSubscription(problem, field="target")
    if Subscription.objects.filter(subscriber=actor).count() >= MAX_SUBSCRIPTIONS:
        raise InvalidSubscription(f"At most {MAX_SUBSCRIPTIONS} subscriptions each: delete one first.")
    return Subscription.objects.create(
        report=report,
        subscriber=actor,
        channel=channel,
        target=target,
        frequency=frequency,
        weekday=weekday,
        day=day,
        time=time,
    )


def subscription_delete(*, actor, subscription: Subscription) -> None:
    if subscription.subscriber_id != actor.pk and not policy.is_admin(actor):
        raise PermissionDenied("Only its subscriber or an admin may delete a subscription.")
    subscription.delete()
