"""The models and the Alembic migrations agree, and the migrations build a database from nothing.

The comparison uses ``compare_type`` and ``render_item`` taken from ``migrations/env.py`` itself (that file runs
migrations when imported, so its two functions are lifted from its source), with the options Flask-Migrate
passes, so this test sees what ``flask db migrate`` would see.
"""

from __future__ import annotations

import ast
import contextvars
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import create_engine, inspect, text

from app import bundled, create_app
from app.extensions import db
from app.models.search import SQLITE_TEXT_INDEXED, text_index
from config import Config

ENV_PY = bundled("migrations") / "env.py"


def _env_functions(*names: str) -> dict[str, object]:
    """The named top-level functions of migrations/env.py, compiled from its source without running the file."""
    tree = ast.parse(ENV_PY.read_text(encoding="utf-8"))
    wanted = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name in names]
    assert sorted(node.name for node in wanted) == sorted(names), "migrations/env.py changed its hooks"
    namespace: dict[str, object] = {}
    exec(compile(ast.Module(body=wanted, type_ignores=[]), str(ENV_PY), "exec"), namespace)
    return namespace


def _head_revision() -> str:
    script = ScriptDirectory(str(bundled("migrations")))
    return script.get_current_head()


def test_models_match_the_migrations():
    """Autogenerate finds nothing to do: every model change came with its migration."""
    hooks = _env_functions("compare_type", "render_item", "include_object_for")
    options = {
        **current_app.extensions["migrate"].configure_args,
        "compare_type": hooks["compare_type"],
        "render_item": hooks["render_item"],
        "include_object": hooks["include_object_for"](db.engine.dialect.name),
    }
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts=options)
        assert context.get_current_revision() == _head_revision()
        differences = compare_metadata(context, db.metadata)

    assert differences == [], "\n".join(str(d) for d in differences)


@pytest.fixture
def fresh_app(app, tmp_path):
    """A second console app (FAB allows several) on an empty SQLite file; ``app`` is the suite's own."""
    path = tmp_path / "fresh.db"
    overrides = {
        "TESTING": True,
        "ENV_NAME": "testing",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "UPLOAD_FOLDER": f"{tmp_path}/",
        "REDIS_URL": None,
        "RATELIMIT_ENABLED": False,
    }
    fresh = create_app(type("FreshConfig", (Config,), overrides))
    yield fresh, path
    with fresh.app_context():
        db.engine.dispose()


def _tables(path: Path) -> set[str]:
    engine = create_engine(f"sqlite:///{path}")
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


# SQLite's full-text indexes of search keys (app.models.search): the virtual table and the tables FTS5 keeps for it
TEXT_INDEXES = {
    f"{text_index(table)}{part}"
    for table in SQLITE_TEXT_INDEXED
    for part in ("", "_data", "_idx", "_config", "_docsize")
}


def _version(path: Path) -> str | None:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()


def _flask(fresh, *args: str):
    """Run a ``flask`` command on ``fresh``. Flask's CLI uses an already pushed app context when there is one
    (the suite's autouse fixture pushes the main app's), so the command runs in an empty ``contextvars`` context.
    """
    return contextvars.Context().run(fresh.test_cli_runner().invoke, args=list(args))


def test_flask_db_upgrade_builds_an_empty_database_and_downgrade_removes_it(fresh_app):
    """``flask db upgrade`` from nothing reaches the head with every model table; ``downgrade base`` undoes it."""
    fresh, path = fresh_app
    assert not path.exists() or _tables(path) == set()

    result = _flask(fresh, "db", "upgrade")
    assert result.exit_code == 0, result.output + repr(result.exception)
    assert _version(path) == _head_revision()
    assert _tables(path) == {table.name for table in db.metadata.sorted_tables} | {"alembic_version"} | TEXT_INDEXES

    result = _flask(fresh, "db", "downgrade", "base")
    assert result.exit_code == 0, result.output + repr(result.exception)
    assert _tables(path) == {"alembic_version"}

    result = _flask(fresh, "db", "upgrade")
    assert result.exit_code == 0, result.output + repr(result.exception)
    assert _version(path) == _head_revision()


def _snapshot(path: Path) -> dict[tuple[str, str], int]:
    """Rows per table, and per foreign-key column the rows that point somewhere: what a migration must keep."""
    engine = create_engine(f"sqlite:///{path}")
    try:
        found = {}
        with engine.connect() as connection:
            inspector = inspect(connection)
            for table in inspector.get_table_names():
                found[(table, "")] = connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar()
                for key in inspector.get_foreign_keys(table):
                    for column in key["constrained_columns"]:
                        found[(table, column)] = connection.execute(
                            text(f'SELECT count("{column}") FROM "{table}"')
                        ).scalar()
        return found
    finally:
        engine.dispose()


def _revisions_back(count: int) -> list[str]:
    """The ``count`` revisions before the head, newest first."""
    script = ScriptDirectory(str(bundled("migrations")))
    return [revision.down_revision for revision in script.walk_revisions()][:count]


@pytest.mark.one_pass  # a SQLite file of its own: PostgreSQL changes a table in place
@pytest.mark.parametrize("back_to", _revisions_back(4))
def test_a_migration_keeps_the_data_it_does_not_change(fresh_app, back_to):
    """On the demo data set, down to an earlier revision and up again: every row of every table both revisions have
    is still there and still points where it pointed (SQLite rebuilds a table to change it: with foreign keys
    enforced, dropping the old copy would delete or empty the rows that refer to it)."""
    fresh, path = fresh_app
    for command in (("db", "upgrade"), ("demo", "load")):
        result = _flask(fresh, *command)
        assert result.exit_code == 0, result.output + repr(result.exception)
    before = _snapshot(path)
    result = _flask(fresh, "db", "downgrade", back_to)
    assert result.exit_code == 0, result.output + repr(result.exception)
    kept = _snapshot(path).keys()
    result = _flask(fresh, "db", "upgrade")
    assert result.exit_code == 0, result.output + repr(result.exception)
    after = _snapshot(path)
    changed = {key: (before[key], after[key]) for key in kept if key in before and before[key] != after[key]}
    assert changed == {}
    assert before[("measure_organisation", "")] and before[("staff_profile", "grant_id")]  # there was data to lose


def test_the_full_text_indexes_follow_their_tables_at_the_head(world):
    """SQLite: the triggers that keep a search key's trigram index are there at the head (a migration that rebuilds
    the table drops them), and the index agrees with its table after inserts, changes and deletes."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's own full-text index; PostgreSQL's trigram index is an index of the table")
    from tests import factories

    first = factories.citizen(world.centre_a, surname="Первоначальная")
    factories.citizen(world.centre_a, surname="Удаляемая")
    first.surname = "Переименованная"
    db.session.commit()
    db.session.execute(text("DELETE FROM citizen WHERE surname = 'Удаляемая'"))
    db.session.commit()
    with db.engine.connect() as connection:
        for table in SQLITE_TEXT_INDEXED:
            index = text_index(table)
            triggers = connection.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"), {"t": table}
            ).scalars()
            assert {f"{index}_insert", f"{index}_delete", f"{index}_update"} <= set(triggers)
            connection.execute(text(f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)"))

        def found(word: str) -> int:
            phrase = f'"{word}"'
            return connection.execute(
                text("SELECT count(*) FROM citizen_search WHERE citizen_search MATCH :p"), {"p": phrase}
            ).scalar()

        assert (found("переименованная"), found("первоначальная"), found("удаляемая")) == (1, 0, 0)
