"""Help renders the shipped docs as sanitised HTML with working relative links."""

import re
from fnmatch import fnmatch
from pathlib import Path

import pytest
from django.urls import reverse

from tracking.docs_render import render

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def test_a_guide_is_html_not_raw_markdown(client):
    response = client.get(reverse("help_docs", args=["guides/tracking-time.md"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 id="tracking-time">Tracking time</h1>' in html
    assert "<strong>Stop</strong>" in html and "**Stop**" not in html
    assert '<img src="img/dashboard.png"' in html  # served next to the page: /help/docs/guides/img/dashboard.png
    assert '<a href="managing-teams.md"' in html
    assert "<title>Tracking time · TimeTracker</title>" in html


def test_every_relative_link_of_every_page_opens(client):
    """Follow each link of each rendered page as a browser would resolve it against the page's address."""
    checked = 0
    for path in sorted((ROOT / "docs").rglob("*.md")):
        page = path.relative_to(ROOT / "docs").as_posix()
        url = reverse("help_docs", args=[page])
        html = client.get(url).content.decode().split('<article class="card doc">')[1].split("</article>")[0]
        for href in re.findall(r'(?:href|src)="([^"]+)"', html):
            if href.startswith(("http:", "https:", "mailto:", "#", "/static/")) or not href:
                continue
            target = href if href.startswith("/") else (url.rsplit("/", 1)[0] + "/" + href)
            target = target.partition("#")[0]
            if not target.startswith("/help/docs/"):
                continue
            parts = []
            for part in target.split("/"):
                if part == "..":
                    parts.pop()
                elif part not in ("", "."):
                    parts.append(part)
            assert client.get("/" + "/".join(parts)).status_code == 200, f"{page} links to {href}"
            checked += 1
    assert checked > 30


def test_raw_html_and_scripts_in_markdown_are_not_run():
    text = (
        "# T\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>"
        "\n\n| a |\n|--:|\n| 1 |"
    )
    html = render(text, page="guides/x.md")
    assert "<script" not in html and 'href="javascript' not in html and '<img src="x"' not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror" in html  # shown as text, never run
    assert 'style="text-align:right"' in html.replace(": ", ":")  # table alignment survives


def test_links_to_folders_and_outside_docs():
    html = render(
        "[admin](../admin/) [log](../../CHANGELOG.md) [anchor](#x) [ext](https://example.org)",
        page="guides/a.md",
        is_dir=lambda path: path == "admin",
    )
    assert 'href="../admin/README.md"' in html
    assert "CHANGELOG.md (in the source code)" in html and 'href="../../CHANGELOG.md"' not in html
    assert 'href="#x"' in html and 'href="https://example.org"' in html


def test_the_production_image_ships_the_docs():
    """The runtime stage copies the source tree (or docs/ itself) and .dockerignore keeps docs/ in the context."""
    runtime = (ROOT / "Dockerfile").read_text().rsplit("\nFROM ", 1)[1]
    copies = [line.split()[1:] for line in runtime.splitlines() if line.startswith("COPY ") and "--from" not in line]
    assert [".", "."] in copies or ["docs", "./docs"] in copies, copies
    ignored = [
        line.strip().lstrip("/").rstrip("/")
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for shipped in ("docs", "docs/README.md", "docs/guides/tracking-time.md", "docs/guides/img/dashboard.png"):
        assert not any(fnmatch(shipped, pattern) for pattern in ignored), shipped
