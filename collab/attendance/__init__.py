"""Attendance grid, pre/post-test scores and completion (passed, JP) of a program."""
