"""ListSelect writes the same HTML as Django's Select, option by option (options written from rows: kept by row)."""

import pytest
from django import forms
from django.test.html import parse_html
from django.utils.html import escape

from tracking import forms as forms_module
from tracking import rows as rows_module
from tracking.forms import _ROW_OPTIONS, ListSelect, NameSelect, PersonSelect, ProjectRowSelect
from tracking.models import Task


@pytest.mark.parametrize("value", [None, "2", ["x"]])
def test_list_select_writes_what_djangos_select_writes(value):
    choices = [("", "All <tasks>"), ("1", "Fix & ship"), ("2", 'Say "hi"'), ("Group", [("x", "X"), ("y", "Y")])]
    attrs = {"id": "id_task", "class": "pick", "required": True, "disabled": False, "data-depends-on": "id_project"}
    ours = ListSelect(attrs=attrs, choices=choices).render("task", value)
    django = forms.Select(attrs=attrs, choices=choices).render("task", value)
    assert parse_html(ours) == parse_html(django)
    assert "&lt;tasks&gt;" in ours and "&amp;" in ours


def _row_widget(widget_class, rows, empty_label="All tasks"):
    """A model field's widget given its rows (as EntryFilterForm's are), so nothing is read."""
    field = forms.ModelChoiceField(queryset=Task.objects.none(), empty_label=empty_label, widget=widget_class)
    field.widget.rows = rows
    return field.widget


ROWS = [(1, "Fix & ship"), (2, 'Say "hi"'), (3, "<b>")]


@pytest.mark.parametrize("value", [None, "", "2", 3, "99", ["1", "3"]])
def test_options_from_rows_are_kept_and_still_written_as_djangos(value):
    _ROW_OPTIONS.clear()
    django = forms.Select(choices=[("", "All tasks"), *ROWS]).render("task", value)
    first = _row_widget(NameSelect, ROWS).render("task", value)
    assert parse_html(first) == parse_html(django)
    wanted = {str(v) for v in (value if isinstance(value, list) else [value])}
    selected = next((row for row in ROWS if str(row[0]) in wanted), None)
    assert set(_ROW_OPTIONS) == {(NameSelect, row) for row in ROWS if row != selected}  # kept by row, unselected
    for selected in (value, "1", "3", None):  # kept options, another one selected (or none)
        ours = _row_widget(NameSelect, ROWS).render("task", selected)
        assert parse_html(ours) == parse_html(forms.Select(choices=[("", "All tasks"), *ROWS]).render("task", selected))
    assert _row_widget(NameSelect, ROWS).render("task", value) == first


def test_kept_options_are_the_widgets_own():
    """The same row makes another option in another widget (PersonSelect: the login when there is no full name;
    ProjectRowSelect: the client in the label and data attributes)."""
    _ROW_OPTIONS.clear()
    assert '<option value="7"></option>' in _row_widget(NameSelect, [(7, "", "ann")]).render("x", None)
    person = _row_widget(PersonSelect, [(7, "", "ann"), (8, "Bo Li", "bo")]).render("user", "8")
    assert '<option value="7">ann</option>' in person and '<option value="8" selected>Bo Li</option>' in person
    row = (5, "Site", 2, "Acme & Co", True, "#ff0000", "S1")
    for selected in (None, "5", None):
        html = _row_widget(ProjectRowSelect, [row]).render("project", selected)
        assert ">Acme &amp; Co / Site</option>" in html and 'data-client="Acme &amp; Co"' in html
        assert ('<option value="5" selected data-billable="1"' in html) == (selected == "5")


def test_options_from_a_widgets_state_are_not_kept():
    class Recent(NameSelect):
        recent = ()

        def option_attrs(self, value):
            return {"data-recent": True} if value in self.recent else {}

    _ROW_OPTIONS.clear()
    widget = _row_widget(Recent, ROWS)
    widget.recent = (2,)
    assert '<option value="2" data-recent>' in widget.render("task", None)
    widget.recent = ()
    assert '<option value="2">' in widget.render("task", None)
    assert not any(kind is Recent for kind, _row in _ROW_OPTIONS)


def test_kept_options_are_bounded(monkeypatch):
    monkeypatch.setattr(forms_module, "ROW_OPTIONS_KEPT", 2)
    _ROW_OPTIONS.clear()
    for _ in range(2):
        html = _row_widget(NameSelect, ROWS).render("task", None)
        assert len(_ROW_OPTIONS) <= 2
    assert parse_html(html) == parse_html(forms.Select(choices=[("", "All tasks"), *ROWS]).render("task", None))


def test_project_options_are_kept_by_row_and_kind():
    """The bulk select's and the rows' picker's project options (tracking.rows): written once per row and kind."""
    rows_module._PROJECT_OPTIONS.clear()
    projects = [(5, "Site <1>", 2, "Acme & Co", "#ff0000", 'S"1'), (6, "Inside", None, None, "#00ff00", "")]
    inline = (
        '<option value="5" data-color="#ff0000" data-name="Site &lt;1&gt;" data-client="Acme &amp; Co"'
        ' data-code="S&quot;1">Acme &amp; Co / Site &lt;1&gt;</option>'
        '<option value="6" data-color="#00ff00" data-name="Inside" data-client="" data-code="">Inside</option>'
    )
    plain = '<option value="5">Acme &amp; Co / Site &lt;1&gt;</option><option value="6">Inside</option>'
    for _ in range(2):  # written, then kept
        assert rows_module.project_options(projects) == inline
        assert rows_module.plain_options(projects) == plain
    assert len(rows_module._PROJECT_OPTIONS) == 4
    renamed = [(5, "Site 2", 2, "Acme & Co", "#ff0000", 'S"1')]  # another row: written afresh
    assert rows_module.plain_options(renamed) == '<option value="5">Acme &amp; Co / Site 2</option>'


@pytest.mark.django_db
def test_task_options_are_kept_by_row_and_still_select_the_chosen_task(member, project):
    """The tracking forms' task options (`task_options`, ~1,000 of them on a large organisation's timer bar): each
    not-selected one written once per process and kept by its row; the chosen task still written selected."""
    from tracking.forms import TimerStartForm, _task_option
    from tracking.tests.factories import TaskFactory

    tasks = [TaskFactory(project=project, name=name) for name in ("Fix & ship", 'Say "hi"', "<b>")]

    def expected(chosen):
        return "".join(
            f'<option value="{t.pk}" data-project="{project.pk}"{" selected" if str(t.pk) == chosen else ""}>'
            f"{escape(t.name)}</option>"
            for t in sorted(tasks, key=lambda t: (t.name, t.pk))
        )

    _ROW_OPTIONS.clear()
    assert TimerStartForm(user=member).task_options() == expected("None")
    assert {key[0] for key in _ROW_OPTIONS} == {_task_option} and len(_ROW_OPTIONS) == 3
    chosen = str(tasks[1].pk)
    bound = TimerStartForm({"task": chosen}, user=member)
    assert bound.task_options() == expected(chosen)
    assert f'<option value="{chosen}" data-project="{project.pk}" selected>' in bound.task_options()
    assert TimerStartForm(user=member).task_options() == expected("None")  # the kept option was not the selected one
