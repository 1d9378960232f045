"""GET /api/v1/users/me/ for everyone; /api/v1/users/ and /users/{id}/ for managers (their teams) and admins."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from timetracker.api.base import ApiViewMixin, object_id

from .. import policy
from ..selectors import user_list
from .serializers import UserSerializer


@extend_schema_view(
    list=extend_schema(summary="List people (managers: their teams; admins: everyone)"),
    retrieve=extend_schema(summary="Get one person you may see"),
    me=extend_schema(summary="Your own profile"),
)
class UserViewSet(ApiViewMixin, viewsets.GenericViewSet):
    serializer_class = UserSerializer
    required_scope = "read:users"
    lookup_value_regex = r"[^/]+"  # non-ids get a JSON 404 from object_id()

    def get_queryset(self):
        return user_list(viewer=self.request.user)

    def list(self, request, *args, **kwargs):
        if not policy.may_list_users(request.user):
            raise PermissionDenied("Only managers and administrators may list people; use /api/v1/users/me/.")
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        user = self.get_queryset().filter(pk=object_id(self.kwargs["pk"])).first()
        if user is None:
            raise NotFound("Not found.")
        return Response(self.get_serializer(user).data)

    @action(detail=False, methods=["get"])
    def me(self, request):
        return Response(self.get_serializer(request.user).data)
