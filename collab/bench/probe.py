"""What the app adds under ``BENCHMARK=1`` (never in production): the number of SQL statements
each request ran, in the ``X-SQL-Statements`` response header, and the *ceiling* route.

The ceiling (``GET /_bench/ceiling``) renders the base layout around static text through the
same stack as every page — sign-in, session, language, the navigation's unread count, the
security headers — with no query of its own, so a page's requests/s divided by the ceiling's
is the share of the stack's best that page reaches. Statements run while a streamed response
is being sent (CSV downloads) are counted after the header has gone, so they are not in it.
"""

from __future__ import annotations

from flask import Blueprint, Flask, g, render_template
from flask_login import login_required
from sqlalchemy import event

from collab.bench.load import HEADER
from collab.extensions import db

bp = Blueprint("bench", __name__, url_prefix="/_bench")


@bp.get("/ceiling")
@login_required
def ceiling():
    """The base layout with static content: the benchmark's reference for each page."""
    return render_template("bench/ceiling.html")


def _count(conn, cursor, statement, parameters, context, executemany):
    try:
        g.sql_statements = g.get("sql_statements", 0) + 1
    except RuntimeError:  # outside a request (CLI, seeding)
        pass


def init_app(app: Flask) -> None:
    """Register the ceiling route and the statement counter on ``app``'s engine."""
    app.register_blueprint(bp)
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", _count)

    @app.after_request
    def _statements(resp):
        resp.headers[HEADER] = str(g.get("sql_statements", 0))
        return resp
