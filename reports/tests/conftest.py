from tracking.tests.views.conftest import client_for  # noqa: F401
