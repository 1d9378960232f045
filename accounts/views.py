"""The profile page: personal settings and API tokens (the token services come with the API, accounts.tokens)."""

from __future__ import annotations

import importlib
from datetime import timedelta

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .forms import ProfileForm, TokenForm
from .profile import profile_update


def _tokens_module():
    """accounts.tokens (API tokens) when that module is installed; the page works without it."""
    try:
        return importlib.import_module("accounts.tokens")
    except ImportError:
        return None


def _token_list(user):
    try:
        model = apps.get_model("accounts", "ApiToken")
    except LookupError:
        return None
    return model.objects.filter(owner=user).order_by("-created_at")


def _render(request, form=None, token_form=None, new_token=None, status=200):
    context = {
        "form": form or ProfileForm(instance=request.user),
        "token_form": token_form or TokenForm(),
        "tokens_available": _tokens_module() is not None,
        "tokens": _token_list(request.user),
        "new_token": new_token,
    }
    return render(request, "accounts/profile.html", context, status=status)


@login_required
def profile(request):
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=request.user)
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
            try:
                profile_update(actor=request.user, user=request.user, **fields)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, "Profile saved.")
                return redirect("profile")
        # A failed ModelForm has already changed request.user in memory; reload it for the header.
        request.user.refresh_from_db()
        return _render(request, form=form, status=400)
    return _render(request)


@login_required
@require_POST
def token_create(request):
    tokens = _tokens_module()
    if tokens is None:
        raise Http404("API tokens are not available in this installation.")
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _render(request, token_form=form, status=400)
    days = form.cleaned_data.get("expires_in_days")
    try:
        _token, plaintext = tokens.api_token_create(
            user=request.user,
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            expires_at=timezone.now() + timedelta(days=days) if days else None,
        )
    except (ValidationError, PermissionDenied) as exc:
        form.add_error(None, " ".join(getattr(exc, "messages", [str(exc)])))
        return _render(request, token_form=form, status=400)
    # Shown once, on this response only; it is stored hashed and cannot be displayed again.
    return _render(request, new_token=plaintext)


@login_required
@require_POST
def token_revoke(request, pk: int):
    tokens = _tokens_module()
    listed = _token_list(request.user)
    if tokens is None or listed is None:
        raise Http404("API tokens are not available in this installation.")
    token = listed.filter(pk=pk).first()
    if token is None:
        raise Http404("No such token.")
    tokens.api_token_revoke(actor=request.user, token=token)
    messages.success(request, f"Revoked the token “{token.name}”.")
    return redirect("profile")
