import factory

from accounts.tests.factories import UserFactory
from reports.definition import match_key
from reports.models import Annotation, SavedReport

DEFINITION = {"preset": "this_month", "group_by": "project", "filters": {}, "chart": "bar"}


class SavedReportFactory(factory.django.DjangoModelFactory):
    """A saved report as the service stores it. Bypasses the services: arrange state, test rules through them."""

    class Meta:
        model = SavedReport

    name = factory.Sequence(lambda n: f"Report {n}")
    owner = factory.SubFactory(UserFactory)
    definition = factory.LazyFunction(lambda: dict(DEFINITION))
    match_key = factory.LazyAttribute(lambda o: match_key(o.definition))
    visibility = "everyone"


class AnnotationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Annotation

    start = factory.Faker("date_this_month")
    end = factory.LazyAttribute(lambda o: o.start)
    text = "Offsite"
    author = factory.SubFactory(UserFactory)


def panel_reports(*, manager, member, other_member) -> list:
    """Seven saved reports of every visibility (one verified, one name to escape) for the saved-report panels'
    tests: the manager's for their teams, the other member's private and public ones, the member's own."""
    return [
        SavedReportFactory(owner=manager, name="Team <hours> & more", visibility="teams", verified=True),
        SavedReportFactory(owner=manager, name="Alpha", visibility="teams"),
        SavedReportFactory(owner=other_member, name="Private", visibility="private"),
        SavedReportFactory(owner=other_member, name="Everyone's", visibility="everyone"),
        SavedReportFactory(owner=member, name="Mine", visibility="private"),
        SavedReportFactory(owner=other_member, name="Old", visibility="everyone"),
        SavedReportFactory(owner=manager, name="Beta", visibility="teams"),
    ]
