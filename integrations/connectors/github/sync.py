"""Manual and periodic sync: every open issue of the repository becomes (or updates) a task."""

from __future__ import annotations

import time

from tracking.models import Source, Task

from . import issues
from .client import GitHubClient, RateLimited


def sync_open_issues(connector) -> dict:
    """Walk all pages of open issues; upsert the ones that pass the label filter; mark tasks done whose issue is
    no longer open. Stops early (keeping what was done) when the rate limit runs out."""
    repository = connector.config["repository"]
    label_filter = connector.config.get("label_filter") or []
    project_id = connector.config.get("default_project")
    counts = {"created": 0, "updated": 0, "unchanged": 0, "closed": 0, "skipped_pull_requests": 0, "filtered": 0}
    open_refs: set[str] = set()
    error = ""
    pages = 0
    client = GitHubClient(connector.secret("access_token"))
    try:
        for page in client.open_issues(repository):
            pages += 1
            for issue in page:
                if "pull_request" in issue:
                    counts["skipped_pull_requests"] += 1
                    continue
                open_refs.add(issues.external_ref(repository, issue["number"]))
                if not issues.passes_label_filter(issue, label_filter):
                    counts["filtered"] += 1
                    continue
                _, outcome = issues.upsert_task(issue=issue, repository=repository, project_id=project_id)
                counts[outcome] += 1
    except RateLimited as exc:
        when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(exc.reset_at)) if exc.reset_at else "later"
        error = f"GitHub's rate limit was reached after {pages} page(s); the rest follows at the next sync ({when})."
    finally:
        client.close()
    if not error:
        # Only after a complete walk do we know which issues are no longer open.
        prefix = issues.external_ref(repository, 0)[:-1]
        stale = Task.objects.filter(source=Source.GITHUB, external_ref__startswith=prefix).exclude(
            status=Task.Status.DONE
        )
        for task in stale.exclude(external_ref__in=open_refs):
            if issues.set_status(task, Task.Status.DONE):
                counts["closed"] += 1
    counts["pages"] = pages
    return {"ok": True, "counts": counts, "error": error}
