"""Clients, projects, tasks and tags: list, retrieve, create, update, archive."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from timetracker.api.base import ApiViewMixin, object_id

from ... import selectors, services
from ...models import Task
from .. import serializers as s
from .params import API_SOURCE, bool_param, id_param, openapi_params, parse_params


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
        list=extend_schema(parameters=openapi_params(fields_factory()), summary=f"List {name}"),
        retrieve=extend_schema(summary=f"Get one {name[:-1] if name != 'clients' else 'client'}"),
        create=extend_schema(summary=f"Create a {name[:-1]}"),
        update=extend_schema(summary=f"Replace a {name[:-1]}"),
        partial_update=extend_schema(summary=f"Change some fields of a {name[:-1]}"),
        destroy=extend_schema(summary=f"Archive a {name[:-1]} (it stays in reports)", responses={204: None}),
    )


def _client_filters():
    return {"archived": bool_param()}


def _project_filters():
    return {"client": id_param("Client id."), "archived": bool_param(), "billable": bool_param()}


def _task_filters():
    return {
        "project": id_param("Project id."),
        "assignee": id_param("User id."),
        "status": serializers.ChoiceField(choices=Task.Status.choices, required=False),
        "archived": bool_param(),
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
    return {
        "name": serializers.CharField(
            required=False, max_length=64, trim_whitespace=False, help_text="Part of the name."
        )
    }


@extend_schema_view(
    list=extend_schema(parameters=openapi_params(_tag_filters()), summary="List tags"),
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
