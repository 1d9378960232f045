from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("saved-reports", views.SavedReportViewSet, basename="api-saved-report")
router.register("annotations", views.AnnotationViewSet, basename="api-annotation")

urlpatterns = [
    path("subscriptions/", views.SubscriptionListApi.as_view(), name="api-subscriptions"),
    path("subscriptions/<str:pk>/", views.SubscriptionApi.as_view(), name="api-subscription"),
    path("share-links/<str:pk>/", views.ShareLinkApi.as_view(), name="api-share-link"),
    path(
        "saved-reports/<str:pk>/comments/<str:comment_pk>/",
        views.SavedReportCommentApi.as_view(),
        name="api-saved-report-comment",
    ),
    *router.urls,
]
