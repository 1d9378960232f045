"""Reports: date presets, two-level grouping, billable split, amounts, charts, CSV and XLSX of the table shown."""

from __future__ import annotations

import zlib

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .. import panels, signals
from ..exceptions import InvalidFilter
from ..exports import export_response, with_currency
from ..forms import EntryFilterForm, add_service_error
from ..models import Project, TimeEntry
from ..periods import PRESET_CHOICES, week_start
from ..reports import CHART_BY_DAY_MAX_DAYS, report_params, report_series, report_summary
from ..reports import GROUP_BY_CHOICES as GROUP_BY
from ..utils import format_date, format_duration

GROUP_CHOICES = [(g, g.title()) for g in GROUP_BY]
CUSTOM = "custom"


class ReportForm(EntryFilterForm):
    """Reads the page's inputs; the report's rules (period, span, levels) are checked by reports.report_params."""

    preset = forms.ChoiceField(choices=[*PRESET_CHOICES, (CUSTOM, "Custom")], required=False, initial="this_week")
    group_by = forms.ChoiceField(choices=GROUP_CHOICES, required=False, initial="project", label="Group by")
    then_by = forms.ChoiceField(
        choices=[("", "—")] + GROUP_CHOICES, required=False, label="Then by", help_text="A second level"
    )

    field_order = ["preset", "start", "end", "group_by", "then_by"]
    options_compiled_once = False  # its querysets are narrowed below

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, viewer=viewer, **kwargs)
        # The filters' options show names (a project also its client, colour, code and billable): not the projects'
        # teams and members (two queries), nor each task's project, client and assignee (a thousand joined rows).
        fields = self.fields
        fields["project"].queryset = fields["project"].queryset.prefetch_related(None)
        fields["task"].queryset = fields["task"].queryset.select_related(None).only("pk", "name")
        if "user" in fields:
            fields["user"].queryset = fields["user"].queryset.only("pk", "username", "full_name")

    def clean(self):
        return forms.Form.clean(self)  # not the entry list's date check: report_params has the report's rules

    def question(self) -> dict:
        """The report's question as report_params takes it: a preset, or the custom dates."""
        data = self.cleaned_data
        preset = data.get("preset") or ("" if data.get("start") or data.get("end") else "this_week")
        dates = {"start": data.get("start"), "end": data.get("end")} if preset in ("", CUSTOM) else {}
        filters = {k: data[k].pk for k in ("project", "client", "task", "tag", "user") if data.get(k) is not None}
        if data.get("billable") is not None:
            filters["billable"] = data["billable"]
        return {
            "preset": None if preset in ("", CUSTOM) else preset,
            **dates,
            "group_by": data.get("group_by") or "project",
            "then_by": data.get("then_by") or None,
            "filters": filters,
        }


def _run(request, *, chart: bool = False):
    """(form, params, summary); params and summary are None when the question is not valid (the form says why).
    With `chart` the summary carries the time chart's series too (see chart_data), from the same aggregate."""
    viewer = request.user
    form = ReportForm(request.GET or {"preset": "this_week", "group_by": "project"}, viewer=viewer)
    if not form.is_valid():
        return form, None, None
    now = timezone.now()
    try:
        params = report_params(viewer=viewer, now=now, **form.question())
    except InvalidFilter as exc:
        add_service_error(form, exc)
        return form, None, None
    series = params.chart_level if chart else None
    return form, params, report_summary(viewer=viewer, params=params, now=now, series=series)


# Up to this many days the time chart has a bar per day; beyond, a bar per week.
BY_DAY_MAX_DAYS = CHART_BY_DAY_MAX_DAYS


def chart_index(params, day) -> int | None:
    """The bar of the time chart that `day` falls in (None outside the report's period)."""
    if not params.start <= day <= params.end:
        return None
    if params.period.days <= BY_DAY_MAX_DAYS:
        return (day - params.start).days
    return (week_start(day) - week_start(params.start)).days // 7


def chart_data(viewer, params, summary) -> dict:
    """A bar per day (per week beyond ~2 months) split billable / non-billable, and the breakdown of the first level.
    The bars come from the summary's own series when it was asked with one (report_summary(series=...)), else
    from a second read (report_series)."""
    level = params.chart_level
    by_day = level == "day"
    over_time = summary.get("series")
    if over_time is None or over_time["level"] != level:
        over_time = report_series(viewer=viewer, params=params.regrouped(level), now=summary["as_of"])
    groups = over_time["groups"]
    if by_day:  # every day of the range gets a bar, empty days included
        found = {g["key"]: g for g in groups}
        empty = {"seconds": 0, "billable_seconds": 0}
        groups = [dict(found.get(d.isoformat(), empty), label=format_date(d, "short")) for d in params.period.dates()]
    return {
        "time": {
            "labels": [g["label"] for g in groups],
            "billable": [round(g["billable_seconds"] / 3600, 2) for g in groups],
            "nonbillable": [round((g["seconds"] - g["billable_seconds"]) / 3600, 2) for g in groups],
        },
        "breakdown": {
            "labels": [g["label"] for g in summary["groups"]],
            "hours": [round(g["seconds"] / 3600, 2) for g in summary["groups"]],
            "colors": _group_colors(params.group_by, summary["groups"]),
        },
    }


# Stable colours for groups without one of their own (clients, people, tasks, tags): the same id, the same colour.
PALETTE = ["#2563eb", "#16a34a", "#db2777", "#d97706", "#7c3aed", "#0891b2", "#dc2626", "#65a30d", "#c026d3", "#0f766e"]
NONE_COLOR = "#94a3b8"


def _group_colors(group_by: str, groups: list[dict]) -> list[str]:
    """A colour per group that follows what it is, not its position: a project's own colour, else one kept by id."""
    own = {}
    if group_by == "project":
        own = dict(Project.objects.filter(pk__in=[g["key"] for g in groups]).values_list("pk", "color"))
    colors = []
    for group in groups:
        key = group["key"]
        if key in own:
            colors.append(own[key])
        elif key is None:  # "No client", "No task", "No tag"
            colors.append(NONE_COLOR)
        else:
            index = key if isinstance(key, int) else zlib.crc32(str(key).encode())
            colors.append(PALETTE[index % len(PALETTE)])
    return colors


@login_required
def report(request):
    form, params, summary = _run(request, chart=True)
    context = {"form": form, "params": params, "summary": summary, "question": None, "panels": []}
    if summary is not None:
        context["question"] = form.question()
        context["panels"] = panels.panels(panels.REPORT, request, params=params, question=context["question"])
        context["chart"] = chart_data(request.user, params, summary)
        context["chart"]["markers"] = [m for p in context["panels"] for m in p.chart_markers]
        signals.report_viewed.send(
            sender=TimeEntry,
            user_id=request.user.pk,
            group_by=params.group_by,
            then_by=params.then_by,
            interface="web",
        )
    return render(request, "tracking/reports.html", context, status=200 if summary is not None else 400)


HEADER = ["Group", "Subgroup", "Duration", "Hours", "Billable hours", "Non-billable hours", "Amount"]


def report_rows(summary: dict) -> list[list]:
    """The table as shown on the page: one row per group, its subgroups under it, then the total."""
    rows = []

    def row(first, second, node):
        seconds, billable = node["seconds"], node["billable_seconds"]
        return [
            first,
            second,
            format_duration(seconds),
            round(seconds / 3600, 2),
            round(billable / 3600, 2),
            round((seconds - billable) / 3600, 2),
            float(node["amount"]),
        ]

    for group in summary["groups"]:
        rows.append(row(group["label"], "", group))
        for child in group["children"]:
            rows.append(row(group["label"], child["label"], child))
    rows.append(row("Total", "", summary["total"]))
    return rows


@login_required
def report_export(request, fmt: str):
    form, params, summary = _run(request)
    if summary is None:
        return HttpResponse(
            "Invalid report parameters: " + form.errors.as_text(), status=400, content_type="text/plain"
        )
    rows = report_rows(summary)
    response = export_response(
        fmt,
        filename=f"timetracker-report-{params.start}-{params.end}-{params.group_by}",
        header=with_currency(HEADER),
        rows=rows,
        sheet_title="Report",
        title=f"Report {params.start} – {params.end}, grouped by {params.group_by}",
        widths=(32, 28, 12, 10, 14, 18, 12),
    )
    signals.report_exported.send(
        sender=TimeEntry, user_id=request.user.pk, format=fmt, row_count=len(rows), interface="web"
    )
    return response
