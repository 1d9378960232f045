import pytest
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ME = "/api/v1/users/me/"


def client_with(header: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    return client


class TestUsers:
    def test_me_returns_your_profile(self, api_as, member):
        body = api_as(member).get(ME).json()
        assert body == {
            "id": member.pk,
            "username": member.username,
            "full_name": member.full_name,
            "email": member.email,
            "role": "member",
            "timezone": "UTC",
            "teams": [],
        }

    def test_members_and_viewers_may_not_list_people(self, api_as, member, viewer):
        for user in (member, viewer):
            response = api_as(user).get("/api/v1/users/")
            assert response.status_code == 403
            assert response.json()["code"] == "permission_denied"

    def test_managers_list_their_team_and_admins_everyone(self, api_as, team, manager, member, viewer, admin_user):
        outsider = UserFactory()
        names = {u["username"] for u in api_as(manager).get("/api/v1/users/").json()["results"]}
        assert names == {manager.username, member.username, viewer.username}
        everyone = api_as(admin_user).get("/api/v1/users/").json()
        assert outsider.username in {u["username"] for u in everyone["results"]}

    def test_a_person_you_may_not_see_is_404(self, api_as, team, manager, member):
        outsider = UserFactory()
        assert api_as(manager).get(f"/api/v1/users/{member.pk}/").status_code == 200
        response = api_as(manager).get(f"/api/v1/users/{outsider.pk}/")
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found.", "code": "not_found"}

    def test_listing_people_takes_a_fixed_number_of_queries(self, api_as, admin_user, django_assert_max_num_queries):
        for _ in range(25):
            UserFactory()
        api = api_as(admin_user)
        with django_assert_max_num_queries(8):
            response = api.get("/api/v1/users/?page_size=100")
        assert response.json()["count"] == 26

    def test_page_size_above_500_is_400(self, api_as, admin_user):
        response = api_as(admin_user).get("/api/v1/users/?page_size=501")
        assert response.status_code == 400
        assert response.json()["errors"] == {"page_size": ["Must be a number between 1 and 500."]}
