"""Web pages of the tracking domain. Views parse input, call tracking.services / selectors and the access policy,
and render templates; no rule lives here."""
