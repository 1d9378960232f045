"""The summary report, aggregated in the database by tracking.selectors."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from timetracker.api.base import ApiViewMixin
from timetracker.api.exceptions import InvalidParameters

from ... import reports
from ...models import TimeEntry
from ...signals import report_viewed
from .. import serializers as s


class ReportSummaryApi(ApiViewMixin, APIView):
    """Totals per group and a grand total, aggregated in the database; days, weeks and presets in your time zone.
    A running timer counts its time so far (see running_seconds and as_of)."""

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
        question = {k: params.pop(k, None) for k in ("preset", "start", "end", "group_by", "then_by")}
        checked = reports.report_params(viewer=request.user, filters=params, **question)  # InvalidFilter: 400
        report = reports.report_summary(viewer=request.user, params=checked, amount_text=True)
        group_by, then_by = checked.group_by, checked.then_by
        report_viewed.send(
            sender=TimeEntry, user_id=request.user.pk, group_by=group_by, then_by=then_by, interface="api"
        )
        # Not ReportSummarySerializer(report).data: .data's ReturnDict points back at its serializer, a cycle that
        # keeps the ~10,000 groups of a month by person then day alive until the garbage collector's next full pass;
        # and the groups become the output rather than being copied.
        return Response(s.report_summary_output(report))
