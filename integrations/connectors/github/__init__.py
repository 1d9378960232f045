"""The GitHub connector: issues become tasks (webhooks and a manual or periodic sync), assignment starts timers."""
