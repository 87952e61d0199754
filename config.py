"""Configuration read from the environment.

One ``Config`` class with safe defaults for a newcomer (SQLite under ``instance/``,
jobs in-process) and the production switches (``DATABASE_URL``, ``REDIS_URL``,
``SECRET_KEY``) read from the environment. Tests subclass it and override a few keys.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask_babel import lazy_gettext

# The SQLite file, uploaded scans and large exports: ./instance of the folder the console is started from.
INSTANCE_DIR = Path(os.environ.get("INSTANCE_PATH") or Path.cwd() / "instance").resolve()

DEV_SECRET_KEY = "development-only-secret-key-change-me-0123456789abcdef"


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'console.db'}")
    # Heroku-style URLs and bare "postgresql://" both mean psycopg 3 here.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


class Config:
    ENV_NAME = os.environ.get("APP_ENV", "development")  # development | production | testing
    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)

    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL") or None

    # Dates: the region lives in Yekaterinburg time (UTC+5); "today" is computed there.
    TIMEZONE = os.environ.get("TZ", "Asia/Yekaterinburg")

    # Flask-AppBuilder
    APP_NAME = lazy_gettext("Social accompaniment")  # in the user's language (navigation bar, browser title)
    APP_THEME = ""
    FAB_BASE_TEMPLATE = "appbuilder/baselayout.html"
    FAB_SECURITY_MANAGER_CLASS = "app.security.manager.SecurityManager"
    FAB_INDEX_VIEW = "app.reporting.home.HomeView"
    AUTH_TYPE = 1  # AUTH_DB
    AUTH_ROLE_ADMIN = "Admin"
    AUTH_ROLE_PUBLIC = "Public"
    # Alembic owns the schema and `flask roles sync` owns roles: nothing is created at start-up.
    FAB_CREATE_DB = False
    FAB_UPDATE_PERMS = False
    FAB_ADD_SECURITY_API = False
    FAB_API_SWAGGER_UI = True
    FAB_API_MAX_PAGE_SIZE = 100
    # Scans of consents and documents (app.platform.files): under random names, outside every static folder.
    UPLOAD_FOLDER = str(INSTANCE_DIR / "uploads") + "/"
    EXPORT_DIR = os.environ.get("EXPORT_DIR", str(INSTANCE_DIR / "exports"))  # large exports built by jobs
    UPLOAD_MAX_BYTES = int(float(os.environ.get("UPLOAD_MAX_MB", "20")) * 1024 * 1024)  # one scan
    # A request may carry a little more than one scan, so that a file somewhat over the limit is refused by the form
    # (which keeps the other fields); anything larger is cut off by Werkzeug with a 413 page.
    MAX_CONTENT_LENGTH = 2 * UPLOAD_MAX_BYTES + 1024 * 1024

    # Babel: Russian by default, English complete.
    BABEL_DEFAULT_LOCALE = "ru"
    BABEL_DEFAULT_TIMEZONE = TIMEZONE
    LANGUAGES = {
        "ru": {"flag": "ru", "name": "Русский"},
        "en": {"flag": "gb", "name": "English"},
    }

    # Login protection (app.security.manager): failed sign-ins limited per address and per account name (successes
    # not counted; in Redis, in-process when Redis is down), lockout per account.
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = REDIS_URL or "memory://"
    RATELIMIT_SWALLOW_ERRORS = True
    AUTH_RATE_LIMITED = False  # FAB's own limit counts every sign-in, successes too: the console counts failures
    AUTH_RATE_LIMIT = os.environ.get("AUTH_RATE_LIMIT", "10 per 5 minutes")  # failures per address
    AUTH_ACCOUNT_RATE_LIMIT = os.environ.get("AUTH_ACCOUNT_RATE_LIMIT", "10 per 15 minutes")  # failures per name
    LOGIN_LOCKOUT_THRESHOLD = int(os.environ.get("LOGIN_LOCKOUT_THRESHOLD", "5"))
    LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15"))
    FAB_PASSWORD_COMPLEXITY_ENABLED = True

    WTF_CSRF_ENABLED = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = ENV_NAME == "production"

    DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "demo-Password-2026")

    # Reminders: without Redis (no cron) the console scans in-process at most this often; 0 turns it off.
    REMINDER_AUTOSCAN_MINUTES = int(os.environ.get("REMINDER_AUTOSCAN_MINUTES", "60"))
    # Optional daily e-mail digest of reminders; unset MAIL_SERVER: no e-mail.
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_FROM = os.environ.get("MAIL_FROM", "no-reply@localhost")
    CONSOLE_URL = os.environ.get("CONSOLE_URL", "")  # the console's address, linked from the e-mails
    # The monthly report's addressee (annex 3: «Кому представляется: … E-mail: …»), the department's address.
    DEPARTMENT_EMAIL = os.environ.get("DEPARTMENT_EMAIL", "")
