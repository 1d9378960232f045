"""Back up and restore the PostgreSQL database with pg_dump / pg_restore.

`backup_create` writes one custom-format dump (`timetracker-<UTC time>.dump`) into the backup folder, then the
marker `last-backup.json` = {"finished_at": ISO-8601 UTC, "file": name, "bytes": size}, which the health page reads;
a failed backup leaves neither a partial dump nor a new marker. `backup_restore` loads a dump into a database (the
configured one, or any other by URL), creating it when it does not exist.

The connection's password reaches pg_dump through the PGPASSWORD environment variable, never its command line (which
other users of the host can see) and never the logs. The encryption keys are not in the dump: see
docs/admin/deployment/backup.md.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import environ
from django.conf import settings
from django.db import connections

MARKER = "last-backup.json"
PREFIX = "timetracker-"
SUFFIX = ".dump"


class BackupError(Exception):
    """A backup or restore could not be made; the message says why and what to do."""


@dataclass(frozen=True)
class Backup:
    path: Path
    bytes: int
    finished_at: datetime


def _connection_env(db: dict) -> dict[str, str]:
    """libpq's environment for one of Django's database settings dicts."""
    if "postgresql" not in db.get("ENGINE", ""):
        raise BackupError(
            "Backups need PostgreSQL (DATABASE_URL=postgres://...). For the SQLite try-out, copy the database "
            "file while nothing runs."
        )
    env = {**os.environ, "PGDATABASE": str(db["NAME"])}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    # TLS options of DATABASE_URL (?sslmode=verify-full&sslrootcert=...) apply to the dump's connection too.
    for option in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
        if (db.get("OPTIONS") or {}).get(option):
            env[f"PG{option.upper()}"] = str(db["OPTIONS"][option])
    return env


def database_settings(database_url: str | None = None) -> dict:
    """Django's settings dict of the configured database, or of `database_url`."""
    if database_url:
        return environ.Env.db_url_config(database_url)
    return connections["default"].settings_dict


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} was not found: install the PostgreSQL client (postgresql-client).")
    return path


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - no shell
    if result.returncode != 0:
        raise BackupError(f"{what} failed (exit status {result.returncode}): {result.stderr.strip()[-2000:]}")


def backup_directory(directory: str | os.PathLike | None = None) -> Path:
    chosen = directory or settings.BACKUP_DIR
    if not chosen:
        raise BackupError("No backup folder: set BACKUP_DIR (or pass --dir).")
    path = Path(chosen)
    path.mkdir(parents=True, exist_ok=True)
    return path


def backup_list(directory: Path) -> list[Path]:
    """The dumps in `directory`, oldest first (their names sort by time)."""
    return sorted(directory.glob(f"{PREFIX}*{SUFFIX}"))


def backup_create(
    *, directory: str | os.PathLike | None = None, keep: int | None = None, database_url: str | None = None
) -> Backup:
    """Dump the configured database (or `database_url`) into `directory` (default BACKUP_DIR), record it in the
    marker, keep the newest `keep` dumps (default BACKUP_KEEP; 0 keeps all)."""
    folder = backup_directory(directory)
    env = _connection_env(database_settings(database_url))
    started = datetime.now(UTC)
    final = folder / f"{PREFIX}{started:%Y%m%dT%H%M%S%fZ}{SUFFIX}"
    partial = final.with_name(final.name + ".partial")
    args = [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}"]
    try:
        _run(args, env, "pg_dump")
        os.replace(partial, final)
    finally:
        partial.unlink(missing_ok=True)
    backup = Backup(path=final, bytes=final.stat().st_size, finished_at=datetime.now(UTC))
    _write_marker(folder, backup)
    _prune(folder, settings.BACKUP_KEEP if keep is None else keep)
    return backup


def _write_marker(folder: Path, backup: Backup) -> None:
    marker = {
        "finished_at": backup.finished_at.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "file": backup.path.name,
        "bytes": backup.bytes,
    }
    temporary = folder / f".{MARKER}.tmp"
    temporary.write_text(json.dumps(marker) + "\n")
    os.replace(temporary, folder / MARKER)  # atomic: a reader never sees half a marker


def _prune(folder: Path, keep: int) -> None:
    if keep <= 0:
        return
    for old in backup_list(folder)[:-keep]:
        old.unlink(missing_ok=True)


def last_backup(directory: str | os.PathLike | None = None) -> dict | None:
    """The marker of the last successful backup, or None."""
    folder = Path(directory or settings.BACKUP_DIR or "")
    try:
        return json.loads((folder / MARKER).read_text())
    except (OSError, ValueError):
        return None


def _create_database_if_missing(env: dict[str, str]) -> bool:
    name = env["PGDATABASE"]
    admin = {**env, "PGDATABASE": "postgres"}
    psql = _tool("psql")
    probe = subprocess.run(  # noqa: S603 - no shell; the name is a psql variable, quoted by psql itself
        [psql, "--tuples-only", "--no-align", "--no-psqlrc", "-v", f"name={name}"],
        input="SELECT 1 FROM pg_database WHERE datname = :'name';\n",
        env=admin,
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.returncode != 0:
        raise BackupError(f"Could not reach PostgreSQL to look for database {name!r}: {probe.stderr.strip()}")
    if probe.stdout.strip() == "1":
        return False
    _run([_tool("createdb"), "--", name], admin, f"createdb {name}")
    return True


def backup_restore(*, file: str | os.PathLike, database_url: str | None = None) -> bool:
    """Load the dump `file` into the configured database, or into `database_url`; the target is created when missing.
    Objects the dump holds are dropped and recreated (`--clean`). Returns whether the database was created."""
    path = Path(file)
    if not path.is_file():
        raise BackupError(f"No such backup file: {path}")
    env = _connection_env(database_settings(database_url))
    created = _create_database_if_missing(env)
    args = [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges", "--exit-on-error"]
    _run([*args, f"--dbname={env['PGDATABASE']}", str(path)], env, "pg_restore")
    return created
