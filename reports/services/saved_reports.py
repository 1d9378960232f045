"""Saved reports: create, update, delete, duplicate; favourites; views counted."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import policy
from accounts.models import Role

from .. import rules, signals
from ..definition import definition_clean, match_key, suggest_name
from ..exceptions import InvalidReport
from ..models import (
    DESCRIPTION_MAX,
    NAME_MAX,
    TAG_MAX,
    TAGS_MAX,
    Favourite,
    Notice,
    ReportView,
    SavedReport,
    SavedReportTag,
    Visibility,
)
from ._common import _text


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
