"""Web pages: the dashboard and timer, time entries, clients/projects/tasks, reports, help."""

from django.urls import path, re_path

from .views import catalog, entries, pages, reports, timer

urlpatterns = [
    path("", timer.dashboard, name="dashboard"),
    path("timer/start/", timer.timer_start, name="timer_start"),
    path("timer/stop/", timer.timer_stop, name="timer_stop"),
    path("timer/edit/", timer.timer_edit, name="timer_edit"),
    path("timer/continue/<int:pk>/", timer.timer_continue, name="timer_continue"),
    path("entries/", entries.entry_list, name="entry_list"),
    re_path(r"^entries/export\.(?P<fmt>csv|xlsx)$", entries.entry_export, name="entry_export"),
    path("entries/week/", entries.entry_week, name="entry_week"),
    path("entries/week/cell/", entries.entry_week_cell, name="entry_week_cell"),
    path("entries/add/", entries.entry_add, name="entry_add"),
    path("entries/<int:pk>/edit/", entries.entry_edit, name="entry_edit"),
    path("entries/<int:pk>/delete/", entries.entry_delete, name="entry_delete"),
    path("entries/undo/", entries.entry_undo, name="entry_undo"),
    path("entries/bulk/", entries.entry_bulk, name="entry_bulk"),
    path("clients/", catalog.client_list, name="client_list"),
    path("clients/new/", catalog.client_new, name="client_new"),
    path("clients/<int:pk>/", catalog.client_detail, name="client_detail"),
    path("clients/<int:pk>/edit/", catalog.client_edit, name="client_edit"),
    path("clients/<int:pk>/archive/", catalog.client_archive, name="client_archive"),
    path("projects/", catalog.project_list, name="project_list"),
    path("projects/new/", catalog.project_new, name="project_new"),
    path("projects/<int:pk>/", catalog.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", catalog.project_edit, name="project_edit"),
    path("projects/<int:pk>/archive/", catalog.project_archive, name="project_archive"),
    path("tasks/", catalog.task_board, name="task_board"),
    path("tasks/new/", catalog.task_new, name="task_new"),
    path("tasks/<int:pk>/status/", catalog.task_status, name="task_status"),
    path("tasks/<int:pk>/archive/", catalog.task_archive, name="task_archive"),
    path("reports/", reports.report, name="report"),
    re_path(r"^reports/export\.(?P<fmt>csv|xlsx)$", reports.report_export, name="report_export"),
    path("help/", pages.help_page, name="help"),
    path("help/docs/<path:path>", pages.help_docs, name="help_docs"),
]
