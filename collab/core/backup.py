"""``flask backup``: a consistent copy of the SQLite database while the app keeps running.

SQLite's online backup API (``sqlite3.Connection.backup``) copies the pages under a read
transaction, so writes by app servers during the copy neither corrupt it nor are half-copied.
PostgreSQL is backed up with ``pg_dump`` instead (README, "Running in production").
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url


class BackupError(click.ClickException):
    """The database cannot be backed up by this command (not SQLite, or the file is missing)."""


def backup_sqlite(database: Path, target: Path, pages_per_step: int = -1) -> int:
    """Copy the SQLite file ``database`` to ``target`` (created or replaced) with the online
    backup API. ``pages_per_step`` -1 (the default) copies in one step under one read lock:
    writers wait for the copy (a few hundred MB a second) instead of restarting it, as a
    stepwise copy does each time another connection writes. Returns the size of the copy in
    bytes. Raises :class:`BackupError` if ``database`` does not exist or the copy fails its
    integrity check."""
    if not database.exists():
        raise BackupError(f"database file not found: {database}")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(target.suffix + ".partial")
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    dest = sqlite3.connect(partial)
    try:
        source.backup(dest, pages=pages_per_step)
        check = dest.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"the copy failed its integrity check: {check}")
    finally:
        dest.close()
        source.close()
    partial.replace(target)  # only a complete, checked copy gets the final name
    return target.stat().st_size


@click.command("backup")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the copy (default: instance/backups/sinergi-<UTC time>.db).",
)
@with_appcontext
def backup_command(output: Path | None) -> None:
    """Copy the SQLite database consistently while the app runs (PostgreSQL: use pg_dump)."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise BackupError(
            "flask backup copies a SQLite database file; for PostgreSQL use pg_dump "
            "(see README, 'Running in production')"
        )
    if output is None:
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        output = Path(current_app.instance_path) / "backups" / f"sinergi-{stamp}.db"
    size = backup_sqlite(Path(url.database), output)
    click.echo(f"backup written: {output} ({size} bytes)")
