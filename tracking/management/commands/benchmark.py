"""`manage.py benchmark --base URL [--compare URL]`: latency, throughput, queries and memory, printed as a table."""

import contextlib

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import setup_test_environment

from tracking import benchmark


def _ms(figure) -> str:
    return "–" if figure is None else f"{figure[0]:,.0f} / {figure[1]:,.0f}"


def _ratio(ours, theirs) -> str:
    if ours is None or theirs is None or ours[0] <= 0:
        return "–"
    return f"{theirs[0] / ours[0]:.2f}×"


class Command(BaseCommand):
    help = (
        "Measure running servers on data from generate_load_data (this process's DATABASE_URL must be theirs): "
        "p50/p95 of the main requests, timer and list throughput under concurrent clients, queries per request, "
        "gunicorn workers' memory. Prints figures; see docs/development/performance.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--base", required=True, help="The server measured, e.g. http://127.0.0.1:8001")
        parser.add_argument("--compare", help="A second server on the same database (e.g. the main branch).")
        parser.add_argument("--requests", type=int, default=30, help="Timed requests per line (default 30).")
        parser.add_argument("--clients", type=int, default=8, help="Concurrent clients (default 8).")
        parser.add_argument("--seconds", type=float, default=20, help="Seconds of each concurrent run (default 20).")
        parser.add_argument("--gunicorn-pid", type=int, help="The base server's gunicorn master: report worker RSS.")
        parser.add_argument("--no-load", action="store_true", help="Skip the concurrent runs.")
        parser.add_argument(
            "--soak-seconds",
            type=float,
            default=0,
            help="Then load the base server this long (e.g. 600: timer cycles and list pages at once), reading the "
            "workers' memory every minute (with --gunicorn-pid).",
        )
        parser.add_argument("--only-load", action="store_true", help="Skip the per-request timings and counts.")

    def handle(self, *args, base, compare, requests, clients, seconds, gunicorn_pid, no_load, **options):
        soak_seconds, only_load = options["soak_seconds"], options["only_load"]
        servers = {"base": base.rstrip("/")}
        if compare:
            servers["compare"] = compare.rstrip("/")
        try:
            people = benchmark.People(members_needed=clients)
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        try:
            rss_before = benchmark.worker_rss(gunicorn_pid) if gunicorn_pid else {}
            loop_ms, count_ms = benchmark.machine_speed()
            self.stdout.write(
                f"Machine: a 2-million-step Python loop {loop_ms:.0f} ms, counting the entries {count_ms:.0f} ms "
                "(best of three; read absolute times against these)."
            )
            latency = {key: {} for key in servers}
            self.stdout.write(f"Timing {', '.join(servers.values())} ({requests} requests each, interleaved)…")
            for request in [] if only_load else benchmark.requests_to_measure():
                if request.name == "API timer stop":
                    continue  # timed with the start
                names = {request.name}
                for key, url in servers.items():
                    latency[key].update(benchmark.measure_latency(url, people, requests, names))
            load = {key: {} for key in servers} if not no_load else {}
            for half in range(0 if no_load else 2):
                for key, url in servers.items():
                    self.stdout.write(f"Loading {url} ({clients} clients × {seconds / 2:g} s, twice; half {half + 1})…")
                    figures = benchmark.measure_throughput(url, people, clients, seconds / 2)
                    for name, value in figures.items():
                        load[key][name] = load[key].get(name, 0) + (value / 2 if name.endswith("/s") else value)
            rss_after = benchmark.worker_rss(gunicorn_pid) if gunicorn_pid else {}
            soaked = []
            if soak_seconds > 0:
                self.stdout.write(f"Soaking {servers['base']} for {soak_seconds:g} s ({clients} clients)…")
                soaked = benchmark.soak(servers["base"], people, clients, soak_seconds, gunicorn_pid)
            queries = {}
            if not only_load:
                with contextlib.suppress(RuntimeError):  # already set up under the test runner
                    setup_test_environment()  # the test client's host, in-memory mail
                settings.API_THROTTLE_RATE = None
                queries = benchmark.count_queries(people)
        finally:
            benchmark.cleanup(people)

        self._print(servers, latency, load, queries, rss_before, rss_after)
        if soaked:
            self._print_soak(soaked)

    def _print_soak(self, samples):
        out = self.stdout.write
        out("")
        out("Soak on the base server: seconds, operations/s in the last turn, workers' RSS (MiB):")
        for elapsed, rss, rate in samples:
            memory = ", ".join(f"{pid}: {kib / 1024:.0f}" for pid, kib in sorted(rss.items())) or "–"
            out(f"  {elapsed:6.0f} s  {rate:6.1f}/s  {memory}")
        first, last = samples[0][1], samples[-1][1]
        grown = [last[pid] - kib for pid, kib in first.items() if pid in last]
        if grown:
            out(f"  growth per worker, first to last: {', '.join(f'{kib / 1024:+.1f} MiB' for kib in grown)}")

    def _print(self, servers, latency, load, queries, rss_before, rss_after):
        out = self.stdout.write
        compare = "compare" in servers
        out("")
        out(f"base: {servers['base']}" + (f"   compare: {servers['compare']}" if compare else ""))
        if any(latency.values()) or queries:
            self._print_requests(compare, latency, queries)
        self._print_load(compare, load, queries, rss_before, rss_after)

    def _print_requests(self, compare, latency, queries):
        out = self.stdout.write
        out("")
        header = "| request | queries | base p50 / p95 ms |"
        rule = "|---|---|---|"
        if compare:
            header += " compare p50 / p95 ms | base faster by |"
            rule += "---|---|"
        out(header)
        out(rule)
        for request in benchmark.requests_to_measure():
            ours = latency["base"].get(request.name)
            line = f"| {request.name} | {queries.get(request.name, '–')} | {_ms(ours)} |"
            if compare:
                theirs = latency["compare"].get(request.name)
                line += f" {_ms(theirs)} | {_ratio(ours, theirs)} |"
            out(line)

    def _print_load(self, compare, load, queries, rss_before, rss_after):
        out = self.stdout.write
        if load:
            out("")
            out("| concurrent | base | " + ("compare | base faster by |" if compare else ""))
            out("|---|---|" + ("---|---|" if compare else ""))
            for name in ("timer cycles/s", "entry list pages/s"):
                ours = load["base"][name]
                line = f"| {name} | {ours:.1f} |"
                if compare:
                    theirs = load["compare"][name]
                    line += f" {theirs:.1f} | {ours / theirs:.2f}× |" if theirs else " – | – |"
                out(line)
            errors = {k: (v["timer errors"], v["list errors"]) for k, v in load.items()}
            out(f"(failed requests, timer / list: {errors})")
        if queries:
            out("(queries: API requests with the token alone, web pages with a session; tasks queued, not run)")
        if rss_before:
            out("")
            out("gunicorn workers' RSS (MiB), before → after:")
            for pid, kib in sorted(rss_before.items()):
                after = rss_after.get(pid)
                out(f"  {pid}: {kib / 1024:.0f} → {after / 1024:.0f}" if after else f"  {pid}: {kib / 1024:.0f} → gone")
