"""Saved reports' part of a person's data (see accounts/gdpr.py): the reports they own, their comments, annotations,
favourites, views and subscriptions.

Erasure deletes their private reports, comments, favourites, views, notices, subscriptions (and their delivery
ledger) and the annotations about them; reports
they shared and annotations they wrote about shared scopes stay (colleagues rely on them) under the anonymised
profile.
"""

from __future__ import annotations

from accounts import gdpr

from .models import (
    Annotation,
    AnnotationScope,
    Comment,
    Favourite,
    Notice,
    ReportView,
    SavedReport,
    Subscription,
    Visibility,
)


def export_saved_reports(user) -> dict:
    reports = SavedReport.objects.filter(owner=user).prefetch_related("tags").order_by("pk")
    return {
        "saved_reports": [
            {
                **gdpr.metadata(
                    r, ("id", "name", "description", "definition", "visibility", "verified", "created_at", "updated_at")
                ),
                "tags": [t.name for t in r.tags.all()],
            }
            for r in reports
        ],
        "comments": [
            gdpr.metadata(c, ("id", "report", "text", "created_at", "edited_at"))
            for c in Comment.objects.filter(author=user).order_by("pk")
        ],
        "annotations": [
            gdpr.metadata(a, ("id", "start", "end", "text", "scope", "created_at"))
            for a in Annotation.objects.filter(author=user).order_by("pk")
        ],
        "favourites": list(Favourite.objects.filter(user=user).values_list("report_id", flat=True)),
        "views": [{"report": v.report_id, "day": v.day.isoformat()} for v in ReportView.objects.filter(user=user)],
        "subscriptions": [
            gdpr.metadata(
                s, ("id", "report", "channel", "target", "frequency", "weekday", "day", "time", "active", "created_at")
            )
            for s in Subscription.objects.filter(subscriber=user).order_by("pk")
        ],
    }


def erase_saved_reports(user) -> None:
    SavedReport.objects.filter(owner=user, visibility=Visibility.PRIVATE).delete()
    Comment.objects.filter(author=user).delete()
    Favourite.objects.filter(user=user).delete()
    ReportView.objects.filter(user=user).delete()
    Notice.objects.filter(recipient=user).delete()
    Subscription.objects.filter(subscriber=user).delete()
    Annotation.objects.filter(scope=AnnotationScope.USER, user=user).delete()
    Annotation.objects.filter(author=user, scope=AnnotationScope.USER).delete()


def register() -> None:
    gdpr.register("saved_reports", export=export_saved_reports, erase=erase_saved_reports)
