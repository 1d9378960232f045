"""The product's 400 page (a date outside the range TimeTracker works with) in a browser: the reason, the layout,
and no serious accessibility problem at desktop and phone widths."""

import pytest

from accounts.models import Role
from accounts.tests.factories import UserFactory
from tests.axe import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_400_page_says_why_and_is_accessible(page_for, live_server):
    page = page_for(UserFactory(role=Role.MEMBER))
    response = page.goto(live_server.url + "/entries/week/?week=9999-12-31")
    assert response.status == 400
    assert "Week must be between 1970-01-01 and 2100-12-31" in page.inner_text("main")
    assert page.locator("#timerbar").count() == 1  # the product's layout, not a bare error
    assert_accessible(page, label="400 page")
