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
