"""Integrations (one row per configured connector) and the log of webhook deliveries.

No per-provider tables: a connector keeps its settings in `config` (plain JSON that may be shown) and its
credentials in `secrets` (encrypted at rest, never shown, logged or returned by an API).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .fields import EncryptedJSONField


class SyncStatus(models.TextChoices):
    NEVER = "", _("Never synced")
    OK = "ok", _("OK")
    PARTIAL = "partial", _("Partial")
    FAILED = "failed", _("Failed")


class Integration(models.Model):
    provider = models.CharField(max_length=32, db_index=True, help_text=_("Connector key, e.g. github."))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="integrations",
        help_text=_("The user of a personal connector; empty for an organisation-wide one managed by admins."),
    )
    is_active = models.BooleanField(default=False)
    config = models.JSONField(default=dict, blank=True)
    secrets = EncryptedJSONField()
    last_sync_at = models.DateTimeField(null=True, blank=True)
    last_sync_status = models.CharField(max_length=16, choices=SyncStatus.choices, default=SyncStatus.NEVER, blank=True)
    last_sync_counts = models.JSONField(default=dict, blank=True)
    last_error = models.TextField(blank=True)
    # The current run of failures (syncs, connection checks, background calls), reset by the next success.
    failure_count = models.PositiveIntegerField(default=0, editable=False)
    failing_since = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["provider", "owner_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "owner"], name="integration_one_per_provider_owner"),
            models.UniqueConstraint(
                fields=["provider"], condition=Q(owner__isnull=True), name="integration_one_org_wide_per_provider"
            ),
        ]

    def __str__(self) -> str:
        whose = f"{self.owner}" if self.owner_id else "organisation"
        return f"{self.provider} ({whose})"

    @property
    def is_personal(self) -> bool:
        return self.owner_id is not None

    def secret_names_set(self) -> dict[str, bool]:
        return {name: bool(value) for name, value in (self.secrets or {}).items()}

    def secret(self, name: str) -> str:
        """One secret in clear, "" when unset: how connectors read a secret (never to be shown or logged)."""
        return str((self.secrets or {}).get(name) or "")


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        PROCESSED = "processed", _("Processed")
        IGNORED = "ignored", _("Ignored")
        DUPLICATE = "duplicate", _("Duplicate")
        FAILED = "failed", _("Failed")
        REJECTED = "rejected", _("Rejected")

    # Deliveries that were accepted; a rejected (forged) or duplicate row never blocks the genuine delivery id.
    ACCEPTED = (Status.RECEIVED, Status.PROCESSED, Status.IGNORED, Status.FAILED)

    provider = models.CharField(max_length=32, db_index=True)
    integration = models.ForeignKey(
        Integration, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    delivery_id = models.CharField(max_length=128, blank=True)
    event = models.CharField(max_length=64, blank=True)
    action = models.CharField(max_length=64, blank=True)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RECEIVED, db_index=True)
    detail = models.TextField(blank=True, help_text=_("What was done, or why nothing was."))
    error = models.TextField(blank=True)
    payload = models.JSONField(null=True, blank=True, help_text=_("Kept for WEBHOOK_PAYLOAD_RETENTION_DAYS days."))
    attempts = models.PositiveSmallIntegerField(default=1)
    signed_digest = models.CharField(
        max_length=64,
        blank=True,
        help_text=_("SHA-256 of what the provider signed; a second request with it is a replay and is refused."),
    )

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "delivery_id"],
                condition=Q(status__in=["received", "processed", "ignored", "failed"]) & ~Q(delivery_id=""),
                name="webhook_delivery_unique_accepted",
            ),
            # Set only on accepted deliveries: the same signed request is run once, whatever its delivery id says.
            models.UniqueConstraint(
                fields=["provider", "signed_digest"],
                condition=~Q(signed_digest=""),
                name="webhook_delivery_unique_signed_digest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.event} {self.delivery_id or '-'} ({self.status})"


class WebhookRejection(models.Model):
    """How many requests a provider's webhook URLs refused on one day, and why: forged or unsigned requests
    (`signature`) and replays of an accepted one (`replay`). Anyone on the internet can cause these, so they are
    counted here and only a bounded sample (WEBHOOK_REJECTION_SAMPLES_PER_DAY per provider and reason) is kept as
    WebhookDelivery rows."""

    class Reason(models.TextChoices):
        SIGNATURE = "signature", _("Signature missing or not valid")
        REPLAY = "replay", _("Replay of an accepted request")

    provider = models.CharField(max_length=32)
    reason = models.CharField(max_length=16, choices=Reason.choices)
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day", "provider", "reason"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "reason", "day"], name="webhook_rejection_one_row_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.reason} {self.day}: {self.count}"


class EntryLink(models.Model):
    """A time entry paired with an object at a provider (a calendar event, say), per integration.

    `imported`: the entry was created from the external object; `exported`: the external object was created from
    the entry. The unique constraints are what make a sync safe to repeat: one external object per entry and one
    entry per external object. When the entry is deleted the link stays with `time_entry` empty, so the next sync
    can delete the exported object (or knows not to import the object again). `fingerprint` is a digest of the
    entry as the sync last wrote or sent it, so a change made by a person since then can be told apart.
    """

    class Direction(models.TextChoices):
        IMPORTED = "imported", _("Imported")
        EXPORTED = "exported", _("Exported")

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="entry_links")
    time_entry = models.ForeignKey(
        "tracking.TimeEntry", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    external_id = models.CharField(max_length=255)
    direction = models.CharField(max_length=16, choices=Direction.choices)
    fingerprint = models.CharField(max_length=64, blank=True)
    synced_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["integration_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["integration", "external_id"], name="entry_link_one_per_external_id"),
            models.UniqueConstraint(
                fields=["integration", "time_entry"],
                condition=Q(time_entry__isnull=False),
                name="entry_link_one_per_entry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.integration} {self.direction} {self.external_id} ↔ entry {self.time_entry_id or '-'}"


# Tables of individual connectors live in integrations/connectors/<provider>/models.py.
def _load_connector_models() -> None:
    from .connectors import load_models

    load_models()


_load_connector_models()
