"""Helpers shared by the saved reports pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect

from timetracker.errors import message as error_message
from tracking.views._common import get_or_404

from .. import selectors


def _report(request, pk):
    return get_or_404(selectors.saved_report_get, viewer=request.user, pk=pk)


def _bool_param(value: str) -> bool | None:
    return {"true": True, "1": True, "false": False, "0": False}.get((value or "").lower())


def _post_action(request, pk, action):
    report = _report(request, pk)
    try:
        return action(report)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_message(exc))
        return redirect("saved_report_detail", pk=report.pk)
