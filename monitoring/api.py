"""GET /api/v1/health/: the health page's checks for administrators (token scope `admin`)."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from timetracker.api.base import ApiViewMixin

from . import runner
from .views import is_admin

CheckSerializer = inline_serializer(
    "HealthCheck",
    many=True,
    fields={
        "name": serializers.CharField(),
        "status": serializers.ChoiceField(choices=["ok", "warn", "fail"]),
        "value": serializers.CharField(),
        "threshold": serializers.CharField(),
        "advice": serializers.CharField(),
    },
)


class HealthApi(ApiViewMixin, APIView):
    required_scope = "admin"

    @extend_schema(
        summary="The installation's health checks (administrators)",
        responses=inline_serializer("Health", {"checks": CheckSerializer}),
    )
    def get(self, request):
        if not is_admin(request.user):
            raise PermissionDenied("Only administrators may see the installation's health.")
        checks = [
            {
                "name": o.name,
                "status": o.result.status,
                "value": o.result.value,
                "threshold": o.result.threshold,
                "advice": o.result.advice,
            }
            for o in runner.run_checks()
        ]
        return Response({"checks": checks})
