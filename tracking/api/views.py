"""REST API v1 of the tracking domain: clients, projects, tasks, tags, time entries, the timer and reports.

Each view validates input with a serializer, reads through tracking.selectors (scoped by the access policy, so an
object you may not see is a 404) and writes through tracking.services (which check the policy: 403 when refused).
"""

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.exceptions import InvalidParameters
from accounts.api.views import ApiViewMixin, object_id

from .. import selectors, services
from ..models import Source, Task, TimeEntry
from ..signals import report_viewed
from . import serializers as s

API_SOURCE = Source.API


# --- query parameter parsing ------------------------------------------------------------------------------------------


class BoolParam(serializers.BooleanField):
    default_error_messages = {"invalid": "Use true or false."}


def parse_params(request, fields: dict[str, serializers.Field]) -> dict:
    """Validate the query parameters named in `fields`; errors name the parameter (400 invalid_filter)."""
    serializer = type("Params", (serializers.Serializer,), {k: v for k, v in fields.items()})(
        data={k: v for k, v in request.query_params.items() if k in fields}
    )
    if not serializer.is_valid():
        raise InvalidParameters(serializer.errors)
    return {k: v for k, v in serializer.validated_data.items() if v is not None}


def _id_param(help_text: str = "") -> serializers.IntegerField:
    return serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1, help_text=help_text)


def _bool_param() -> serializers.BooleanField:
    return BoolParam(required=False, allow_null=True, default=None)


def _openapi_params(fields: dict[str, serializers.Field]) -> list[OpenApiParameter]:
    types = {
        serializers.IntegerField: OpenApiTypes.INT,
        serializers.BooleanField: OpenApiTypes.BOOL,
        BoolParam: OpenApiTypes.BOOL,
        serializers.DateTimeField: OpenApiTypes.DATETIME,
        s.UtcDateTimeField: OpenApiTypes.DATETIME,
    }
    params = []
    for name, field in fields.items():
        enum = list(field.choices) if isinstance(field, serializers.ChoiceField) else None
        params.append(
            OpenApiParameter(
                name, types.get(type(field), OpenApiTypes.STR), description=field.help_text or "", enum=enum
            )
        )
    return params


# --- a catalog viewset: list / retrieve / create / update / archive through services --------------------------------


class CatalogViewSet(ApiViewMixin, viewsets.GenericViewSet):
    """list, retrieve, create, update (PUT/PATCH) and DELETE (= archive) for clients, projects and tasks."""

    selector = None
    service_create = None
    service_update = None
    service_archive = None
    instance_kwarg = ""
    filter_fields = staticmethod(dict)
    m2m_fields: tuple[str, ...] = ()
    lookup_value_regex = r"[^/]+"  # non-ids get a JSON 404 from object_id()

    @property
    def query_params(self):
        return tuple(self.filter_fields())

    def get_queryset(self) -> QuerySet:
        filters = {}
        if getattr(self, "action", None) == "list":
            filters = parse_params(self.request, self.filter_fields())
        return type(self).selector(viewer=self.request.user, filters=filters)

    def get_object(self):
        obj = type(self).selector(viewer=self.request.user).filter(pk=object_id(self.kwargs["pk"])).first()
        if obj is None:
            raise NotFound("Not found.")
        return obj

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(self.get_object()).data)

    def _split(self, data: dict) -> tuple[dict, dict]:
        m2m = {k: data.pop(k) for k in self.m2m_fields if k in data}
        return data, m2m

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields, m2m = self._split(dict(serializer.validated_data))
        obj = type(self).service_create(actor=request.user, **fields, **m2m)
        return Response(self.get_serializer(self._reload(obj)).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        obj = self.get_object()
        serializer = self.get_serializer(obj, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        fields, m2m = self._split(dict(serializer.validated_data))
        obj = type(self).service_update(actor=request.user, **{self.instance_kwarg: obj}, **fields, **m2m)
        return Response(self.get_serializer(self._reload(obj)).data)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request, *args, **kwargs):
        type(self).service_archive(actor=request.user, **{self.instance_kwarg: self.get_object()})
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _reload(self, obj):
        return type(self).selector(viewer=self.request.user).get(pk=obj.pk)


def _catalog_schema(name: str, fields_factory):
    return extend_schema_view(
        list=extend_schema(parameters=_openapi_params(fields_factory()), summary=f"List {name}"),
        retrieve=extend_schema(summary=f"Get one {name[:-1] if name != 'clients' else 'client'}"),
        create=extend_schema(summary=f"Create a {name[:-1]}"),
        update=extend_schema(summary=f"Replace a {name[:-1]}"),
        partial_update=extend_schema(summary=f"Change some fields of a {name[:-1]}"),
        destroy=extend_schema(summary=f"Archive a {name[:-1]} (it stays in reports)", responses={204: None}),
    )


def _client_filters():
    return {"archived": _bool_param()}


def _project_filters():
    return {"client": _id_param("Client id."), "archived": _bool_param(), "billable": _bool_param()}


def _task_filters():
    return {
        "project": _id_param("Project id."),
        "assignee": _id_param("User id."),
        "status": serializers.ChoiceField(choices=Task.Status.choices, required=False),
        "archived": _bool_param(),
    }


@_catalog_schema("clients", _client_filters)
class ClientViewSet(CatalogViewSet):
    serializer_class = s.ClientSerializer
    scope_resource = "clients"
    selector = selectors.client_list
    service_create = services.client_create
    service_update = services.client_update
    service_archive = services.client_archive
    instance_kwarg = "client"
    filter_fields = staticmethod(_client_filters)


@_catalog_schema("projects", _project_filters)
class ProjectViewSet(CatalogViewSet):
    serializer_class = s.ProjectSerializer
    scope_resource = "projects"
    selector = selectors.project_list
    service_create = services.project_create
    service_update = services.project_update
    service_archive = services.project_archive
    instance_kwarg = "project"
    filter_fields = staticmethod(_project_filters)
    m2m_fields = ("teams", "members")


@_catalog_schema("tasks", _task_filters)
class TaskViewSet(CatalogViewSet):
    serializer_class = s.TaskSerializer
    scope_resource = "tasks"
    selector = selectors.task_list
    service_create = services.task_create
    service_update = services.task_update
    service_archive = services.task_archive
    instance_kwarg = "task"
    filter_fields = staticmethod(_task_filters)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        task = services.task_create(actor=request.user, source=API_SOURCE, **serializer.validated_data)
        return Response(self.get_serializer(self._reload(task)).data, status=status.HTTP_201_CREATED)


def _tag_filters():
    return {"name": serializers.CharField(required=False, max_length=64, help_text="Part of the name.")}


@extend_schema_view(
    list=extend_schema(parameters=_openapi_params(_tag_filters()), summary="List tags"),
    destroy=extend_schema(summary="Delete a tag (entries lose it)", responses={204: None}),
)
class TagViewSet(CatalogViewSet):
    """Tags belong to time entries, so they use the time entry scopes."""

    serializer_class = s.TagSerializer
    scope_resource = "time_entries"
    selector = selectors.tag_list
    filter_fields = staticmethod(_tag_filters)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tag = services.tag_create(actor=request.user, name=serializer.validated_data["name"])
        return Response(self.get_serializer(tag).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        tag = self.get_object()
        serializer = self.get_serializer(tag, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        name = serializer.validated_data.get("name", tag.name)
        return Response(self.get_serializer(services.tag_update(actor=request.user, tag=tag, name=name)).data)

    def destroy(self, request, *args, **kwargs):
        services.tag_delete(actor=request.user, tag=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- time entries ---------------------------------------------------------------------------------------------------

ORDERING = ("start", "-start")


def _entry_filters():
    return {
        "start_after": s.UtcDateTimeField(required=False, help_text="Entries starting at or after (ISO 8601)."),
        "start_before": s.UtcDateTimeField(required=False, help_text="Entries starting before (ISO 8601)."),
        "user": _id_param("User id."),
        "project": _id_param("Project id."),
        "client": _id_param("Client id."),
        "task": _id_param("Task id."),
        "billable": _bool_param(),
        "tag": serializers.CharField(required=False, max_length=64, help_text="A tag name."),
        "source": serializers.ChoiceField(choices=Source.choices, required=False),
        "running": _bool_param(),
        "ordering": serializers.ChoiceField(
            choices=ORDERING, required=False, help_text="start (oldest first) or -start (newest first, default)."
        ),
    }


@extend_schema_view(
    list=extend_schema(parameters=_openapi_params(_entry_filters()), summary="List time entries"),
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
    query_params = tuple(_entry_filters())
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
        return Response(s.TimeEntrySerializer(entry).data, **kwargs)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.TimeEntrySerializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return Response(s.TimeEntrySerializer(self.get_object()).data)

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
        if not partial:
            changes.setdefault("task", None)
            changes.setdefault("end", None)
            changes.setdefault("notes", "")
            changes.setdefault("external_ref", "")
            changes.setdefault("billable", changes["project"].billable)
            tags = tags if tags is not None else []
        entry = services.time_entry_update(actor=request.user, entry=entry, tags=tags, **changes)
        return self._output(entry)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request, *args, **kwargs):
        services.time_entry_delete(actor=request.user, entry=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- timer ----------------------------------------------------------------------------------------------------------


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
        entry = services.timer_start(user=request.user, source=API_SOURCE, **serializer.validated_data)
        entry = selectors.time_entry_list(viewer=request.user).get(pk=entry.pk)
        return Response(s.TimeEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class TimerStopApi(ApiViewMixin, APIView):
    scope_resource = "time_entries"

    @extend_schema(
        request=None,
        responses={200: s.TimeEntrySerializer},
        summary="Stop your timer (409 no_running_timer when none runs)",
    )
    def post(self, request):
        entry = services.timer_stop(user=request.user, source=API_SOURCE)
        entry = selectors.time_entry_list(viewer=request.user).get(pk=entry.pk)
        return Response(s.TimeEntrySerializer(entry).data)


# --- reports --------------------------------------------------------------------------------------------------------


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
