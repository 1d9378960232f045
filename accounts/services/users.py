"""Every write to accounts goes through these functions: roles, deactivation, erasure, and the data export.

Each write is atomic, checks the access policy for the acting user (actor=None is the system itself, e.g. single
sign-on applying the identity provider's groups), records who and when, and sends its domain signal after commit.

Tokens and integrations belong to other apps (API tokens may live in accounts, integrations never import here):
they are looked up lazily by label so this module works whether or not those models exist.
"""

from __future__ import annotations

import logging
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from timetracker.errors import DomainError

from .. import policy, signals
from ..models import Role, User

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

# Field names that may be shown for tokens and integrations; anything else (hashes, keys, secrets) never is.
_TOKEN_METADATA_FIELDS = (
    "id",
    "name",
    "label",
    "prefix",
    "key_prefix",
    "scopes",
    "is_active",
    "created_at",
    "last_used_at",
    "expires_at",
    "revoked_at",
)
_INTEGRATION_METADATA_FIELDS = (
    "id",
    "provider",
    "name",
    "is_active",
    "config",
    "created_at",
    "updated_at",
    "last_synced_at",
    "last_sync_at",
    "last_sync_status",
)
_SECRET_WORDS = ("secret", "hash", "password", "key_digest", "digest")


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
    _delete_sign_ins(current)
    _anonymise_admin_log(current, placeholder)
    for model in _owned_models(("accounts", "ApiToken"), ("integrations", "Integration")):
        _owned_rows(model, current).delete()
    current.projects.clear()
    _send_on_commit(signals.user_erased, user_id=current.pk, actor_id=getattr(actor, "pk", None))
    return current


def _delete_sign_ins(user: User) -> None:
    """Email addresses, single sign-on links (with the claims they hold) and two-factor devices."""
    for app_label, model_name in (
        ("account", "EmailAddress"),
        ("socialaccount", "SocialAccount"),
        ("mfa", "Authenticator"),
    ):
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        model.objects.filter(user=user).delete()
    session_model = apps.get_model("sessions", "Session")
    for session in session_model.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()


def _anonymise_admin_log(user: User, placeholder: str) -> None:
    """The admin's history names the user in its entries about them; keep the history, drop the name."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)).update(
        object_repr=placeholder, change_message=""
    )


def _deactivate_tokens(user: User) -> None:
    for model in _owned_models(("accounts", "ApiToken")):
        field_names = {f.name for f in model._meta.get_fields()}
        if "revoked_at" in field_names:
            _owned_rows(model, user).filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        elif "is_active" in field_names:
            _owned_rows(model, user).update(is_active=False)


def _owned_models(*labels: tuple[str, str]) -> list[type[models.Model]]:
    found = []
    for app_label, model_name in labels:
        try:
            found.append(apps.get_model(app_label, model_name))
        except LookupError:
            continue
    return found


def _owner_field(model: type[models.Model]) -> str | None:
    user_fks = [
        f.name
        for f in model._meta.get_fields()
        if isinstance(f, models.ForeignKey) and f.related_model is not None and issubclass(f.related_model, User)
    ]
    for preferred in ("user", "owner"):
        if preferred in user_fks:
            return preferred
    return user_fks[0] if user_fks else None


def _owned_rows(model: type[models.Model], user: User) -> models.QuerySet:
    owner = _owner_field(model)
    return model.objects.filter(**{owner: user}) if owner else model.objects.none()


# --- Export -----------------------------------------------------------------------------------------------------------


def _iso(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _metadata(obj: models.Model, allowed: tuple[str, ...]) -> dict[str, Any]:
    out = {}
    for field in obj._meta.concrete_fields:
        if field.name not in allowed or any(word in field.name for word in _SECRET_WORDS):
            continue
        out[field.name] = _iso(getattr(obj, field.attname))
    return out


def user_data_export(*, user: User) -> dict[str, Any]:
    """Everything TimeTracker holds about `user`, as JSON-ready data. Never a secret, a hash or a token."""
    teams = [{"id": t.pk, "name": t.name} for t in user.teams.all()]
    managed = [{"id": t.pk, "name": t.name} for t in user.managed_teams.all()]
    profile = {
        "id": user.pk,
        "username": user.username,
        "email": user.email,
        "full_name": user.full_name,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "role": user.role,
        "timezone": user.timezone,
        "rounding_mode": user.rounding_mode,
        "rounding_minutes": user.rounding_minutes,
        "github_username": user.github_username,
        "slack_user_id": user.slack_user_id,
        "is_active": user.is_active,
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
        "teams": teams,
        "managed_teams": managed,
    }
    return {
        "format": "timetracker-user-export/1",
        "exported_at": timezone.now().isoformat(),
        "profile": profile,
        "time_entries": _export_entries(user),
        "single_sign_on": _export_sign_ins(user),
        "api_tokens": [
            _metadata(t, _TOKEN_METADATA_FIELDS)
            for model in _owned_models(("accounts", "ApiToken"))
            for t in _owned_rows(model, user)
        ],
        "integrations": [
            _metadata(i, _INTEGRATION_METADATA_FIELDS)
            for model in _owned_models(("integrations", "Integration"))
            for i in _owned_rows(model, user)
        ],
    }


def _export_entries(user: User) -> list[dict[str, Any]]:
    entry_model = apps.get_model("tracking", "TimeEntry")
    entries = (
        entry_model.objects.filter(user=user)
        .select_related("project", "project__client", "task")
        .prefetch_related("tags")
        .order_by("start")
    )
    return [
        {
            "id": e.pk,
            "project": str(e.project),
            "task": e.task.name if e.task_id else None,
            "start": _iso(e.start),
            "end": _iso(e.end),
            "duration_seconds": e.duration_seconds,
            "notes": e.notes,
            "tags": [t.name for t in e.tags.all()],
            "billable": e.billable,
            "source": e.source,
            "created_at": _iso(e.created_at),
            "updated_at": _iso(e.updated_at),
        }
        for e in entries
    ]


def _export_sign_ins(user: User) -> dict[str, Any]:
    out: dict[str, Any] = {"email_addresses": [], "accounts": [], "two_factor": []}
    for key, (app_label, model_name) in {
        "email_addresses": ("account", "EmailAddress"),
        "accounts": ("socialaccount", "SocialAccount"),
        "two_factor": ("mfa", "Authenticator"),
    }.items():
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        for row in model.objects.filter(user=user):
            if key == "email_addresses":
                out[key].append({"email": row.email, "verified": row.verified, "primary": row.primary})
            elif key == "accounts":
                out[key].append(
                    {
                        "provider": row.provider,
                        "uid": row.uid,
                        "last_login": _iso(row.last_login),
                        "date_joined": _iso(row.date_joined),
                    }
                )
            else:
                out[key].append({"type": row.type, "created_at": _iso(row.created_at)})
    return out
