"""Extensions created once, bound to each app by ``create_app``."""

import sqlite3

from flask_appbuilder import Model
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import event
from sqlalchemy.engine import Engine

# FAB's declarative base, so FAB's security tables and ours share one metadata
# that Alembic's autogenerate sees.
db = SQLAlchemy(model_class=Model)
migrate = Migrate(render_as_batch=True)
csrf = CSRFProtect()
SQLITE_MMAP_BYTES = 1 << 30  # address space, not memory: the pages read are the system's file cache


@event.listens_for(Engine, "connect")
def _sqlite_foreign_keys(dbapi_connection, connection_record) -> None:
    """SQLite enforces foreign keys (RESTRICT, CASCADE, SET NULL) only when asked, per connection. Its sorts and
    temporary tables (a region's monthly detail sorts 100,000 rows) stay in memory rather than in files written and
    read back, and the database file is read through a memory map rather than a system call per page."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA temp_store=MEMORY")
        cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
        cursor.close()
    elif type(dbapi_connection).__module__.startswith("psycopg"):
        _postgresql_without_jit(dbapi_connection)


def _postgresql_without_jit(dbapi_connection) -> None:
    """PostgreSQL compiles a statement it estimates as costly to machine code first (JIT), which takes 15 to 20 ms
    and pays off only for analytical queries running for seconds. The console's statements read a page or a day's
    candidates through indexes, yet the estimate of some (the reminder scan's programmes ending soon, with their
    monitoring visits and extensions) passes the threshold: off for the console's connections. Set per connection,
    so that it holds behind a pooler too, without touching the server's configuration."""
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET jit = off")
    dbapi_connection.commit()


# PostgreSQL: psycopg prepares a statement run five times on a connection (the server then plans it once, instead of
# on every run: a page's ORM joins cost 0.3 to 1.5 ms each to plan), but forgets every prepared statement whenever a
# transaction is rolled back, and every request ends its reading transaction with a rollback. A transaction that only
# read is ended with a commit instead (the same for a transaction that changed nothing), so the connection keeps its
# prepared statements from request to request; one that wrote, or failed, is rolled back as before.
_WROTE = "console_wrote"


@event.listens_for(Engine, "begin")
def _transaction_begins(conn) -> None:
    conn.info[_WROTE] = False


@event.listens_for(Engine, "before_cursor_execute")
def _note_writes(conn, cursor, statement, parameters, context, executemany) -> None:
    if statement.lstrip()[:6].upper() != "SELECT":  # a CTE, a savepoint or a lock counts as a write too
        conn.info[_WROTE] = True


@event.listens_for(Engine, "rollback")
def _end_reads_with_commit(conn) -> None:
    if conn.dialect.name != "postgresql" or conn.info.get(_WROTE, True):
        return
    from psycopg.pq import TransactionStatus

    dbapi_connection = conn.connection.dbapi_connection
    if dbapi_connection.info.transaction_status == TransactionStatus.INTRANS:  # not failed
        dbapi_connection.commit()  # the rollback that follows finds no transaction and does nothing
