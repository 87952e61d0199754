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
