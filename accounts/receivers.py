"""Receivers: turn allauth's and Django's sign-in signals into the accounts domain signals (after commit, with ids)."""

from django.db import transaction

from . import signals
from .models import User


def announce_login(sender, request, user, **kwargs) -> None:
    method = signals.OIDC if kwargs.get("sociallogin") is not None else signals.LOCAL
    transaction.on_commit(lambda: signals.user_logged_in.send(sender=User, user_id=user.pk, method=method))


def announce_logout(sender, request, user, **kwargs) -> None:
    if user is not None and user.pk is not None:
        transaction.on_commit(lambda: signals.user_logged_out.send(sender=User, user_id=user.pk))
