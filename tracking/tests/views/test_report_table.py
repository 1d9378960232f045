"""The report table's rows are written in Python (tracking.report_table); they are the cells the template wrote."""

import re
from decimal import Decimal

from django.template import Context, Template

from tracking.report_table import report_table_rows

# The rows as templates/tracking/_report_results.html wrote them with a template loop and the filters.
TEMPLATE_ROWS = Template(
    """{% load tt %}{% for g in groups %}
    <tr class="group"><td class="label">{{ g.label }}</td>{% if then_by %}<td class="label empty"></td>{% endif %}<td class="num" data-label="Duration">{{ g.seconds|duration }}</td><td class="num" data-label="Hours">{{ g.seconds|hours }}</td><td class="num" data-label="Billable h">{{ g.billable_seconds|hours }}</td><td class="num" data-label="Non-billable h">{{ g.seconds|hours_nonbillable:g.billable_seconds }}</td><td class="num" data-label="Amount">{{ g.amount|money }}</td></tr>
    {% for c in g.children %}
    <tr class="child"><td class="muted label parent">{{ g.label }}</td><td class="label">{{ c.label }}</td><td class="num" data-label="Duration">{{ c.seconds|duration }}</td><td class="num" data-label="Hours">{{ c.seconds|hours }}</td><td class="num" data-label="Billable h">{{ c.billable_seconds|hours }}</td><td class="num" data-label="Non-billable h">{{ c.seconds|hours_nonbillable:c.billable_seconds }}</td><td class="num" data-label="Amount">{{ c.amount|money }}</td></tr>
    {% endfor %}{% endfor %}"""  # noqa: E501
)


def _rows(html: str) -> list[str]:
    return re.findall(r"<tr.*?</tr>", str(html))


def _group(label, seconds, billable, amount, children=()):
    return {"key": 1, "label": label, "seconds": seconds, "billable_seconds": billable, "amount": amount,
            "children": list(children)}  # fmt: skip


def test_rows_are_the_templates_cells_with_every_label_escaped():
    groups = [
        _group("<b>Acme</b> & \"Co\" 'x'", 98_765, 3_600, Decimal("1234567.89"), [
            _group("Mon 2026-11-02", 5_400, 0, Decimal("0.00")),
            _group("=HYPERLINK(\"x\")", 0, 0, Decimal("-12.50")),
        ]),
        _group("Jürgen", 59, 59, "17.5"),  # a share link's amounts are decimal text
        _group("No client", 3_600 * 1_000, 1, None),
    ]  # fmt: skip
    for then_by in (None, "day"):
        expected = _rows(TEMPLATE_ROWS.render(Context({"groups": groups, "then_by": then_by})))
        written = _rows(report_table_rows(groups, then_by is not None))
        assert written == expected
        assert len(written) == 5 and "&lt;b&gt;Acme&lt;/b&gt; &amp; &quot;Co&quot; &#x27;x&#x27;" in written[0]
    assert '<td class="label empty"></td>' not in report_table_rows(groups, False)
