"""The task outbox: `enqueue(task_name, *args, **kwargs)` hands work to Celery and never fails the caller.

See services.py for the contract. Imports no app: every app may use it.
"""


def enqueue(task_name: str, *args, **kwargs) -> bool:
    from .services import enqueue as _enqueue

    return _enqueue(task_name, *args, **kwargs)


def after_response(fn) -> None:
    from .deferred import after_response as _after_response

    _after_response(fn)
