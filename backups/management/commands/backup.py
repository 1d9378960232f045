"""`manage.py backup`: dump the database into BACKUP_DIR and record it in last-backup.json."""

from django.core.management.base import BaseCommand, CommandError

from backups.services import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Dump the PostgreSQL database (pg_dump, custom format) into BACKUP_DIR, write last-backup.json and keep the "
        "newest BACKUP_KEEP dumps. The encryption keys are not in the dump: keep SECRET_KEY and TT_ENCRYPTION_KEYS "
        "safe separately."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="Folder for the dump (default: BACKUP_DIR).")
        parser.add_argument("--keep", type=int, help="Dumps to keep in the folder (default: BACKUP_KEEP; 0 all).")

    def handle(self, *args, **options):
        try:
            backup = backup_create(directory=options["dir"], keep=options["keep"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Backup written: {backup.path} ({backup.bytes} bytes)."))
