"""`manage.py rebuild_rollup`: recompute the monthly rollup reports read from the time entries."""

from django.core.management.base import BaseCommand, CommandError

from tracking.services.rollup import RollupUnavailable, rollup_rebuild


class Command(BaseCommand):
    help = (
        "Recompute the monthly rollup of time entries (used by long-range reports on PostgreSQL) from the entries, "
        "in one transaction. Triggers keep it exact; run this after restoring data without triggers. "
        "See docs/development/performance.md."
    )

    def handle(self, *args, **options):
        try:
            rows = rollup_rebuild()
        except RollupUnavailable as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Rebuilt the monthly rollup: {rows} rows written."))
