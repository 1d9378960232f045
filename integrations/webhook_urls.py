"""Routes under /api/integrations/: the webhook receivers providers are configured with (unchanged), and 308
redirects from the earlier management paths to /api/v1/integrations/<provider>/… (a 308 keeps the method and body).

A connector with its own request URLs (its `webhook_urls`: Slack's `commands` and `events`) has them mounted here at
`<provider>/<path>` on `integrations.webhook_views.webhook_endpoint`, so they are received like any webhook. The
connector only names them: connectors never import the framework's views (no import cycle).
"""

from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.views.decorators.csrf import csrf_exempt

from .api import views
from .connectors.base import connector_classes
from .webhook_views import webhook_endpoint

app_name = "integrations_webhooks"


class HttpResponsePermanentRedirectKeepMethod(HttpResponseRedirect):
    status_code = 308


@csrf_exempt  # it only points elsewhere; the API view it points to checks authentication and CSRF
def moved(request, provider: str, action: str):
    url = reverse(f"integrations_api:{action}", kwargs={"provider": provider})
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirectKeepMethod(f"{url}?{query}" if query else url)


urlpatterns = [
    *(
        path(f"{cls.provider}/{route}", webhook_endpoint, {"provider": cls.provider}, name=name)
        for cls in connector_classes()
        for route, name in cls.webhook_urls
    ),
    path("<str:provider>/webhook", views.webhook_view, name="webhook"),
    *(
        path(f"<str:provider>/{action}", moved, {"action": action}, name=f"moved-{action}")
        for action in ("config", "status", "test", "sync")
    ),
]
