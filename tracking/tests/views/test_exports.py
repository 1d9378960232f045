"""Every export is safe to open in a spreadsheet (CSV injection), and the entries list has a detailed export."""

import csv
import io
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tracking.exports import FORMULA_PREFIXES, csv_bytes, neutralise, xlsx_bytes
from tracking.tests.factories import ClientFactory, ProjectFactory, TagFactory, TaskFactory, TimeEntryFactory

BERLIN = ZoneInfo("Europe/Berlin")
EVIL = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", EVIL)
def test_text_starting_with_a_formula_character_is_quoted(text):
    assert neutralise(text) == "'" + text


def test_other_values_are_left_alone():
    assert neutralise("Acme") == "Acme"
    assert neutralise(-3.5) == -3.5  # a number in a numeric column stays a number
    assert neutralise("") == "" and neutralise(None) is None
    assert FORMULA_PREFIXES == ("=", "+", "-", "@", "\t", "\r")


def test_csv_and_xlsx_never_hold_a_formula():
    rows = [[text, 1.5] for text in EVIL]
    parsed = list(csv.reader(io.StringIO(csv_bytes(["=Name", "Hours"], rows).decode())))
    assert parsed[0] == ["'=Name", "Hours"]
    assert all(row[0].startswith("'") for row in parsed[1:])

    sheet = load_workbook(io.BytesIO(xlsx_bytes(["Name", "Hours"], rows))).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in cells] == [text.replace("\r", "\n") for text in EVIL]  # XML keeps no bare CR
    assert {c.data_type for c in cells} == {"s"}  # strings, not formulas ("f")
    assert sheet.cell(row=2, column=2).value == 1.5


@pytest.fixture
def hostile_names(member):
    client = ClientFactory(name="=cmd|' /C calc'!A0", default_hourly_rate=Decimal("80"))
    project = ProjectFactory(name="+Website", client=client)
    task = TaskFactory(project=project, name="@task")
    start = datetime(2026, 3, 10, 9, tzinfo=BERLIN)
    entry = TimeEntryFactory(user=member, project=project, task=task, start=start, end=start.replace(hour=11))
    entry.notes = "-2+3 notes"
    entry.save()
    entry.tags.add(TagFactory(name="=tag"))
    other = ProjectFactory(name="Other", client=None)
    TimeEntryFactory(user=member, project=other, start=start.replace(hour=12), end=start.replace(hour=13))
    return {"project": project, "other": other}


def test_the_report_export_neutralises_names(client_for, member, hostile_names):
    params = {"preset": "custom", "start": "2026-03-09", "end": "2026-03-15", "group_by": "client", "then_by": "task"}
    body = client_for(member).get(reverse("report_export", args=["csv"]), params).content.decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[1][:1] + rows[2][1:2] == ["'=cmd|' /C calc'!A0", "'@task"]
    sheet = load_workbook(io.BytesIO(client_for(member).get(reverse("report_export", args=["xlsx"]), params).content))
    cells = [c for row in sheet.active.iter_rows() for c in row if isinstance(c.value, str)]
    assert "=cmd|' /C calc'!A0" in [c.value for c in cells]
    assert {c.data_type for c in cells} == {"s"}


def test_the_entries_export_has_one_row_per_entry_of_the_current_filters(client_for, member, hostile_names):
    member.timezone = "Europe/Berlin"
    member.save()
    client = client_for(member)
    params = {"project": hostile_names["project"].pk, "start": "2026-03-01", "end": "2026-03-31"}
    response = client.get(reverse("entry_export", args=["csv"]), params)
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.csv"')
    header, *rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert header[:5] == ["Date", "Start", "End", "Duration", "Hours"] and header[-4:] == [
        "Notes",
        "Tags",
        "Billable",
        "Amount (EUR)",
    ]
    assert rows == [
        [
            "2026-03-10",
            "09:00",
            "11:00",
            "2h",
            "2.0",
            member.display_name,
            "'=cmd|' /C calc'!A0",
            "'+Website",
            "'@task",
            "'-2+3 notes",
            "'=tag",
            "yes",
            "160.0",
        ]
    ]
    everything = client.get(reverse("entry_export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(everything.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Date" and len(values) == 3  # both entries, oldest first
    assert values[1][7] == "+Website" and values[2][7] == "Other"
    assert all(c.data_type == "s" for row in sheet.iter_rows() for c in row if isinstance(c.value, str))


def test_the_entries_export_refuses_bad_filters_and_shows_only_what_the_viewer_may_see(
    client_for, member, other_member, hostile_names
):
    client = client_for(member)
    bad = client.get(reverse("entry_export", args=["csv"]), {"start": "2026-03-10", "end": "2026-03-01"})
    assert bad.status_code == 400 and b"end date" in bad.content
    TimeEntryFactory(user=other_member, project=hostile_names["other"])
    rows = list(csv.reader(io.StringIO(client.get(reverse("entry_export", args=["csv"])).content.decode())))
    assert len(rows) == 3  # the header and the member's own two entries


def test_no_module_writes_a_spreadsheet_but_the_exports_module():
    """New exports must go through tracking.exports, so they are neutralised too."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    writers = []
    for path in root.glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts or path.name == "exports.py":
            continue
        text = path.read_text(encoding="utf-8")
        if "csv.writer" in text or "csv.DictWriter" in text or "openpyxl" in text:
            writers.append(str(path.relative_to(root)))
    assert writers == []


def test_amounts_carry_the_installations_currency(client_for, member, hostile_names, settings):
    settings.CURRENCY = "CHF"
    client = client_for(member)
    header = next(csv.reader(io.StringIO(client.get(reverse("entry_export", args=["csv"])).content.decode())))
    assert header[-1] == "Amount (CHF)"
    page = client.get(reverse("entry_list")).content.decode()
    assert "160.00 CHF" in page
    report = client.get(reverse("report"), {"preset": "custom", "start": "2026-03-09", "end": "2026-03-15"})
    assert "amount <strong>160.00 CHF</strong>" in report.content.decode()
