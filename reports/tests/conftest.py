import pytest

from tracking.tests.views.conftest import client_for  # noqa: F401


@pytest.fixture
def in_process_tasks(settings):
    """Run Celery tasks in-process (the embedded default) even when REDIS_URL points at a broker."""
    from timetracker.celery import app

    before = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = before
