"""Domain signals of saved reports, sent after commit with ids only (analytics and Slack listen).

report_saved(sender=SavedReport, report_id, actor_id, action)
    action is "created", "duplicated", "updated" or "deleted" (after "deleted" the row is gone).
saved_report_viewed(sender=SavedReport, report_id, user_id, interface)
    Someone opened a saved report's results ("web" or "api"); sent for every opening, counted once a day.
report_commented(sender=SavedReport, report_id, comment_id, actor_id, owner_id)
    A new comment; owner_id is the report's owner (told about it unless they wrote it).
annotation_created(sender=Annotation, annotation_id, actor_id, scope)
report_shared(sender=SavedReport, report_id, link_id, actor_id, kind)
    Someone made a share link (kind "live" or "snapshot").
share_viewed(sender=SavedReport, report_id, link_id, sharer_id, kind)
    A share link was opened (its page or its data); sharer_id is who made the link (the viewer may be anyone).
"""

from django.dispatch import Signal

report_saved = Signal()
saved_report_viewed = Signal()
report_commented = Signal()
annotation_created = Signal()
report_shared = Signal()
share_viewed = Signal()

CREATED = "created"
DUPLICATED = "duplicated"
UPDATED = "updated"
DELETED = "deleted"
