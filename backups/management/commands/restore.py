"""`manage.py restore FILE`: load a dump made by `manage.py backup` into the database."""

import sys

from django.core.management.base import BaseCommand, CommandError

from backups.services import BackupError, backup_restore, database_settings


class Command(BaseCommand):
    help = (
        "Restore a dump made by `manage.py backup` (pg_restore --clean) into the configured database, or into "
        "--database-url (created when missing). Stop web, worker and beat first when restoring over the live "
        "database; afterwards run `manage.py migrate` if the dump is older than the code."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .dump file.")
        parser.add_argument("--database-url", help="Restore into this database instead (postgres://...).")
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask before replacing the configured database's contents."
        )

    def handle(self, *args, **options):
        target = database_settings(options["database_url"])
        if not options["database_url"] and not options["yes"]:
            if not sys.stdin.isatty():
                raise CommandError("Restoring over the configured database needs --yes.")
            answer = input(f"Replace the contents of database {target['NAME']!r} with {options['file']}? [y/N] ")
            if answer.strip().lower() not in ("y", "yes"):
                raise CommandError("Nothing restored.")
        try:
            created = backup_restore(file=options["file"], database_url=options["database_url"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        where = f"the new database {target['NAME']!r}" if created else f"database {target['NAME']!r}"
        self.stdout.write(self.style.SUCCESS(f"Restored {options['file']} into {where}."))
