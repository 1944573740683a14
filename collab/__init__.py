"""Sinergi: BKN and Pemda working together on the competency of civil servants (ASN)."""

from __future__ import annotations

from flask import Flask


def create_app(test_config: dict | None = None, config_name: str | None = None) -> Flask:
    """Build the application: config, extensions, blueprints, error handlers, CLI.

    ``test_config`` overrides settings after the environment is read (tests pass
    ``SQLALCHEMY_DATABASE_URI`` here). Raises :class:`collab.config.ConfigError` when the
    production config lacks ``SECRET_KEY``.
    """
    import os

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=os.path.join(root, "templates"),
        static_folder=os.path.join(root, "static"),
    )
    from collab.config import load_config
    from collab.core.request import SinergiRequest

    app.request_class = SinergiRequest

    os.makedirs(app.instance_path, exist_ok=True)
    load_config(app, config_name or ("testing" if test_config else None))
    if test_config:
        app.config.update(test_config)
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies > 0:
        # behind N reverse proxies: the client address (rate limits, audit) and the scheme
        # come from the X-Forwarded-* headers those proxies set, never from the client's own
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )

    from collab.core.i18n import remember_requested_language, select_locale, select_timezone
    from collab.core.params import IdConverter

    app.url_map.converters["id"] = IdConverter
    from collab.extensions import babel, csrf, db, htmx, limiter, login_manager, mail, migrate

    db.init_app(app)
    from collab.models.base import render_item

    migrate.init_app(app, db, render_as_batch=True, compare_type=True, render_item=render_item)
    csrf.init_app(app)
    htmx.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        timezone_selector=select_timezone,
        default_translation_directories=os.path.join(os.path.dirname(__file__), "translations"),
    )
    app.before_request(remember_requested_language)
    login_manager.init_app(app)
    limiter.init_app(app)
    mail.init_app(app)

    from collab import models  # noqa: F401  (register the mappers)
    from collab.admin.views import bp as admin_bp
    from collab.attachments.views import bp as attachments_bp
    from collab.attendance.views import bp as attendance_bp
    from collab.auth.views import bp as auth_bp
    from collab.board.views import bp as board_bp
    from collab.comments.views import bp as comments_bp
    from collab.core.views import bp as core_bp
    from collab.core.views import register_error_handlers
    from collab.dashboard.views import bp as dashboard_bp
    from collab.evaluation.views import bp as evaluation_bp
    from collab.insights.views import bp as insights_bp
    from collab.jp.views import bp as jp_bp
    from collab.needs.views import bp as needs_bp
    from collab.notifications.views import bp as notifications_bp
    from collab.participants.views import bp as participants_bp
    from collab.programs.views import bp as programs_bp
    from collab.reports.views import bp as reports_bp

    for bp in (
        core_bp,
        auth_bp,
        needs_bp,
        programs_bp,
        participants_bp,
        comments_bp,
        attachments_bp,
        dashboard_bp,
        board_bp,
        admin_bp,
        notifications_bp,
        attendance_bp,
        jp_bp,
        evaluation_bp,
        reports_bp,
        insights_bp,
    ):
        app.register_blueprint(bp)
    register_error_handlers(app)
    if app.config.get("BENCHMARK"):
        from collab.bench.probe import init_app as init_benchmark

        init_benchmark(app)

    from collab.core.templating import register_template_helpers

    register_template_helpers(app)

    from collab.cli import register_cli

    register_cli(app)
    return app
