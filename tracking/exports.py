"""Spreadsheet exports (CSV and XLSX): the one place a table becomes a download.

Every export goes through `export_response`, so every one of them is safe to open in a spreadsheet. A client,
project, task or tag name, or a note, may start with `=`, `+`, `-`, `@`, a tab or a carriage return; a
spreadsheet would run it as a formula (CSV injection). Following OWASP's rule, a text value starting with one of
those characters is written to CSV with a leading `'`, and every text value goes into XLSX as a string cell,
never a formula. Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_COLUMN_WIDTH = 48


def with_currency(header: Sequence[str]) -> list[str]:
    """The header with the installation's currency on the "Amount" column: "Amount (EUR)"."""
    from django.conf import settings

    return [f"{name} ({settings.CURRENCY})" if name == "Amount" else name for name in header]


def neutralise(value: Any) -> Any:
    """A CSV cell that no spreadsheet runs as a formula: text starting with = + - @ tab or CR gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(v) for v in header])
    for row in rows:
        writer.writerow([neutralise(v) for v in row])
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    sheet_title: str = "Export",
    title: str = "",
    widths: Sequence[int] = (),
) -> bytes:
    """A workbook with an optional title line, the header and the rows; text is always a string cell."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    lines = ([[title]] if title else []) + [list(header)]
    for line in lines:
        _append(sheet, line)
    for row in rows:
        _append(sheet, row)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width, MAX_COLUMN_WIDTH)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _append(sheet, values: Sequence[Any]) -> None:
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # openpyxl would store "=…" as a formula


def export_response(
    fmt: str,
    *,
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    sheet_title: str = "Export",
    title: str = "",
    widths: Sequence[int] = (),
) -> HttpResponse:
    """The download of `rows` as `fmt` ("csv" or "xlsx") named `filename` plus the format's extension."""
    if fmt == "csv":
        response = HttpResponse(csv_bytes(header, rows), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        data = xlsx_bytes(header, rows, sheet_title=sheet_title, title=title, widths=widths)
        response = HttpResponse(data, content_type=XLSX_TYPE)
    else:
        raise ValueError(f"Unknown export format {fmt!r}; use one of {', '.join(FORMATS)}.")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
