"""Insight (SPEC §12): the regulatory statistics and the dashboards, read from the case events."""
