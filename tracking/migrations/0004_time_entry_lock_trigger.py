"""PostgreSQL backs the lock rule of tracking.services.locks with a trigger on time entries.

An insert, update or delete of an entry that starts (before or after the change) on a day covered by an active period
lock (everyone's, or a team's the person is a member of; the day in the person's own time zone) or in an approved
week is refused with a check violation — whatever code path tried it. The services check first and say why in
words; the trigger catches anything that goes around them. A change that touches none of the entry's time fields
(e.g. only `updated_at`) passes. The services' documented exceptions (an administrator's "edit anyway" with a reason,
stopping a timer at the end of locked time) set the transaction-local flag `tracking.allow_locked_write` around their
one write. Other databases (SQLite) rely on the services alone.
"""

from django.db import migrations

CREATE = r"""
CREATE OR REPLACE FUNCTION tracking_time_entry_locked(uid bigint, st timestamptz) RETURNS boolean AS $$
DECLARE
    tz text;
    local_day date;
BEGIN
    SELECT timezone INTO tz FROM accounts_user WHERE id = uid;
    BEGIN
        local_day := (st AT TIME ZONE coalesce(tz, 'UTC'))::date;
    EXCEPTION WHEN invalid_parameter_value THEN
        local_day := (st AT TIME ZONE 'UTC')::date;
    END;
    RETURN EXISTS (
        SELECT 1 FROM tracking_periodlock l
        WHERE l.reopened_at IS NULL AND l.until >= local_day
          AND (l.team_id IS NULL OR EXISTS (
              SELECT 1 FROM accounts_team_members m WHERE m.team_id = l.team_id AND m.user_id = uid))
    ) OR EXISTS (
        SELECT 1 FROM tracking_timesheet t
        WHERE t.user_id = uid AND t.state = 'approved'
          AND t.week = local_day - (extract(isodow FROM local_day)::int - 1)
    );
END;
$$ LANGUAGE plpgsql STABLE;

CREATE OR REPLACE FUNCTION tracking_time_entry_lock_guard() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('tracking.allow_locked_write', true), '') = 'on' THEN
        RETURN coalesce(NEW, OLD);
    END IF;
    IF TG_OP = 'UPDATE'
       AND NEW.user_id = OLD.user_id AND NEW.start = OLD.start AND NEW."end" IS NOT DISTINCT FROM OLD."end"
       AND NEW.project_id = OLD.project_id AND NEW.task_id IS NOT DISTINCT FROM OLD.task_id
       AND NEW.notes = OLD.notes AND NEW.billable = OLD.billable AND NEW.duration_seconds = OLD.duration_seconds THEN
        RETURN NEW;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND tracking_time_entry_locked(OLD.user_id, OLD.start) THEN
        RAISE EXCEPTION 'period_locked: time entry % is in locked time', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND tracking_time_entry_locked(NEW.user_id, NEW.start) THEN
        RAISE EXCEPTION 'period_locked: this time entry would be in locked time' USING ERRCODE = 'check_violation';
    END IF;
    RETURN coalesce(NEW, OLD);
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS tracking_time_entry_lock_guard ON tracking_timeentry;
CREATE TRIGGER tracking_time_entry_lock_guard
    BEFORE INSERT OR UPDATE OR DELETE ON tracking_timeentry
    FOR EACH ROW EXECUTE FUNCTION tracking_time_entry_lock_guard();
"""

DROP = r"""
DROP TRIGGER IF EXISTS tracking_time_entry_lock_guard ON tracking_timeentry;
DROP FUNCTION IF EXISTS tracking_time_entry_lock_guard();
DROP FUNCTION IF EXISTS tracking_time_entry_locked(bigint, timestamptz);
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("tracking", "0003_timesheet_reminders_beat")]

    operations = [migrations.RunPython(create, drop)]
