"""The HTML of the entry list's rows, the dashboard's recent entries and the inline project picker's options, written
in Python.

A page lists 50 entries; through a template per row (`{% include %}`, four `{% url %}`, variables resolved one by
one, integers localized) the rows were ~40% of the entry list's time on a large organisation's data. These
functions write the same HTML (the templates `tracking/_entry_row.html` and `tracking/_recent_entry.html` call them,
so a row re-rendered after an inline edit is the one the list showed) from values read once per row. Everything
not ours is escaped; the ids and labels are the templates' were.
"""

import unicodedata

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from .models import Project
from .utils import escape_text as _e
from .utils import format_date, format_duration, format_time

_PK = 2147480001  # a sentinel id, replaced in a reversed URL by each row's own


class RowWriter:
    """What every row of one page shares: the URLs' shapes, the CSRF field, the viewer, and the day and time
    strings already made (a page has a few days and many rows on each)."""

    def __init__(self, *, csrf_token, viewer_id, may_track: bool, show_user: bool = False, next_url: str = ""):
        token = str(csrf_token) if csrf_token else ""
        self.csrf = (
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{_e(token)}">'
            if token and token != "NOTPROVIDED"  # noqa: S105 - Django's word for "no token", as {% csrf_token %}
            else ""
        )
        self.viewer_id = viewer_id
        self.may_track = bool(may_track)
        self.show_user = bool(show_user)
        self.next_url = _e(next_url)
        self._urls: dict = {}
        self._days: dict = {}
        self._clocks: dict = {}
        self.tz = timezone.get_current_timezone()

    def url(self, name: str, pk: int) -> str:
        parts = self._urls.get(name)
        if parts is None:
            parts = self._urls[name] = str(_e(reverse(name, args=[_PK]))).split(str(_PK))
        return str(pk).join(parts)

    def day(self, local) -> str:
        """`|day:"short"` of a local moment, made once per day."""
        key = local.date()
        text = self._days.get(key)
        if text is None:
            text = self._days[key] = str(_e(format_date(local, "short")))
        return text

    def clock(self, local) -> str:
        """`|clock` of a local moment (the display format) and its `|time:'H:i'` (the input's value)."""
        if settings.DISPLAY_TIME_FORMAT == "H:i":  # the default: both are the hour and minute, zero-padded
            text = f"{local.hour:02d}:{local.minute:02d}"
            return text, text
        key = (local.hour, local.minute, local.second, local.utcoffset())
        text = self._clocks.get(key)
        if text is None:
            shown = str(_e(format_time(local)))
            text = self._clocks[key] = (shown, f"{local.hour:02d}:{local.minute:02d}")
        return text

    def local(self, moment):
        return timezone.localtime(moment, self.tz)


def _chars(text: str, length: int) -> str:
    """Truncator(text).chars(length): a text of at most `length` characters, already in NFC, is what it answers."""
    if len(text) <= length and unicodedata.is_normalized("NFC", text):
        return text
    return Truncator(text).chars(length)


def _tags(entry) -> str:
    names = getattr(entry, "tag_names", None)  # the entry list's (selectors.entry_tag_names), else its tags
    return "".join(f'<span class="tag">{_e(t)}</span>' for t in (entry.tags.all() if names is None else names))


def _billable(entry) -> str:
    if entry.billable:
        return '<span title="Billable">$</span>'
    return '<span class="muted" title="Not billable">–</span>'


def _project_option(entry) -> str:
    project = entry.project
    client = _e(project.client.name) if project.client_id else ""
    return (
        f'<option value="{entry.project_id}" selected data-color="{_e(project.color)}"'
        f' data-name="{_e(project.name)}" data-client="{client}">{_e(project)}</option>'
    )


def _field(pk, name, label: str, control: str) -> str:
    return (
        f'<span class="inline-field"><label for="entry-{pk}-{name}" class="visually-hidden">{label}</label>'
        f"{control}</span>"
    )


def _clock_input(pk, name, value) -> str:
    return (
        f'<input type="text" class="inline-input inline-clock" id="entry-{pk}-{name}" name="{name}" value="{value}"'
        f' data-inline-field="{name}" inputmode="numeric" autocomplete="off" maxlength="5" size="5">'
    )


def _notes_input(pk, notes) -> str:
    return (
        f'<input type="text" class="inline-input" id="entry-{pk}-notes" name="notes" value="{notes}"'
        f' data-inline-field="notes" maxlength="2000" placeholder="(no description)" autocomplete="off">'
    )


def _duration_input(pk, seconds) -> str:
    return (
        f'<input type="text" class="inline-input inline-duration" id="entry-{pk}-duration" name="duration"'
        f' value="{format_duration(seconds)}" data-inline-field="duration" autocomplete="off" maxlength="20" size="7">'
    )


def _project_select(pk) -> str:
    return (
        f'<select id="entry-{pk}-project" name="project" data-inline-field="project"'
        f' data-inline-options="inline-project-options" data-placeholder="Project…">'
    )


def entry_row(w: RowWriter, entry) -> str:
    """One entry on the list (was the template tracking/_entry_row.html): rows the viewer may change are edited in
    place (tracking/static/tt/inline.js), each field saving when left; the full form stays behind "Edit"."""
    pk = entry.pk
    may_change = getattr(entry, "may_change", False)
    inline = may_change and entry.end
    start = w.local(entry.start)
    when = w.day(start)
    start_clock, start_input = w.clock(start)
    notes = _e(entry.notes)
    task = _e(entry.task) if entry.task else None
    person = f'<td data-label="Person">{_e(entry.user.display_name)}</td>' if w.show_user else ""
    out = [f'\n<tr id="entry-{pk}" data-entry="{pk}"']
    if inline:
        out.append(f' class="inline-row" data-inline-url="{w.url("entry_inline", pk)}"')
    out.append('>\n  <td class="check">')
    if may_change:
        out.append(f'<input type="checkbox" name="ids" value="{pk}" form="bulk-form" aria-label="Select entry {pk}">')
    out.append(f'</td>\n  <td data-label="Date">{when}</td>\n  ')
    if inline:
        end_clock, end_input = w.clock(w.local(entry.end))
        of = f"the entry of {when} {start_clock}"
        out += [
            '\n  <td data-label="Time" class="inline-time">\n    ',
            _field(pk, "start", f"Start of the entry of {when}", _clock_input(pk, "start", start_input)),
            "–",
            _field(pk, "end", f"End of the entry of {when}", _clock_input(pk, "end", end_input)),
            "\n  </td>\n  ",
            person,
            '\n  <td data-label="Project" class="inline-project">\n    ',
            _field(pk, "project", f"Project of {of}", _project_select(pk) + _project_option(entry) + "</select>"),
            f'<span class="muted inline-task">{task}</span>' if task is not None else "",
            '\n  </td>\n  <td data-label="Notes" class="inline-notes">\n    ',
            _field(pk, "notes", f"Description of {of}", _notes_input(pk, notes)),
            f'\n    {_tags(entry)}\n  </td>\n  <td data-label="Billable">{_billable(entry)}</td>\n  ',
            '<td data-label="Duration" class="num dur">',
            _field(pk, "duration", f"Duration of {of}", _duration_input(pk, entry.duration_seconds)),
            "</td>\n  ",
        ]
    else:
        end = w.clock(w.local(entry.end))[0] if entry.end else "<em>running</em>"
        project = entry.project
        out += [
            f'\n  <td data-label="Time">{start_clock}–{end}</td>\n  ',
            person,
            f'\n  <td data-label="Project"><span class="dot" data-color="{_e(project.color)}"></span> {_e(project)}',
            f'<br><span class="muted">{task}</span>' if task is not None else "",
            f'</td>\n  <td data-label="Notes">{notes} {_tags(entry)}</td>\n',
            f'  <td data-label="Billable">{_billable(entry)}</td>\n',
            '  <td data-label="Duration" class="num dur">',
            format_duration(entry.duration_seconds) if entry.end else "…",
            "</td>\n  ",
        ]
    out.append('\n  <td class="actions">\n    ')
    if w.may_track and entry.end and entry.user_id == w.viewer_id:
        what = _e(entry.project.name)
        if entry.notes:
            what += ": " + _e(_chars(entry.notes, 40))
        out.append(
            f'\n    <form method="post" action="{w.url("timer_continue", pk)}" class="inline">{w.csrf}\n'
            f'      <input type="hidden" name="next" value="{w.next_url}">\n'
            f'      <button type="submit" class="btn btn-small" title="Start a new timer like this entry"'
            f' aria-label="Continue {what}">▶</button>\n    </form>\n    '
        )
    out.append("\n    ")
    if inline:
        edit = w.url("entry_edit", pk)
        out.append(
            f'\n    <a href="{edit}" hx-get="{edit}" hx-target="#entry-{pk}" hx-swap="outerHTML" hx-push-url="false"'
            f' class="btn btn-small" aria-label="Edit all of entry {pk} (date, task, tags, billable)">Edit</a>\n'
            f'    <form method="post" action="{w.url("entry_delete", pk)}" class="inline">{w.csrf}\n'
            f'      <input type="hidden" name="next" value="{w.next_url}">\n'
            f'      <button type="submit" class="btn btn-small btn-danger" aria-label="Delete entry {pk}">'
            "Delete</button>\n"
            "    </form>\n    "
        )
    elif getattr(entry, "locked", False):
        out.append('<span class="state" title="In a locked period or an approved week">Locked</span>\n    ')
    out.append("\n  </td>\n</tr>\n")
    return mark_safe("".join(out))  # noqa: S308 - every value in it was escaped


def entry_day(w: RowWriter, group: dict) -> str:
    """A day of the entry list: its header (the day and its whole total) and its rows (was the template
    tracking/_entry_day.html, included once per day; the answer to an inline change re-renders one)."""
    day = group["day"]
    out = [
        f'<tbody class="day" data-inline-swap id="day-{day.isoformat()}">\n'
        f'    <tr class="day-head"><th colspan="{7 if w.show_user else 6}" scope="rowgroup">'
        f'{_e(format_date(day, "long"))}</th><td class="num day-total">{_e(format_duration(group["seconds"]))}</td>'
        '<td class="actions"></td></tr>\n    '
    ]
    for entry in group["entries"]:
        out.append(entry_row(w, entry))
        out.append("\n")
    out.append("\n  </tbody>\n")
    return mark_safe("".join(out))  # noqa: S308 - every value in it was escaped


def recent_entry(w: RowWriter, e) -> str:
    """One of the dashboard's recent entries (was the template tracking/_recent_entry.html); the viewer's own,
    outside locked time, are edited in place (inline.js)."""
    pk = e.pk
    may_change = getattr(e, "may_change", False)
    start = w.local(e.start)
    when = w.day(start)
    start_clock, start_input = w.clock(start)
    task = _e(e.task) if e.task else None
    out = [f'\n<li id="recent-{pk}" data-entry="{pk}"']
    if may_change:
        out.append(f' class="inline-row" data-inline-url="{w.url("entry_inline", pk)}" data-inline-view="recent"')
    out.append(">\n  ")
    end_clock, end_input = w.clock(w.local(e.end)) if e.end else ("", "")
    if may_change:
        of = f"the entry of {when} {start_clock}"
        out += [
            '\n  <span class="recent-what">\n    <span class="inline-project">',
            _field(pk, "project", f"Project of {of}", _project_select(pk) + _project_option(e) + "</select>"),
            "</span>",
            f'<span class="muted inline-task">{task}</span>' if task is not None else "",
            '\n    <span class="inline-notes">',
            _field(pk, "notes", f"Description of {of}", _notes_input(pk, _e(e.notes))),
            f"</span>\n    {_tags(e)}\n  </span>\n",
            f'  <span class="muted when inline-time">{when} ',
            _field(pk, "start", f"Start of the entry of {when}", _clock_input(pk, "start", start_input)),
            "–",
            _field(pk, "end", f"End of the entry of {when}", _clock_input(pk, "end", end_input)),
            '</span>\n  <span class="dur">',
            _field(pk, "duration", f"Duration of {of}", _duration_input(pk, e.duration_seconds)),
            "</span>\n  ",
        ]
    else:
        project = e.project
        notes = f' <span class="muted">— {_e(e.notes)}</span>' if e.notes else ""
        out += [
            f'\n  <span class="dot" data-color="{_e(project.color)}"></span>\n',
            f'  <span class="recent-what"><strong>{_e(project.name)}</strong>',
            f" · {task}" if task is not None else "",
            f"{notes}\n    {_tags(e)}</span>\n",
            f'  <span class="muted when">{when} {start_clock}–{end_clock}</span>\n',
            f'  <span class="dur">{format_duration(e.duration_seconds)}</span>\n  ',
        ]
    out.append("\n  ")
    if w.may_track:
        out.append(
            f'\n  <form method="post" action="{w.url("timer_continue", pk)}" class="inline">{w.csrf}\n'
            f'    <button type="submit" class="btn btn-small" title="Start a new timer like this entry"'
            f' aria-label="Continue {_e(e.project.name)}">▶ Continue</button>\n  </form>\n  '
        )
    out.append("\n  ")
    if may_change:
        out.append(
            f'<a href="{w.url("entry_edit", pk)}" class="btn btn-small" aria-label="Edit all of the entry of {when}'
            f' {start_clock} (date, task, tags, billable)">Edit</a>'
        )
    elif getattr(e, "locked", False):
        out.append('<span class="state" title="In a locked period or an approved week">Locked</span>')
    out.append("\n</li>\n")
    return mark_safe("".join(out))  # noqa: S308 - every value in it was escaped


# The columns of a project's option (`project_option_rows`): a page offering 200 projects spent more on making the
# projects and their clients than on writing the options.
PROJECT_COLUMNS = ("pk", "name", "client_id", "client__name", "color", "code")


def project_option_rows(projects) -> list[tuple]:
    """Rows of PROJECT_COLUMNS from `projects`: a queryset is read as rows (one fetch, no instances), projects
    already read are taken as they are."""
    if hasattr(projects, "values_list") and getattr(projects, "_result_cache", None) is None:
        return list(projects.values_list(*PROJECT_COLUMNS))
    return [(p.pk, p.name, p.client_id, p.client.name if p.client_id else None, p.color, p.code) for p in projects]


# The project options of rows, kept by (kind, row) per process: the same row always writes the same option, and a
# page lists a couple of hundred projects twice (the bulk select, the rows' picker). Bounded like the long selects'
# (tracking.forms.ROW_OPTIONS_KEPT).
PROJECT_OPTIONS_KEPT = 20_000
_PROJECT_OPTIONS: dict[tuple, str] = {}


def _kept_option(kind: str, row: tuple, write) -> str:
    key = (kind, row)
    text = _PROJECT_OPTIONS.get(key)
    if text is None:
        text = write(*row)
        if len(_PROJECT_OPTIONS) >= PROJECT_OPTIONS_KEPT:
            _PROJECT_OPTIONS.clear()
        _PROJECT_OPTIONS[key] = text
    return text


def _inline_option(pk, name, client_id, client_name, color, code) -> str:
    client = client_name if client_id else None
    return (
        f'<option value="{pk}" data-color="{_e(color)}"'
        f' data-name="{_e(name)}" data-client="{_e(client) if client is not None else ""}"'
        f' data-code="{_e(code)}">'
        f"{_e(Project.label_of(name, client))}</option>"
    )


def _plain_option(pk, name, client_id, client_name, *_) -> str:
    return f'<option value="{pk}">{_e(Project.label_of(name, client_name if client_id else None))}</option>'


def project_options(projects) -> str:
    """The inline project picker's options, once per page (`<template id="inline-project-options">`): from projects,
    or from rows of PROJECT_COLUMNS (`project_option_rows`)."""
    out = "".join(_kept_option("inline", row, _inline_option) for row in _rows(projects))
    return mark_safe(out)  # noqa: S308 - every value in it was escaped


def described_options(projects) -> str:
    """Options of projects with their label, colour, name and client (the week's "Add a row for" picker): from
    projects or rows."""
    out = []
    for pk, name, client_id, client_name, color, _code in _rows(projects):
        client = client_name if client_id else None
        out.append(
            f'<option value="{pk}" data-color="{_e(color)}" data-name="{_e(name)}"'
            f' data-client="{_e(client) if client else ""}">{_e(Project.label_of(name, client))}</option>'
        )
    return mark_safe("".join(out))  # noqa: S308 - every value in it was escaped


def plain_options(projects) -> str:
    """Options of projects with their labels alone (the bulk action's project select): from projects or rows."""
    out = "".join(_kept_option("plain", row, _plain_option) for row in _rows(projects))
    return mark_safe(out)  # noqa: S308 - every value in it was escaped


def _rows(projects) -> list[tuple]:
    if isinstance(projects, list) and (not projects or isinstance(projects[0], tuple)):
        return projects
    return project_option_rows(projects)
