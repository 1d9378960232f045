"""The summary report, aggregated in the database by tracking.selectors."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from timetracker.api.base import ApiViewMixin
from timetracker.api.exceptions import InvalidParameters

from ... import selectors
from ...models import TimeEntry
from ...signals import report_viewed
from .. import serializers as s


class ReportSummaryApi(ApiViewMixin, APIView):
    """Totals per group and a grand total, aggregated in the database; days and weeks in your time zone."""

    required_scope = "read:reports"
    query_params = tuple(s.ReportQuerySerializer().fields)

    @extend_schema(
        parameters=[s.ReportQuerySerializer],
        responses=s.ReportSummarySerializer,
        summary="Summary report",
    )
    def get(self, request):
        query = s.ReportQuerySerializer(data=request.query_params)
        if not query.is_valid():
            raise InvalidParameters(query.errors)
        params = dict(query.validated_data)
        start, end, group_by = params.pop("start"), params.pop("end"), params.pop("group_by")
        then_by = params.pop("then_by", None)
        filters = {k: v for k, v in params.items() if v is not None}
        report = selectors.report_summary(
            viewer=request.user, start=start, end=end, group_by=group_by, then_by=then_by, filters=filters
        )
        report_viewed.send(
            sender=TimeEntry, user_id=request.user.pk, group_by=group_by, then_by=then_by, interface="api"
        )
        return Response(s.ReportSummarySerializer(report).data)
