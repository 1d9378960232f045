"""Saved reports and what surrounds them: tags, favourites, daily views, comments, annotations, in-app notices.

A saved report stores the report's *question* (`definition`: period preset or dates, grouping, filters, chart),
never its answer: results are computed for each viewer by `reports.selectors.saved_report_results`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

NAME_MAX = 200
DESCRIPTION_MAX = 5000
TAG_MAX = 40
TAGS_MAX = 12
COMMENT_MAX = 4000
ANNOTATION_MAX = 500


class Visibility(models.TextChoices):
    PRIVATE = "private", "Only me"
    TEAMS = "teams", "My teams"
    EVERYONE = "everyone", "Everyone"


class ChartType(models.TextChoices):
    BAR = "bar", "Bars over time"
    LINE = "line", "Line over time"
    DOUGHNUT = "doughnut", "Breakdown (doughnut)"


class SavedReport(models.Model):
    name = models.CharField(max_length=NAME_MAX)
    description = models.TextField(blank=True, max_length=DESCRIPTION_MAX)
    definition = models.JSONField(help_text="The report's question, as reports.definition.definition_clean keeps it.")
    match_key = models.CharField(
        max_length=64, db_index=True, editable=False, help_text="Grouping and filters, for “already exists” hints."
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_reports")
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE)
    verified = models.BooleanField(default=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-verified", "name", "pk"]
        indexes = [models.Index(fields=["visibility", "owner"], name="savedreport_visibility_owner")]

    def __str__(self) -> str:
        return self.name

    @property
    def chart(self) -> str:
        return (self.definition or {}).get("chart") or ChartType.BAR


class SavedReportTag(models.Model):
    report = models.ForeignKey(SavedReport, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=TAG_MAX)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["report", "name"], name="savedreporttag_once_per_report")]
        indexes = [models.Index(fields=["name"], name="savedreporttag_name")]

    def __str__(self) -> str:
        return self.name


class Favourite(models.Model):
    report = models.ForeignKey(SavedReport, on_delete=models.CASCADE, related_name="favourites")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favourite_reports")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "user"], name="favourite_once_per_user")]

    def __str__(self) -> str:
        return f"{self.user_id} ★ {self.report_id}"


class ReportView(models.Model):
    """One person opening a saved report on one day (UTC): counted once, upserted."""

    report = models.ForeignKey(SavedReport, on_delete=models.CASCADE, related_name="views")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_views")
    day = models.DateField()
    last_viewed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "user", "day"], name="reportview_once_per_day")]
        indexes = [
            models.Index(fields=["report", "day"], name="reportview_report_day"),
            models.Index(fields=["user", "last_viewed_at"], name="reportview_user_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} viewed {self.report_id} on {self.day}"


class Comment(models.Model):
    report = models.ForeignKey(SavedReport, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_comments")
    text = models.TextField(max_length=COMMENT_MAX)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.report_id}"


class AnnotationScope(models.TextChoices):
    EVERYONE = "everyone", "Everyone"
    CLIENT = "client", "A client"
    PROJECT = "project", "A project"
    TEAM = "team", "A team"
    USER = "user", "A person"


class Annotation(models.Model):
    """A dated note on the data — one day or a range — about everyone, a client, a project, a team or a person."""

    start = models.DateField()
    end = models.DateField()
    text = models.CharField(max_length=ANNOTATION_MAX)
    scope = models.CharField(max_length=10, choices=AnnotationScope.choices, default=AnnotationScope.EVERYONE)
    client = models.ForeignKey("tracking.Client", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey("tracking.Project", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="annotations_about"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="annotations")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start", "pk"]
        indexes = [models.Index(fields=["start", "end"], name="annotation_range")]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="annotation_end_not_before_start"),
        ]

    def __str__(self) -> str:
        return f"{self.start}: {self.text[:40]}"

    @property
    def scope_id(self) -> int | None:
        return {"client": self.client_id, "project": self.project_id, "team": self.team_id, "user": self.user_id}.get(
            self.scope
        )


class Notice(models.Model):
    """An in-app notice: someone commented on a report you own. Read when you open the report."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_notices")
    report = models.ForeignKey(SavedReport, on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notice_recipient_unread")]

    def __str__(self) -> str:
        return f"Comment {self.comment_id} for {self.recipient_id}"


NOTE_MAX = 500


class ShareKind(models.TextChoices):
    LIVE = "live", "Live (recomputed at each view)"
    SNAPSHOT = "snapshot", "Snapshot (frozen now)"


class ShareLink(models.Model):
    """A read-only link to a saved report for people outside the app, at /s/<token>/.

    Only the token's SHA-256 is stored (`token_hash`): the plain token is shown once, when the link is made, so a
    database dump reveals no working link. A live link computes with its sharer's visibility at view time; a
    snapshot shows `snapshot`, the public payload frozen at creation (names already replaced unless `show_names`).
    """

    report = models.ForeignKey(SavedReport, on_delete=models.CASCADE, related_name="share_links")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="share_links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    kind = models.CharField(max_length=10, choices=ShareKind.choices, default=ShareKind.LIVE)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Empty: never (when the installation allows).")
    password_hash = models.CharField(max_length=256, blank=True, editable=False)
    members_only = models.BooleanField(default=False, help_text="Sign-in required to open it.")
    show_names = models.BooleanField(default=False, help_text="Otherwise people are shown as “Person 1…n”.")
    allow_csv = models.BooleanField(default=False)
    note = models.CharField(max_length=NOTE_MAX, blank=True, help_text="Where and why it was shared.")
    snapshot = models.JSONField(null=True, blank=True, editable=False)
    views = models.PositiveIntegerField(default=0, editable=False)
    last_viewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["report", "created_by"], name="sharelink_report_sharer")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} link {self.pk} to {self.report_id}"

    @property
    def has_password(self) -> bool:
        return bool(self.password_hash)


class SubscriptionChannel(models.TextChoices):
    SLACK = "slack", "Slack"
    EMAIL = "email", "Email"


class SubscriptionFrequency(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"


class SubscriptionCheck(models.TextChoices):
    """Whether the target was found usable. A channel whose check needs its provider (Slack) is checked by a task
    after the subscription is saved: `pending` until then."""

    PENDING = "pending", "Checking"
    OK = "ok", "Ready"
    FAILED = "failed", "Cannot deliver"


class Subscription(models.Model):
    """A saved report delivered on a schedule (weekly on a weekday, or monthly on a day, at HH:MM in the
    subscriber's time zone at delivery) to a Slack channel or DM, or by email. Results are computed with the
    subscriber's visibility. `target` is a Slack channel id or an email; empty means "me" (DM or own email)."""

    report = models.ForeignKey(SavedReport, on_delete=models.CASCADE, related_name="subscriptions")
    subscriber = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions")
    channel = models.CharField(max_length=10, choices=SubscriptionChannel.choices)
    target = models.CharField(max_length=254, blank=True, help_text="Slack channel id or email; empty: me.")
    frequency = models.CharField(max_length=10, choices=SubscriptionFrequency.choices)
    weekday = models.PositiveSmallIntegerField(null=True, blank=True, help_text="0 = Monday … 6 = Sunday (weekly).")
    day = models.PositiveSmallIntegerField(null=True, blank=True, help_text="1-28 (monthly).")
    time = models.TimeField(help_text="Local time of delivery, in the subscriber's time zone.")
    active = models.BooleanField(default=True)
    last_error = models.CharField(max_length=500, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    check_status = models.CharField(max_length=10, choices=SubscriptionCheck.choices, default=SubscriptionCheck.OK)
    check_error = models.CharField(max_length=500, blank=True, help_text="Why the target cannot be used.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["active", "frequency"], name="subscription_active_frequency")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(frequency="weekly", weekday__lte=6, day__isnull=True))
                | Q(frequency="monthly", day__gte=1, day__lte=28, weekday__isnull=True),
                name="subscription_schedule_complete",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_frequency_display()} {self.get_channel_display()} of {self.report_id} for {self.subscriber_id}"
        )

    @property
    def weekday_name(self) -> str:
        return WEEKDAY_NAMES[self.weekday] if self.weekday is not None and 0 <= self.weekday <= 6 else ""


WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class DeliveryStatus(models.TextChoices):
    CLAIMED = "claimed", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class SubscriptionDelivery(models.Model):
    """The ledger: one row per subscription and period ("2026-W49", "2026-12"), claimed before sending. The unique
    constraint makes a late, repeated or concurrent beat run deliver each period exactly once. A claim is leased:
    one still `claimed` after `lease_until` (its worker died) is taken again by the next beat run."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    period_key = models.CharField(max_length=10)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.CLAIMED)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    claimed_at = models.DateTimeField(auto_now_add=True)
    lease_until = models.DateTimeField(
        null=True, blank=True, help_text="A claim still sending after this was interrupted: the next beat takes it."
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-claimed_at", "-pk"]
        verbose_name_plural = "subscription deliveries"
        constraints = [
            models.UniqueConstraint(fields=["subscription", "period_key"], name="subscriptiondelivery_once_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id} {self.period_key}: {self.status}"
