"""`feature_flags` in every template: `{% if feature_flags.activity_widget %}` (dashes or underscores)."""

from .flags import all_flags


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
    return {"feature_flags": TemplateFlags(request)}
