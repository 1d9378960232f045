"""The profile page (/profile/): who you are, your settings, sign-in and security, your data, and API tokens.

/accounts/profile/ (where allauth's pages link) redirects here; writes go through accounts.services.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import services
from .profile_forms import ProfileForm, TokenForm
from .selectors import api_token_list


def _render(request, form=None, token_form=None, new_token=None, status=200):
    context = {
        "form": form or ProfileForm(instance=request.user),
        "token_form": token_form or TokenForm(),
        "tokens": api_token_list(viewer=request.user, owner=request.user),
        "new_token": new_token,
    }
    return render(request, "accounts/profile_settings.html", context, status=status)


@login_required
def profile(request):
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=request.user)
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
            try:
                services.profile_update(actor=request.user, user=request.user, **fields)
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
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _render(request, token_form=form, status=400)
    days = form.cleaned_data.get("expires_in_days")
    try:
        _token, plaintext = services.api_token_create(
            actor=request.user,
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            expires_at=timezone.now() + timedelta(days=days) if days else None,
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
        return _render(request, token_form=form, status=400)
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
        return _render(request, token_form=form, status=400)
    # Shown once, on this response only; it is stored hashed and cannot be displayed again.
    return _render(request, new_token=plaintext)


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = api_token_list(viewer=request.user, owner=request.user).filter(pk=pk).first()
    if token is None:
        raise Http404("No such token.")
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, f"Revoked the token “{token.name}”.")
    return redirect("profile")
