"""The accounts app's models, split by subject; import them from here (`from accounts.models import User`).

- `users`: the user, roles, teams and per-person settings.
- `tokens`: personal API tokens with their scopes, and the REST API's idempotency records.
"""

from .tokens import SCOPE_ADMIN, SCOPES, ApiToken, IdempotencyKey
from .users import (
    ROUNDING_MINUTES_CHOICES,
    Role,
    RoundingMode,
    Team,
    TimeTrackerUserManager,
    User,
    default_timezone,
    validate_timezone,
)

__all__ = [
    "ROUNDING_MINUTES_CHOICES",
    "SCOPES",
    "SCOPE_ADMIN",
    "ApiToken",
    "IdempotencyKey",
    "Role",
    "RoundingMode",
    "Team",
    "TimeTrackerUserManager",
    "User",
    "default_timezone",
    "validate_timezone",
]
