"""Every page and heading the health checks link to exists in docs/."""

import re
from pathlib import Path

import pytest

from tests.test_docs_links import anchors

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "monitoring" / "checks.py", ROOT / "monitoring" / "views.py", ROOT / "integrations" / "health.py"]
CONSTANTS = {"DOCS": "admin/monitoring/health-checks.md", "SCALING": "admin/monitoring/scaling.md"}
CHECKS = (ROOT / "monitoring" / "checks.py").read_text()
LINKS = sorted(
    {m for source in SOURCES for m in re.findall(r"\"(admin/[\w/.-]+\.md(?:#[\w-]+)?)\"", source.read_text())}
    | {CONSTANTS[name] + anchor for name, anchor in re.findall(r"{(DOCS|SCALING)}(#[\w-]+)", CHECKS)}
)


def test_the_checks_link_docs():
    assert len(LINKS) > 5


@pytest.mark.parametrize("link", LINKS)
def test_a_linked_page_and_heading_exist(link):
    page, _, anchor = link.partition("#")
    path = ROOT / "docs" / page
    assert path.is_file(), link
    if anchor:
        assert anchor in anchors(path), link
