"""Template helpers of the web UI: the display formats (dates, times, durations: see tracking.utils), guarded links
to pages other apps may provide, query strings."""

from decimal import Decimal

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from tracking import report_table, rows
from tracking.utils import format_date, format_datetime, format_duration, format_relative, format_time

register = template.Library()


@register.filter
def duration(seconds) -> str:
    """The one duration style: "1h 30m" (tracking.utils.format_duration)."""
    return format_duration(seconds)


@register.filter
def day(value, style: str = "") -> str:
    """The one date style: "Thu 3 Dec 2026"; `day:"short"` "Thu 3 Dec", `day:"long"` "Thursday 3 December 2026"."""
    return format_date(value, style)


@register.filter
def clock(value) -> str:
    """The one time-of-day style, in the reader's time zone: "09:30"."""
    return format_time(value)


@register.filter
def when(moment, default: str = "") -> str:
    """The one date-and-time style of the pages, in the reader's time zone: "Thu 3 Dec 2026, 09:30"."""
    return format_datetime(moment) or default


@register.filter
def relative(moment, default: str = "") -> str:
    """A moment near now in words ("5 min ago", "yesterday, 17:05"); further away, the date and time."""
    return format_relative(moment) or default


@register.simple_tag
def clock_now() -> str:
    """The time of day now, in the reader's time zone ("counted up to 17:05")."""
    return format_time(timezone.now())


@register.filter
def iso(value) -> str:
    """The machine-readable form for a `<time datetime>` attribute."""
    return value.isoformat() if value else ""


@register.filter
def money(amount) -> str:
    """An amount with the installation's currency: "1,250.00 EUR" (nothing for no amount)."""
    if amount is None or amount == "":
        return ""
    return f"{Decimal(amount):,.2f} {settings.CURRENCY}"


@register.filter
def hours(seconds) -> str:
    return f"{(seconds or 0) / 3600:.2f}"


@register.simple_tag
def url_if_exists(*names: str) -> str:
    """The URL of the first of `names` that resolves, or "" when no installed app provides any of them.

    Links to pages of other apps (integrations, activity, data export) use it, so a page renders on its own and
    the link lights up once the app that provides it is installed.
    """
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return ""


@register.simple_tag(takes_context=True)
def query(context, **changes) -> str:
    """The current query string with `changes` applied (a value of None removes the key)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    if "page" not in changes:
        params.pop("page", None)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def get_item(mapping, key):
    return mapping[key]


@register.filter
def hours_nonbillable(seconds, billable_seconds) -> str:
    return f"{((seconds or 0) - (billable_seconds or 0)) / 3600:.2f}"


def _row_writer(context) -> rows.RowWriter:
    """One writer per page (kept on the request): the rows share its URLs, CSRF field and day strings."""
    request = context.get("request")
    user = context.get("user")
    key = (bool(context.get("show_user")), context.get("next_url") or (request.get_full_path() if request else ""))
    writers = getattr(request, "_tt_row_writers", None)
    if writers is None:
        writers = {}
        if request is not None:
            request._tt_row_writers = writers
    writer = writers.get(key)
    if writer is None:
        writer = writers[key] = rows.RowWriter(
            csrf_token=context.get("csrf_token"),
            viewer_id=getattr(user, "pk", None),
            may_track=context.get("may_track"),
            show_user=key[0],
            next_url=key[1],
        )
    return writer


@register.simple_tag(takes_context=True)
def entry_row(context, entry) -> str:
    """One row of the entry list (tracking.rows.entry_row)."""
    return rows.entry_row(_row_writer(context), entry)


@register.simple_tag(takes_context=True)
def entry_day(context, group) -> str:
    """A day of the entry list with its rows (tracking.rows.entry_day)."""
    return rows.entry_day(_row_writer(context), group)


@register.simple_tag(takes_context=True)
def recent_entry(context, entry) -> str:
    """One of the dashboard's recent entries (tracking.rows.recent_entry)."""
    return rows.recent_entry(_row_writer(context), entry)


@register.simple_tag
def inline_project_options(projects) -> str:
    """The options of every row's project picker, once per page (tracking.rows.project_options)."""
    return rows.project_options(projects)


@register.simple_tag
def project_rows(projects) -> list[tuple]:
    """The projects as rows of their option's columns (tracking.rows.project_option_rows): one read, no instances."""
    return rows.project_option_rows(projects)


@register.simple_tag
def described_project_options(projects) -> str:
    """`<option>`s of projects with their colour, name and client (tracking.rows.described_options)."""
    return rows.described_options(projects)


@register.simple_tag
def plain_project_options(projects) -> str:
    """`<option value="{{ p.pk }}">{{ p }}</option>` for each project, without a template per option."""
    return rows.plain_options(projects)


@register.simple_tag
def report_table_rows(groups, nested) -> str:
    """The report table's body rows (tracking.report_table.report_table_rows)."""
    return report_table.report_table_rows(groups, bool(nested))
