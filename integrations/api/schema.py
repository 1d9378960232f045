"""The integrations API in the OpenAPI schema: one set of paths per connector.

The routes take the provider as a path variable, but what each accepts differs (GitHub and Slack are set up for the
organisation only, Google Calendar per person), so the schema lists `/api/v1/integrations/github/config/` and its
siblings with each connector's own `scope` values instead of one `{provider}` path that would promise every scope
to every connector. A drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]).
"""

from __future__ import annotations

import copy

from ..connectors.base import connector_classes

PREFIX = "/api/v1/integrations/{provider}/"


def per_provider_paths(result, generator, request, public):
    paths = result.get("paths", {})
    for path in [p for p in paths if p.startswith(PREFIX)]:
        item = paths.pop(path)
        for cls in connector_classes():
            concrete = copy.deepcopy(item)
            for operation in concrete.values():
                if not isinstance(operation, dict) or "operationId" not in operation:
                    continue
                operation["parameters"] = [p for p in operation.get("parameters", []) if p["name"] != "provider"]
                for parameter in operation["parameters"]:
                    if parameter["name"] == "scope":
                        parameter["schema"]["enum"] = list(cls.scopes)
                operation["operationId"] = operation["operationId"].replace(
                    "integrations_", f"integrations_{cls.provider}_", 1
                )
            paths[path.replace("{provider}", cls.provider)] = concrete
    return result
