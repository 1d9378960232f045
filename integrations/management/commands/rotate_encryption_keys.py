"""`manage.py rotate_encryption_keys`: re-encrypt every integration secret and every two-factor secret with the first
encryption key (the first of TT_ENCRYPTION_KEYS, or the key derived from SECRET_KEY)."""

from django.core.management.base import BaseCommand, CommandError

from accounts.mfa import two_factor_secrets_rotate
from integrations.services import integration_secrets_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every integration's secrets and every two-factor secret with the first key in TT_ENCRYPTION_KEYS "
        "(or the key derived from SECRET_KEY). Put the new key first, keep the old ones after it (or in "
        "SECRET_KEY_FALLBACKS), run this, then remove the old keys."
    )

    def handle(self, *args, **options):
        rotated, unreadable = integration_secrets_rotate()
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted the secrets of {rotated} integration(s)."))
        rotated_mfa, unreadable_mfa = two_factor_secrets_rotate()
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted {rotated_mfa} two-factor authenticator(s)."))
        problems = []
        if unreadable:
            problems.append(f"{unreadable} integration(s)")
        if unreadable_mfa:
            problems.append(f"{unreadable_mfa} two-factor authenticator(s)")
        if problems:
            raise CommandError(
                f"{' and '.join(problems)} hold secrets no configured key can decrypt: add the key that "
                "encrypted them to TT_ENCRYPTION_KEYS (or the old SECRET_KEY to SECRET_KEY_FALLBACKS) and run this "
                "again."
            )
