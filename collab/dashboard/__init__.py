"""Dashboards: what waits on each role now."""
