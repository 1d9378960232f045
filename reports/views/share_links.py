"""Share links of a saved report: make one (shown once), list and revoke them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from timetracker.errors import message as error_message
from tracking.forms import add_service_error
from tracking.views._common import get_or_404

from .. import services, sharing
from ..forms import ShareLinkForm
from ._common import _report


def _share_context(request, report, form, created_url=""):
    return {
        "report": report,
        "form": form,
        "links": sharing.share_link_list(viewer=request.user, report=report)[:100],
        "created_url": created_url,
        "now": timezone.now(),
    }


@login_required
def saved_report_share(request, pk):
    """Share a saved report outside the app: the options, the new link (shown once), and your links to it."""
    viewer = request.user
    report = _report(request, pk)
    form = ShareLinkForm(request.POST or None, viewer=viewer)
    if request.method == "POST" and form.is_valid():
        try:
            _link, token = services.share_link_create(actor=viewer, report=report, **form.service_kwargs())
        except (ValidationError, PermissionDenied) as exc:
            add_service_error(form, exc)
        else:
            url = request.build_absolute_uri(reverse("share_page", args=[token]))
            form = ShareLinkForm(viewer=viewer)
            return render(request, "reports/share/manage.html", _share_context(request, report, form, url))
    status = 400 if request.method == "POST" else 200
    return render(request, "reports/share/manage.html", _share_context(request, report, form), status=status)


@login_required
@require_POST
def share_link_revoke(request, pk, link_pk):
    report = _report(request, pk)
    link = get_or_404(lambda: sharing.share_link_list(viewer=request.user, report=report).get(pk=link_pk))
    try:
        services.share_link_revoke(actor=request.user, link=link)
    except PermissionDenied as exc:
        messages.error(request, error_message(exc))
    else:
        messages.success(request, "Revoked the link: it shows “not available” from now on.")
    return redirect("saved_report_share", pk=report.pk)
