"""Saved reports: report definitions kept with their purpose, found by others, ranked by use and explained by
annotations and comments. Sits above `tracking` (whose report logic it reuses) and below `integrations` / `analytics`
(which listen to its signals)."""
