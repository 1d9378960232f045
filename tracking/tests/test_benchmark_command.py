"""manage.py benchmark runs end to end against a live server (figures are printed, never asserted)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from accounts.models import ApiToken
from tracking.load_data import generate_load_data


@pytest.mark.django_db(transaction=True)
def test_the_benchmark_prints_a_line_per_request_and_cleans_up(live_server, settings):
    settings.API_THROTTLE_RATE = None
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    generate_load_data(entries=300, users=20, years=1, seed=2)
    out = io.StringIO()
    concurrent = connection.vendor == "postgresql"  # SQLite's in-memory test database locks under threads
    call_command(
        "benchmark",
        base=live_server.url,
        requests=2,
        clients=2,
        seconds=0.5,
        no_load=not concurrent,
        soak_seconds=1 if concurrent else 0,
        stdout=out,
    )
    text = out.getvalue()
    assert "Machine: a 2-million-step Python loop" in text
    assert "| API month summary, admin, by project |" in text and "| API timer start |" in text
    if concurrent:
        assert "| timer cycles/s |" in text and "failed requests, timer / list: {'base': (0, 0)}" in text
    assert "– / –" not in text.split("| API entries, admin, page 1 |")[1].splitlines()[0]
    if concurrent:
        assert "Soak on the base server" in text
    # The timer counted as a client sends it (its token alone), up to its response.
    start = text.split("| API timer start |")[1].split("|")[0].strip()
    assert 0 < int(start) <= 8, start
    assert not ApiToken.objects.filter(name="benchmark").exists()
    if concurrent:  # --only-load prints the load's table alone, no empty request lines
        out = io.StringIO()
        call_command("benchmark", base=live_server.url, clients=2, seconds=0.5, only_load=True, stdout=out)
        assert "| timer cycles/s |" in out.getvalue() and "| request |" not in out.getvalue()
