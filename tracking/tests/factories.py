from datetime import timedelta

import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory
from tracking.models import Client, Project, Tag, Task, TimeEntry


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    name = factory.Sequence(lambda n: f"Client {n}")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"Project {n}")
    client = factory.SubFactory(ClientFactory)
    code = factory.Sequence(lambda n: f"P{n}")


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"Task {n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"tag{n}")


class TimeEntryFactory(factory.django.DjangoModelFactory):
    """A completed one-hour entry yesterday. Bypasses the services: use it to arrange state, not to test rules."""

    class Meta:
        model = TimeEntry

    user = factory.SubFactory(UserFactory)
    project = factory.SubFactory(ProjectFactory)
    start = factory.LazyFunction(lambda: timezone.now().replace(microsecond=0) - timedelta(days=1))
    end = factory.LazyAttribute(lambda o: o.start + timedelta(hours=1) if o.start else None)
    duration_seconds = factory.LazyAttribute(lambda o: int((o.end - o.start).total_seconds()) if o.end else 0)
