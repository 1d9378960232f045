"""Token scopes: a token reaches an endpoint only with the scope the endpoint names.

Views say which scope they need with `scope_resource = "clients"` (read:clients for GET/HEAD/OPTIONS,
write:clients otherwise) or `required_scope` (one scope for every method). Session users (the browsable API) have
every scope. Scopes only narrow: what the owner's role allows is still decided by accounts.policy in the services
and selectors.
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts.models import ApiToken


def required_scope(request, view) -> str | None:
    scope = getattr(view, "required_scope", None)
    if scope:
        return scope
    resource = getattr(view, "scope_resource", None)
    if not resource:
        return None
    return f"read:{resource}" if request.method in SAFE_METHODS else f"write:{resource}"


class HasTokenScope(BasePermission):
    code = "insufficient_scope"

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        token = request.auth if isinstance(request.auth, ApiToken) else None
        if token is None:
            return True
        scope = required_scope(request, view)
        if scope is None or token.has_scope(scope):
            return True
        self.message = f"This API token does not have the scope “{scope}” this request needs."
        return False
