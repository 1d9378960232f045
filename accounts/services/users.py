"""Every write to accounts goes through these functions: roles, deactivation, erasure, and the data export.

Each write is atomic, checks the access policy for the acting user (actor=None is the system itself, e.g. single
sign-on applying the identity provider's groups), records who and when, and sends its domain signal after commit.

What other apps hold about a person (time entries, integrations and their grants) is exported and erased through
the contributions they register with accounts/gdpr.py; this module never names them.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from timetracker.errors import DomainError

from .. import gdpr, policy, signals
from ..models import ApiToken, Role, User

logger = logging.getLogger(__name__)

# Personal fields of a User; user_erase blanks or replaces every one of them.
PERSONAL_FIELDS = (
    "username",
    "email",
    "full_name",
    "first_name",
    "last_name",
    "github_username",
    "slack_user_id",
    "password",
    "last_login",
)


class AccountError(DomainError, ValidationError):
    """A refused account change, with a message a person understands."""

    code = "account_change_refused"

    def __init__(self, message: str):
        super().__init__(message, code=self.code)


def _send_on_commit(signal, **kwargs) -> None:
    transaction.on_commit(lambda: signal.send(sender=User, **kwargs))


def _require_manage_users(actor) -> None:
    if actor is not None:
        policy.require(actor, policy.MANAGE_USERS)


def _other_active_admins(user: User) -> bool:
    return User.objects.filter(role=Role.ADMIN, is_active=True).exclude(pk=user.pk).exists()


# --- Roles ------------------------------------------------------------------------------------------------------------


def user_role_validate(*, user: User, role: str) -> None:
    """Raise AccountError if a person may not give `user` this role (forms call it to show the error in place)."""
    if role not in Role.values:
        raise AccountError(f"“{role}” is not a role; use one of {', '.join(Role.values)}.")
    current_role = User.objects.filter(pk=user.pk).values_list("role", flat=True).first()
    if current_role == Role.ADMIN and role != Role.ADMIN and user.is_active and not _other_active_admins(user):
        raise AccountError("This is the last active admin; make someone else an admin first.")


@transaction.atomic
def user_role_set(*, actor: User | None, user: User, role: str) -> User:
    """Give `user` the role `role`. actor=None is single sign-on applying the identity provider's groups.

    A person may not remove the last active admin (the system may, since the identity provider is authoritative,
    and a local break-glass admin is expected; see docs/admin/security/sso-oidc.md).
    """
    if role not in Role.values:
        raise AccountError(f"“{role}” is not a role; use one of {', '.join(Role.values)}.")
    _require_manage_users(actor)
    current = User.objects.select_for_update().get(pk=user.pk)
    old_role = current.role
    if old_role == role:
        user.role = role
        return current
    if actor is not None:
        user_role_validate(user=current, role=role)
    current.role = role
    current.save(update_fields=["role", "is_staff", "is_superuser"])
    user.role, user.is_staff, user.is_superuser = current.role, current.is_staff, current.is_superuser
    _send_on_commit(
        signals.user_role_changed,
        user_id=current.pk,
        actor_id=getattr(actor, "pk", None),
        old_role=old_role,
        new_role=role,
    )
    return current


# --- Deactivation and erasure -----------------------------------------------------------------------------------------


@transaction.atomic
def user_deactivate(*, actor: User, user: User) -> User:
    """Stop `user` from signing in. Their time, tokens' metadata and profile stay; an admin may reactivate them."""
    _require_manage_users(actor)
    current = User.objects.select_for_update().get(pk=user.pk)
    if actor is not None and current.pk == actor.pk:
        raise AccountError("You cannot deactivate yourself.")
    if current.role == Role.ADMIN and current.is_active and not _other_active_admins(current):
        raise AccountError("This is the last active admin; make someone else an admin first.")
    if not current.is_active and current.deactivated_at is not None:
        return current
    current.is_active = False
    current.deactivated_at = timezone.now()
    current.deactivated_by = actor
    current.save(update_fields=["is_active", "deactivated_at", "deactivated_by"])
    _deactivate_tokens(current)
    return current


@transaction.atomic
def user_reactivate(*, actor: User, user: User) -> User:
    """Let a deactivated (not erased) user sign in again."""
    _require_manage_users(actor)
    current = User.objects.select_for_update().get(pk=user.pk)
    if current.is_erased:
        raise AccountError("An erased user cannot be reactivated.")
    current.is_active = True
    current.deactivated_at = None
    current.deactivated_by = None
    current.save(update_fields=["is_active", "deactivated_at", "deactivated_by"])
    return current


@transaction.atomic
def user_erase(*, actor: User, user: User) -> User:
    """Erase `user`'s personal data: fields anonymised, sign-ins, tokens and integrations deleted.

    The row stays as an anonymous placeholder ("erased-<id>") so their time entries keep counting in reports.
    """
    _require_manage_users(actor)
    current = User.objects.select_for_update().get(pk=user.pk)
    if actor is not None and current.pk == actor.pk:
        raise AccountError("You cannot erase yourself.")
    if current.role == Role.ADMIN and current.is_active and not _other_active_admins(current):
        raise AccountError("This is the last active admin; make someone else an admin first.")
    if current.is_erased:
        return current
    now = timezone.now()
    placeholder = f"erased-{current.pk}"
    current.username = placeholder
    current.email = f"{placeholder}@erased.invalid"
    current.full_name = "Erased user"
    current.first_name = ""
    current.last_name = ""
    current.github_username = ""
    current.slack_user_id = ""
    current.set_unusable_password()
    current.last_login = None
    current.timezone = settings.TIME_ZONE
    current.is_active = False
    current.deactivated_at = current.deactivated_at or now
    current.deactivated_by = current.deactivated_by or actor
    current.erased_at = now
    current.erased_by = actor
    current.save()
    _anonymise_admin_log(current, placeholder)
    gdpr.erase(current)  # sign-ins, sessions, tokens, and every app's registered contribution
    _send_on_commit(signals.user_erased, user_id=current.pk, actor_id=getattr(actor, "pk", None))
    return current


def _anonymise_admin_log(user: User, placeholder: str) -> None:
    """The admin's history names the user in its entries about them; keep the history, drop the name."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)).update(
        object_repr=placeholder, change_message=""
    )


def _deactivate_tokens(user: User) -> None:
    ApiToken.objects.filter(owner=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


# --- Export -----------------------------------------------------------------------------------------------------------


def user_data_export(*, user: User) -> dict[str, Any]:
    """Everything TimeTracker holds about `user`, as JSON-ready data. Never a secret, a hash or a token.

    accounts writes the profile, sign-ins and tokens; every other app adds its section (see accounts/gdpr.py).
    """
    return gdpr.export(user)
