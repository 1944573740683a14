"""The benchmark (``make bench``): a large synthetic dataset, the app under gunicorn, a load
driver and the report. See BENCHMARKS.md for what is measured and the results on this machine.

- :mod:`collab.bench.dataset` bulk-loads the dataset on top of the demo seed.
- :mod:`collab.bench.probe` is what the app adds when ``BENCHMARK=1``: the ``X-SQL-Statements``
  response header and the *ceiling* route.
- :mod:`collab.bench.load` drives one page at fixed concurrency from its own process.
- :mod:`collab.bench.run` (``python -m collab.bench``) runs it all on SQLite and PostgreSQL.
"""
