"""Scale-out tests: the ``cluster`` fixture (two gunicorn servers, one PostgreSQL database,
one Redis) lives in :mod:`scaleout_harness`."""

from scaleout_harness import cluster  # noqa: F401  (the fixture)
