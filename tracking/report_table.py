"""The report table's rows (templates/tracking/_report_results.html), written in Python.

Through the template every row resolved a dozen variables and ran five filters; a month by project has ~200 rows and
a month by person then day ~10,000, where that was most of the page's time. `report_table_rows` writes the same cells
(the filters' formats: `duration`, `hours`, `hours_nonbillable`, `money`) with every label escaped.
"""

from decimal import Decimal

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from .utils import escape_text as _e
from .utils import format_duration


def _cells(node: dict, currency: str) -> str:
    seconds, billable, amount = node["seconds"] or 0, node["billable_seconds"] or 0, node["amount"]
    money = "" if amount is None or amount == "" else f"{Decimal(amount):,.2f} {currency}"
    return (
        f'<td class="num" data-label="Duration">{_e(format_duration(seconds))}</td>'
        f'<td class="num" data-label="Hours">{seconds / 3600:.2f}</td>'
        f'<td class="num" data-label="Billable h">{billable / 3600:.2f}</td>'
        f'<td class="num" data-label="Non-billable h">{(seconds - billable) / 3600:.2f}</td>'
        f'<td class="num" data-label="Amount">{money}</td>'
    )


def report_table_rows(groups: list[dict], nested: bool) -> SafeString:
    """The table body's rows: each group, then its subgroups (with the group's label muted before them)."""
    currency = _e(settings.CURRENCY)
    empty = '<td class="label empty"></td>' if nested else ""
    out = []
    append = out.append
    for group in groups:
        label = _e(group["label"])
        append(f'<tr class="group"><td class="label">{label}</td>{empty}{_cells(group, currency)}</tr>')
        for child in group["children"]:
            append(
                f'<tr class="child"><td class="muted label parent">{label}</td><td class="label">{_e(child["label"])}'
                f"</td>{_cells(child, currency)}</tr>"
            )
    return mark_safe("\n".join(out))  # noqa: S308 - every value above is escaped or a number
