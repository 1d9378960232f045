"""DRF permission for API views behind a feature flag (this module needs djangorestframework)."""

from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission

from .flags import flag_enabled


class FeatureFlagPermission(BasePermission):
    """Answers 404 unless the view's flag is on for the user. Set `feature_flag` on the view, or use `for_flag`."""

    flag_key: str | None = None

    def has_permission(self, request, view) -> bool:
        key = self.flag_key or getattr(view, "feature_flag", None)
        if not key:
            raise ValueError(f"{view.__class__.__name__} uses FeatureFlagPermission without a feature_flag")
        if not flag_enabled(request.user, key, request=getattr(request, "_request", request)):
            raise NotFound()
        return True

    @classmethod
    def for_flag(cls, key: str) -> type["FeatureFlagPermission"]:
        return type(f"FeatureFlagPermission_{key.replace('-', '_')}", (cls,), {"flag_key": key})
