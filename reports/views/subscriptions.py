"""Subscriptions to a saved report: the subscribe form and your subscriptions to it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tracking.forms import add_service_error
from tracking.views._common import get_or_404

from .. import services
from ..forms import SubscriptionForm
from ..models import Subscription
from ._common import _report


def _subscriptions_context(request, report, form) -> dict:
    mine = Subscription.objects.filter(subscriber=request.user, report=report)
    return {"report": report, "form": form, "subscriptions": mine}


@login_required
def saved_report_subscribe(request, pk):
    """Get this report by email or in Slack, weekly or monthly: the form and your subscriptions to it."""
    viewer = request.user
    report = _report(request, pk)
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.subscription_create(actor=viewer, report_id=report.pk, **form.service_kwargs())
        except (ValidationError, PermissionDenied) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Subscribed: the report will come on schedule.")
            return redirect("saved_report_subscribe", pk=report.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "reports/subscribe.html", _subscriptions_context(request, report, form), status=status)


@login_required
@require_POST
def subscription_delete(request, pk, subscription_pk):
    report = _report(request, pk)
    subscription = get_or_404(
        lambda: Subscription.objects.get(pk=subscription_pk, report=report, subscriber=request.user)
    )
    services.subscription_delete(actor=request.user, subscription=subscription)
    messages.success(request, "Unsubscribed.")
    return redirect("saved_report_subscribe", pk=report.pk)
