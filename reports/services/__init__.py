"""Every write of saved reports, favourites, views, comments and annotations, share links and subscriptions: atomic,
checked against the access policy for the acting user, validated, a domain signal sent on commit (ids only).

One module per responsibility; callers import them from here (`from reports import services`)."""

from .discussion import annotation_create, annotation_delete, comment_create, comment_delete, comment_update
from .saved_reports import (
    UPDATABLE,
    favourite_set,
    report_view_record,
    saved_report_create,
    saved_report_delete,
    saved_report_duplicate,
    saved_report_update,
)
from .share_links import (
    PASSWORD_MAX,
    PASSWORD_MIN,
    share_link_create,
    share_link_revoke,
    share_link_view_record,
)
from .subscriptions import MAX_SUBSCRIPTIONS, subscription_create, subscription_delete

__all__ = [
    "MAX_SUBSCRIPTIONS",
    "PASSWORD_MAX",
    "PASSWORD_MIN",
    "UPDATABLE",
    "annotation_create",
    "annotation_delete",
    "comment_create",
    "comment_delete",
    "comment_update",
    "favourite_set",
    "report_view_record",
    "saved_report_create",
    "saved_report_delete",
    "saved_report_duplicate",
    "saved_report_update",
    "share_link_create",
    "share_link_revoke",
    "share_link_view_record",
    "subscription_create",
    "subscription_delete",
]
