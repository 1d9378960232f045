"""The shipped documentation (docs/) as HTML for the Help pages: Markdown rendered by markdown-it-py, sanitised by nh3.

Relative links keep working because a page is served at /help/docs/<its path in docs/>: a link to a sibling page, a
page in another folder or a screenshot resolves in the browser as it does on disk. A link to a folder gets its
README.md; a link that leaves docs/ (the source code, the changelog) has nothing to open and becomes plain text.
Headings get the ids GitHub gives them, so links to `page.md#a-heading` land on the heading.
"""

from __future__ import annotations

import posixpath
import re

import nh3
from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin

ALLOWED_TAGS = {
    *("a", "abbr", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em", "hr", "img", "kbd"),
    *("h1", "h2", "h3", "h4", "h5", "h6", "li", "ol", "p", "pre", "s", "span", "strong", "sub", "summary", "sup"),
    *("table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"),
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "code": {"class"},
    "td": {"style"},
    "th": {"style"},
    **{f"h{level}": {"id"} for level in range(1, 7)},
}
URL_SCHEMES = {"http", "https", "mailto"}
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def _slug(title: str) -> str:
    """GitHub's heading anchors (what the docs' links and tests/test_docs_links.py use)."""
    return re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    anchors_plugin(md, min_level=1, max_level=6, slug_func=_slug, permalink=False)
    return md


_MD = _parser()


def _local_target(page: str, href: str) -> str | None:
    """The docs/-relative path a relative link of `page` points at, or None when it leaves docs/."""
    path, _, _anchor = href.partition("#")
    if not path:
        return page
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    if joined == ".." or joined.startswith("../") or joined.startswith("/"):
        return None
    return joined


def _fix_links(tokens, page: str, is_dir) -> None:
    for token in tokens:
        if token.children:
            _fix_links(token.children, page, is_dir)
        if token.type != "link_open":
            continue
        href = token.attrGet("href") or ""
        if not href or href.startswith("#") or href.startswith("//") or _SCHEME.match(href):
            continue
        target = _local_target(page, href)
        if target is None:  # outside docs/: nothing to open here
            token.attrs.pop("href", None)
            token.attrSet("title", f"{href} (in the source code)")
        elif is_dir(target):
            path, hash_, anchor = href.partition("#")
            token.attrSet("href", path.rstrip("/") + "/README.md" + hash_ + anchor)


def render(text: str, *, page: str, is_dir=lambda path: False) -> str:
    """Sanitised HTML of the Markdown `text` of docs/`page`; `is_dir(path)` says whether a docs path is a folder."""
    tokens = _MD.parse(text)
    _fix_links(tokens, page, is_dir)
    html = _MD.renderer.render(tokens, _MD.options, {})
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        filter_style_properties={"text-align"},
    )


def title(text: str, default: str) -> str:
    """The page's first heading, for the browser's title."""
    match = re.search(r"^#\s+(.+)$", text, re.MULTILINE)
    return match.group(1).strip() if match else default
