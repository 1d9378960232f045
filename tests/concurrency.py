"""Run callables in threads that start at the same moment, for tests of rules under concurrency."""

import threading

from django.db import connections


def run_together(workers, timeout: float = 30):
    """Call every function in `workers` in its own thread, released together; return results or exceptions."""
    barrier = threading.Barrier(len(workers))
    results = [None] * len(workers)

    def target(i, fn):
        try:
            barrier.wait(timeout=10)
            results[i] = fn()
        except Exception as exc:  # noqa: BLE001 - returned to the test, which asserts on it
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i, fn)) for i, fn in enumerate(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
    return results
