"""``flask backup``: a consistent SQLite copy while the app writes; restoring it finds every
row."""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from collab.extensions import db

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("TEST_DATABASE_URL")), reason="flask backup is for SQLite (pg_dump)"
)


def _rows(path) -> dict[str, list[tuple]]:
    con = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: sorted(con.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
    finally:
        con.close()


@pytest.fixture
def seeded(app):
    from collab.seed import seed_demo

    with app.app_context():
        seed_demo()
        db.session.commit()
        return db.engine.url.database


def test_backup_restores_every_row(app, seeded, tmp_path):
    target = tmp_path / "copy.db"
    result = app.test_cli_runner().invoke(args=["backup", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert "backup written" in result.output
    source, copy = _rows(seeded), _rows(target)
    assert copy == source
    assert sum(len(v) for v in copy.values()) > 500  # the demo data, not an empty file
    # the copy is a working database: the app opens it and finds the demo users
    from collab import create_app
    from collab.models import User

    restored = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{target}", "TESTING": True})
    with restored.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == len(
            source["user_account"]
        )
        db.engine.dispose()


def test_backup_while_the_app_writes_is_consistent(app, seeded, tmp_path):
    stop = threading.Event()
    written = []

    def writer():
        con = sqlite3.connect(seeded, timeout=30)
        i = 0
        while not stop.is_set():
            with con:
                con.execute(
                    "INSERT INTO audit_event (created_at, entity_type, entity_id, action) "
                    "VALUES (CURRENT_TIMESTAMP, 'user', ?, 'login_failed')",
                    (i,),
                )
            written.append(i)
            i += 1
        con.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        from collab.core.backup import backup_sqlite

        for n in range(3):
            backup_sqlite(Path(seeded), tmp_path / f"b{n}.db")
    finally:
        stop.set()
        thread.join()
    assert written  # the writer really ran during the copies
    for n in range(3):
        con = sqlite3.connect(tmp_path / f"b{n}.db")
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ids = [
            r[0]
            for r in con.execute(
                "SELECT entity_id FROM audit_event WHERE action='login_failed' ORDER BY id"
            )
        ]
        assert ids == list(range(len(ids)))  # a prefix of what was written, no gaps
        con.close()
    assert not list(tmp_path.glob("*.partial"))


def test_backup_refuses_postgresql_urls(app):
    app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://u@h/db"
    result = app.test_cli_runner().invoke(args=["backup"])
    assert result.exit_code != 0 and "pg_dump" in result.output
