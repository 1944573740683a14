"""The dashboard: what waits on the signed-in user now."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from collab.dashboard.queries import get_dashboard, get_program_board

bp = Blueprint("dashboard", __name__)


@bp.get("/dashboard")
@login_required
def index():
    """Counts and the list of needs waiting on the user's role."""
    return render_template(
        "dashboard/index.html",
        dash=get_dashboard(current_user),
        board=get_program_board(current_user),
    )
