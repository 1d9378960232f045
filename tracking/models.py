"""Clients, projects, tasks, tags and time entries.

Times are stored in UTC and shown in each user's timezone. Writes go through tracking.services.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("API")
    SLACK = "slack", _("Slack")
    GITHUB = "github", _("GitHub")
    CALENDAR = "calendar", _("Calendar")
    IMPORT = "import", _("Import")
    ADMIN = "admin", _("Admin")


money = {"max_digits": 10, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class Client(models.Model):
    name = models.CharField(max_length=200, unique=True)
    contact = models.TextField(blank=True, help_text=_("Contact person, email or address."))
    default_hourly_rate = models.DecimalField(null=True, blank=True, **money)
    archived = models.BooleanField(default=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    client = models.ForeignKey(Client, null=True, blank=True, on_delete=models.PROTECT, related_name="projects")
    name = models.CharField(max_length=200)
    code = models.CharField(
        max_length=32,
        blank=True,
        validators=[RegexValidator(r"^[A-Za-z0-9_.-]+$", _("Use letters, digits, dot, dash or underscore."))],
        help_text=_("Short code, used e.g. in Slack: /tt start WEB"),
    )
    color = models.CharField(
        max_length=7,
        default="#3b82f6",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a hex colour like #3b82f6."))],
    )
    billable = models.BooleanField(default=True)
    hourly_rate = models.DecimalField(null=True, blank=True, help_text=_("Overrides the client's rate."), **money)
    budget_hours = models.DecimalField(null=True, blank=True, **money)
    budget_amount = models.DecimalField(null=True, blank=True, **money)
    archived = models.BooleanField(default=False, db_index=True)
    is_public = models.BooleanField(
        default=True, help_text=_("Open to everyone. When off, only the listed teams and users may track on it.")
    )
    teams = models.ManyToManyField("accounts.Team", blank=True, related_name="projects")
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="projects")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["client", "name"], name="project_name_unique_per_client"),
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="project_code_unique"),
        ]

    def __str__(self) -> str:
        return self.label_of(self.name, self.client.name if self.client_id else None)

    @staticmethod
    def label_of(name: str, client_name: str | None) -> str:
        """A project as people read it: "Client / Project", or the name alone without a client."""
        return f"{client_name} / {name}" if client_name is not None else name

    @property
    def effective_hourly_rate(self) -> Decimal | None:
        if self.hourly_rate is not None:
            return self.hourly_rate
        return self.client.default_hourly_rate if self.client_id else None


class Task(models.Model):
    class Status(models.TextChoices):
        TODO = "todo", _("To do")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        NORMAL = "normal", _("Normal")
        HIGH = "high", _("High")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tasks")
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.TODO, db_index=True)
    priority = models.CharField(max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_tasks"
    )
    due_date = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.WEB)
    external_ref = models.CharField(max_length=255, blank=True, db_index=True)
    external_url = models.URLField(max_length=500, blank=True)
    archived = models.BooleanField(default=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["project__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_ref"], condition=~Q(external_ref=""), name="task_external_ref_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    name = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TimeEntryQuerySet(models.QuerySet):
    def running(self):
        return self.filter(end__isnull=True)

    def completed(self):
        return self.filter(end__isnull=False)

    def overlapping(self, start, end):
        """Entries whose interval intersects [start, end); a running entry counts as open-ended."""
        qs = self.filter(Q(end__isnull=True) | Q(end__gt=start))
        return qs if end is None else qs.filter(start__lt=end)


class TimeEntry(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="time_entries")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="time_entries")
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="time_entries")
    start = models.DateTimeField()
    end = models.DateTimeField(null=True, blank=True, help_text=_("Empty while the timer runs."))
    duration_seconds = models.PositiveIntegerField(
        default=0, editable=False, help_text=_("Derived from start and end, with the user's rounding applied.")
    )
    notes = models.TextField(blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="time_entries")
    billable = models.BooleanField(default=True)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.WEB)
    external_ref = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TimeEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-start"]
        verbose_name_plural = "time entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=F("start")),
                name="time_entry_end_after_start",
                violation_error_message="The end must be after the start.",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(end__isnull=True),
                name="one_running_entry_per_user",
                violation_error_message="This user already has a running timer; stop it first.",
            ),
            models.UniqueConstraint(
                fields=["user", "source", "external_ref"],
                condition=~Q(external_ref=""),
                name="time_entry_external_ref_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "start"], name="entry_user_start_idx"),
            models.Index(fields=["project", "start"], name="entry_project_start_idx"),
            # Time ranges over everyone (an admin's list, a month's report) and the list's keyset order.
            models.Index(F("start").desc(), F("id").desc(), name="entry_start_id_desc_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.project} · {self.start:%Y-%m-%d %H:%M}"

    @property
    def is_running(self) -> bool:
        return self.end is None

    def clean(self) -> None:
        errors = {}
        if self.end is not None and self.start is not None and self.end <= self.start:
            errors["end"] = _("The end must be after the start.")
        if self.task_id and self.project_id and self.task.project_id != self.project_id:
            errors["task"] = _("The task “%(task)s” belongs to another project.") % {"task": self.task}
        if errors:
            raise ValidationError(errors)


class EntryMonthRollup(models.Model):
    """The finished entries' seconds per person, project, billable flag and UTC month of their start — what a report
    over whole months reads instead of the entries (tracking.reports).

    Written only by PostgreSQL triggers on time entries, in the transaction of every write (services, queryset
    updates and deletes, bulk inserts, COPY); see migration 0006. `manage.py rebuild_rollup` recomputes it from the
    entries. A running timer is not in it until it stops. The ids carry no foreign keys: the triggers remove a row
    when its last entry goes, and the entries' own keys already protect people and projects. Other databases
    (SQLite) leave it empty and reports read the entries there.
    """

    month = models.DateField(help_text=_("First day of the UTC month the entries started in."))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    project = models.ForeignKey(
        Project, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    billable = models.BooleanField()
    seconds = models.BigIntegerField(default=0)
    entry_count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "user", "project", "billable"], name="entry_month_rollup_key"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} · user {self.user_id} · project {self.project_id}: {self.seconds} s"


# --- Timesheet approvals and locked periods -------------------------------------------------------------------------


class TimesheetState(models.TextChoices):
    OPEN = "open", _("Open")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Timesheet(models.Model):
    """One person's ISO week (Monday `week`, in their own time zone) on its way through approval.

    No row means "open". Written only by tracking.services.approvals; every transition is in the activity log.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="timesheets")
    week = models.DateField(help_text=_("The Monday of the ISO week, in the person's time zone."))
    state = models.CharField(max_length=16, choices=TimesheetState.choices, default=TimesheetState.OPEN)
    comment = models.TextField(blank=True, help_text=_("The decider's comment (a rejection's reason)."))
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-week", "user_id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "week"], name="timesheet_one_per_user_week"),
            models.CheckConstraint(
                condition=Q(state__in=["open", "submitted", "approved", "rejected"]), name="timesheet_state_known"
            ),
        ]
        indexes = [models.Index(fields=["week", "state"], name="timesheet_week_state_idx")]

    def __str__(self) -> str:
        return f"{self.user} · week of {self.week:%Y-%m-%d} · {self.get_state_display()}"


class PeriodLockQuerySet(models.QuerySet):
    def active(self):
        return self.filter(reopened_at__isnull=True)

    def applying_to(self, user):
        """The active locks that apply to `user`: everyone's and those of the teams they are a member of."""
        return self.active().filter(Q(team__isnull=True) | Q(team__members=user))


class PeriodLock(models.Model):
    """Everything up to `until` (inclusive, in each person's own time zone) is closed, for everyone or one team.

    Reopening keeps the row (who, when, why): the lock stops applying and the audit trail stays.
    """

    until = models.DateField(help_text=_("The last locked day, inclusive."))
    team = models.ForeignKey(
        "accounts.Team",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="period_locks",
        help_text=_("Empty: everyone."),
    )
    locked_by_label = models.CharField(
        max_length=60, blank=True, help_text=_("Shown in the message, e.g. “Finance”. Empty: the admin's name.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reopen_reason = models.TextField(blank=True)

    objects = PeriodLockQuerySet.as_manager()

    class Meta:
        ordering = ["-until", "-pk"]
        indexes = [models.Index(fields=["reopened_at", "until"], name="period_lock_active_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(reopened_at__isnull=True) | ~Q(reopen_reason=""),
                name="period_lock_reopen_has_reason",
                violation_error_message="Reopening a locked period needs a reason.",
            ),
        ]

    def __str__(self) -> str:
        scope = self.team.name if self.team_id else "everyone"
        return f"Locked up to {self.until:%Y-%m-%d} for {scope}"

    @property
    def is_active(self) -> bool:
        return self.reopened_at is None


class ApprovalSettings(models.Model):
    """The installation's approval settings (one row, pk=1). `enabled` None follows APPROVALS_ENABLED."""

    enabled = models.BooleanField(
        null=True,
        blank=True,
        help_text=_("Approvals on or off for everyone. Empty: the APPROVALS_ENABLED environment variable decides."),
    )
    required_teams = models.ManyToManyField(
        "accounts.Team",
        blank=True,
        related_name="+",
        help_text=_("Teams whose missing or waiting weeks are flagged and reminded."),
    )
    reminders_enabled = models.BooleanField(default=False)
    reminder_weekday = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(6)],
        help_text=_("0 = Monday … 6 = Sunday: the day reminders for last week go out."),
    )
    reminder_hour = models.PositiveSmallIntegerField(
        default=10, validators=[MaxValueValidator(23)], help_text=_("Hour of the day, in each person's time zone.")
    )

    class Meta:
        verbose_name = _("approval settings")
        verbose_name_plural = _("approval settings")

    def __str__(self) -> str:
        return "Approval settings"

    @classmethod
    def get(cls) -> "ApprovalSettings":
        row, _created = cls.objects.get_or_create(pk=1)
        return row


class TimesheetReminder(models.Model):
    """The reminder ledger: one row per person, week and kind, claimed before sending, so each goes out once."""

    class Kind(models.TextChoices):
        SUBMIT = "submit", _("Submit your week")
        REVIEW = "review", _("Weeks waiting for you")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.DateField()
    kind = models.CharField(max_length=8, choices=Kind.choices)
    channel = models.CharField(max_length=16, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "week", "kind"], name="timesheet_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder · {self.user_id} · {self.week}"
