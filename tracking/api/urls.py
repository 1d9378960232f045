from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("clients", views.ClientViewSet, basename="api-client")
router.register("projects", views.ProjectViewSet, basename="api-project")
router.register("tasks", views.TaskViewSet, basename="api-task")
router.register("tags", views.TagViewSet, basename="api-tag")
router.register("time-entries", views.TimeEntryViewSet, basename="api-time-entry")

urlpatterns = [
    path("timer/", views.TimerApi.as_view(), name="api-timer"),
    path("timer/start/", views.TimerStartApi.as_view(), name="api-timer-start"),
    path("timer/stop/", views.TimerStopApi.as_view(), name="api-timer-stop"),
    path("reports/summary/", views.ReportSummaryApi.as_view(), name="api-report-summary"),
    path("timesheets/", views.TimesheetListApi.as_view(), name="api-timesheet-list"),
    path("timesheets/submit/", views.TimesheetSubmitApi.as_view(), name="api-timesheet-submit"),
    path("timesheets/approve/", views.TimesheetApproveApi.as_view(), name="api-timesheet-approve"),
    path("timesheets/reject/", views.TimesheetRejectApi.as_view(), name="api-timesheet-reject"),
    path("locks/", views.PeriodLockListApi.as_view(), name="api-lock-list"),
    path("locks/<str:pk>/", views.PeriodLockDetailApi.as_view(), name="api-lock-detail"),
    *router.urls,
]
