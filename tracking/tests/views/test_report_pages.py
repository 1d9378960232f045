"""Reports in the web UI: presets, grouping, charts data, CSV and XLSX of exactly the rows shown."""

import csv
import io
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tracking import periods, signals
from tracking.tests.factories import ClientFactory, ProjectFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db
UTC = ZoneInfo("UTC")


def at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


@pytest.fixture
def last_week_data(member, other_member):
    monday = periods.preset("last_week", date.today()).start
    acme = ClientFactory(name="Acme", default_hourly_rate=Decimal("100"))
    web = ProjectFactory(name="Web", client=acme)
    app = ProjectFactory(name="App", client=acme, hourly_rate=Decimal("50"))
    TimeEntryFactory(user=member, project=web, start=at(monday, 9), end=at(monday, 11))
    TimeEntryFactory(user=member, project=app, start=at(monday, 12), end=at(monday, 13))
    TimeEntryFactory(user=member, project=app, start=at(monday, 14), end=at(monday, 15), billable=False)
    TimeEntryFactory(user=other_member, project=web, start=at(monday, 9), end=at(monday, 17))  # not visible
    TimeEntryFactory(user=member, project=web, start=at(monday - timedelta(days=1), 9), end=at(monday, 0))
    return {"monday": monday, "web": web, "app": app}


def test_last_week_by_project_shows_hours_billable_split_and_amount(client_for, member, last_week_data):
    response = client_for(member).get(reverse("report"), {"preset": "last_week", "group_by": "project"})
    assert response.status_code == 200
    summary = response.context["summary"]
    by_label = {g["label"]: g for g in summary["groups"]}
    assert by_label["Acme / Web"]["seconds"] == 7200 and by_label["Acme / Web"]["amount"] == Decimal("200.00")
    assert by_label["Acme / App"]["seconds"] == 7200 and by_label["Acme / App"]["billable_seconds"] == 3600
    assert by_label["Acme / App"]["amount"] == Decimal("50.00")
    assert summary["total"]["seconds"] == 14400
    chart = response.context["chart"]
    assert len(chart["time"]["labels"]) == 7 and sum(chart["time"]["billable"]) == 3.0
    assert sorted(chart["breakdown"]["labels"]) == ["Acme / App", "Acme / Web"]
    assert 'id="chart-data"' in response.content.decode()


def test_second_level_groups_nest_under_the_first(client_for, member, last_week_data):
    response = client_for(member).get(
        reverse("report"), {"preset": "last_week", "group_by": "client", "then_by": "project"}
    )
    (acme,) = response.context["summary"]["groups"]
    assert acme["label"] == "Acme"
    assert sorted(c["label"] for c in acme["children"]) == ["Acme / App", "Acme / Web"]


def test_same_first_and_second_level_is_refused_clearly(client_for, member):
    response = client_for(member).get(reverse("report"), {"group_by": "project", "then_by": "project"})
    assert response.status_code == 400
    assert "different from the first" in response.content.decode()


def test_custom_range_needs_both_dates(client_for, member):
    response = client_for(member).get(reverse("report"), {"preset": "custom", "start": "2026-03-01"})
    assert response.status_code == 400


def test_the_web_report_has_the_apis_five_year_limit(client_for, member):
    response = client_for(member).get(
        reverse("report"), {"preset": "custom", "start": "2020-01-01", "end": "2025-06-30", "group_by": "project"}
    )
    assert response.status_code == 400
    assert "at most five years" in response.content.decode()


def test_every_preset_is_offered_and_this_quarter_covers_the_quarter(client_for, member):
    response = client_for(member).get(reverse("report"), {"preset": "this_quarter", "group_by": "project"})
    assert response.status_code == 200
    quarter = periods.quarter(response.context["params"].start)
    assert (response.context["params"].start, response.context["params"].end) == (quarter.start, quarter.end)
    html = response.content.decode()
    for name in ("this_week", "last_week", "this_month", "last_month", "this_quarter", "last_30_days", "this_year"):
        assert f'value="{name}"' in html


def test_a_running_timer_counts_in_the_report_and_the_page_says_so(client_for, member):
    TimeEntryFactory(user=member, start=timezone.now() - timedelta(minutes=30), end=None)
    response = client_for(member).get(reverse("report"), {"preset": "today", "group_by": "project"})
    assert response.context["summary"]["total"]["seconds"] >= 1800
    assert 'id="report-running-note"' in response.content.decode()


def test_csv_export_contains_exactly_the_rows_shown(client_for, member, last_week_data):
    client = client_for(member)
    params = {"preset": "last_week", "group_by": "project", "then_by": "user"}
    page = client.get(reverse("report"), params)
    sent = []

    def receiver(sender, **kwargs):
        sent.append(kwargs)

    signals.report_exported.connect(receiver)
    try:
        response = client.get(reverse("report_export", args=["csv"]), params)
    finally:
        signals.report_exported.disconnect(receiver)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Group", "Subgroup", "Duration"]
    shown = [(g["label"], "", g["seconds"]) for g in page.context["summary"]["groups"]]
    groups_in_csv = [(r[0], r[1]) for r in rows[1:] if r[1] == "" and r[0] != "Total"]
    assert groups_in_csv == [(label, "") for label, _, _ in shown]
    children = [r for r in rows[1:] if r[1]]
    assert {r[1] for r in children} == {member.display_name}
    assert rows[-1][0] == "Total" and rows[-1][2] == "4h"
    assert sent == [
        {
            "signal": signals.report_exported,
            "user_id": member.pk,
            "format": "csv",
            "row_count": len(rows) - 1,
            "interface": "web",
        }
    ]


def test_xlsx_export_opens_with_the_same_rows(client_for, member, last_week_data):
    client = client_for(member)
    params = {"preset": "last_week", "group_by": "project"}
    csv_rows = list(
        csv.reader(io.StringIO(client.get(reverse("report_export", args=["csv"]), params).content.decode()))
    )
    response = client.get(reverse("report_export", args=["xlsx"]), params)
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[("" if v is None else v) for v in row] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert [row[:3] for row in values] == [row[:3] for row in csv_rows]


def test_viewing_a_report_sends_report_viewed(client_for, member):
    sent = []

    def receiver(sender, **kwargs):
        sent.append(kwargs)

    signals.report_viewed.connect(receiver)
    try:
        client_for(member).get(reverse("report"), {"group_by": "day", "then_by": "project"})
    finally:
        signals.report_viewed.disconnect(receiver)
    assert sent[0]["group_by"] == "day" and sent[0]["then_by"] == "project" and sent[0]["interface"] == "web"


def test_unknown_export_format_is_not_found(client_for, member):
    assert client_for(member).get("/reports/export.pdf").status_code == 404


def test_report_query_count_is_bounded(
    client_for, manager, member, team, last_week_data, django_assert_max_num_queries
):
    client = client_for(manager)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("report"), {"preset": "last_week", "group_by": "user", "then_by": "day"})
    assert response.context["summary"]["total"]["seconds"] == 14400


def test_chart_colours_follow_the_project_not_its_position(client_for, member, last_week_data):
    last_week_data["web"].color = "#112233"
    last_week_data["web"].save()
    last_week_data["app"].color = "#445566"
    last_week_data["app"].save()
    client = client_for(member)
    chart = client.get(reverse("report"), {"preset": "last_week", "group_by": "project"}).context["chart"]
    colours = dict(zip(chart["breakdown"]["labels"], chart["breakdown"]["colors"], strict=True))
    assert colours == {"Acme / App": "#445566", "Acme / Web": "#112233"}
    by_client = client.get(reverse("report"), {"preset": "last_week", "group_by": "client"}).context["chart"]
    again = client.get(reverse("report"), {"preset": "this_month", "group_by": "client"}).context["chart"]
    first = dict(zip(by_client["breakdown"]["labels"], by_client["breakdown"]["colors"], strict=True))
    second = dict(zip(again["breakdown"]["labels"], again["breakdown"]["colors"], strict=True))
    assert all(first[label] == second[label] for label in set(first) & set(second))  # a client keeps its colour


def test_the_reports_filters_offer_exactly_the_entry_filters_options(manager, member, team, last_week_data):
    """The report form reads its options leaner (no teams, members or task joins), and writes the same selects."""
    from tracking.forms import EntryFilterForm
    from tracking.tests.factories import TagFactory, TaskFactory
    from tracking.views.reports import ReportForm

    TaskFactory(project=last_week_data["web"], name="Design <review>")
    TagFactory(name="client & co")
    chosen = {"project": last_week_data["app"].pk, "user": member.pk}
    for viewer in (manager, member):
        entry_form, report_form = EntryFilterForm(chosen, viewer=viewer), ReportForm(chosen, viewer=viewer)
        assert report_form.is_valid() and report_form.cleaned_data["project"] == last_week_data["app"]
        names = ["project", "client", "task", "tag"] + (["user"] if viewer == manager else [])
        for name in names:
            assert str(report_form[name]) == str(entry_form[name]), name
        assert re.search(r"<option [^>]*\bselected\b[^>]*>Acme / App</option>", str(report_form["project"]))
