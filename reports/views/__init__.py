"""Saved reports pages: find, save, open, edit, duplicate, favourite, verify, delete; comments and annotations;
share links; subscriptions. Every write goes through reports.services. One module per responsibility; the URLs
import the views from here."""

from .discussion import annotation_delete, annotation_new, comment_add, comment_delete, comment_edit
from .saved_reports import (
    saved_report_delete,
    saved_report_detail,
    saved_report_duplicate,
    saved_report_edit,
    saved_report_favourite,
    saved_report_list,
    saved_report_new,
    saved_report_verify,
)
from .share_links import saved_report_share, share_link_revoke
from .subscriptions import saved_report_subscribe, subscription_delete

__all__ = [
    "annotation_delete",
    "annotation_new",
    "comment_add",
    "comment_delete",
    "comment_edit",
    "saved_report_delete",
    "saved_report_detail",
    "saved_report_duplicate",
    "saved_report_edit",
    "saved_report_favourite",
    "saved_report_list",
    "saved_report_new",
    "saved_report_verify",
    "saved_report_share",
    "share_link_revoke",
    "saved_report_subscribe",
    "subscription_delete",
]
