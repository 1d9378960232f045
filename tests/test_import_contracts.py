"""The import contracts in pyproject.toml ([tool.importlinter]) really guard something.

CI runs `lint-imports` on the tree. These tests run the same command on a copy of the source with one forbidden
import added, and check that the contract breaks and names the import, so the guard cannot silently pass (a typo in
a module name, a contract that matches nothing).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("timetracker", "accounts", "tracking", "reports", "integrations", "analytics", "backups", "monitoring")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _python_only(directory: str, names: list[str]) -> set[str]:
    return {n for n in names if not (Path(directory, n).is_dir() or n.endswith(".py")) or n == "__pycache__"}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the project's Python packages and pyproject.toml, to add a violation to."""
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=_python_only)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _lint(tree: Path, *contracts: str) -> subprocess.CompletedProcess:
    args = [str(LINT_IMPORTS), "--no-cache", "--no-logo"]
    for contract in contracts:
        args += ["--contract", contract]
    return subprocess.run(args, cwd=tree, capture_output=True, text=True, timeout=120)  # noqa: S603


def _add_import(tree: Path, module: str, statement: str) -> None:
    path = tree / (module.replace(".", "/") + ".py")
    path.write_text(path.read_text() + f"\n{statement}\n")


def test_the_copied_tree_keeps_the_direction_contracts(tree):
    contracts = (
        "domain-apps-stay-below",
        "nothing-imports-monitoring",
        "platform-below-the-apps",
        "errors-are-a-leaf",
        "outbox-is-a-leaf",
        "app-layers",
    )
    result = _lint(tree, *contracts)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "6 kept, 0 broken" in result.stdout


def test_tracking_importing_analytics_breaks_the_contracts(tree):
    _add_import(tree, "tracking.reports", "from analytics import services as _analytics_services  # noqa")

    result = _lint(tree, "domain-apps-stay-below", "app-layers")

    assert result.returncode == 1
    assert "tracking and accounts never import reports, integrations or analytics BROKEN" in result.stdout
    assert "tracking.reports -> analytics.services" in result.stdout


def test_an_app_importing_monitoring_breaks_the_contracts(tree):
    _add_import(tree, "analytics.selectors", "import monitoring.checks  # noqa")

    result = _lint(tree, "nothing-imports-monitoring", "app-layers")

    assert result.returncode == 1
    assert "no other app imports it BROKEN" in result.stdout.replace("\n", " ")
    assert "analytics.selectors -> monitoring.checks" in result.stdout
    assert "analytics is not allowed to import monitoring" in result.stdout


def test_tracking_importing_saved_reports_breaks_the_contracts(tree):
    _add_import(tree, "tracking.views.reports", "from reports import selectors as _saved  # noqa")

    result = _lint(tree, "domain-apps-stay-below", "app-layers")

    assert result.returncode == 1
    assert "tracking is not allowed to import reports" in result.stdout
    assert "tracking.views.reports -> reports.selectors" in result.stdout


def test_saved_reports_importing_integrations_breaks_the_layers(tree):
    _add_import(tree, "reports.selectors", "import integrations.selectors  # noqa")

    result = _lint(tree, "app-layers")

    assert result.returncode == 1
    assert "reports is not allowed to import integrations" in result.stdout


def test_accounts_importing_tracking_breaks_the_layers(tree):
    _add_import(tree, "accounts.policy", "import tracking.models  # noqa")

    result = _lint(tree, "app-layers")

    assert result.returncode == 1
    assert "accounts is not allowed to import tracking" in result.stdout
    assert "accounts.policy -> tracking.models" in result.stdout


def test_integrations_importing_analytics_breaks_the_layers(tree):
    _add_import(tree, "integrations.selectors", "import analytics.selectors  # noqa")

    result = _lint(tree, "app-layers")

    assert result.returncode == 1
    assert "integrations is not allowed to import analytics" in result.stdout


def test_the_api_platform_importing_tracking_breaks_its_contract(tree):
    _add_import(tree, "timetracker.api.pagination", "import tracking.selectors  # noqa")

    result = _lint(tree, "platform-below-the-apps")

    assert result.returncode == 1
    assert "timetracker.api.pagination -> tracking.selectors" in result.stdout


def test_the_domain_errors_importing_an_app_break_their_contract(tree):
    _add_import(tree, "timetracker.errors", "import accounts.models  # noqa")

    result = _lint(tree, "errors-are-a-leaf")

    assert result.returncode == 1
    assert "timetracker.errors -> accounts.models" in result.stdout


def test_the_task_outbox_importing_an_app_breaks_its_contract(tree):
    _add_import(tree, "timetracker.outbox.services", "import integrations.models  # noqa")

    result = _lint(tree, "outbox-is-a-leaf")

    assert result.returncode == 1
    assert "timetracker.outbox.services -> integrations.models" in result.stdout


def test_a_cycle_between_modules_of_an_app_breaks_the_acyclic_contract(tree):
    # tracking.selectors imports tracking.models; make models import selectors back.
    _add_import(tree, "tracking.models", "from tracking import selectors as _selectors  # noqa")

    result = _lint(tree, "no-cycles-inside-an-app")

    assert result.returncode == 1
    assert "No cycles are allowed in tracking." in result.stdout


def test_an_app_importing_the_backup_tool_breaks_its_contract(tree):
    _add_import(tree, "tracking.reports", "import backups.services  # noqa")

    result = _lint(tree, "nobody-imports-backups")

    assert result.returncode == 1
    assert "tracking.reports -> backups.services" in result.stdout
