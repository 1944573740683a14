"""The joint status board: programs as cards in columns by state."""
