from django.urls import include, path

from . import views
from .connectors.base import connector_classes

app_name = "integrations"

urlpatterns = [
    path("", views.integrations_page, name="index"),
    # A connector with its own pages (an OAuth connect/callback, say) names its URL module; it is mounted here.
    *[path(f"{cls.provider}/", include(cls.urls)) for cls in connector_classes() if cls.urls],
]
