"""Saved reports pages: find (search, filters, popular), save from the current report, open, edit, duplicate,
favourite, verify, delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from accounts import policy
from tracking.forms import add_service_error
from tracking.views._common import back
from tracking.views.reports import chart_data, chart_index

from .. import rules, selectors, services, sharing
from ..definition import definition_clean, definition_query, period_label, suggest_name
from ..forms import SavedReportForm
from ._common import _bool_param, _post_action, _report

PAGE_SIZE = 25


@login_required
def saved_report_list(request):
    viewer = request.user
    q = request.GET
    ordering = q.get("ordering") or "popular"
    owner = q.get("owner")
    team = q.get("team")
    reports = selectors.saved_report_list(
        viewer=viewer,
        search=q.get("search", ""),
        tag=q.get("tag", "")[:40],
        owner=int(owner) if owner and owner.isdigit() else None,
        team=int(team) if team and team.isdigit() else None,
        verified=_bool_param(q.get("verified", "")),
        favourites=q.get("favourites") == "1",
        ordering=ordering if ordering in selectors.ORDERINGS else "popular",
    )
    page = Paginator(reports, PAGE_SIZE).get_page(q.get("page"))
    searching = any(q.get(k) for k in ("search", "tag", "owner", "team", "verified", "favourites"))
    context = {
        "page": page,
        "q": q,
        "ordering": ordering,
        "orderings": [
            ("popular", "Popular"),
            ("recent", "Recently viewed by me"),
            ("-updated", "Recently updated"),
            ("name", "Name"),
        ],
        "teams": policy.visible(viewer, policy.own_teams(viewer)),
        "owners": selectors.report_owners(viewer=viewer),
        "popular": [] if searching else selectors.popular_in_teams(viewer=viewer),
        "recent": [] if searching else selectors.recently_viewed(viewer=viewer),
        "notices": list(selectors.unread_notices(user=viewer)[:10]),
        "is_viewer_home": viewer.role == "viewer",
    }
    return render(request, "reports/list.html", context)


def _form_context(form, report=None, matches=()):
    return {"form": form, "report": report, "matches": matches}


@login_required
def saved_report_new(request):
    """Save the report currently on the ad-hoc page: its query string fills the form; the name is suggested."""
    viewer = request.user
    if request.method == "POST":
        form = SavedReportForm(request.POST, viewer=viewer)
        if form.is_valid():
            definition = form.definition()
            matches = (
                []
                if form.cleaned_data.get("save_anyway")
                else list(selectors.matching_reports(viewer=viewer, definition=definition)[:3])
            )
            if matches:
                data = request.POST.copy()
                data["save_anyway"] = "1"
                form = SavedReportForm(data, viewer=viewer)
                form.is_valid()
                return render(request, "reports/form.html", _form_context(form, matches=matches), status=200)
            try:
                report = services.saved_report_create(
                    actor=viewer,
                    definition=definition,
                    name=form.cleaned_data.get("name"),
                    description=form.cleaned_data.get("description", ""),
                    tags=form.tags(),
                    visibility=form.cleaned_data["visibility"],
                )
            except (ValidationError, PermissionDenied) as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, f"Saved “{report.name}”.")
                return redirect("saved_report_detail", pk=report.pk)
        return render(request, "reports/form.html", _form_context(form), status=400)
    if not request.GET:
        form = SavedReportForm(viewer=viewer, initial={"preset": "this_week", "group_by": "project"})
        return render(request, "reports/form.html", _form_context(form))
    form = SavedReportForm({"visibility": "private", "chart": "bar", **request.GET.dict()}, viewer=viewer)
    if form.is_valid():
        try:
            definition = definition_clean(form.definition(), owner=viewer)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            form.fields["name"].widget.attrs["placeholder"] = suggest_name(definition)
    return render(request, "reports/form.html", _form_context(form))


def _chart(viewer, results, report):
    params = results["params"]
    chart = chart_data(viewer, params, results)
    chart["kind"] = report.chart
    chart["markers"] = []
    for annotation in results["annotations"]:
        index = chart_index(params, max(annotation.start, params.start))
        if index is not None:
            chart["markers"].append({"index": index, "text": f"{annotation.start}: {annotation.text}"})
    return chart


@login_required
def saved_report_detail(request, pk):
    viewer = request.user
    report = _report(request, pk)
    results = selectors.saved_report_results(viewer=viewer, report=report, chart=True)
    services.report_view_record(user=viewer, report=report, interface="web")
    context = {
        "report": report,
        "results": results,
        "summary": results,
        "params": results["params"],
        "period_label": period_label(report.definition),
        "people_note": selectors.people_count_label(results, viewer),
        "chart": _chart(viewer, results, report) if results["groups"] else None,
        "comments": selectors.comment_list(viewer=viewer, report=report),
        "may_change": policy.can(viewer, policy.CHANGE, report),
        "may_verify": rules.may_verify(viewer),
        "adhoc_url": reverse("report") + "?" + urlencode(definition_query(report.definition)),
        "open_links": sharing.share_link_list(viewer=viewer, report=report)
        .filter(revoked_at__isnull=True)
        .exclude(expires_at__lte=timezone.now())
        .count(),
    }
    return render(request, "reports/detail.html", context)


@login_required
def saved_report_edit(request, pk):
    viewer = request.user
    report = _report(request, pk)
    policy.require(viewer, policy.CHANGE, report)
    if request.method == "POST":
        form = SavedReportForm(request.POST, viewer=viewer)
        if form.is_valid():
            try:
                services.saved_report_update(
                    actor=viewer,
                    report=report,
                    definition=form.definition(keep=report.definition),
                    name=form.cleaned_data.get("name"),
                    description=form.cleaned_data.get("description", ""),
                    tags=form.tags(),
                    visibility=form.cleaned_data["visibility"],
                )
            except (ValidationError, PermissionDenied) as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, "Saved the changes.")
                return redirect("saved_report_detail", pk=report.pk)
        return render(request, "reports/form.html", _form_context(form, report), status=400)
    definition = report.definition
    initial = {
        **definition_query(definition),
        "name": report.name,
        "description": report.description,
        "tags_text": ", ".join(t.name for t in report.tags.all()),
        "visibility": report.visibility,
        "chart": report.chart,
    }
    teams = (definition.get("filters") or {}).get("team") or []
    if len(teams) == 1:
        initial["team"] = teams[0]
    form = SavedReportForm(initial, viewer=viewer)
    form.is_valid()
    return render(request, "reports/form.html", _form_context(form, report))


@login_required
def saved_report_delete(request, pk):
    viewer = request.user
    report = _report(request, pk)
    policy.require(viewer, policy.DELETE, report)
    if request.method == "POST":
        services.saved_report_delete(actor=viewer, report=report)
        messages.success(request, f"Deleted “{report.name}”.")
        return redirect("saved_report_list")
    others = report.favourites.exclude(user=viewer).count()
    return render(request, "reports/delete.html", {"report": report, "others": others})


@login_required
@require_POST
def saved_report_duplicate(request, pk):
    def duplicate(report):
        copy = services.saved_report_duplicate(actor=request.user, report=report)
        messages.success(request, f"Saved a copy you own: “{copy.name}”. Edit it as you like.")
        return redirect("saved_report_detail", pk=copy.pk)

    return _post_action(request, pk, duplicate)


@login_required
@require_POST
def saved_report_favourite(request, pk):
    def favourite(report):
        services.favourite_set(actor=request.user, report=report, on=request.POST.get("on") == "1")
        return (
            back(request, "saved_report_list")
            if request.POST.get("next")
            else redirect("saved_report_detail", pk=report.pk)
        )

    return _post_action(request, pk, favourite)


@login_required
@require_POST
def saved_report_verify(request, pk):
    def verify(report):
        on = request.POST.get("on") == "1"
        services.saved_report_update(actor=request.user, report=report, verified=on)
        messages.success(request, "Marked verified." if on else "No longer verified.")
        return redirect("saved_report_detail", pk=report.pk)

    return _post_action(request, pk, verify)
