"""REST API v1 of the tracking domain: clients, projects, tasks, tags, time entries, the timer, reports,
timesheets (approvals) and locked periods.

Each view validates input with a serializer, reads through tracking.selectors (scoped by the access policy, so an
object you may not see is a 404) and writes through tracking.services (which check the policy: 403 when refused).

The views are split by resource; this package re-exports them for the URL configuration.
"""

from .approvals import (
    PeriodLockDetailApi,
    PeriodLockListApi,
    TimesheetApproveApi,
    TimesheetListApi,
    TimesheetRejectApi,
    TimesheetSubmitApi,
)
from .catalog import ClientViewSet, ProjectViewSet, TagViewSet, TaskViewSet
from .entries import TimeEntryViewSet
from .reports import ReportSummaryApi
from .timer import TimerApi, TimerStartApi, TimerStopApi

__all__ = [
    "PeriodLockDetailApi",
    "PeriodLockListApi",
    "TimesheetApproveApi",
    "TimesheetListApi",
    "TimesheetRejectApi",
    "TimesheetSubmitApi",
    "ClientViewSet",
    "ProjectViewSet",
    "ReportSummaryApi",
    "TagViewSet",
    "TaskViewSet",
    "TimeEntryViewSet",
    "TimerApi",
    "TimerStartApi",
    "TimerStopApi",
]
