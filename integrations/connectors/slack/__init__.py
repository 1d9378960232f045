"""The Slack connector: the /tt slash command, timer notices in a channel or DM, and daily summaries."""
