"""A saved report's definition: the report's question as data, checked once and turned into tracking's
`ReportParams` by one function.

    {"preset": "last_month" | ... | None, "start": "YYYY-MM-DD" | None, "end": "YYYY-MM-DD" | None,
     "group_by": "client", "then_by": None, "chart": "bar",
     "filters": {"client": [ids], "project": [ids], "task": [ids], "user": [ids], "team": [ids], "tag": [ids],
                 "billable": True | False}}

A preset stays relative ("last month" is last month whenever it is opened). The period, the grouping and the span
are checked by `tracking.reports.report_params`, never here; this module checks the shape, the ids (they must exist
and be visible to the report's owner) and translates `team` into the people of those teams.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q

from accounts import policy
from accounts.models import Team
from tracking import periods
from tracking.exceptions import InvalidFilter
from tracking.models import Client, Project, Tag, Task
from tracking.reports import GROUP_BY_CHOICES, ReportParams, report_params

from .exceptions import InvalidDefinition
from .models import ChartType

KEYS = ("preset", "start", "end", "group_by", "then_by", "filters", "chart")
ID_FILTERS = ("client", "project", "task", "user", "team", "tag")
FILTERS = (*ID_FILTERS, "billable")
MAX_IDS = 100


def _models() -> dict[str, Any]:
    return {
        "client": Client,
        "project": Project,
        "task": Task,
        "user": get_user_model(),
        "team": Team,
        "tag": Tag,
    }


def _date(name: str, value: Any) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    if not isinstance(value, str) or "\x00" in value:
        raise InvalidDefinition(f"{name} must be a date, YYYY-MM-DD.", field=f"definition.{name}")
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise InvalidDefinition(
            f"{name} must be a date, YYYY-MM-DD; got “{value[:20]}”.", field=f"definition.{name}"
        ) from None


def _ids(name: str, value: Any) -> list[int]:
    values = value if isinstance(value, list | tuple) else [value]
    if len(values) > MAX_IDS:
        raise InvalidDefinition(f"At most {MAX_IDS} ids per filter.", field=f"definition.filters.{name}")
    ids = []
    for item in values:
        if isinstance(item, bool) or not isinstance(item, int) or not 0 < item < 2**63:
            raise InvalidDefinition(
                f"The filter “{name}” takes a list of ids (whole numbers).", field=f"definition.filters.{name}"
            )
        ids.append(item)
    return sorted(set(ids))


def _choice(name: str, value: Any, choices) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or value not in choices:
        raise InvalidDefinition(
            f"{name} must be one of {', '.join(choices)}; got “{str(value)[:40]}”.", field=f"definition.{name}"
        )
    return value


def definition_clean(definition: Any, *, owner) -> dict:
    """The definition in its one stored form; raises InvalidDefinition naming the field for anything it cannot
    take: unknown keys, filters or groupings, a reversed or too long range, ids that do not exist or that `owner`
    may not see."""
    if not isinstance(definition, dict):
        raise InvalidDefinition("The definition must be an object.")
    unknown = sorted(set(definition) - set(KEYS))
    if unknown:
        raise InvalidDefinition(f"Unknown definition fields: {', '.join(unknown)}.", field=f"definition.{unknown[0]}")
    filters_in = definition.get("filters") or {}
    if not isinstance(filters_in, dict):
        raise InvalidDefinition("filters must be an object.", field="definition.filters")
    unknown = sorted(set(filters_in) - set(FILTERS))
    if unknown:
        raise InvalidDefinition(
            f"Unknown filters: {', '.join(str(u)[:40] for u in unknown)}.", field="definition.filters"
        )
    filters: dict[str, Any] = {}
    models = _models()
    for name in ID_FILTERS:
        if filters_in.get(name) in (None, []):
            continue
        ids = _ids(name, filters_in[name])
        found = set(policy.visible(owner, models[name].objects.filter(pk__in=ids)).values_list("pk", flat=True))
        missing = [i for i in ids if i not in found]
        if missing:
            raise InvalidDefinition(
                f"No {name} with id {missing[0]} that you may see.", field=f"definition.filters.{name}"
            )
        filters[name] = ids
    if filters_in.get("billable") is not None:
        if not isinstance(filters_in["billable"], bool):
            raise InvalidDefinition("billable must be true or false.", field="definition.filters.billable")
        filters["billable"] = filters_in["billable"]

    cleaned = {
        "preset": _choice("preset", definition.get("preset"), list(periods.PRESETS)),
        "start": _date("start", definition.get("start")),
        "end": _date("end", definition.get("end")),
        "group_by": _choice("group_by", definition.get("group_by") or "project", GROUP_BY_CHOICES),
        "then_by": _choice("then_by", definition.get("then_by"), GROUP_BY_CHOICES),
        "filters": filters,
        "chart": _choice("chart", definition.get("chart") or ChartType.BAR, ChartType.values),
    }
    try:  # the period and the levels are the report's rules: tracking.reports checks them
        definition_params(cleaned, viewer=owner)
    except InvalidFilter as exc:
        raise InvalidDefinition(exc.messages[0], field=f"definition.{exc.field or 'preset'}") from exc
    return cleaned


def definition_params(definition: dict, *, viewer, now: datetime | None = None) -> ReportParams:
    """The checked report question of a stored definition, seen by `viewer` (presets from the viewer's today)."""
    filters = {k: v for k, v in (definition.get("filters") or {}).items() if k != "team"}
    team_ids = (definition.get("filters") or {}).get("team")
    if team_ids:
        in_teams = set(get_user_model().objects.filter(pk__in=_team_people(team_ids)).values_list("pk", flat=True))
        filters["user"] = sorted(in_teams & set(filters["user"])) if "user" in filters else sorted(in_teams)
    start, end = definition.get("start"), definition.get("end")
    return report_params(
        viewer=viewer,
        preset=definition.get("preset"),
        start=date.fromisoformat(start) if start else None,
        end=date.fromisoformat(end) if end else None,
        group_by=definition.get("group_by") or "project",
        then_by=definition.get("then_by"),
        filters=filters,
        now=now,
    )


def _team_people(team_ids):
    return get_user_model().objects.filter(Q(teams__in=team_ids) | Q(managed_teams__in=team_ids)).values("pk")


def definition_from_question(question: dict) -> dict:
    """A definition from the ad-hoc report page's question (tracking.views.reports.ReportForm.question)."""
    filters = {}
    for name, value in (question.get("filters") or {}).items():
        filters[name] = value if name == "billable" else [value] if not isinstance(value, list) else value
    start, end = question.get("start"), question.get("end")
    return {
        "preset": question.get("preset"),
        "start": start.isoformat() if isinstance(start, date) else start,
        "end": end.isoformat() if isinstance(end, date) else end,
        "group_by": question.get("group_by") or "project",
        "then_by": question.get("then_by"),
        "filters": filters,
        "chart": ChartType.BAR,
    }


def definition_query(definition: dict) -> dict:
    """The ad-hoc report page's query string parameters for a definition (single-valued filters only)."""
    query = {"group_by": definition.get("group_by") or "project"}
    if definition.get("then_by"):
        query["then_by"] = definition["then_by"]
    if definition.get("preset"):
        query["preset"] = definition["preset"]
    else:
        query.update(preset="custom", start=definition.get("start"), end=definition.get("end"))
    for name, value in (definition.get("filters") or {}).items():
        if name == "billable":
            query[name] = "1" if value else "0"  # the report form's choices
        elif name != "team" and len(value) == 1:
            query[name] = value[0]
    return query


def match_key(definition: dict) -> str:
    """Grouping and filters (not the period): two reports with the same key answer the same question."""
    shape = {
        "group_by": definition.get("group_by") or "project",
        "then_by": definition.get("then_by") or None,
        "filters": {k: v for k, v in sorted((definition.get("filters") or {}).items())},
    }
    return hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()


def period_label(definition: dict) -> str:
    if definition.get("preset"):
        return periods.PRESETS[definition["preset"]][0].lower()
    return f"{definition.get('start')} – {definition.get('end')}"


def suggest_name(definition: dict) -> str:
    """“Hours by project · last month · Acme”: what the report counts, by what, when, for whom."""
    filters = definition.get("filters") or {}
    what = {True: "Billable hours", False: "Non-billable hours"}.get(filters.get("billable"), "Hours")
    by = definition.get("group_by") or "project"
    if definition.get("then_by"):
        by += f" and {definition['then_by']}"
    parts = [f"{what} by {by}", period_label(definition)]
    models = _models()
    for name in ("client", "project", "team", "task", "tag"):
        ids = filters.get(name) or []
        if ids:
            names = [str(o) for o in models[name].objects.filter(pk__in=ids[:3])]
            parts.append(", ".join(names) + (" …" if len(ids) > 3 else ""))
    if filters.get("user"):
        users = get_user_model().objects.filter(pk__in=filters["user"][:3])
        parts.append(", ".join(u.display_name for u in users) + (" …" if len(filters["user"]) > 3 else ""))
    return " · ".join(parts)[:200]
