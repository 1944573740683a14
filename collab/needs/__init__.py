"""Needs: a Pemda files an urgent service need; its BKPSDM verifies it; BKN reviews it."""
