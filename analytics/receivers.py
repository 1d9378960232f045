"""Receivers of the domain signals: each records the activity line and hands the analytics event to a task.

Connected in AnalyticsConfig.ready() with an explicit sender and dispatch_uid. Nothing here talks to the network:
track_event enqueues a Celery task, activity_record writes one local row.
"""

from django.db import transaction
from django.utils import timezone

from timetracker import outbox

from . import services
from .client import shutdown_client
from .events import (
    ANNOTATION_CREATED,
    AUTH_LOGOUT,
    EXPORT_EVENTS,
    INTEGRATION_CONNECTED,
    INTEGRATION_FAILED,
    INTEGRATION_SYNCED,
    PERIOD_LOCK_EVENTS,
    PROJECT_CREATED,
    REPORT_COMMENTED,
    REPORT_SAVED,
    REPORT_SHARED,
    REPORT_VIEWED,
    SAVED_REPORT_VIEWED,
    SHARE_VIEWED,
    TIME_ENTRY_EVENTS,
    TIMER_STARTED,
    TIMER_STOPPED,
    TIMESHEET_EVENTS,
    Prop,
)
from .models import Verb


def _track_on_commit(user_id, name, properties) -> None:
    # The audit receivers below run inside the change's transaction; the event leaves only once it has committed.
    transaction.on_commit(lambda: track(user_id, name, properties))


record = services.activity_record
track = services.track_event


def record_later(verb, *, actor_id, owner_id, object_type, object_id, metadata) -> None:
    """`record`, by a task (the outbox's: queued with a broker, kept when it is down, after the response without
    one), for the timer, whose request should write nothing but the entry."""
    at = timezone.now().isoformat()
    outbox.enqueue("analytics.record_activity", verb, actor_id, owner_id, object_type, object_id, metadata, at)


# --- accounts ------------------------------------------------------------------------------------------------------
def on_user_logged_in(sender, user_id, method, **kwargs):
    services.track_login(user_id, method)
    record(Verb.LOGIN, actor_id=user_id, owner_id=user_id, metadata={"method": method})


def on_user_logged_out(sender, user_id, **kwargs):
    track(user_id, AUTH_LOGOUT)
    record(Verb.LOGOUT, actor_id=user_id, owner_id=user_id)


def on_user_role_changed(sender, user_id, actor_id, old_role, new_role, **kwargs):
    record(
        Verb.ROLE_CHANGED,
        actor_id=actor_id,
        owner_id=user_id,
        object_type="accounts.user",
        object_id=user_id,
        metadata={"old_role": old_role, "new_role": new_role},
    )


def on_user_erased(sender, user_id, actor_id, **kwargs):
    # The erasure itself opted them out (analytics/gdpr.py): nothing more about them leaves.
    record(Verb.USER_ERASED, actor_id=actor_id, owner_id=user_id, object_type="accounts.user", object_id=user_id)


# --- tracking ------------------------------------------------------------------------------------------------------
def on_timer_started(sender, entry_id, user_id, project_id, actor_id=None, source="", **kwargs):
    track(actor_id or user_id, TIMER_STARTED, {Prop.SOURCE: source, Prop.PROJECT_ID: project_id})
    record_later(
        Verb.TIMER_STARTED.value,
        actor_id=actor_id or user_id,
        owner_id=user_id,
        object_type="tracking.timeentry",
        object_id=entry_id,
        metadata={"project_id": project_id, "source": source},
    )


def on_timer_stopped(sender, entry_id, user_id, project_id, actor_id=None, source="", duration_seconds=0, **kwargs):
    track(
        actor_id or user_id,
        TIMER_STOPPED,
        {Prop.SOURCE: source, Prop.PROJECT_ID: project_id, Prop.DURATION_SECONDS: duration_seconds},
    )
    record_later(
        Verb.TIMER_STOPPED.value,
        actor_id=actor_id or user_id,
        owner_id=user_id,
        object_type="tracking.timeentry",
        object_id=entry_id,
        metadata={"project_id": project_id, "source": source, "duration_seconds": duration_seconds},
    )


def on_time_entry_changed(sender, entry_id, user_id, project_id, actor_id, action, source="", **kwargs):
    track(
        actor_id or user_id,
        TIME_ENTRY_EVENTS[action],
        {
            Prop.SOURCE: source,
            Prop.PROJECT_ID: project_id,
            Prop.ENTRY_ID: entry_id,
            Prop.BY_OTHER_USER: bool(actor_id and actor_id != user_id),
        },
    )
    record(
        f"time_entry.{action}",
        actor_id=actor_id,
        owner_id=user_id,
        object_type="tracking.timeentry",
        object_id=entry_id,
        metadata={"project_id": project_id, "source": source},
    )


def on_project_changed(sender, project_id, actor_id, action, **kwargs):
    if action == "created":
        track(actor_id, PROJECT_CREATED, {Prop.PROJECT_ID: project_id})
    record(f"project.{action}", actor_id=actor_id, object_type="tracking.project", object_id=project_id)


def on_client_changed(sender, client_id, actor_id, action, **kwargs):
    record(f"client.{action}", actor_id=actor_id, object_type="tracking.client", object_id=client_id)


def on_report_viewed(sender, user_id, group_by="", then_by="", interface="", **kwargs):
    track(user_id, REPORT_VIEWED, {Prop.GROUP_BY: group_by, Prop.THEN_BY: then_by, Prop.INTERFACE: interface})


def on_report_exported(sender, user_id, format, row_count=0, interface="", **kwargs):  # noqa: A002 - the signal's kwarg
    if format in EXPORT_EVENTS:
        track(user_id, EXPORT_EVENTS[format], {Prop.ROW_COUNT: row_count, Prop.INTERFACE: interface})


# --- saved reports (ids only: never a report's name, description, tags, comment or note text) ----------------
def on_report_saved(sender, report_id, actor_id, action, **kwargs):
    if action in ("created", "duplicated"):
        track(actor_id, REPORT_SAVED, {Prop.REPORT_ID: report_id, Prop.ACTION: action})


def on_saved_report_viewed(sender, report_id, user_id, interface="", **kwargs):
    track(user_id, SAVED_REPORT_VIEWED, {Prop.REPORT_ID: report_id, Prop.INTERFACE: interface})


def on_annotation_created(sender, annotation_id, actor_id, scope="", **kwargs):
    track(actor_id, ANNOTATION_CREATED, {Prop.ANNOTATION_ID: annotation_id, Prop.SCOPE: scope})


def on_report_commented(sender, report_id, comment_id, actor_id, owner_id=None, **kwargs):
    # No comment id: the privacy filter drops any key that speaks of comments, and the report id says enough.
    track(actor_id, REPORT_COMMENTED, {Prop.REPORT_ID: report_id, Prop.BY_OWNER: actor_id == owner_id})


def on_report_shared(sender, report_id, link_id, actor_id, kind, **kwargs):
    track(actor_id, REPORT_SHARED, {Prop.REPORT_ID: report_id, Prop.LINK_ID: link_id, Prop.KIND: kind})


def on_share_viewed(sender, report_id, link_id, kind, **kwargs):
    # Whoever opened it is anonymous: the installation's event, without a person profile.
    services.track_installation_event(SHARE_VIEWED, {Prop.REPORT_ID: report_id, Prop.LINK_ID: link_id, Prop.KIND: kind})


# --- approvals and locked periods: audit signals, received inside the change's transaction -------------------------
def on_timesheet_changed(sender, timesheet_id, user_id, week, actor_id, state, previous_state, comment="", **kwargs):
    # The activity log is local (never sent anywhere): it keeps the comment and reasons as the audit trail.
    record(
        f"timesheet.{state}",
        actor_id=actor_id,
        owner_id=user_id,
        object_type="tracking.timesheet",
        object_id=timesheet_id,
        metadata={"week": week, "previous_state": previous_state, "comment": comment or None},
        strict=True,
    )
    if state in TIMESHEET_EVENTS:
        _track_on_commit(
            actor_id,
            TIMESHEET_EVENTS[state],
            {Prop.TIMESHEET_ID: timesheet_id, Prop.BY_OTHER_USER: bool(actor_id and actor_id != user_id)},
        )


def on_period_lock_changed(sender, lock_id, actor_id, action, until, team_id=None, reason="", **kwargs):
    record(
        f"period_lock.{action}",
        actor_id=actor_id,
        object_type="tracking.periodlock",
        object_id=lock_id,
        metadata={"until": until, "team_id": team_id, "reason": reason or None},
        strict=True,
    )
    if action in PERIOD_LOCK_EVENTS:
        _track_on_commit(actor_id, PERIOD_LOCK_EVENTS[action], {Prop.LOCK_ID: lock_id, Prop.TEAM_ID: team_id})


def on_locked_time_corrected(sender, entry_id, user_id, actor_id, action, reason="", **kwargs):
    record(
        Verb.LOCKED_CORRECTED,
        actor_id=actor_id,
        owner_id=user_id,
        object_type="tracking.timeentry",
        object_id=entry_id,
        metadata={"action": action, "reason": reason},
        strict=True,
    )


# --- integrations ------------------------------------------------------------------------------------------------
def on_integration_connected(sender, integration_id, provider, user_id=None, actor_id=None, **kwargs):
    track(actor_id or user_id, INTEGRATION_CONNECTED, {Prop.PROVIDER: provider})
    record(
        Verb.INTEGRATION_CONNECTED,
        actor_id=actor_id,
        owner_id=user_id,
        object_type="integrations.integration",
        object_id=integration_id,
        metadata={"provider": provider},
    )


def on_integration_synced(sender, integration_id, provider, counts=None, **kwargs):
    services.track_installation_event(INTEGRATION_SYNCED, {Prop.PROVIDER: provider, Prop.COUNTS: counts or {}})


def on_integration_failed(sender, integration_id, provider, error_code="", **kwargs):
    services.track_installation_event(INTEGRATION_FAILED, {Prop.PROVIDER: provider, Prop.ERROR_CODE: error_code})
    record(
        Verb.INTEGRATION_FAILED,
        actor_id=None,
        object_type="integrations.integration",
        object_id=integration_id,
        metadata={"provider": provider, "error_code": error_code},
    )


# --- process lifecycle --------------------------------------------------------------------------------------------
def on_worker_shutdown(**kwargs):
    shutdown_client()


def connect() -> None:
    from celery.signals import worker_process_shutdown, worker_shutdown
    from django.contrib.auth import get_user_model

    from accounts import signals as accounts_signals
    from integrations import signals as integration_signals
    from reports import signals as reports_signals
    from reports.models import Annotation, SavedReport
    from tracking import signals as tracking_signals
    from tracking.models import Client, PeriodLock, Project, TimeEntry, Timesheet

    user = get_user_model()
    pairs = [
        (accounts_signals.user_logged_in, on_user_logged_in, user),
        (accounts_signals.user_logged_out, on_user_logged_out, user),
        (accounts_signals.user_role_changed, on_user_role_changed, user),
        (accounts_signals.user_erased, on_user_erased, user),
        (tracking_signals.timer_started, on_timer_started, TimeEntry),
        (tracking_signals.timer_stopped, on_timer_stopped, TimeEntry),
        (tracking_signals.time_entry_changed, on_time_entry_changed, TimeEntry),
        (tracking_signals.project_changed, on_project_changed, Project),
        (tracking_signals.client_changed, on_client_changed, Client),
        (tracking_signals.report_viewed, on_report_viewed, TimeEntry),
        (tracking_signals.report_exported, on_report_exported, TimeEntry),
        (reports_signals.report_saved, on_report_saved, SavedReport),
        (reports_signals.saved_report_viewed, on_saved_report_viewed, SavedReport),
        (reports_signals.annotation_created, on_annotation_created, Annotation),
        (reports_signals.report_commented, on_report_commented, SavedReport),
        (reports_signals.report_shared, on_report_shared, SavedReport),
        (reports_signals.share_viewed, on_share_viewed, SavedReport),
        (tracking_signals.timesheet_changed, on_timesheet_changed, Timesheet),
        (tracking_signals.period_lock_changed, on_period_lock_changed, PeriodLock),
        (tracking_signals.locked_time_corrected, on_locked_time_corrected, PeriodLock),
        # The Integration model belongs to the integrations app; any sender of these signals is an integration.
        (integration_signals.integration_connected, on_integration_connected, None),
        (integration_signals.integration_synced, on_integration_synced, None),
        (integration_signals.integration_failed, on_integration_failed, None),
    ]
    for signal, receiver, sender in pairs:
        signal.connect(receiver, sender=sender, dispatch_uid=f"analytics.{receiver.__name__}")
    worker_shutdown.connect(on_worker_shutdown, dispatch_uid="analytics.worker_shutdown", weak=False)
    worker_process_shutdown.connect(on_worker_shutdown, dispatch_uid="analytics.worker_process_shutdown", weak=False)
