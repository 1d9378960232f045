"""Errors of saved reports, annotations and comments: domain errors with a code, a status and the field they are
about, translated by timetracker.errors like tracking's."""

from tracking.exceptions import TrackingError


class InvalidDefinition(TrackingError):
    """A saved report's definition names a period, grouping or filter that does not exist or that its owner may not
    see."""

    code = "invalid_definition"
    field = "definition"


class InvalidReport(TrackingError):
    code = "invalid"


class InvalidAnnotation(TrackingError):
    code = "invalid_annotation"


class InvalidComment(TrackingError):
    code = "invalid"
    field = "text"


class InvalidShareLink(TrackingError):
    """A share link's options are not allowed (an expiry in the past or beyond the installation's maximum, a public
    link where only members-only links are allowed, a password too short or too long)."""

    code = "invalid_share_link"


class InvalidSubscription(TrackingError):
    """A subscription's schedule or target cannot be used: a weekday missing for a weekly one, a day outside 1-28,
    a time that is not HH:MM, an email address that is not one, a Slack channel the bot cannot post in."""

    code = "invalid_subscription"
