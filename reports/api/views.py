"""Saved reports, their results, favourites and comments, and annotations: the REST API (read:reports /
write:reports)."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from timetracker.api.base import ApiViewMixin, object_id
from timetracker.api.exceptions import InvalidParameters
from tracking.api.views.params import bool_param, id_param, openapi_params, parse_params

from .. import selectors, services, sharing
from ..models import SavedReport, Subscription
from . import serializers as s

MAX_COMMENTS = 500
MAX_LINKS = 500


def _list_filters():
    return {
        "search": serializers.CharField(required=False, max_length=200, help_text="Name, description or tag."),
        "tag": serializers.CharField(required=False, max_length=40, help_text="One tag, exactly."),
        "owner": id_param("Owner's user id."),
        "team": id_param("Reports owned by this team's people."),
        "verified": bool_param(),
        "favourites": bool_param(),
        "ordering": serializers.ChoiceField(
            choices=["popular", "-updated", "name", "recent"],
            required=False,
            help_text="popular: distinct viewers over 30 days; recent: recently viewed by you. Verified first.",
        ),
    }


@extend_schema_view(
    list=extend_schema(parameters=openapi_params(_list_filters()), summary="List saved reports you may see"),
    retrieve=extend_schema(summary="Get a saved report"),
    create=extend_schema(request=s.SavedReportWriteSerializer, summary="Save a report definition"),
    partial_update=extend_schema(
        request=s.SavedReportWriteSerializer(partial=True), summary="Change a saved report (owner, admins)"
    ),
    destroy=extend_schema(summary="Delete a saved report (owner, admins)", responses={204: None}),
)
class SavedReportViewSet(ApiViewMixin, viewsets.GenericViewSet):
    """Saved report definitions. Results are always computed with your own visibility."""

    serializer_class = s.SavedReportSerializer
    scope_resource = "reports"
    lookup_value_regex = r"[^/]+"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    @property
    def query_params(self):
        return tuple(_list_filters())

    def get_queryset(self):
        filters = parse_params(self.request, _list_filters()) if getattr(self, "action", None) == "list" else {}
        return selectors.saved_report_list(viewer=self.request.user, **filters)

    def get_object(self) -> SavedReport:
        report = selectors.saved_report_list(viewer=self.request.user).filter(pk=object_id(self.kwargs["pk"])).first()
        if report is None:
            raise NotFound("Not found.")
        return report

    def _out(self, report, status_code=status.HTTP_200_OK):
        report = selectors.saved_report_get(viewer=self.request.user, pk=report.pk)
        return Response(s.SavedReportSerializer(report).data, status=status_code)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.SavedReportSerializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return Response(s.SavedReportSerializer(self.get_object()).data)

    def create(self, request, *args, **kwargs):
        data = s.SavedReportWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.saved_report_create(actor=request.user, **data.validated_data)
        return self._out(report, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        report = self.get_object()
        data = s.SavedReportWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        report = services.saved_report_update(actor=request.user, report=report, **data.validated_data)
        return self._out(report)

    def destroy(self, request, *args, **kwargs):
        services.saved_report_delete(actor=request.user, report=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        responses=s.SavedReportResultsSerializer,
        summary="A saved report's results, computed for you (the same shape as the summary report)",
    )
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        report = self.get_object()
        results = selectors.saved_report_results(viewer=request.user, report=report)
        services.report_view_record(user=request.user, report=report, interface="api")
        data = {k: v for k, v in results.items() if k not in ("visible_people", "total_people", "partial")}
        if results["partial"]:
            data["visible_people"] = results["visible_people"]
            data["total_people"] = results["total_people"]
        data["annotations"] = [
            {"id": a.pk, "start": a.start, "end": a.end, "text": a.text, "scope": a.scope, "scope_id": a.scope_id}
            for a in results["annotations"]
        ]
        return Response(s.SavedReportResultsSerializer(data).data)

    @extend_schema(
        methods=["GET"],
        responses=s.ShareLinkSerializer(many=True),
        summary="Your share links to this report (an admin's: everyone's), newest first; never their tokens",
    )
    @extend_schema(
        methods=["POST"],
        request=s.ShareLinkWriteSerializer,
        responses={201: s.ShareLinkCreatedSerializer},
        summary="Share the report outside the app: a live or snapshot link at /s/<token>/ (token shown once)",
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)  # one list, bounded: not a page
    def links(self, request, pk=None):
        report = self.get_object()
        if request.method == "GET":
            links = sharing.share_link_list(viewer=request.user, report=report)[:MAX_LINKS]
            return Response(s.ShareLinkSerializer(links, many=True).data)
        data = s.ShareLinkWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        link, token = services.share_link_create(actor=request.user, report=report, **data.validated_data)
        body = s.ShareLinkSerializer(link).data
        body["url"] = request.build_absolute_uri(reverse("share_page", args=[token]))
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={201: s.SavedReportSerializer}, summary="Save a copy you own")
    @action(detail=True, methods=["post"])
    def duplicate(self, request, pk=None):
        copy = services.saved_report_duplicate(actor=request.user, report=self.get_object())
        return self._out(copy, status.HTTP_201_CREATED)

    @extend_schema(
        request=None, responses=s.FavouriteSerializer, summary="Add to (POST) or remove from (DELETE) your favourites"
    )
    @action(detail=True, methods=["post", "delete"])
    def favourite(self, request, pk=None):
        on = request.method == "POST"
        services.favourite_set(actor=request.user, report=self.get_object(), on=on)
        return Response({"favourite": on})

    @extend_schema(
        methods=["GET"], responses=s.CommentSerializer(many=True), summary="The report's comments, oldest first"
    )
    @extend_schema(
        methods=["POST"], request=s.CommentSerializer, responses={201: s.CommentSerializer}, summary="Comment"
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)  # at most MAX_COMMENTS, never paged
    def comments(self, request, pk=None):
        report = self.get_object()
        if request.method == "GET":
            comments = selectors.comment_list(viewer=request.user, report=report)[:MAX_COMMENTS]
            return Response(s.CommentSerializer(comments, many=True).data)
        data = s.CommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        comment = services.comment_create(actor=request.user, report=report, text=data.validated_data["text"])
        return Response(s.CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class ShareLinkApi(ApiViewMixin, APIView):
    """One share link: revoke it (its maker or an admin). The page answers the neutral 404 at once."""

    scope_resource = "reports"

    @extend_schema(responses={204: None}, summary="Revoke a share link")
    def delete(self, request, pk):
        link = sharing.share_link_list(viewer=request.user).filter(pk=object_id(pk)).first()
        if link is None:
            raise NotFound("Not found.")
        services.share_link_revoke(actor=request.user, link=link)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SavedReportCommentApi(ApiViewMixin, APIView):
    """Your own comment on a saved report: change its text, or delete it."""

    scope_resource = "reports"

    def _comment(self, request, pk, comment_pk):
        report = selectors.saved_report_list(viewer=request.user).filter(pk=object_id(pk)).first()
        comment = None
        if report is not None:
            comment = (
                selectors.comment_list(viewer=request.user, report=report).filter(pk=object_id(comment_pk)).first()
            )
        if comment is None:
            raise NotFound("Not found.")
        return comment

    @extend_schema(request=s.CommentSerializer, responses=s.CommentSerializer, summary="Change your comment")
    def patch(self, request, pk, comment_pk):
        comment = self._comment(request, pk, comment_pk)
        data = s.CommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        comment = services.comment_update(actor=request.user, comment=comment, text=data.validated_data["text"])
        return Response(s.CommentSerializer(comment).data)

    @extend_schema(responses={204: None}, summary="Delete your comment")
    def delete(self, request, pk, comment_pk):
        services.comment_delete(actor=request.user, comment=self._comment(request, pk, comment_pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


def _annotation_filters():
    return {
        "start": serializers.DateField(required=False, help_text="Notes that end on or after this day."),
        "end": serializers.DateField(required=False, help_text="Notes that start on or before this day."),
    }


@extend_schema_view(
    list=extend_schema(parameters=openapi_params(_annotation_filters()), summary="Notes on the data you may see"),
    retrieve=extend_schema(summary="Get a note"),
    create=extend_schema(summary="Add a note on the data (a day or a range)"),
    destroy=extend_schema(summary="Delete your note", responses={204: None}),
)
class AnnotationViewSet(ApiViewMixin, viewsets.GenericViewSet):
    """Annotations: dated notes on the data, shown on every report chart in range and in scope."""

    serializer_class = s.AnnotationSerializer
    scope_resource = "reports"
    lookup_value_regex = r"[^/]+"

    @property
    def query_params(self):
        return tuple(_annotation_filters())

    def get_queryset(self):
        filters = parse_params(self.request, _annotation_filters()) if self.action == "list" else {}
        if filters.get("start") and filters.get("end") and filters["end"] < filters["start"]:
            raise InvalidParameters({"end": ["The end date must not be before the start date."]})
        return selectors.annotation_list(viewer=self.request.user, **filters)

    def get_object(self):
        annotation = selectors.annotation_list(viewer=self.request.user).filter(pk=object_id(self.kwargs["pk"])).first()
        if annotation is None:
            raise NotFound("Not found.")
        return annotation

    def _data(self, annotation) -> dict:
        return s.AnnotationSerializer(
            {
                "id": annotation.pk,
                "start": annotation.start,
                "end": annotation.end,
                "text": annotation.text,
                "scope": annotation.scope,
                "scope_id": annotation.scope_id,
            }
        ).data

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([self._data(a) for a in page])

    def retrieve(self, request, *args, **kwargs):
        return Response(self._data(self.get_object()))

    def create(self, request, *args, **kwargs):
        data = s.AnnotationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with transaction.atomic():
            annotation = services.annotation_create(actor=request.user, **data.validated_data)
        return Response(self._data(annotation), status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        services.annotation_delete(actor=request.user, annotation=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


MAX_SUBSCRIPTIONS_LISTED = 500


class SubscriptionListApi(ApiViewMixin, APIView):
    """Your subscriptions: saved reports delivered to Slack or by email, weekly or monthly, computed with your
    visibility. Each period is delivered once; a failed delivery is retried, then shown in `last_error`."""

    scope_resource = "reports"

    def _mine(self, request):
        return Subscription.objects.filter(subscriber=request.user).select_related("report")

    @extend_schema(responses=s.SubscriptionSerializer(many=True), summary="Your subscriptions")
    def get(self, request):
        return Response(s.SubscriptionSerializer(self._mine(request)[:MAX_SUBSCRIPTIONS_LISTED], many=True).data)

    @extend_schema(
        request=s.SubscriptionWriteSerializer,
        responses={201: s.SubscriptionSerializer},
        summary="Subscribe to a saved report (made before this period's delivery time: delivered this period)",
    )
    def post(self, request):
        data = s.SubscriptionWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        subscription = services.subscription_create(actor=request.user, report_id=values.pop("saved_report"), **values)
        return Response(s.SubscriptionSerializer(subscription).data, status=status.HTTP_201_CREATED)


class SubscriptionApi(ApiViewMixin, APIView):
    """One of your subscriptions: delete it (no further deliveries)."""

    scope_resource = "reports"

    @extend_schema(responses={204: None}, summary="Delete a subscription")
    def delete(self, request, pk):
        subscription = Subscription.objects.filter(subscriber=request.user, pk=object_id(pk)).first()
        if subscription is None:
            raise NotFound("Not found.")
        services.subscription_delete(actor=request.user, subscription=subscription)
        return Response(status=status.HTTP_204_NO_CONTENT)
