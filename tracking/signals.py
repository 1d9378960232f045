"""Domain signals of the tracking app.

Sent by tracking.services after the transaction commits, with ids only (never model instances), so receivers
in other apps (integrations, analytics) load what they need or hand the ids to a Celery task. Every signal is
sent with `sender` set to the model class it is about.

timer_started(sender=TimeEntry, entry_id, user_id, project_id, actor_id, source)
    A timer began running for user_id.
timer_stopped(sender=TimeEntry, entry_id, user_id, project_id, actor_id, source, duration_seconds)
    The running timer was stopped; duration_seconds is the stored (rounded) duration.
time_entry_changed(sender=TimeEntry, entry_id, user_id, project_id, actor_id, action, source)
    action is "created", "updated" or "deleted". Sent for manual entries and edits (not for timer start/stop,
    which have their own signals). After "deleted" the row no longer exists.
task_changed(sender=Task, task_id, project_id, actor_id, action)
    action is "created", "updated" or "archived".
project_changed(sender=Project, project_id, actor_id, action)
    action is "created", "updated" or "archived".
client_changed(sender=Client, client_id, actor_id, action)
    action is "created", "updated" or "archived".
report_viewed(sender=TimeEntry, user_id, group_by, then_by, interface)
    Someone ran a report (interface is "web" or "api").
report_exported(sender=TimeEntry, user_id, format, row_count, interface)
    Someone downloaded a report; format is "csv" or "xlsx".

`actor_id` is the user who made the change; None for system actions.
"""

from django.dispatch import Signal

timer_started = Signal()
timer_stopped = Signal()
time_entry_changed = Signal()
task_changed = Signal()
project_changed = Signal()
client_changed = Signal()
report_viewed = Signal()
report_exported = Signal()

CREATED = "created"
UPDATED = "updated"
DELETED = "deleted"
ARCHIVED = "archived"

# --- Approvals and locked periods ------------------------------------------------------------------------------------
# These three are audit signals: they are sent INSIDE the transaction of the change (not after commit), so the
# activity log's line is written, or rolled back, together with the change. Receivers must only write local rows.
#
# timesheet_changed(sender=Timesheet, timesheet_id, user_id, week, actor_id, state, previous_state, comment)
#     A person-week moved from previous_state to state ("submitted", "approved", "rejected", "open" on reopening);
#     week is the Monday as an ISO date string; comment is the decider's text ("" when none).
# period_lock_changed(sender=PeriodLock, lock_id, actor_id, action, until, team_id, reason)
#     action is "locked" or "reopened"; until is an ISO date string; reason is the reopening's reason.
# locked_time_corrected(sender=PeriodLock, entry_id, user_id, actor_id, action, reason)
#     An administrator changed ("created", "updated", "deleted") an entry in locked time, with a reason.
timesheet_changed = Signal()
period_lock_changed = Signal()
locked_time_corrected = Signal()

# timesheet_reminder_due(sender=TimesheetReminder, reminder_id, user_id, kind, week, subject, text)
#     Sent by the reminder task (not in a transaction). A receiver that will deliver it (e.g. the Slack connector, for
#     a linked person) enqueues its own task and returns the channel's name ("slack"); when none does, the reminder
#     goes out by email.
timesheet_reminder_due = Signal()
