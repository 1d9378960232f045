"""What saved reports add to tracking's pages (tracking.panels): on the ad-hoc report, "already exists" hints,
a Save button, annotations under the chart; beside the timer, "Popular in your teams". Viewers' home is the
saved reports page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode

from accounts.models import Role
from tracking import panels
from tracking.views.reports import chart_index

from . import selectors
from .definition import definition_from_question, definition_query


def report_page(request, *, params, question, **kwargs) -> panels.Panel:
    viewer = request.user
    definition = definition_from_question(question)
    lists = selectors.report_page_lists(viewer=viewer, definition=definition)
    annotations = selectors.annotations_for(viewer=viewer, params=params)
    markers = []
    for annotation in annotations:
        index = chart_index(params, max(annotation.start, params.start))
        if index is not None:
            markers.append({"index": index, "text": f"{annotation.start}: {annotation.text}"})
    query = request.GET.urlencode() or urlencode(definition_query(definition))
    return panels.Panel(
        "reports/_report_panel.html",
        {
            "matches": lists["matches"],
            "annotations": annotations,
            "save_url": reverse("saved_report_new") + "?" + query,
            "popular": lists["popular"],
            "recent": lists["recent"],
        },
        chart_markers=markers,
    )


def dashboard(request, **kwargs) -> panels.Panel | None:
    popular = selectors.popular_in_teams(viewer=request.user)
    notices = selectors.unread_notice_links(user=request.user, limit=5)
    if not popular and not notices:
        return None
    return panels.Panel("reports/_popular_panel.html", {"popular": popular, "notices": notices}, place="aside")


def register() -> None:
    panels.register(panels.REPORT, report_page)
    panels.register(panels.DASHBOARD, dashboard)
    panels.register_home(Role.VIEWER, "saved_report_list")
