"""analytics' part of a person's data: their opt-out is exported, and erasing them opts them out."""

from __future__ import annotations

from accounts.services import user_data_export, user_erase
from analytics.services import analytics_preference_set, is_opted_out


def test_the_export_says_whether_the_person_opted_out_of_analytics(member):
    assert user_data_export(user=member)["analytics"] == {"opted_out": False}

    analytics_preference_set(user=member, opted_out=True)

    assert user_data_export(user=member)["analytics"] == {"opted_out": True}


def test_erasing_a_person_opts_them_out_in_the_same_transaction(member, admin_user):
    user_erase(actor=admin_user, user=member)  # no commit in this test: the opt-out is part of the erasure itself

    assert is_opted_out(member.pk)
