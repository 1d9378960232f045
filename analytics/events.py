"""Event names, property keys and activity verbs: the one place they are spelled.

Properties carry ids, counts, codes and enums only — never a name, an email, notes or a token.
"""

# --- Product analytics events -----------------------------------------------------------------------------------
AUTH_LOGIN = "auth.login"
AUTH_LOGOUT = "auth.logout"
TIMER_STARTED = "timer.started"
TIMER_STOPPED = "timer.stopped"
TIME_ENTRY_CREATED = "time_entry.created"
TIME_ENTRY_UPDATED = "time_entry.updated"
TIME_ENTRY_DELETED = "time_entry.deleted"
PROJECT_CREATED = "project.created"
REPORT_VIEWED = "report.viewed"
EXPORT_CSV = "export.csv"
EXPORT_XLSX = "export.xlsx"
INTEGRATION_CONNECTED = "integration.connected"
INTEGRATION_SYNCED = "integration.synced"
INTEGRATION_FAILED = "integration.failed"
FEATURE_INTERACTION = "feature_interaction"
# Saved reports (named as the saved-reports contract names them)
REPORT_SAVED = "report_saved"
SAVED_REPORT_VIEWED = "saved_report_viewed"
ANNOTATION_CREATED = "annotation_created"
REPORT_COMMENTED = "report_commented"
REPORT_SHARED = "report_shared"
SHARE_VIEWED = "share_viewed"
TIMESHEET_SUBMITTED = "timesheet.submitted"
TIMESHEET_APPROVED = "timesheet.approved"
TIMESHEET_REJECTED = "timesheet.rejected"
TIMESHEET_REOPENED = "timesheet.reopened"
PERIOD_LOCKED = "period.locked"
PERIOD_REOPENED = "period.reopened"

TIME_ENTRY_EVENTS = {"created": TIME_ENTRY_CREATED, "updated": TIME_ENTRY_UPDATED, "deleted": TIME_ENTRY_DELETED}
EXPORT_EVENTS = {"csv": EXPORT_CSV, "xlsx": EXPORT_XLSX}
TIMESHEET_EVENTS = {
    "submitted": TIMESHEET_SUBMITTED,
    "approved": TIMESHEET_APPROVED,
    "rejected": TIMESHEET_REJECTED,
    "open": TIMESHEET_REOPENED,
}
PERIOD_LOCK_EVENTS = {"locked": PERIOD_LOCKED, "reopened": PERIOD_REOPENED}

# --- Installation telemetry events --------------------------------------------------------------------------------
TELEMETRY_INSTALL = "telemetry.install"
TELEMETRY_UPDATE = "telemetry.update"
TELEMETRY_HEALTH = "telemetry.health"

# --- Groups ---------------------------------------------------------------------------------------------------------
GROUP_VERSION = "version"
GROUP_PLATFORM = "platform"


class Prop:
    """Property keys of events and person/installation profiles."""

    # context added by track_event
    CURRENT_URL = "$current_url"
    BROWSER = "$browser"
    OS = "$os"
    DEVICE_TYPE = "$device_type"
    APP_VERSION = "app_version"
    ENVIRONMENT = "environment"
    DEPLOYMENT_METHOD = "deployment_method"
    # person profile ($set / $set_once)
    SET = "$set"
    SET_ONCE = "$set_once"
    ROLE = "role"
    IS_ADMIN = "is_admin"
    AUTH_METHOD = "auth_method"
    LAST_LOGIN = "last_login"
    FIRST_LOGIN = "first_login"
    SIGNUP_METHOD = "signup_method"
    # event payloads
    SOURCE = "source"
    PROJECT_ID = "project_id"
    ENTRY_ID = "entry_id"
    DURATION_SECONDS = "duration_seconds"
    BY_OTHER_USER = "by_other_user"
    GROUP_BY = "group_by"
    THEN_BY = "then_by"
    INTERFACE = "interface"
    ROW_COUNT = "row_count"
    PROVIDER = "provider"
    ERROR_CODE = "error_code"
    COUNTS = "counts"
    FEATURE_FLAG = "feature_flag"
    ACTION = "action"
    REPORT_ID = "report_id"
    ANNOTATION_ID = "annotation_id"
    LINK_ID = "link_id"
    KIND = "kind"
    SCOPE = "scope"
    BY_OWNER = "by_owner"
    TIMESHEET_ID = "timesheet_id"
    LOCK_ID = "lock_id"
    TEAM_ID = "team_id"
    # installation telemetry
    PLATFORM = "platform"
    PYTHON_VERSION = "python_version"
    TIMEZONE = "timezone"
    PREVIOUS_VERSION = "previous_version"
    CURRENT_VERSION = "current_version"
    CURRENT_PLATFORM = "current_platform"
    FIRST_SEEN_VERSION = "first_seen_version"
    FIRST_SEEN_PLATFORM = "first_seen_platform"
    GROUPS = "$groups"
    PROCESS_PERSON_PROFILE = "$process_person_profile"
    # Carries the visitor's OS past the SDK, which overwrites "$os" with the server's; before_send moves it back.
    UA_OS = "$ua_os"
