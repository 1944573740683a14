"""``/board``: the joint status board, filtered through the URL like the program list (htmx
swaps ``#board-columns``; a plain GET renders the whole page)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

from collab import reference
from collab.board import queries
from collab.extensions import htmx
from collab.models import Role
from collab.needs.queries import list_pemda_choices
from collab.programs.queries import list_designers
from collab.programs.views import parse_filters

bp = Blueprint("board", __name__, url_prefix="/board")


@bp.get("")
@login_required
def index():
    """The board of the programs the user may see (administrators have none: 403)."""
    if current_user.role == Role.ADMIN:
        abort(403)
    filters = parse_filters()
    ctx = dict(board=queries.get_board(current_user, filters), filters=filters)
    if htmx and htmx.target == "board-columns":
        return render_template("board/_columns.html", **ctx)
    return render_template(
        "board/index.html",
        pemda_choices=list_pemda_choices(current_user),
        designers=list_designers(),
        urusan=reference.urusan(),
        **ctx,
    )
