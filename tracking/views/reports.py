"""Reports: date presets, two-level grouping, billable split, amounts, charts, CSV and XLSX of the table shown."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from .. import signals
from ..forms import EntryFilterForm
from ..models import TimeEntry
from ..selectors import GROUP_BY_CHOICES as GROUP_BY
from ..selectors import local_today, report_summary
from ..utils import format_duration

PRESETS = [
    ("this_week", "This week"),
    ("last_week", "Last week"),
    ("this_month", "This month"),
    ("last_month", "Last month"),
    ("custom", "Custom"),
]
GROUP_CHOICES = [(g, g.title()) for g in GROUP_BY]


def preset_range(preset: str, today: date) -> tuple[date, date]:
    monday = today - timedelta(days=today.weekday())
    first = today.replace(day=1)
    if preset == "last_week":
        return monday - timedelta(days=7), monday - timedelta(days=1)
    if preset == "this_month":
        next_first = (first + timedelta(days=32)).replace(day=1)
        return first, next_first - timedelta(days=1)
    if preset == "last_month":
        last_day = first - timedelta(days=1)
        return last_day.replace(day=1), last_day
    return monday, monday + timedelta(days=6)


class ReportForm(EntryFilterForm):
    preset = forms.ChoiceField(choices=PRESETS, required=False, initial="this_week")
    group_by = forms.ChoiceField(choices=GROUP_CHOICES, required=False, initial="project", label="Group by")
    then_by = forms.ChoiceField(
        choices=[("", "—")] + GROUP_CHOICES, required=False, label="Then by", help_text="A second level"
    )

    field_order = ["preset", "start", "end", "group_by", "then_by"]

    def clean(self):
        data = super().clean()
        if data.get("then_by") and data.get("then_by") == data.get("group_by"):
            self.add_error("then_by", "Choose a second level different from the first.")
        if data.get("preset") == "custom" and not (data.get("start") and data.get("end")):
            self.add_error("start", "A custom range needs a start and an end date.")
        return data

    def resolved(self, today: date) -> dict:
        data = self.cleaned_data
        preset = data.get("preset") or "this_week"
        if preset == "custom" or (not data.get("preset") and data.get("start") and data.get("end")):
            start, end = data["start"], data["end"]
            preset = "custom"
        else:
            start, end = preset_range(preset, today)
        filters = {k: data[k].pk for k in ("project", "client", "task", "tag", "user") if data.get(k) is not None}
        if data.get("billable") is not None:
            filters["billable"] = data["billable"]
        return {
            "preset": preset,
            "start": start,
            "end": end,
            "group_by": data.get("group_by") or "project",
            "then_by": data.get("then_by") or None,
            "filters": filters,
        }


def _run(request):
    viewer = request.user
    form = ReportForm(request.GET or {"preset": "this_week", "group_by": "project"}, viewer=viewer)
    if not form.is_valid():
        return form, None, None
    params = form.resolved(local_today(viewer))
    summary = report_summary(
        viewer=viewer,
        start=params["start"],
        end=params["end"],
        group_by=params["group_by"],
        then_by=params["then_by"],
        filters=params["filters"],
    )
    return form, params, summary


def _chart_data(viewer, params, summary) -> dict:
    """A bar per day (per week beyond ~2 months) split billable / non-billable, and the breakdown of the first level."""
    span = (params["end"] - params["start"]).days
    by_day = span <= 62
    over_time = report_summary(
        viewer=viewer,
        start=params["start"],
        end=params["end"],
        group_by="day" if by_day else "week",
        filters=params["filters"],
    )
    groups = over_time["groups"]
    if by_day:  # every day of the range gets a bar, empty days included
        found = {g["key"]: g for g in groups}
        days = [params["start"] + timedelta(days=i) for i in range(span + 1)]
        empty = {"seconds": 0, "billable_seconds": 0}
        groups = [dict(found.get(d.isoformat(), empty), label=d.strftime("%a %d %b")) for d in days]
    return {
        "time": {
            "labels": [g["label"] for g in groups],
            "billable": [round(g["billable_seconds"] / 3600, 2) for g in groups],
            "nonbillable": [round((g["seconds"] - g["billable_seconds"]) / 3600, 2) for g in groups],
        },
        "breakdown": {
            "labels": [g["label"] for g in summary["groups"]],
            "hours": [round(g["seconds"] / 3600, 2) for g in summary["groups"]],
        },
    }


@login_required
def report(request):
    form, params, summary = _run(request)
    context = {"form": form, "params": params, "summary": summary}
    if summary is not None:
        context["chart"] = _chart_data(request.user, params, summary)
        signals.report_viewed.send(
            sender=TimeEntry,
            user_id=request.user.pk,
            group_by=params["group_by"],
            then_by=params["then_by"],
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
    name = f"timetracker-report-{params['start']}-{params['end']}-{params['group_by']}"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(HEADER)
        writer.writerows(rows)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    else:
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "Report"
        sheet.append([f"Report {params['start']} – {params['end']}, grouped by {params['group_by']}"])
        sheet.append(HEADER)
        for values in rows:
            sheet.append(values)
        for column, width in zip("ABCDEFG", (32, 28, 12, 10, 14, 18, 12), strict=True):
            sheet.column_dimensions[column].width = width
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    signals.report_exported.send(
        sender=TimeEntry, user_id=request.user.pk, format=fmt, row_count=len(rows), interface="web"
    )
    return response
