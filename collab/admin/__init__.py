"""Administration of organisations and accounts (admin role only)."""
