"""`manage.py generate_load_data`: many people and years of time entries, for measuring speed."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from tracking.load_data import LoadDataExists, generate_load_data, vacuum_load_data


class Command(BaseCommand):
    help = (
        "Fill an empty database with benchmark data: people in teams, clients, projects, tasks, tags and time "
        "entries (COPY on PostgreSQL). The same arguments give the same data. See docs/development/performance.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--entries", type=int, default=20_000, help="About how many time entries (default 20000).")
        parser.add_argument("--users", type=int, default=50, help="How many people (default 50).")
        parser.add_argument("--years", type=int, default=2, help="Years of history (default 2).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--until", type=date.fromisoformat, default=None, help="The day after the last entries (default today)."
        )

    def handle(self, *args, entries, users, years, seed, until, **options):
        if entries < 0 or users < 2 or not 1 <= years <= 10:
            raise CommandError("Give --entries >= 0, --users >= 2 and --years from 1 to 10.")
        try:
            summary = generate_load_data(
                entries=entries,
                users=users,
                years=years,
                seed=seed,
                until=until,
                progress=lambda message: self.stdout.write(f"  {message}"),
            )
        except LoadDataExists as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("  vacuuming the entries, as autovacuum would (PostgreSQL)")
        vacuum_load_data()
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {summary.entries} entries ({summary.running} running) for {summary.users} people in "
                f"{summary.teams} teams; {summary.clients} clients, {summary.projects} projects, {summary.tasks} "
                f"tasks, {summary.tags} tags."
            )
        )
        self.stdout.write(
            f"  Logins: {summary.admin_username} (admin), {summary.member_username} (member); "
            f"password {summary.password}"
        )
