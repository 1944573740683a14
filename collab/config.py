"""Configuration read from the environment.

``DATABASE_URL`` (default: ``sqlite:///<instance>/sinergi.db``), ``SECRET_KEY`` (a generated
development key is kept in the instance folder; :class:`ProductionConfig` refuses to start
without one), ``REDIS_URL`` (optional; rate-limit counts shared by several app servers),
``BASE_URL`` (links in e-mails), ``MAIL_SERVER``/``MAIL_PORT``/``MAIL_USERNAME``/
``MAIL_PASSWORD``/``MAIL_USE_TLS``/``MAIL_DEFAULT_SENDER`` (SMTP; without ``MAIL_SERVER``
e-mails are printed to the console).
``UPLOAD_FOLDER`` (where attachments are stored; default ``<instance>/uploads``).
``TRUSTED_PROXIES`` (how many reverse proxies in front of the app set ``X-Forwarded-For`` and
``X-Forwarded-Proto``; default 0: those headers are ignored), ``RATELIMIT_KEY_PREFIX`` (prefix
of the rate-limit keys in Redis; default ``sinergi``).
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path


class ConfigError(RuntimeError):
    """Raised when a required setting is missing in production."""


def _dev_secret_key(instance_path: str) -> str:
    """Return a per-checkout development key, generated once into ``instance/secret_key``."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    return key


class Config:
    """Settings shared by every environment."""

    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    WTF_CSRF_TIME_LIMIT = None  # token lives as long as the session: long-open forms still save
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_PROTECTION = "basic"
    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = "Asia/Jakarta"
    LANGUAGES = ("id", "en")
    HSTS_SECONDS = 0  # no Strict-Transport-Security outside production (plain-HTTP dev server)
    RATELIMIT_HEADERS_ENABLED = True  # Retry-After (and X-RateLimit-*) on limited responses
    RATELIMIT_KEY_PREFIX = "sinergi"
    TRUSTED_PROXIES = 0
    """Reverse proxies in front of the app whose ``X-Forwarded-*`` headers are believed
    (werkzeug ``ProxyFix``); 0 ignores them, so a client cannot pick its own address."""
    LOGIN_LIMIT_PER_ACCOUNT = "5 per minute;20 per hour"
    """Failed sign-ins per e-mail address (only refusals count), whatever the client."""
    LOGIN_LIMIT_PER_IP = "30 per minute;300 per hour"
    """Sign-in attempts per client address, right or wrong."""
    # Uploads: at most MAX_FILES_PER_UPLOAD files of 10 MiB each (Attachment.MAX_BYTES) in one
    # request, so a whole request may hold five full files plus 1 MiB of form fields and
    # multipart overhead. A bigger request gets the app's 413 page before anything is read;
    # a single file over 10 MiB inside an allowed request gets the same 413 message from the
    # per-file check. Requests that are not multipart (url-encoded forms) are held to
    # MAX_FORM_MEMORY_SIZE as a whole (collab.core.request), as is every text part of a
    # multipart form (Werkzeug).
    MAX_FILES_PER_UPLOAD = 5
    MAX_CONTENT_LENGTH = MAX_FILES_PER_UPLOAD * 10 * 1024 * 1024 + 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 500 * 1024
    PASSWORD_HASH_METHOD = "scrypt"
    PER_PAGE = 25
    MAX_PER_PAGE = 100
    # 1 JP = 45 minutes; 20 JP a year per PNS (PP 11/2017 as amended). Settings, not constants.
    JP_MINUTES = 45
    JP_YEARLY_TARGET = 20
    # First-response SLA in Indonesian working days, by urgency (DESIGN.md §3).
    SLA_WORKING_DAYS = {"critical": 2, "high": 5, "medium": 10, "low": 20}
    # Links in e-mails point here (there is no request when `flask outbox send` runs).
    BASE_URL = "http://localhost:5000"
    # E-mail (Flask-Mailman). Without MAIL_SERVER the console backend prints e-mails.
    MAIL_DEFAULT_SENDER = "Sinergi <noreply@sinergi.local>"
    MAIL_TIMEOUT = 20
    # How often the navigation's unread count refreshes (seconds).
    NOTIFICATION_POLL_SECONDS = 30
    # Sign-offs on a proposed revision are due this many working days after it is proposed.
    SIGNOFF_WORKING_DAYS = 5
    # Evaluation (collab.evaluation): personal L1 questionnaire links expire this many days
    # after the program's end; the close guard wants L1 answers from this share (%) of the
    # enrolled participants; the L3 follow-up is due this many months after the end and is
    # late this many days after that. Settings, not rules (reference/README.md [U]).
    REACTION_LINK_DAYS = 14
    REACTION_MIN_PCT = 50
    FOLLOWUP_MONTHS = 3
    FOLLOWUP_GRACE_DAYS = 30
    TESTING = False


class DevelopmentConfig(Config):
    """Local development: SQLite under instance/, generated secret key."""


class TestingConfig(Config):
    """Test runs: cheap password hashes, no secure cookies."""

    TESTING = True
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    RATELIMIT_ENABLED = False  # tests sign in often; the rate-limit tests switch it on
    MAIL_BACKEND = "locmem"


class ProductionConfig(Config):
    """Production: secure cookies, and ``SECRET_KEY`` must come from the environment."""

    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS_SECONDS = 365 * 24 * 3600  # Strict-Transport-Security: one year (behind HTTPS only)


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def load_config(app, name: str | None = None) -> None:
    """Fill ``app.config`` from the named config class and the environment.

    Raises :class:`ConfigError` under the production config when ``SECRET_KEY`` is unset.
    """
    name = name or os.environ.get("SINERGI_CONFIG", "development")
    cls = CONFIGS[name]
    app.config.from_object(cls)
    db_url = os.environ.get("DATABASE_URL")
    if not db_url:
        db_url = "sqlite:///" + str(Path(app.instance_path) / "sinergi.db")
    if db_url.startswith("postgresql://"):
        db_url = "postgresql+psycopg://" + db_url[len("postgresql://") :]
    app.config["SQLALCHEMY_DATABASE_URI"] = db_url
    app.config["REDIS_URL"] = os.environ.get("REDIS_URL")
    app.config.setdefault(
        "RATELIMIT_STORAGE_URI", app.config["REDIS_URL"] or "memory://"
    )  # always set: Flask-Limiter warns otherwise (STACK.md)
    if os.environ.get("RATELIMIT_KEY_PREFIX"):
        app.config["RATELIMIT_KEY_PREFIX"] = os.environ["RATELIMIT_KEY_PREFIX"]
    if os.environ.get("BENCHMARK") == "1":
        app.config["BENCHMARK"] = True  # collab.bench.probe: statement counts, ceiling route
    if os.environ.get("TRUSTED_PROXIES"):
        app.config["TRUSTED_PROXIES"] = int(os.environ["TRUSTED_PROXIES"])
    for key in ("BASE_URL", "MAIL_SERVER", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_DEFAULT_SENDER"):
        if os.environ.get(key):
            app.config[key] = os.environ[key]
    if os.environ.get("NOTIFICATION_POLL_SECONDS"):
        app.config["NOTIFICATION_POLL_SECONDS"] = int(os.environ["NOTIFICATION_POLL_SECONDS"])
    if os.environ.get("MAIL_PORT"):
        app.config["MAIL_PORT"] = int(os.environ["MAIL_PORT"])
    if os.environ.get("MAIL_USE_TLS"):
        app.config["MAIL_USE_TLS"] = os.environ["MAIL_USE_TLS"].lower() in ("1", "true", "yes")
    if "MAIL_BACKEND" not in app.config:
        app.config["MAIL_BACKEND"] = "smtp" if app.config.get("MAIL_SERVER") else "console"
    app.config["UPLOAD_FOLDER"] = os.environ.get("UPLOAD_FOLDER") or str(
        Path(app.instance_path) / "uploads"
    )
    secret = os.environ.get("SECRET_KEY")
    if not secret:
        if cls is ProductionConfig:
            raise ConfigError("SECRET_KEY must be set in production (SINERGI_CONFIG=production)")
        secret = _dev_secret_key(app.instance_path)
    app.config["SECRET_KEY"] = secret
