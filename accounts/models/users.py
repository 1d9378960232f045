"""Users, roles and teams."""

import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a known time zone (use a name like Europe/Berlin)."),
            params={"value": value},
            code="invalid_timezone",
        )


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    MANAGER = "manager", _("Manager")
    MEMBER = "member", _("Member")
    VIEWER = "viewer", _("Viewer")


class RoundingMode(models.TextChoices):
    NONE = "none", _("No rounding")
    NEAREST = "nearest", _("Round to nearest")
    UP = "up", _("Round up")
    DOWN = "down", _("Round down")


ROUNDING_MINUTES_CHOICES = [(m, _("%(m)d min") % {"m": m}) for m in (1, 5, 6, 10, 15, 30)]


def default_timezone() -> str:
    return settings.TIME_ZONE


class TimeTrackerUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person who tracks or reads time. `role` drives the access policy (accounts.policy)."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER, db_index=True)
    timezone = models.CharField(max_length=64, default=default_timezone, validators=[validate_timezone])
    github_username = models.CharField(max_length=39, blank=True, db_index=True)
    slack_user_id = models.CharField(max_length=32, blank=True, db_index=True)
    rounding_mode = models.CharField(max_length=8, choices=RoundingMode.choices, default=RoundingMode.NONE)
    rounding_minutes = models.PositiveSmallIntegerField(choices=ROUNDING_MINUTES_CHOICES, default=15)
    # Privacy actions are recorded by who and when (accounts.services.user_deactivate / user_erase).
    deactivated_at = models.DateTimeField(null=True, blank=True, editable=False)
    deactivated_by = models.ForeignKey(
        "self", null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    erased_by = models.ForeignKey(
        "self", null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TimeTrackerUserManager()

    REQUIRED_FIELDS = ["email"]

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo(settings.TIME_ZONE)

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def is_admin_role(self) -> bool:
        return self.role == Role.ADMIN

    def save(self, *args, **kwargs):
        # The role is the source of truth for Django admin access: admins and managers reach the admin
        # site, and accounts.policy decides what they may do there.
        self.is_staff = self.role in (Role.ADMIN, Role.MANAGER)
        self.is_superuser = self.role == Role.ADMIN
        return super().save(*args, **kwargs)


class Team(models.Model):
    """A group of users. Managers of a team see and correct its members' time."""

    name = models.CharField(max_length=120, unique=True)
    managers = models.ManyToManyField(User, related_name="managed_teams", blank=True)
    members = models.ManyToManyField(User, related_name="teams", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
