"""The one error translator (timetracker.errors): each domain error declares code and status once, and every
interface — API, form, Slack, admin — shows the same words."""

import pytest
from django import forms
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError

from accounts.policy import PolicyDenied
from accounts.services import AccountError
from integrations.services import UnknownProvider
from timetracker.errors import DomainError, admin_message, api_error, form_error, message, slack_reply
from tracking.exceptions import ArchivedProject, InvalidFilter, NoRunningTimer, TimerAlreadyRunning, TrackingError


class EntryForm(forms.Form):
    project = forms.CharField(required=False)
    start_time = forms.CharField(required=False)
    notes = forms.CharField(required=False)


class Named:
    def __init__(self, name):
        self.name = name

    def __str__(self):
        return self.name


@pytest.mark.parametrize(
    ("exc", "status", "code"),
    [
        (TimerAlreadyRunning(), 409, "timer_already_running"),
        (NoRunningTimer(), 409, "no_running_timer"),
        (ArchivedProject(Named("Website")), 400, "archived_project"),
        (InvalidFilter("Unknown grouping."), 400, "invalid_filter"),
        (PolicyDenied("Viewers have read-only access."), 403, "permission_denied"),
        (AccountError("You cannot erase yourself."), 400, "account_change_refused"),
        (UnknownProvider("nope"), 404, "unknown_provider"),
        (ValidationError("Plain.", code="too_long"), 400, "too_long"),
        (PermissionDenied("No."), 403, "permission_denied"),
        (ObjectDoesNotExist(), 404, "not_found"),
    ],
)
def test_each_error_maps_to_its_declared_status_and_code(exc, status, code):
    assert api_error(exc)[0] == status
    assert api_error(exc)[1]["code"] == code


def test_every_app_error_is_a_domain_error_and_keeps_its_django_base():
    for cls in (TrackingError, AccountError, UnknownProvider):
        assert issubclass(cls, DomainError) and issubclass(cls, ValidationError)
    assert issubclass(PolicyDenied, DomainError) and issubclass(PolicyDenied, PermissionDenied)


def test_an_exception_that_is_not_a_domain_error_is_left_alone():
    assert api_error(RuntimeError("bug")) is None


def test_api_slack_admin_and_flash_message_use_the_same_words():
    exc = ArchivedProject(Named("Website"))
    text = "The project “Website” is archived; time cannot be tracked on it."
    status, body = api_error(exc)
    assert body == {"detail": text, "code": "archived_project", "errors": {"project": [text]}}
    assert slack_reply(exc) == admin_message(exc) == message(exc) == text


def test_a_form_error_lands_on_its_field_or_its_alias():
    form = EntryForm(data={})
    assert form.is_valid()
    form_error(form, ArchivedProject(Named("Website")))
    assert "archived" in form.errors["project"][0]
    start = TrackingError("Starts after it ends.", field="start")
    form_error(form, start, aliases={"start": "start_time"})
    assert form.errors["start_time"] == ["Starts after it ends."]


def test_a_refusal_lands_on_top_unless_the_form_names_a_field_for_it():
    form = EntryForm(data={})
    form.is_valid()
    form_error(form, PolicyDenied("You may not track time on this project."))
    assert form.non_field_errors() == ["You may not track time on this project."]
    other = EntryForm(data={})
    other.is_valid()
    form_error(other, PolicyDenied("You may not track time on this project."), denied_field="project")
    assert other.errors["project"] == ["You may not track time on this project."]


def test_a_validation_error_per_field_keeps_its_fields():
    form = EntryForm(data={})
    form.is_valid()
    form_error(form, ValidationError({"notes": ["Too long."], "elsewhere": ["Odd."]}))
    assert form.errors["notes"] == ["Too long."]
    assert form.non_field_errors() == ["Odd."]
