"""Comments on a saved report and annotations on the data."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts import policy
from timetracker.errors import message as error_message
from tracking.forms import add_service_error
from tracking.views._common import back, get_or_404

from .. import selectors, services
from ..forms import AnnotationForm, CommentForm
from ._common import _post_action, _report


@login_required
@require_POST
def comment_add(request, pk):
    def add(report):
        form = CommentForm(request.POST)
        if not form.is_valid():
            messages.error(request, "; ".join(e for errs in form.errors.values() for e in errs))
        else:
            services.comment_create(actor=request.user, report=report, text=form.cleaned_data["text"])
        return redirect(reverse("saved_report_detail", args=[report.pk]) + "#comments")

    return _post_action(request, pk, add)


def _comment(request, pk, comment_pk):
    report = _report(request, pk)
    return get_or_404(lambda: selectors.comment_list(viewer=request.user, report=report).get(pk=comment_pk)), report


@login_required
def comment_edit(request, pk, comment_pk):
    comment, report = _comment(request, pk, comment_pk)
    policy.require(request.user, policy.CHANGE, comment)
    form = CommentForm(request.POST or None, initial={"text": comment.text})
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_update(actor=request.user, comment=comment, text=form.cleaned_data["text"])
        except (ValidationError, PermissionDenied) as exc:
            add_service_error(form, exc)
        else:
            return redirect(reverse("saved_report_detail", args=[report.pk]) + "#comments")
    return render(request, "reports/comment_form.html", {"form": form, "report": report, "comment": comment})


@login_required
@require_POST
def comment_delete(request, pk, comment_pk):
    comment, report = _comment(request, pk, comment_pk)
    try:
        services.comment_delete(actor=request.user, comment=comment)
    except PermissionDenied as exc:
        messages.error(request, error_message(exc))
    return redirect(reverse("saved_report_detail", args=[report.pk]) + "#comments")


@login_required
def annotation_new(request):
    viewer = request.user
    form = AnnotationForm(request.POST or None, viewer=viewer, initial={"start": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.annotation_create(actor=viewer, **form.service_kwargs())
        except (ValidationError, PermissionDenied) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Added the note; it shows on every report chart that covers that day.")
            return back(request, "saved_report_list")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "reports/annotation_form.html", {"form": form, "next": request.GET.get("next", "")}, status=status
    )


@login_required
@require_POST
def annotation_delete(request, pk):
    annotation = get_or_404(lambda: selectors.annotation_list(viewer=request.user).get(pk=pk))
    try:
        services.annotation_delete(actor=request.user, annotation=annotation)
    except PermissionDenied as exc:
        messages.error(request, error_message(exc))
    else:
        messages.success(request, "Deleted the note.")
    return back(request, "saved_report_list")
