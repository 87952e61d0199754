import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

# this is the Alembic Config object, which provides
# access to the values within the .ini file in use.
config = context.config

# Interpret the config file for Python logging.
# This line sets up loggers basically.
fileConfig(config.config_file_name)
logger = logging.getLogger("alembic.env")


def get_engine():
    try:
        # this works with Flask-SQLAlchemy<3 and Alchemical
        return current_app.extensions["migrate"].db.engine
    except (TypeError, AttributeError):
        # this works with Flask-SQLAlchemy>=3
        return current_app.extensions["migrate"].db.engine


def get_engine_url():
    try:
        return get_engine().url.render_as_string(hide_password=False).replace("%", "%%")
    except AttributeError:
        return str(get_engine().url).replace("%", "%%")


# add your model's MetaData object here
# for 'autogenerate' support
# from myapp import mymodel
# target_metadata = mymodel.Base.metadata
config.set_main_option("sqlalchemy.url", get_engine_url())
target_db = current_app.extensions["migrate"].db

# other values from the config, defined by the needs of env.py,
# can be acquired:
# my_important_option = config.get_main_option("my_important_option")
# ... etc.


def get_metadata():
    if hasattr(target_db, "metadatas"):
        return target_db.metadatas[None]
    return target_db.metadata


def run_migrations_offline():
    """Run migrations in 'offline' mode.

    This configures the context with just a URL
    and not an Engine, though an Engine is acceptable
    here as well.  By skipping the Engine creation
    we don't even need a DBAPI to be available.

    Calls to context.execute() here emit the given string to the
    script output.

    """
    url = config.get_main_option("sqlalchemy.url")
    context.configure(url=url, target_metadata=get_metadata(), literal_binds=True)

    with context.begin_transaction():
        context.run_migrations()


def render_item(type_, obj, autogen_context):
    """Render FAB's FileColumn (a String holding a file name) as plain String."""
    from flask_appbuilder.models.mixins import FileColumn

    if type_ == "type" and isinstance(obj, FileColumn):
        return f"sa.String(length={obj.impl.length})"
    return False


def compare_type(context, inspected_column, metadata_column, inspected_type, metadata_type):
    """FileColumn is stored as VARCHAR: same length means no change; otherwise Alembic's default."""
    from flask_appbuilder.models.mixins import FileColumn

    if isinstance(metadata_type, FileColumn):
        return getattr(inspected_type, "length", None) != metadata_type.impl.length
    return None


def include_object_for(dialect: str):
    """Autogenerate's filter of the models' objects on a database of ``dialect``: an index made on one database
    only (``Index.ddl_if(dialect=…)``, such as the reminder scan's on SQLite) is not missing on the other, and
    SQLite's full-text indexes of search keys (a virtual table and its own tables, made by a migration) are not
    tables to drop."""
    from app.models.search import SQLITE_TEXT_INDEXED, text_index

    text_indexes = tuple(text_index(table) for table in SQLITE_TEXT_INDEXED)

    def include_object(obj, name, type_, reflected, compare_to):
        if type_ == "table" and reflected and compare_to is None and name.startswith(text_indexes):
            return False
        condition = getattr(obj, "_ddl_if", None) if type_ == "index" and not reflected else None
        return condition is None or condition.dialect is None or condition.dialect == dialect

    return include_object


def run_migrations_online():
    """Run migrations in 'online' mode.

    In this scenario we need to create an Engine
    and associate a connection with the context.

    """

    # this callback is used to prevent an auto-migration from being generated
    # when there are no changes to the schema
    # reference: http://alembic.zzzcomputing.com/en/latest/cookbook.html
    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    conf_args = current_app.extensions["migrate"].configure_args
    conf_args.setdefault("render_item", render_item)
    conf_args["compare_type"] = compare_type
    if conf_args.get("process_revision_directives") is None:
        conf_args["process_revision_directives"] = process_revision_directives

    connectable = get_engine()

    with connectable.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # A batch migration rebuilds a SQLite table by copying it and dropping the old one; with foreign keys
            # enforced, that drop deletes or empties every row referring to it (ON DELETE CASCADE / SET NULL): a
            # measure's organisations, a staff profile's grant. SQLite's own procedure for changing a table: keys
            # off, change, check, keys on (the pragma works only outside a transaction).
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        conf_args["include_object"] = include_object_for(connection.dialect.name)
        context.configure(connection=connection, target_metadata=get_metadata(), **conf_args)

        with context.begin_transaction():
            context.run_migrations()

        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()
            if broken:
                raise RuntimeError(f"the migration left rows pointing nowhere: {broken[:10]}")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
