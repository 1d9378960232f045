"""The dashboard's recent entries show their tags' names, read as names (selectors.entry_tag_names)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tracking.tests.factories import ProjectFactory, TagFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db


def test_each_recent_entry_shows_its_own_tags_by_name(client_for, member):
    now = timezone.now()
    project = ProjectFactory()
    hour = timedelta(hours=1)
    tagged = TimeEntryFactory(user=member, project=project, start=now - 3 * hour, end=now - 2 * hour)
    tagged.tags.set([TagFactory(name="review"), TagFactory(name="<b>ops</b>"), TagFactory(name="meeting")])
    TimeEntryFactory(user=member, project=project, start=now - 2 * hour, end=now - hour)
    page = client_for(member).get(reverse("dashboard")).content.decode()
    shown = re.findall(r'<span class="tag">([^<]*)</span>', page)
    assert shown == ["&lt;b&gt;ops&lt;/b&gt;", "meeting", "review"]
