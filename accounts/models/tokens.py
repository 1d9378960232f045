"""Models of the REST API's accounts side: personal API tokens, their scopes, and idempotency records."""

from django.conf import settings
from django.db import models
from django.utils import timezone

SCOPE_ADMIN = "admin"
SCOPES = (
    "read:clients",
    "write:clients",
    "read:projects",
    "write:projects",
    "read:tasks",
    "write:tasks",
    "read:time_entries",
    "write:time_entries",
    "read:reports",
    "write:reports",
    "read:timesheets",
    "write:timesheets",
    "read:users",
    "read:integrations",
    "write:integrations",
    SCOPE_ADMIN,
)


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 hash of the secret is stored; the token is shown once, at creation."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    scopes = models.JSONField(default=list, help_text="Scopes the token grants, e.g. read:time_entries.")
    prefix = models.CharField(max_length=16, editable=False, help_text="The start of the token, to recognise it.")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    def has_scope(self, scope: str) -> bool:
        """`admin` implies every scope, but only while the owner is an administrator."""
        if scope in self.scopes:
            return True
        return SCOPE_ADMIN in self.scopes and getattr(self.owner, "role", None) == "admin"


class IdempotencyKey(models.Model):
    """The first response to a POST sent with an Idempotency-Key header, replayed when the request is retried."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=500)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True, help_text="Empty while the first request runs.")
    response_body = models.JSONField(null=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique_per_user")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"
