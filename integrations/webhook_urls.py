"""Routes under /api/integrations/: the webhook receiver providers are configured with (unchanged), and 308
redirects from the earlier management paths to /api/v1/integrations/<provider>/… (a 308 keeps the method and body).
"""

from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.views.decorators.csrf import csrf_exempt

from .api import views

app_name = "integrations_webhooks"


class HttpResponsePermanentRedirectKeepMethod(HttpResponseRedirect):
    status_code = 308


@csrf_exempt  # it only points elsewhere; the API view it points to checks authentication and CSRF
def moved(request, provider: str, action: str):
    url = reverse(f"integrations_api:{action}", kwargs={"provider": provider})
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirectKeepMethod(f"{url}?{query}" if query else url)


urlpatterns = [
    path("<str:provider>/webhook", views.webhook_view, name="webhook"),
    *(
        path(f"<str:provider>/{action}", moved, {"action": action}, name=f"moved-{action}")
        for action in ("config", "status", "test", "sync")
    ),
]
