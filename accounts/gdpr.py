"""Personal data: what each app holds about a person, for the export and the erasure (GDPR articles 15, 17, 20).

accounts does not know the other apps. Each app registers a contribution in its `AppConfig.ready()`:

    gdpr.register("time_entries", export=export_entries)                # tracking: its rows
    gdpr.register("integrations", export=export_integrations, erase=erase_integrations)

- `export(user)` returns JSON-ready data for the export's section `key`. Never a secret, a hash or a token.
- `erase(user)` runs inside `user_erase`'s transaction, after the profile is anonymised: it deletes or anonymises
  the app's rows. A grant held at a provider (an OAuth token) is revoked after commit, in a task with a short
  deadline; a failure there is recorded and never undoes or blocks the erasure.

The export keeps the order of registration after accounts' own sections. `metadata()` is the one helper that turns a
row into shown fields without its secrets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import timezone

from .models import ApiToken, User

EXPORT_FORMAT = "timetracker-user-export/1"

# Parts of a field name that mark a value never to be shown (hashes, keys, secrets).
_SECRET_WORDS = ("secret", "hash", "password", "key_digest", "digest")
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


@dataclass(frozen=True)
class Contribution:
    key: str
    export: Callable[[User], Any] | None = None
    erase: Callable[[User], None] | None = None


_contributions: dict[str, Contribution] = {}


def register(
    key: str, *, export: Callable[[User], Any] | None = None, erase: Callable[[User], None] | None = None
) -> Contribution:
    """Add (or replace, on a repeated ready()) the contribution `key` of an app."""
    if export is None and erase is None:
        raise ValueError(f"the personal-data contribution {key!r} neither exports nor erases anything")
    if key in ("format", "exported_at", "profile", "single_sign_on", "api_tokens"):
        raise ValueError(f"{key!r} is a section accounts writes itself")
    contribution = Contribution(key, export, erase)
    _contributions[key] = contribution
    return contribution


def contributions() -> list[Contribution]:
    return list(_contributions.values())


def iso(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def metadata(obj: models.Model, allowed: tuple[str, ...]) -> dict[str, Any]:
    """The `allowed` fields of `obj`, JSON-ready, skipping any whose name says it holds a secret."""
    out = {}
    for field in obj._meta.concrete_fields:
        if field.name not in allowed or any(word in field.name for word in _SECRET_WORDS):
            continue
        out[field.name] = iso(getattr(obj, field.attname))
    return out


# --- The export -------------------------------------------------------------------------------------------------------


def export(user: User) -> dict[str, Any]:
    """Everything TimeTracker holds about `user`: accounts' sections, then each app's."""
    data: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now().isoformat(),
        "profile": _export_profile(user),
        "single_sign_on": _export_sign_ins(user),
        "api_tokens": [metadata(t, _TOKEN_METADATA_FIELDS) for t in ApiToken.objects.filter(owner=user)],
    }
    for contribution in contributions():
        if contribution.export is not None:
            data[contribution.key] = contribution.export(user)
    return data


def _export_profile(user: User) -> dict[str, Any]:
    return {
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
        "date_joined": iso(user.date_joined),
        "last_login": iso(user.last_login),
        "teams": [{"id": t.pk, "name": t.name} for t in user.teams.all()],
        "managed_teams": [{"id": t.pk, "name": t.name} for t in user.managed_teams.all()],
    }


# Sign-in records kept by allauth's apps (installed or not): email addresses, single sign-on links, 2FA devices.
_SIGN_IN_MODELS = {
    "email_addresses": ("account", "EmailAddress"),
    "accounts": ("socialaccount", "SocialAccount"),
    "two_factor": ("mfa", "Authenticator"),
}


def _sign_in_model(app_label: str, model_name: str) -> type[models.Model] | None:
    try:
        return apps.get_model(app_label, model_name)
    except LookupError:
        return None


def _export_sign_ins(user: User) -> dict[str, Any]:
    out: dict[str, Any] = {key: [] for key in _SIGN_IN_MODELS}
    for key, (app_label, model_name) in _SIGN_IN_MODELS.items():
        model = _sign_in_model(app_label, model_name)
        if model is None:
            continue
        for row in model.objects.filter(user=user):
            if key == "email_addresses":
                out[key].append({"email": row.email, "verified": row.verified, "primary": row.primary})
            elif key == "accounts":
                out[key].append(
                    {
                        "provider": row.provider,
                        "uid": row.uid,
                        "last_login": iso(row.last_login),
                        "date_joined": iso(row.date_joined),
                    }
                )
            else:
                out[key].append({"type": row.type, "created_at": iso(row.created_at)})
    return out


# --- The erasure ------------------------------------------------------------------------------------------------------


def erase(user: User) -> None:
    """accounts' own rows (sign-ins, sessions, tokens), then each app's contribution (in user_erase's transaction)."""
    for app_label, model_name in _SIGN_IN_MODELS.values():
        model = _sign_in_model(app_label, model_name)
        if model is not None:
            model.objects.filter(user=user).delete()
    session_model = apps.get_model("sessions", "Session")
    for session in session_model.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
    ApiToken.objects.filter(owner=user).delete()
    for contribution in contributions():
        if contribution.erase is not None:
            contribution.erase(user)
