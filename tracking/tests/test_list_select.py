"""ListSelect writes the same HTML as Django's Select, option by option."""

import pytest
from django import forms
from django.test.html import parse_html

from tracking.forms import ListSelect


@pytest.mark.parametrize("value", [None, "2", ["x"]])
def test_list_select_writes_what_djangos_select_writes(value):
    choices = [("", "All <tasks>"), ("1", "Fix & ship"), ("2", 'Say "hi"'), ("Group", [("x", "X"), ("y", "Y")])]
    attrs = {"id": "id_task", "class": "pick", "required": True, "disabled": False, "data-depends-on": "id_project"}
    ours = ListSelect(attrs=attrs, choices=choices).render("task", value)
    django = forms.Select(attrs=attrs, choices=choices).render("task", value)
    assert parse_html(ours) == parse_html(django)
    assert "&lt;tasks&gt;" in ours and "&amp;" in ours
