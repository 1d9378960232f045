"""Every relative link in README.md and docs/ resolves to a file (and a heading, when it names an anchor)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)|!\[[^\]]*\]\(([^)\s]+)\)")


def markdown_files():
    return [ROOT / "README.md", ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").rglob("*.md"))]


def slug(heading: str) -> str:
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    return {slug(m.group(1)) for m in re.finditer(r"^#+\s+(.*)$", path.read_text(), re.MULTILINE)}


def relative_links(path: Path):
    text = re.sub(r"```.*?```", "", path.read_text(), flags=re.DOTALL)
    for match in LINK.finditer(text):
        target = match.group(1) or match.group(2)
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("//"):
            continue
        yield target


CASES = [(p, t) for p in markdown_files() for t in relative_links(p)]


def test_the_docs_have_links_to_check():
    assert len(CASES) > 20


@pytest.mark.parametrize(("source", "target"), CASES, ids=[f"{p.relative_to(ROOT)}->{t}" for p, t in CASES])
def test_relative_link_resolves(source, target):
    file_part, _, anchor = target.partition("#")
    resolved = (source.parent / file_part).resolve() if file_part else source
    assert resolved.exists(), f"{source.relative_to(ROOT)} links to missing {target}"
    if anchor and resolved.suffix == ".md":
        assert anchor in anchors(resolved), f"{source.relative_to(ROOT)} links to missing heading #{anchor}"


def test_root_holds_only_project_files():
    allowed_files = {
        "README.md",
        "CHANGELOG.md",
        "LICENSE",
        "pyproject.toml",
        "manage.py",
        "Dockerfile",
        "compose.yaml",  # the recommended installation (docs/admin/deployment)
        ".env.example",
        "conftest.py",
        ".gitignore",
        ".dockerignore",
        "package.json",
        "package-lock.json",
    }
    tracked = {p.name for p in ROOT.iterdir() if p.is_file() and not p.name.startswith(".") or p.name in allowed_files}
    tracked -= {"db.sqlite3"}
    assert tracked <= allowed_files, f"unexpected files at the repository root: {sorted(tracked - allowed_files)}"


def test_every_guide_screenshot_is_shown_in_a_guide():
    """An image in docs/guides/img that no guide shows is a stale screenshot (or a missing paragraph)."""
    guides = ROOT / "docs" / "guides"
    shown = {
        (path.parent / target).resolve()
        for path in guides.glob("*.md")
        for target in relative_links(path)
        if target.endswith(".png")
    }
    images = sorted((guides / "img").glob("*.png"))
    assert images, "the guides have screenshots"
    assert [image.name for image in images if image.resolve() not in shown] == []
