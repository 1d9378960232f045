"""`onboarding` in the dashboard's context: the first-week checklist, or nothing."""

from .onboarding import checklist_for


def onboarding(request):
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    if match is None or match.url_name != "dashboard" or user is None or not user.is_authenticated:
        return {}
    return {"onboarding": checklist_for(user)}
