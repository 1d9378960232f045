"""Every write to accounts goes through these functions, split by subject; import them from here.

- `users`: roles, deactivation, erasure, and the data export.
- `tokens`: personal API tokens — create, revoke, authenticate.
- `profile`: a person's own settings.

Each write is atomic, takes the acting person as the keyword-only `actor` and checks the access policy for them.
`actor=None` is accepted only where a system action is documented (single sign-on applying the identity provider's
groups in `user_role_set`).
"""

from .profile import PROFILE_FIELDS, identity_clean, profile_update
from .tokens import (
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
    api_token_validate,
    hash_token,
    looks_like_token,
    normalise_scopes,
)
from .users import (
    PERSONAL_FIELDS,
    AccountError,
    user_data_export,
    user_deactivate,
    user_erase,
    user_reactivate,
    user_role_set,
    user_role_validate,
)

__all__ = [
    "PERSONAL_FIELDS",
    "PROFILE_FIELDS",
    "AccountError",
    "api_token_authenticate",
    "identity_clean",
    "api_token_create",
    "api_token_revoke",
    "api_token_validate",
    "hash_token",
    "looks_like_token",
    "normalise_scopes",
    "profile_update",
    "user_data_export",
    "user_deactivate",
    "user_erase",
    "user_reactivate",
    "user_role_set",
    "user_role_validate",
]
