"""Timesheets (person-weeks: list, submit, approve, reject) and locked periods (admins: list, lock, reopen).

A write that touches locked time anywhere in the API answers 409 {"code": "period_locked"}; that comes from the
services, so these views only parse input and pick the person.
"""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from timetracker.api.base import ApiViewMixin, object_id

from ... import selectors, services
from .. import serializers as s
from .params import openapi_params, parse_params


def _query_fields():
    return dict(s.TimesheetQuerySerializer().fields)


class TimesheetListApi(ApiViewMixin, APIView):
    """Person-weeks of one week (open weeks included) for the people you may see."""

    scope_resource = "timesheets"
    query_params = tuple(_query_fields())

    @extend_schema(
        parameters=openapi_params(_query_fields()),
        responses=s.TimesheetSerializer(many=True),
        summary="List person-weeks with hours and approval state",
    )
    def get(self, request):
        filters = parse_params(request, _query_fields())
        rows = selectors.timesheet_list(viewer=request.user, filters=filters)
        return Response(s.TimesheetSerializer(rows, many=True).data)


def _person(viewer, user_id: int):
    """The person by id, as the viewer may see them; anyone else is a 404 (their existence is not revealed)."""
    person = selectors.timesheet_people(viewer=viewer, filters={"user": user_id}).first()
    if person is None:
        raise Http404
    return person


def _answer(viewer, sheet):
    return Response(
        s.TimesheetSerializer(selectors.timesheet_get(viewer=viewer, user=sheet.user, week=sheet.week)).data
    )


class TimesheetSubmitApi(ApiViewMixin, APIView):
    scope_resource = "timesheets"

    @extend_schema(
        request=s.TimesheetSubmitSerializer,
        responses=s.TimesheetSerializer,
        summary="Submit your week for approval (409 invalid_transition when it is submitted or approved)",
    )
    def post(self, request):
        serializer = s.TimesheetSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        sheet = services.timesheet_submit(actor=request.user, week=serializer.validated_data["week"])
        return _answer(request.user, sheet)


class _DecisionApi(ApiViewMixin, APIView):
    scope_resource = "timesheets"
    service = None

    def post(self, request):
        serializer = s.TimesheetDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        person = _person(request.user, data["user"])
        sheet = type(self).service(actor=request.user, user=person, week=data["week"], comment=data["comment"])
        return _answer(request.user, sheet)


class TimesheetApproveApi(_DecisionApi):
    service = services.timesheet_approve

    @extend_schema(
        request=s.TimesheetDecisionSerializer,
        responses=s.TimesheetSerializer,
        summary="Approve a submitted week (the person's manager or an admin); its entries are locked",
    )
    def post(self, request):
        return super().post(request)


class TimesheetRejectApi(_DecisionApi):
    service = services.timesheet_reject

    @extend_schema(
        request=s.TimesheetDecisionSerializer,
        responses=s.TimesheetSerializer,
        summary="Reject a submitted week with a comment (required) saying what to fix",
    )
    def post(self, request):
        return super().post(request)


class PeriodLockListApi(ApiViewMixin, APIView):
    """Locked periods. Locking and reopening are for administrators (a token needs the `admin` scope)."""

    required_scope = "admin"

    @extend_schema(responses=s.PeriodLockSerializer(many=True), summary="List locked periods")
    def get(self, request):
        locks = selectors.period_lock_list(viewer=request.user)
        return Response(s.PeriodLockSerializer(locks, many=True).data)

    @extend_schema(
        request=s.PeriodLockCreateSerializer,
        responses={201: s.PeriodLockSerializer},
        summary="Lock everything up to a day, for everyone or a team (admins)",
    )
    def post(self, request):
        serializer = s.PeriodLockCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        lock = services.period_lock_create(
            actor=request.user, until=data["until"], team=data["team"], label=data["locked_by_label"]
        )
        return Response(s.PeriodLockSerializer(lock).data, status=status.HTTP_201_CREATED)


class PeriodLockDetailApi(ApiViewMixin, APIView):
    required_scope = "admin"

    def _lock(self, request, pk):
        lock = selectors.period_lock_list(viewer=request.user).filter(pk=object_id(pk)).first()
        if lock is None:
            raise Http404
        return lock

    @extend_schema(responses=s.PeriodLockSerializer, summary="Get one locked period")
    def get(self, request, pk):
        return Response(s.PeriodLockSerializer(self._lock(request, pk)).data)

    @extend_schema(
        request=s.PeriodLockReopenSerializer,
        responses={204: None},
        summary="Reopen a locked period (admins); a reason is required",
    )
    def delete(self, request, pk):
        lock = self._lock(request, pk)
        serializer = s.PeriodLockReopenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.period_lock_reopen(actor=request.user, lock=lock, reason=serializer.validated_data["reason"])
        return Response(status=status.HTTP_204_NO_CONTENT)
