"""Print everything TimeTracker holds about one user as JSON (the same export as the profile's download)."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from accounts.models import User
from accounts.services import user_data_export


class Command(BaseCommand):
    help = "Export all data of one user (profile, time entries, token and integration metadata) as JSON."

    def add_arguments(self, parser):
        parser.add_argument("user", help="username, email address or id of the user")
        parser.add_argument("--output", "-o", help="write to this file instead of standard output")

    def handle(self, *args, user: str, output: str | None = None, **options):
        query = Q(username=user) | Q(email__iexact=user)
        if user.isdigit():
            query |= Q(pk=int(user))
        matches = list(User.objects.filter(query)[:2])
        if not matches:
            raise CommandError(f"No user with the username, email or id “{user}”.")
        if len(matches) > 1:
            raise CommandError(f"“{user}” matches several users; use the username or the id.")
        text = json.dumps(user_data_export(user=matches[0]), indent=2, ensure_ascii=False)
        if output:
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(text + "\n")
            self.stderr.write(f"Wrote {output}")
        else:
            self.stdout.write(text)
