"""Monitoring's own table: each person's progress through the first-week checklist."""

from django.conf import settings
from django.db import models


class OnboardingProgress(models.Model):
    """What a person did on the checklist that their other data cannot tell (their first entry, their linked
    accounts are read from their own tables). No row: nothing done yet."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    timezone_confirmed_at = models.DateTimeField(null=True, blank=True)
    reports_opened_at = models.DateTimeField(null=True, blank=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "onboarding progress"
        verbose_name_plural = "onboarding progress"

    def __str__(self) -> str:
        return f"onboarding of user #{self.user_id}"
