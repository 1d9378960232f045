"""In every template: `feature_flags` (`{% if feature_flags.activity_widget %}`, dashes or underscores) and
`may_see_activity` (the access policy's answer for the Activity page, for the navigation)."""

from .flags import all_flags
from .selectors import activity_page_allowed


class TemplateFlags:
    """Asks PostHog only when a template reads a flag."""

    def __init__(self, request):
        self._request = request
        self._values = None

    def _load(self) -> dict:
        if self._values is None:
            self._values = all_flags(getattr(self._request, "user", None), request=self._request)
        return self._values

    def __getitem__(self, key: str):
        values = self._load()
        if key in values:
            return values[key]
        return values.get(key.replace("_", "-"), False)

    def __getattr__(self, key: str):
        if key.startswith("_"):
            raise AttributeError(key)
        return self[key]

    def __contains__(self, key: str) -> bool:
        return bool(self[key])


def feature_flags(request) -> dict:
    user = getattr(request, "user", None)
    return {"feature_flags": TemplateFlags(request), "may_see_activity": activity_page_allowed(user)}
