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


def test_fast_summary_output_equals_the_declared_fields_output():
    """The whole summary written in one pass is what ReportSummarySerializer's fields write."""
    from datetime import UTC, date, datetime

    from tracking.api.serializers import ReportSummarySerializer

    group = {"key": "2026-03-02", "label": "Mon 2026-03-02", "seconds": 5400, "billable_seconds": 3600,
             "amount": Decimal("150.00"), "children": []}  # fmt: skip
    for preset, then_by in ((None, None), ("last_month", "day")):
        report = {
            "start": date(2026, 3, 1),
            "end": date(2026, 3, 31),
            "preset": preset,
            "group_by": "user",
            "then_by": then_by,
            "groups": [{**group, "key": 4, "label": "Sam", "children": [group]}],
            "total": {"seconds": 5400, "billable_seconds": 3600, "amount": Decimal("1.005")},
            "running_seconds": 0,
            "as_of": datetime(2026, 4, 1, 9, 30, 15, 123456, tzinfo=UTC),
            "series": {"level": "day", "groups": []},  # not part of the output
        }
        fast = ReportSummarySerializer().to_representation(report)
        by_fields = serializers.Serializer.to_representation(ReportSummarySerializer(), report)
        by_fields["groups"] = [{**dict(g), "children": [dict(c) for c in g["children"]]} for g in by_fields["groups"]]
        assert fast == {**by_fields, "total": dict(by_fields["total"])}
        assert list(fast) == list(by_fields)
