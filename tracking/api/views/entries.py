"""Time entries: list with filters, retrieve, create, update, delete."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from timetracker.api.base import ApiViewMixin, object_id
from timetracker.api.pagination import KeysetPagination

from ... import selectors, services
from ...models import Source
from .. import serializers as s
from .params import API_SOURCE, bool_param, id_param, openapi_params, parse_params

ORDERING = ("start", "-start")


def _entry_filters():
    return {
        "start_after": s.UtcDateTimeField(required=False, help_text="Entries starting at or after (ISO 8601)."),
        "start_before": s.UtcDateTimeField(required=False, help_text="Entries starting before (ISO 8601)."),
        "user": id_param("User id."),
        "project": id_param("Project id."),
        "client": id_param("Client id."),
        "task": id_param("Task id."),
        "billable": bool_param(),
        "tag": serializers.CharField(required=False, max_length=64, trim_whitespace=False, help_text="A tag name."),
        "source": serializers.ChoiceField(choices=Source.choices, required=False),
        "running": bool_param(),
        "ordering": serializers.ChoiceField(
            choices=ORDERING, required=False, help_text="start (oldest first) or -start (newest first, default)."
        ),
    }


@extend_schema_view(
    list=extend_schema(parameters=openapi_params(_entry_filters()), summary="List time entries"),
    retrieve=extend_schema(summary="Get one time entry"),
    create=extend_schema(
        request=s.TimeEntryWriteSerializer, responses={201: s.TimeEntrySerializer}, summary="Log a time entry"
    ),
    update=extend_schema(
        request=s.TimeEntryWriteSerializer, responses=s.TimeEntrySerializer, summary="Replace a time entry"
    ),
    partial_update=extend_schema(
        request=s.TimeEntryWriteSerializer,
        responses=s.TimeEntrySerializer,
        summary="Change some fields of a time entry",
    ),
    destroy=extend_schema(summary="Delete a time entry", responses={204: None}),
)
class TimeEntryViewSet(ApiViewMixin, viewsets.GenericViewSet):
    serializer_class = s.TimeEntrySerializer
    scope_resource = "time_entries"
    query_params = (*_entry_filters(), "cursor")
    pagination_class = KeysetPagination  # deep pages through the (start, id) index, no exact count of millions
    keyset = ("start", "id")
    lookup_value_regex = r"[^/]+"  # non-ids get a JSON 404 from object_id()

    def get_queryset(self):
        filters = parse_params(self.request, _entry_filters()) if self.action == "list" else {}
        ordering = filters.pop("ordering", "-start")
        entries = selectors.time_entry_list(viewer=self.request.user, filters=filters)
        return entries.order_by(ordering, "id" if ordering == "start" else "-id")

    def get_serializer_class(self):
        # The browsable API renders its forms from this (with the method of the form), so writes get input fields.
        if self.request is not None and self.request.method in ("POST", "PUT", "PATCH"):
            return s.TimeEntryWriteSerializer
        return s.TimeEntrySerializer

    def get_object(self):
        entry = selectors.time_entry_list(viewer=self.request.user).filter(pk=object_id(self.kwargs["pk"])).first()
        if entry is None:
            raise NotFound("Not found.")
        return entry

    def _output(self, entry, **kwargs):
        entry = selectors.time_entry_list(viewer=self.request.user).get(pk=entry.pk)
        return Response(s.time_entry_output(entry), **kwargs)

    def list(self, request, *args, **kwargs):
        # The output names no related object: the page is read from the entries' table alone (no joins, no
        # objects for people, projects, clients and tasks) and its tags' names in one query.
        page = self.paginate_queryset(self.get_queryset().select_related(None).prefetch_related(None))
        tags = selectors.entry_tag_names(page)
        return self.get_paginated_response([s.time_entry_output(entry, tags[entry.pk]) for entry in page])

    def retrieve(self, request, *args, **kwargs):
        return Response(s.time_entry_output(self.get_object()))

    def create(self, request, *args, **kwargs):
        serializer = s.TimeEntryWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        entry = services.time_entry_create(actor=request.user, source=API_SOURCE, **serializer.validated_data)
        return self._output(entry, status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        entry = self.get_object()
        serializer = s.TimeEntryWriteSerializer(
            entry, data=request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        tags = changes.pop("tags", None)
        override_reason = changes.pop("override_reason", "")
        if not partial:
            changes.setdefault("task", None)
            changes.setdefault("end", None)
            changes.setdefault("notes", "")
            changes.setdefault("external_ref", "")
            changes.setdefault("billable", changes["project"].billable)
            tags = tags if tags is not None else []
        entry = services.time_entry_update(
            actor=request.user, entry=entry, tags=tags, override_reason=override_reason, **changes
        )
        return self._output(entry)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request, *args, **kwargs):
        services.time_entry_delete(actor=request.user, entry=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
