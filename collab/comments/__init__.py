"""Comments on needs and programs, shared or internal to one side."""
