"""Slack's own tables: each person's notification preferences and the record of daily summaries sent.

They belong to the integrations app (accounts.User only holds `slack_user_id`); `SlackSummarySent` has one row
per person and local date, and its unique constraint is what makes a daily summary go out exactly once.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Delivery(models.TextChoices):
    CHANNEL = "channel", _("In the team channel")
    DM = "dm", _("As a direct message")
    OFF = "off", _("Off")


def default_summary_time() -> datetime.time:
    """18:00 local. A callable, not a fixed time value: Django's check (fields.W161) warns about a fixed default
    that happens to equal the current time of day, which made `check --deploy` depend on when it ran."""
    return datetime.time(18, 0)


class SlackUserPreference(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="slack_preference")
    notify_on_start = models.CharField(max_length=8, choices=Delivery.choices, default=Delivery.CHANNEL)
    notify_on_stop = models.CharField(max_length=8, choices=Delivery.choices, default=Delivery.CHANNEL)
    daily_summary = models.BooleanField(default=False)
    notify_on_comment = models.BooleanField(
        default=False, help_text=_("A direct message when someone comments on a saved report you own.")
    )
    summary_time = models.TimeField(default=default_summary_time, help_text=_("Local time (HH:MM) in your time zone."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "Slack preference"

    def __str__(self) -> str:
        return f"Slack preferences of {self.user}"


class SlackSummarySent(models.Model):
    """One daily summary of one person for one local date: inserted before sending, so only one sender wins."""

    class Status(models.TextChoices):
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="slack_summaries")
    date = models.DateField(help_text=_("The local date the summary is about."))
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.SENDING)
    claimed_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-date", "user_id"]
        verbose_name = "Slack daily summary"
        verbose_name_plural = "Slack daily summaries"
        constraints = [models.UniqueConstraint(fields=["user", "date"], name="slack_summary_once_per_user_and_date")]

    def __str__(self) -> str:
        return f"{self.user} {self.date} ({self.status})"
