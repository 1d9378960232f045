from accounts.tests.api_fixtures import _api_test_settings, anon_api, api_as  # noqa: F401
