"""Writes of the Slack connector: linking people, their preferences, the daily-summary ledger.

Reads are in `selectors`; failures are recorded by the framework's `integrations.services.integration_record_failure`.

Linking and preferences check accounts.policy for the actor (a person changes their own). The summary ledger
relies on the database: `summary_claim` inserts the (user, date) row, and only the inserting caller sends.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from slack_sdk.errors import SlackApiError

from accounts import policy
from accounts.services import identity_clean

from . import client, selectors
from .models import SlackSummarySent, SlackUserPreference


@transaction.atomic
def preference_update(*, actor, user, **fields) -> SlackUserPreference:
    policy.require(actor, policy.CHANGE, user)
    preference = SlackUserPreference.objects.select_for_update().filter(user=user).first() or SlackUserPreference(
        user=user
    )
    for name, value in fields.items():
        setattr(preference, name, value)
    preference.full_clean()
    preference.save()
    return preference


@transaction.atomic
def slack_user_link(*, actor, user, slack_user_id: str):
    """Set (or, with "", clear) the Slack user id of `user`. One Slack user links to one person."""
    policy.require(actor, policy.CHANGE, user)
    slack_user_id = identity_clean(user=user, field="slack_user_id", value=slack_user_id)
    user.slack_user_id = slack_user_id
    user.save(update_fields=["slack_user_id"])
    return user


def slack_user_link_by_email(*, actor, user) -> str:
    """Find `user`'s Slack account by their email (users.lookupByEmail) and link it. Returns the id.

    Raises ValidationError saying why when Slack is not set up, does not allow it, or knows no such email.
    """
    policy.require(actor, policy.CHANGE, user)
    token = selectors.slack_secret("bot_token")
    if not token:
        raise ValidationError("Slack is not set up yet; ask an administrator.")
    try:
        slack_user_id = client.lookup_by_email(token, user.email)
    except SlackApiError as exc:
        if exc.response.get("error") == "missing_scope":
            raise ValidationError(
                "The Slack app may not read emails (scope users:read.email); enter your member ID instead."
            ) from exc
        raise ValidationError(f"Could not ask Slack: {client.describe_error(exc)}.") from exc
    except client.SLACK_ERRORS as exc:
        raise ValidationError(f"Could not ask Slack: {client.describe_error(exc)}.") from exc
    if not slack_user_id:
        raise ValidationError(f"Slack has no member with the email {user.email}; enter your member ID instead.")
    slack_user_link(actor=actor, user=user, slack_user_id=slack_user_id)
    return slack_user_id


def slack_user_link_from_slack(*, slack_user_id: str):
    """An unlinked Slack user ran a command: link them to the person with the same email, if exactly one.

    Needs the users:read and users:read.email scopes; returns the linked user or None.
    """
    token = selectors.slack_secret("bot_token")
    if not token or selectors.user_for_slack_id(slack_user_id) is not None:
        return None
    email = client.user_email(token, slack_user_id)
    if not email:
        return None
    users = list(get_user_model().objects.filter(email__iexact=email, is_active=True, slack_user_id="")[:2])
    if len(users) != 1:
        return None
    # Made in the person's own name: they ran the command, and Slack vouched for the email.
    return slack_user_link(actor=users[0], user=users[0], slack_user_id=slack_user_id)


# -- the daily-summary ledger ---------------------------------------------------------------------------------------


def summary_claim(*, user_id: int, day) -> SlackSummarySent | None:
    """Claim the summary of (user, day): the row is inserted, and the unique constraint lets exactly one caller
    win, whatever the number of runs or workers. None when it was already claimed."""
    try:
        with transaction.atomic():
            return SlackSummarySent.objects.create(user_id=user_id, date=day)
    except IntegrityError:
        return None


def summary_mark_sent(claim: SlackSummarySent) -> None:
    SlackSummarySent.objects.filter(pk=claim.pk).update(
        status=SlackSummarySent.Status.SENT, sent_at=timezone.now(), error=""
    )


def summary_mark_failed(claim: SlackSummarySent, error: str) -> None:
    SlackSummarySent.objects.filter(pk=claim.pk).update(status=SlackSummarySent.Status.FAILED, error=error[:2000])
