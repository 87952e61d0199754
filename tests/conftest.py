"""Fixtures: one app per test session on the database named by ``TEST_DATABASE_URL``.

SQLite (a temporary file) by default; ``make test`` runs the suite again with
PostgreSQL. The schema is built by the Alembic migrations, exactly as in production,
and every test starts from empty case tables (roles are kept).
"""

from __future__ import annotations

import os

import flask_migrate
import pytest
from flask.testing import FlaskClient
from sqlalchemy import event, text

from app import create_app
from app.extensions import db
from config import Config
from tests import factories

KEEP_TABLES = {
    "alembic_version",
    "ab_role",
    "ab_permission",
    "ab_view_menu",
    "ab_permission_view",
    "ab_permission_view_role",
}


def _test_config(tmp_path_factory) -> type:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    uploads = tmp_path_factory.mktemp("uploads")
    return type(
        "TestConfig",
        (Config,),
        {
            "TESTING": True,
            "ENV_NAME": "testing",
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
            "WTF_CSRF_ENABLED": False,
            "UPLOAD_FOLDER": f"{uploads}/",
            "EXPORT_DIR": str(tmp_path_factory.mktemp("exports")),
            "REDIS_URL": None,
            "RATELIMIT_ENABLED": False,
            "REMINDER_AUTOSCAN_MINUTES": 0,  # tests scan when they mean to
            # one cheap hash instead of scrypt for every test user and login: most of the suite's time otherwise
            "FAB_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
        },
    )


class RequestIsolatingClient(FlaskClient):
    """Each request runs in its own app context (own ``g``, own DB session), as in production.

    Tests keep an app context of their own for factories and assertions; without this
    the requests would share its ``g`` (signed-in user, scope) and its session. After
    each request the test's session forgets what it loaded, so assertions see the database.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        return response


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    app = create_app(_test_config(tmp_path_factory))
    app.test_client_class = RequestIsolatingClient
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            _drop_everything()
        flask_migrate.upgrade()
        app.appbuilder.sm.sync_roles()
    yield app
    with app.app_context():
        db.session.remove()
        if db.engine.dialect.name == "postgresql":
            _drop_everything()


def _drop_everything() -> None:
    with db.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))


@pytest.fixture(autouse=True)
def _app_context(app):
    """Each test runs in an app context and leaves the case tables empty."""
    with app.app_context():
        yield
        db.session.rollback()
        db.session.remove()
        _empty_tables()


def _empty_tables() -> None:
    """DELETE, children first, then every id counts from 1 again. Not TRUNCATE: on PostgreSQL it makes new files for
    each of the forty tables, 220 ms after every test against 10 ms for deleting the few rows a test leaves."""
    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in KEEP_TABLES]
    with db.engine.begin() as conn:
        for table in tables:
            conn.execute(table.delete())
        if conn.dialect.name == "postgresql":
            ids = [t.name for t in tables if "id" in t.c and t.c.id.autoincrement in (True, "auto")]
            restart = ", ".join(f"setval(pg_get_serial_sequence('\"{name}\"', 'id'), 1, false)" for name in ids)
            conn.execute(text(f"SELECT {restart}"))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def world():
    """Two territories with one centre each, reference lists and a user of every role in centre A."""
    return factories.World.build()


@pytest.fixture
def login(client):
    def _login(username: str, password: str = factories.PASSWORD):
        client.get("/logout/")
        response = client.post("/login/", data={"username": username, "password": password})
        assert response.status_code == 302, response.data[:500]
        return client

    return _login


@pytest.fixture
def api_token(client):
    def _token(username: str, password: str = factories.PASSWORD) -> dict[str, str]:
        response = client.post(
            "/api/v1/security/login",
            json={"username": username, "password": password, "provider": "db", "refresh": False},
        )
        assert response.status_code == 200, response.json
        return {"Authorization": f"Bearer {response.json['access_token']}"}

    return _token


class StatementCounter:
    """Counts the SQL statements the application sends while active."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_statements():
    counter = StatementCounter()
    engine = db.engine
    event.listen(engine, "before_cursor_execute", counter)
    yield counter
    event.remove(engine, "before_cursor_execute", counter)
