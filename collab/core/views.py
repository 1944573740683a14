"""Home, health check, and the one place where errors become HTTP responses."""

from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import (
    Blueprint,
    Flask,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from collab.errors import DomainError
from collab.extensions import csrf, db, htmx, login_manager

bp = Blueprint("core", __name__)


@bp.get("/")
def index():
    """Send users to their dashboard, visitors to the login page."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    return redirect(url_for("auth.login"))


@bp.get("/healthz")
@csrf.exempt
def healthz():
    """200 ``{"status": "ok", "database": "ok"}``; 503 when the database does not answer."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        db.session.rollback()
        return jsonify(status="error", database="unavailable"), 503
    return jsonify(status="ok", database="ok")


def _login_url_for_htmx() -> str:
    """Login URL whose ``next`` is the *page* the user was on (``HX-Current-URL``)."""
    current = request.headers.get("HX-Current-URL", "")
    parts = urlsplit(current)
    nxt = None
    if parts.path and (not parts.netloc or parts.netloc == request.host):
        nxt = parts.path + (f"?{parts.query}" if parts.query else "")
    return url_for("auth.login", next=nxt) if nxt else url_for("auth.login")


def htmx_login_redirect():
    """An htmx request without a session: 204 with ``HX-Redirect`` to login (no Location)."""
    resp = make_response("", 204)
    resp.headers["HX-Redirect"] = _login_url_for_htmx()
    return resp


@login_manager.unauthorized_handler
def _unauthorized():
    if htmx:
        return htmx_login_redirect()
    if request.method != "GET":
        # after login, return to the page the form was on, not to a POST-only URL
        ref = urlsplit(request.referrer or "")
        nxt = ref.path if ref.path and (not ref.netloc or ref.netloc == request.host) else None
        return redirect(url_for("auth.login", next=nxt) if nxt else url_for("auth.login"))
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def render_error(status: int, message: str, title: str | None = None):
    """An error as a fragment for htmx (aimed at ``#messages``) or a full page otherwise."""
    if htmx:
        resp = make_response(
            render_template("errors/_message.html", message=message, status=status), status
        )
        resp.headers["HX-Retarget"] = "#messages"
        resp.headers["HX-Reswap"] = "innerHTML"
        return resp
    return (
        render_template("errors/error.html", message=message, title=title, status=status),
        status,
    )


HTTP_MESSAGES = {
    400: lambda: _("Permintaan tidak dapat diproses. Muat ulang halaman lalu coba lagi."),
    403: lambda: _("Anda tidak berwenang membuka halaman ini."),
    404: lambda: _("Halaman atau data tidak ditemukan."),
    405: lambda: _("Cara akses ini tidak didukung."),
    409: lambda: _("Data telah berubah. Muat ulang halaman lalu coba lagi."),
    413: lambda: _("Berkas terlalu besar (maks. 10 MB)."),
    429: lambda: _("Terlalu banyak percobaan. Tunggu sebentar lalu coba lagi."),
    422: lambda: _("Periksa kembali isian Anda."),
    500: lambda: _("Terjadi kesalahan pada sistem. Silakan coba lagi."),
}


CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",  # no inline scripts or on* handlers anywhere (tests check)
        "style-src 'self' 'unsafe-inline'",  # style attributes (widths, SVG charts)
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
"""The policy of every page (OWASP Secure Headers); a view may set its own stricter one, as
attachment downloads do."""


def register_error_handlers(app: Flask) -> None:
    """Map domain errors and HTTP errors to pages/fragments once, for the whole app."""

    @app.errorhandler(DomainError)
    def _domain(exc: DomainError):
        db.session.rollback()
        return render_error(exc.status, exc.message)

    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError):
        db.session.rollback()
        if not current_user.is_authenticated:
            if htmx:
                return htmx_login_redirect()
            return redirect(url_for("auth.login"))
        return render_error(
            400, _("Formulir kedaluwarsa atau tidak sah. Muat ulang halaman lalu kirim ulang.")
        )

    @app.errorhandler(IntegrityError)
    @app.errorhandler(StaleDataError)
    def _conflict(exc):
        db.session.rollback()
        return render_error(409, HTTP_MESSAGES[409]())

    @app.errorhandler(RateLimitExceeded)
    def _rate_limited(exc: RateLimitExceeded):
        db.session.rollback()
        return render_error(429, HTTP_MESSAGES[429](), title=_("Terlalu banyak percobaan"))

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        db.session.rollback()
        code = exc.code or 500
        message = HTTP_MESSAGES.get(code, lambda: exc.description)()
        resp = render_error(code, message)
        if code == 405 and hasattr(exc, "valid_methods") and exc.valid_methods:
            resp = make_response(resp)
            resp.headers["Allow"] = ", ".join(exc.valid_methods)
        return resp

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        db.session.rollback()
        app.logger.exception("unhandled error")
        return render_error(500, HTTP_MESSAGES[500]())

    @app.after_request
    def _headers(resp):
        resp.vary.add("HX-Request")
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("X-Frame-Options", "DENY")
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        resp.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        resp.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config.get("HSTS_SECONDS"):
            resp.headers.setdefault(
                "Strict-Transport-Security", f"max-age={app.config['HSTS_SECONDS']}"
            )
        if request.endpoint != "static":
            # Pages depend on the user, the session's language and (signed out) on the
            # browser's Accept-Language, and forms carry a CSRF token: no cache keeps them.
            resp.headers["Cache-Control"] = "no-store"
            resp.vary.add("Accept-Language")
        return resp
