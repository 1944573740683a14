"""Participants (peserta) of a program: nomination by NIP, import, enrolment."""
