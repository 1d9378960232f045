"""The summary's groups are written without a field object per value; the output is what the fields would write."""

from decimal import Decimal

from rest_framework import serializers

from tracking.api.serializers import ReportGroupSerializer


def test_fast_group_output_equals_the_declared_fields_output():
    groups = [
        {
            "key": 7,
            "label": "Acme / Web",
            "seconds": 5400,
            "billable_seconds": 3600,
            "amount": Decimal("150.00"),
            "children": [
                {"key": "2026-03-02", "label": "Mon 2026-03-02", "seconds": 5400, "billable_seconds": 3600,
                 "amount": Decimal("150.00"), "children": []},
            ],
        },
        {"key": None, "label": "No client", "seconds": 1, "billable_seconds": 0, "amount": Decimal("2.5"),
         "children": []},
        {"key": 3, "label": "Big", "seconds": 10**9, "billable_seconds": 10**9, "amount": Decimal("1.005"),
         "children": []},
    ]  # fmt: skip
    fast = ReportGroupSerializer(groups, many=True).data
    by_fields = [serializers.Serializer.to_representation(ReportGroupSerializer(), group) for group in groups]
    assert [dict(g) for g in fast] == [{**dict(g), "children": [dict(c) for c in g["children"]]} for g in by_fields]


def test_the_summary_written_in_place_equals_the_fields_output(admin_user):
    """The API's answer is made of report_summary's own groups (amounts as text), exactly what the fields write."""
    import copy
    from datetime import date, datetime, timedelta
    from zoneinfo import ZoneInfo

    from tracking.api.serializers import ReportSummarySerializer, report_summary_output
    from tracking.reports import report_summary
    from tracking.tests.factories import ClientFactory, ProjectFactory, TimeEntryFactory

    acme = ClientFactory(default_hourly_rate=Decimal("99.99"))
    for hours, project in enumerate([ProjectFactory(client=acme), ProjectFactory(hourly_rate=Decimal("12.34"))]):
        start = datetime(2026, 3, 2 + hours, 9, 7, tzinfo=ZoneInfo("UTC"))
        end = start + timedelta(hours=hours + 1, seconds=7)
        TimeEntryFactory(user=admin_user, project=project, start=start, end=end)
    TimeEntryFactory(user=admin_user, project=project, start=datetime(2026, 3, 9, tzinfo=ZoneInfo("UTC")), end=None)
    for then_by in ("day", None):
        report = report_summary(viewer=admin_user, start=date(2026, 3, 1), end=date(2026, 3, 31), group_by="project",
                                then_by=then_by)  # fmt: skip
        by_fields = serializers.Serializer.to_representation(ReportSummarySerializer(), copy.deepcopy(report))
        by_fields["groups"] = [{**dict(g), "children": [dict(c) for c in g["children"]]} for g in by_fields["groups"]]
        by_fields["total"] = dict(by_fields["total"])
        as_text = report_summary(viewer=admin_user, start=date(2026, 3, 1), end=date(2026, 3, 31),
                                 group_by="project", then_by=then_by, now=report["as_of"],
                                 amount_text=True)  # fmt: skip
        assert report_summary_output(report) == by_fields
        assert report_summary_output(as_text) == by_fields  # the API's way: amounts written by report_summary
        assert len(by_fields["groups"]) == 2 and by_fields["running_seconds"] > 0
