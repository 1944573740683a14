"""Cross-cutting pieces: audit trail, working-day clock, formatting, error pages, health."""
