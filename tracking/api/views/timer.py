"""The timer: status, start (409 timer_already_running), stop (409 no_running_timer)."""

from django.db.models import prefetch_related_objects
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from timetracker.api.base import ApiViewMixin

from ... import selectors, services
from .. import serializers as s
from .params import API_SOURCE


class TimerApi(ApiViewMixin, APIView):
    """Your timer: whether it runs, and the running entry."""

    scope_resource = "time_entries"

    @extend_schema(responses=s.TimerStateSerializer, summary="Your timer")
    def get(self, request):
        entry = services.timer_status(user=request.user)
        if entry is not None:
            entry = selectors.time_entry_list(viewer=request.user).get(pk=entry.pk)
        return Response(s.TimerStateSerializer({"running": entry is not None, "entry": entry}).data)


class TimerStartApi(ApiViewMixin, APIView):
    scope_resource = "time_entries"

    @extend_schema(
        request=s.TimerStartSerializer,
        responses={201: s.TimeEntrySerializer},
        summary="Start your timer (409 timer_already_running when one runs)",
    )
    def post(self, request):
        serializer = s.TimerStartSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        entry = services.timer_start(actor=request.user, source=API_SOURCE, **serializer.validated_data)
        prefetch_related_objects([entry], "tags")  # the rest is on the entry the service returned
        return Response(s.time_entry_output(entry), status=status.HTTP_201_CREATED)


class TimerStopApi(ApiViewMixin, APIView):
    scope_resource = "time_entries"

    @extend_schema(
        request=None,
        responses={200: s.TimeEntrySerializer},
        summary="Stop your timer (409 no_running_timer when none runs)",
    )
    def post(self, request):
        entry = services.timer_stop(actor=request.user, source=API_SOURCE)
        prefetch_related_objects([entry], "tags")
        return Response(s.time_entry_output(entry))
