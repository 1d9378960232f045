"""Template helpers of the web UI: durations, guarded links to pages other apps may provide, query strings."""

from decimal import Decimal

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from tracking.utils import format_duration

register = template.Library()


@register.filter
def duration(seconds) -> str:
    """The one duration style (tracking.utils.format_duration)."""
    return format_duration(seconds)


@register.filter
def when(moment, default: str = "") -> str:
    """The one date-and-time style of the pages, in the reader's time zone: "Thu 3 Dec 2026, 09:30"."""
    if not moment:
        return default
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M}"


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
