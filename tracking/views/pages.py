"""Help (and the documentation that ships with the app), and the error pages."""

from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse

from accounts import policy

from .. import docs_render

DOCS_DIR = Path(settings.BASE_DIR) / "docs"
DOC_TYPES = {".md": "text/markdown", ".png": "image/png"}


def help_page(request):
    """Where to get help, by role. Open to everyone: it is also the page a signed-out person finds."""
    user = request.user
    context = {
        "is_admin": policy.is_admin(user),
        "is_manager": getattr(user, "role", "") in ("manager", "admin"),
        "docs_base": reverse("help_docs", args=["README.md"]).removesuffix("README.md"),
    }
    return render(request, "help.html", context)


def help_docs(request, path: str):
    """A page of the docs/ folder as shipped with this installation (Markdown text or a screenshot)."""
    target = (DOCS_DIR / path).resolve()
    if not target.is_relative_to(DOCS_DIR.resolve()) or target.suffix not in DOC_TYPES or not target.is_file():
        raise Http404("No such documentation page.")
    if target.suffix == ".md":
        text = target.read_text(encoding="utf-8")
        docs = DOCS_DIR.resolve()
        html = docs_render.render(text, page=path, is_dir=lambda p: (docs / p).resolve().is_dir())
        context = {"path": path, "html": html, "title": docs_render.title(text, path)}
        return render(request, "help_doc.html", context)
    return FileResponse(target.open("rb"), content_type=DOC_TYPES[target.suffix])


def bad_request(request, exception=None):
    """A request the page cannot answer (a date outside the range TimeTracker works with, a body that is not UTF-8):
    the product's layout and the reason, never a bare error."""
    return render(request, "400.html", {"reason": str(exception or "")}, status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", {}, status=404)
