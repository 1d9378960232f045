"""`manage.py rotate_encryption_keys`: re-encrypt every integration secret with the first key of TT_ENCRYPTION_KEYS."""

from django.core.management.base import BaseCommand, CommandError

from integrations.services import integration_secrets_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every integration's secrets with the first key in TT_ENCRYPTION_KEYS. Put the new key first, "
        "keep the old ones after it, run this, then remove the old keys."
    )

    def handle(self, *args, **options):
        rotated, unreadable = integration_secrets_rotate()
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted the secrets of {rotated} integration(s)."))
        if unreadable:
            raise CommandError(
                f"{unreadable} integration(s) hold secrets no configured key can decrypt: add the key that "
                "encrypted them to TT_ENCRYPTION_KEYS (or the old SECRET_KEY's derived key) and run this again."
            )
