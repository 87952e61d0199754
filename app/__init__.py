"""Social accompaniment console: the application factory.

The console is organised by feature (``citizens``, ``casework``, ``committees``, ``reminders``, ``reporting``,
``partners``, ``admin``, ``demo``), each a package with its views, API, services, jobs, templates and commands, over
shared rooms that know no feature: ``domain`` (the pure rules), ``models`` (the tables and their declarations),
``security`` (roles, scope, the security manager), ``platform`` (audit, jobs, mail, time, labels, web hooks) and ``fab``
(the Flask-AppBuilder glue). See the README's Architecture section.
"""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask
from flask_appbuilder import AppBuilder
from jinja2 import ChoiceLoader, FileSystemLoader

from app.extensions import csrf, db, migrate
from config import Config

log = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent


def bundled(name: str) -> Path:
    """A folder shipped with the console (``migrations``, ``translations``): inside the installed package, or at the
    top of a source checkout."""
    inside = PACKAGE_DIR / name
    return inside if inside.is_dir() else PACKAGE_DIR.parent / name


def create_app(config: type | object = Config) -> Flask:
    """Build one console app. Each app gets its own AppBuilder, so tests can build several."""
    from app import admin, casework, citizens, committees, demo, partners, reminders, reporting
    from app.fab import conflicts, errors, guards, menu, pipeline, registry
    from app.platform import audit, files, web
    from app.security import sessions
    from app.security.manager import password_policy

    features = (citizens, casework, reminders, reporting, committees, partners, admin, demo)
    app = Flask(__name__, instance_relative_config=False)
    app.config.from_object(config)
    app.config.setdefault("FAB_PASSWORD_COMPLEXITY_VALIDATOR", password_policy)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(bundled("translations")))
    _check_config(app)
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(PACKAGE_DIR / "templates")),
            *(
                FileSystemLoader(str(path))
                for f in features
                if (path := Path(f.__file__).parent / "templates").is_dir()
            ),
        ]
    )

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.config.get("MIGRATIONS_DIR") or bundled("migrations")))
    # Before AppBuilder: FAB exempts its API blueprints only from an existing CSRFProtect.
    csrf.init_app(app)

    with app.app_context():
        from app import models  # noqa: F401  (registers every table on the shared metadata)

        appbuilder = AppBuilder(update_perms=False)
        appbuilder.init_app(app, db.session)
        registry.start(appbuilder)
        for feature in features:
            feature.init_app(app, appbuilder)
        registry.finish(appbuilder)

    guards.install(app)
    menu.install(app)
    sessions.install(app)
    conflicts.install(app)
    pipeline.install(app)
    errors.init_app(app)
    audit.init_app(app)
    files.init_app(app)
    web.init_app(app)
    return app


def _give_jobs_the_factory() -> None:
    """A job imported by a plain ``rq worker`` builds the console with this factory, once per process."""
    from app.platform import jobs

    jobs.app_factory = create_app


_give_jobs_the_factory()


def _check_config(app: Flask) -> None:
    from config import DEV_SECRET_KEY

    secret = app.config.get("SECRET_KEY") or ""
    if app.config.get("ENV_NAME") == "production" and secret == DEV_SECRET_KEY:
        raise RuntimeError("SECRET_KEY must be set in production (APP_ENV=production).")
    if len(secret.encode()) < 32:
        raise RuntimeError("SECRET_KEY must be at least 32 bytes long.")
