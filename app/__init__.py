"""Social accompaniment console: the application factory."""

from __future__ import annotations

import logging

from flask import Flask
from flask_appbuilder import AppBuilder

from app.extensions import csrf, db, migrate
from config import Config

log = logging.getLogger(__name__)


def create_app(config: type | object = Config) -> Flask:
    """Build one console app. Each app gets its own AppBuilder, so tests can build several."""
    from app.security import password_policy
    from app.security.roles import ROLES

    app = Flask(__name__, instance_relative_config=False)
    app.config.from_object(config)
    app.config.setdefault("FAB_ROLES", ROLES)
    app.config.setdefault("FAB_PASSWORD_COMPLEXITY_VALIDATOR", password_policy)
    _check_config(app)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.config.get("MIGRATIONS_DIR", _migrations_dir())))
    # Before AppBuilder: FAB exempts its API blueprints only from an existing CSRFProtect.
    csrf.init_app(app)

    with app.app_context():
        from app import models  # noqa: F401  (registers every table on the shared metadata)

        appbuilder = AppBuilder(update_perms=False)
        appbuilder.init_app(app, db.session)
        from app.api import register_apis
        from app.views import register_views

        register_views(appbuilder)
        register_apis(appbuilder)

    from app import audit, caseload
    from app.cli import register_cli
    from app.web import register_web

    audit.init_app(app)
    caseload.init_app(app)
    register_web(app)
    register_cli(app)
    return app


def _migrations_dir() -> str:
    from config import BASE_DIR

    return str(BASE_DIR / "migrations")


def _check_config(app: Flask) -> None:
    from config import DEV_SECRET_KEY

    secret = app.config.get("SECRET_KEY") or ""
    if app.config.get("ENV_NAME") == "production" and secret == DEV_SECRET_KEY:
        raise RuntimeError("SECRET_KEY must be set in production (APP_ENV=production).")
    if len(secret.encode()) < 32:
        raise RuntimeError("SECRET_KEY must be at least 32 bytes long.")
