"""`manage.py create_api_token USERNAME --name NAME --scopes a,b [--expires-days N]`: print a new token once."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import SCOPES
from accounts.services import api_token_create


class Command(BaseCommand):
    help = "Create a personal API token for a user and print it (it is shown only this once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="What the token is for, e.g. 'invoice script'.")
        parser.add_argument("--scopes", required=True, help=f"Comma-separated scopes. Known: {', '.join(SCOPES)}.")
        parser.add_argument("--expires-days", type=int, default=None, help="Expire the token after N days.")

    def handle(self, *args, username, name, scopes, expires_days, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named “{username}”.")
        if not user.is_active:
            raise CommandError(f"The user “{username}” is deactivated.")
        expires_at = None
        if expires_days is not None:
            if expires_days < 1:
                raise CommandError("--expires-days must be 1 or more.")
            expires_at = timezone.now() + timedelta(days=expires_days)
        try:
            token, raw = api_token_create(actor=user, name=name, scopes=scopes, expires_at=expires_at)
        except ValidationError as exc:
            messages = [m for ms in getattr(exc, "message_dict", {"": exc.messages}).values() for m in ms]
            raise CommandError(" ".join(messages)) from exc
        expiry = f", expires {token.expires_at:%Y-%m-%d %H:%M} UTC" if token.expires_at else ""
        self.stderr.write(
            f"Created token “{token.name}” for {user.username} with scopes {', '.join(token.scopes)}{expiry}.\n"
            "Copy it now: it is not stored and cannot be shown again."
        )
        self.stdout.write(raw)
