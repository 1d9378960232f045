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
    *router.urls,
]
