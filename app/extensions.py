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


@event.listens_for(Engine, "connect")
def _sqlite_foreign_keys(dbapi_connection, connection_record) -> None:
    """SQLite enforces foreign keys (RESTRICT, CASCADE, SET NULL) only when asked, per connection."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
