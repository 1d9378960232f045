"""The Google Calendar connector: OAuth with PKCE, meetings imported as entries, tracked time exported as events."""
