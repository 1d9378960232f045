"""Per-user analytics preference, the installation record (anonymous id, telemetry switch) and the activity log."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AnalyticsPreference(models.Model):
    """A user's choice about product analytics. No row means the default: analytics on (when configured)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="analytics_preference")
    opted_out = models.BooleanField(
        _("opt out of product analytics"),
        default=False,
        help_text=_("When on, nothing about you is sent to PostHog: no events, no profile, no feature flag requests."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"analytics preference of user #{self.user_id}"


def _new_id_secret() -> str:
    return secrets.token_hex(32)


class Installation(models.Model):
    """The one row describing this installation (pk=1): its anonymous id and the telemetry switch."""

    installation_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    telemetry_enabled = models.BooleanField(
        _("send anonymous installation telemetry"),
        default=False,
        help_text=_(
            "Once a day: version, platform, Python version, environment, deployment method and time zone. "
            "TELEMETRY_ENABLED=true in the environment turns it on regardless of this switch."
        ),
    )
    # Key of the pseudonymous distinct ids (HMAC of a user's primary key). Never sent anywhere.
    id_secret = models.CharField(max_length=64, default=_new_id_secret, editable=False)
    install_reported_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_reported_version = models.CharField(max_length=64, blank=True, editable=False)
    last_reported_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("installation")

    def __str__(self) -> str:
        return f"installation {self.installation_id}"

    @classmethod
    def get(cls) -> "Installation":
        installation, _created = cls.objects.get_or_create(pk=1)
        return installation


class Verb(models.TextChoices):
    LOGIN = "auth.login", _("signed in")
    LOGOUT = "auth.logout", _("signed out")
    TIMER_STARTED = "timer.started", _("started a timer")
    TIMER_STOPPED = "timer.stopped", _("stopped a timer")
    ENTRY_CREATED = "time_entry.created", _("logged a time entry")
    ENTRY_UPDATED = "time_entry.updated", _("changed a time entry")
    ENTRY_DELETED = "time_entry.deleted", _("deleted a time entry")
    PROJECT_CREATED = "project.created", _("created a project")
    PROJECT_UPDATED = "project.updated", _("changed a project")
    PROJECT_ARCHIVED = "project.archived", _("archived a project")
    CLIENT_CREATED = "client.created", _("created a client")
    CLIENT_UPDATED = "client.updated", _("changed a client")
    CLIENT_ARCHIVED = "client.archived", _("archived a client")
    INTEGRATION_CONNECTED = "integration.connected", _("connected an integration")
    INTEGRATION_FAILED = "integration.failed", _("integration failed")
    ROLE_CHANGED = "user.role_changed", _("changed a role")
    USER_ERASED = "user.erased", _("erased a user's personal data")
    TIMESHEET_SUBMITTED = "timesheet.submitted", _("submitted a week")
    TIMESHEET_APPROVED = "timesheet.approved", _("approved a week")
    TIMESHEET_REJECTED = "timesheet.rejected", _("rejected a week")
    TIMESHEET_REOPENED = "timesheet.open", _("reopened a week")
    PERIOD_LOCKED = "period_lock.locked", _("locked a period")
    PERIOD_REOPENED = "period_lock.reopened", _("reopened a locked period")
    LOCKED_CORRECTED = "time_entry.locked_corrected", _("corrected locked time")


class ActivityLog(models.Model):
    """What happened in this installation, kept locally (never sent anywhere). Fed by domain signals."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The user whose data the action touched (the entry's owner, the user whose role changed), when there is one.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=32, choices=Verb.choices, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    description = models.CharField(max_length=255, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activity log")
        indexes = [
            models.Index(fields=["actor", "created_at"], name="activity_actor_created_idx"),
            models.Index(fields=["owner", "created_at"], name="activity_owner_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.verb} {self.object_type}#{self.object_id}"

    @property
    def by_other_user(self) -> bool:
        """True when someone changed another person's data (a manager correcting a member's entry)."""
        return bool(self.actor_id and self.owner_id and self.actor_id != self.owner_id)
