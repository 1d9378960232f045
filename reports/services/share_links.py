"""Share links to saved reports: make, revoke, count their views."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts import policy
from accounts.models import Role

from .. import sharing, signals
from ..exceptions import InvalidShareLink
from ..models import (
    NOTE_MAX,
    SavedReport,
    ShareKind,
    ShareLink,
)
from ._common import _text

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
