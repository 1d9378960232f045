"""`manage.py seed_demo_reports`: the saved reports demo data (run by quickstart after tracking's demo data)."""

from django.core.management.base import BaseCommand

from reports.demo import seed_saved_reports


class Command(BaseCommand):
    help = "Add demo saved reports, annotations, comments and views (idempotent)."

    def handle(self, *args, **options):
        reports = seed_saved_reports()
        self.stdout.write(f"{len(reports)} demo saved reports.")
