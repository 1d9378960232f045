"""The production files agree with each other and with the settings: compose.yaml, .env.example, the Dockerfile and
the entry point. A new setting that is not in .env.example, or a service whose command no role handles, fails here."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent.parent
APP_SERVICES = ("migrate", "web", "worker", "beat")


def settings_variables() -> set[str]:
    """Every environment variable timetracker/settings.py reads (env("X"), env.str("X", ...), env.db_url("X"))."""
    text = (ROOT / "timetracker" / "settings.py").read_text()
    return set(re.findall(r"\benv(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]*)\"", text))


def process_variables() -> set[str]:
    """Variables the entry point, gunicorn's config and the health probe read."""
    names = set()
    for path in ("deploy/gunicorn.conf.py", "deploy/healthcheck.py"):
        text = (ROOT / path).read_text()
        names |= set(re.findall(r"(?:environ\.get|_int)\(\s*\"([A-Z][A-Z0-9_]*)\"", text))
    names |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", (ROOT / "deploy" / "entrypoint.sh").read_text()))
    return names - {"PYTHONPATH"}  # the interpreter's own, extended by the entry point


def compose_variables() -> set[str]:
    return set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", (ROOT / "compose.yaml").read_text()))


def env_example() -> tuple[dict[str, str], set[str]]:
    """(variables set in .env.example with their values, variables only listed as comments `# NAME=`)."""
    values, commented = {}, set()
    for line in (ROOT / ".env.example").read_text().splitlines():
        if match := re.match(r"^([A-Z][A-Z0-9_]*)=(.*)$", line):
            values[match[1]] = match[2]
        elif match := re.match(r"^# ([A-Z][A-Z0-9_]*)=", line):
            commented.add(match[1])
    return values, commented


def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def entrypoint_roles() -> set[str]:
    text = (ROOT / "deploy" / "entrypoint.sh").read_text()
    return set(re.findall(r"^\s{2}([a-z]+)\)\s*$", text, re.MULTILINE))


def test_every_variable_the_settings_read_is_listed_in_env_example():
    values, commented = env_example()
    missing = sorted(settings_variables() - values.keys() - commented)
    assert missing == [], f"add these to .env.example (set, or as a commented default): {missing}"


def test_every_variable_of_the_processes_and_compose_is_listed_in_env_example():
    values, commented = env_example()
    missing = sorted((process_variables() | compose_variables()) - values.keys() - commented)
    assert missing == [], missing


def test_env_example_lists_no_variable_nobody_reads():
    values, commented = env_example()
    known = settings_variables() | process_variables() | compose_variables()
    unknown = sorted((values.keys() | commented) - known)
    assert unknown == [], f"typo, or a variable nothing reads: {unknown}"


def test_every_variable_is_documented_in_the_configuration_reference():
    reference = (ROOT / "docs" / "admin" / "configuration" / "environment.md").read_text()
    names = settings_variables() | process_variables() | compose_variables()
    undocumented = sorted(name for name in names if f"`{name}`" not in reference)
    assert undocumented == [], undocumented


def test_the_env_example_leaves_the_secrets_empty_so_nobody_runs_a_published_one():
    values, _ = env_example()
    assert values["SECRET_KEY"] == "" and values["POSTGRES_PASSWORD"] == ""
    assert values["DEBUG"] == "False"


def test_the_variables_the_checker_parses_are_the_real_ones():
    # The parsers above must find the settings' variables, or the tests above would pass on nothing.
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "BACKUP_DIR", "SECURE_HSTS_SECONDS"} <= settings_variables()
    assert {"GUNICORN_WORKERS", "GUNICORN_THREADS", "GUNICORN_TIMEOUT", "CELERY_WORKER_CONCURRENCY"} <= (
        process_variables()
    )
    assert {"web", "worker", "beat", "migrate", "manage"} <= entrypoint_roles()


def test_every_app_service_runs_a_role_of_the_entrypoint_from_the_one_image():
    services = compose()["services"]
    roles = entrypoint_roles()
    images = {services[name]["image"] for name in APP_SERVICES}
    assert len(images) == 1
    for name in APP_SERVICES:
        command = services[name]["command"]
        assert command[0] in roles, f"{name}: no role {command[0]!r} in deploy/entrypoint.sh"
        assert services[name]["env_file"] == ".env"
        assert "DATABASE_URL" in services[name]["environment"] and "REDIS_URL" in services[name]["environment"]


def test_web_worker_and_beat_wait_for_the_one_shot_migrate():
    services = compose()["services"]
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    for name in APP_SERVICES:
        assert services[name]["depends_on"]["postgres"] == {"condition": "service_healthy"}


def test_postgres_and_redis_keep_their_data_in_named_volumes_with_healthchecks():
    data = compose()
    for name in ("postgres", "redis"):
        service = data["services"][name]
        assert "healthcheck" in service
        volume = service["volumes"][0].split(":")[0]
        assert volume in data["volumes"]


def test_ports_are_published_on_localhost_only():
    for name, service in compose()["services"].items():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port} on every interface"


def test_the_management_commands_the_deployment_uses_exist():
    from django.core.management import get_commands

    used = {"migrate", "setup_periodic_tasks", "collectstatic", "backup", "restore", "rotate_encryption_keys"}
    assert used - get_commands().keys() == set()


def test_the_dockerfile_builds_a_slim_non_root_image_with_docs_and_a_healthcheck():
    text = (ROOT / "Dockerfile").read_text()
    stages = re.findall(r"^FROM .* AS (\w+)$", text, re.MULTILINE)
    assert len(stages) >= 2, "build wheels in one stage, run from another"
    runtime = text.split(f"AS {stages[-1]}", 1)[1]
    assert "--no-index" in runtime, "the runtime installs the built wheels, without an index"
    assert not re.search(r"\b(gcc|build-essential|g\+\+)\b", runtime), "no compilers in the final image"
    assert re.search(r"^USER (?!root)\w+", runtime, re.MULTILINE)
    assert "collectstatic" in runtime
    assert re.search(r"^HEALTHCHECK .*deploy/healthcheck\.py", runtime, re.MULTILINE)
    assert re.search(r'^ENTRYPOINT \["/app/deploy/entrypoint\.sh"\]', runtime, re.MULTILINE)
    assert re.search(r"^COPY \. \.$", runtime, re.MULTILINE)
    ignored = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()]
    assert "docs" not in ignored and "templates" not in ignored  # the in-app help renders docs/
    apps = re.search(r"^include = \[(.*)\]$", (ROOT / "pyproject.toml").read_text(), re.MULTILINE)[1]
    packages = {name.strip(' "*') for name in apps.split(",")}
    assert packages and not packages & {line.strip("/") for line in ignored}, "an app is kept out of the image"
    assert {".env", ".venv", ".git"} <= set(ignored)
    assert os.access(ROOT / "deploy" / "entrypoint.sh", os.X_OK)
    # The source is not pip-installed in the image: every command (the worker's health check, `docker compose exec
    # worker celery ...`) finds the apps through PYTHONPATH, whatever its working directory.
    assert re.search(r"^\s+PYTHONPATH=/app ", runtime, re.MULTILINE)


def test_every_role_started_by_the_entrypoint_imports_the_apps_from_the_source_folder(tmp_path):
    code = "import os, sys; print(os.getcwd() in sys.path[:2] and os.getcwd())"
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": ""}
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [str(ROOT / "deploy" / "entrypoint.sh"), sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(ROOT)


def production_environment() -> dict[str, str]:
    """.env.example with its required secrets filled in, as an operator would."""
    values, _ = env_example()
    values.update(SECRET_KEY=secrets.token_urlsafe(50), POSTGRES_PASSWORD=secrets.token_hex(24))
    values["DATABASE_URL"] = f"postgres://timetracker:{values['POSTGRES_PASSWORD']}@postgres:5432/timetracker"
    values["REDIS_URL"] = "redis://redis:6379/0"
    keep = {"PATH", "HOME", "LANG", "PYTHONPATH", "VIRTUAL_ENV"}
    return {**{k: v for k, v in os.environ.items() if k in keep}, **values}


def test_check_deploy_is_clean_at_warning_level_with_the_production_example():
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_would_catch_a_missing_https_setting():
    env = production_environment()
    env["SECURE_HSTS_SECONDS"] = "0"
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "security.W004" in result.stderr


def test_the_kubernetes_example_runs_the_same_roles_with_one_beat():
    documents = list(yaml.safe_load_all((ROOT / "deploy" / "kubernetes" / "timetracker.yaml").read_text()))
    by_name = {doc["metadata"]["name"]: doc for doc in documents}
    roles = entrypoint_roles()
    images = set()
    for doc in documents:
        if doc["kind"] not in ("Job", "Deployment"):
            continue
        spec = doc["spec"]["template"]["spec"]
        assert spec["securityContext"]["runAsNonRoot"] is True
        for container in spec["containers"]:
            assert container["args"][0] in roles, f"{doc['metadata']['name']}: {container['args']}"
            images.add(container["image"])
        for container in spec.get("initContainers", []):
            assert "migrate --check" in container["args"][-1]
            images.add(container["image"])
    assert len(images) == 1
    beat = by_name["timetracker-beat"]["spec"]
    assert beat["replicas"] == 1 and beat["strategy"]["type"] == "Recreate"
    web = next(d for d in documents if d["kind"] == "Deployment" and d["metadata"]["name"] == "timetracker-web")
    web = web["spec"]["template"]["spec"]["containers"][0]
    assert web["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert web["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert by_name["timetracker-migrate"]["spec"]["template"]["spec"]["containers"][0]["args"] == ["migrate"]
