"""Domain signals of the accounts app, sent with ids after commit (see tracking/signals.py for the conventions).

user_logged_in(sender=User, user_id, method)
    A person signed in. method is "local" (password), "oidc" (single sign-on) or "token" is never sent (API
    tokens authenticate requests, they are not logins). Analytics identifies users from it.
user_logged_out(sender=User, user_id)
    A person signed out.
user_role_changed(sender=User, user_id, actor_id, old_role, new_role)
user_erased(sender=User, user_id, actor_id)
    The user's personal data was anonymised; their time stays under a placeholder.
"""

from django.dispatch import Signal

user_logged_in = Signal()
user_logged_out = Signal()
user_role_changed = Signal()
user_erased = Signal()

LOCAL = "local"
OIDC = "oidc"
