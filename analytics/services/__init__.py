"""Writes and sends of the analytics app, split by subject:

- `identity`: the pseudonymous id a person appears under, and their opt-out;
- `sending`: `track_event` (what the rest of the code calls: adds context, enqueues a task) and the `send_*`
  functions the tasks call;
- `activity`: the local activity log and its retention.

`from analytics import services` keeps working for every name. Tasks import services, never the reverse.
"""

from .activity import activity_cleanup, activity_record
from .identity import (
    analytics_preference_get,
    analytics_preference_set,
    distinct_id,
    flags_cache_key,
    forget_flags,
    is_opted_out,
)
from .sending import (
    enqueue,
    send_anonymous_event,
    send_identify,
    send_user_event,
    track_event,
    track_feature_interaction,
    track_installation_event,
    track_login,
)

__all__ = [
    "activity_cleanup",
    "activity_record",
    "analytics_preference_get",
    "analytics_preference_set",
    "distinct_id",
    "enqueue",
    "flags_cache_key",
    "forget_flags",
    "is_opted_out",
    "send_anonymous_event",
    "send_identify",
    "send_user_event",
    "track_event",
    "track_feature_interaction",
    "track_installation_event",
    "track_login",
]
