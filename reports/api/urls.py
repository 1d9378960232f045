from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("saved-reports", views.SavedReportViewSet, basename="api-saved-report")
router.register("annotations", views.AnnotationViewSet, basename="api-annotation")

urlpatterns = router.urls
