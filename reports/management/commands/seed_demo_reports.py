"""`manage.py seed_demo_reports`: the saved reports demo data (run by quickstart after tracking's demo data)."""

from django.core.management.base import BaseCommand

from reports.demo import DEMO_SHARE_PASSWORD, seed_saved_reports, seed_share_link, seed_subscription


class Command(BaseCommand):
    help = "Add demo saved reports, annotations, comments, views, a share link and a subscription (idempotent)."

    def handle(self, *args, **options):
        reports = seed_saved_reports()
        self.stdout.write(f"{len(reports)} demo saved reports.")
        if seed_subscription():
            self.stdout.write("Demo subscription: Maria gets her billable report by email every Monday at 09:00.")
        path = seed_share_link()
        if path:
            self.stdout.write(f"Demo share link (password {DEMO_SHARE_PASSWORD}): {path}")
