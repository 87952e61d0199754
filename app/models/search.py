"""The SQL side of the one Russian search (the text rules are ``app.domain.search``).

A searchable model keeps a ``search`` column: its words folded by ``app.domain.search`` (lower case, «ё» as «е»),
written by the model itself before every insert and update (``SearchKey``). A query is a ``LIKE '%token%'`` per
token on that column (``instr`` on SQLite), so the comparison is the same on SQLite (whose ``lower()`` and ``LIKE``
fold ASCII only) and on PostgreSQL, and an index serves it:

* PostgreSQL: a GIN trigram index (``pg_trgm``, ``gin_trgm_ops``) on ``search`` answers ``LIKE '%…%'`` without
  reading the table;
* SQLite: the citizens' key has a trigram index of SQLite's own full-text search (FTS5, ``SQLITE_TEXT_INDEXED``);
  elsewhere the same index declaration is a plain B-tree on ``search``, which the planner reads in place of the
  table for a region-wide search (a narrow index instead of the whole rows), while a centre's search walks the
  centre's index first. ``bench.py`` measures both (the README's Performance section).

List search, the API's filters and the search-as-you-type lookups all call ``matching`` and ``ranked`` here.
Plain text columns without a key are compared folded too (``folded``): SQLite gets a ``console_fold`` function.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy import Boolean, Index, String, and_, bindparam, case, event, literal, or_
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.functions import GenericFunction

from app.domain import search as rules

KEY_LENGTH = 400


class SearchKey:
    """Mixin of a searchable model: a ``search`` column kept from ``search_key()`` at every write."""

    search: Mapped[str] = mapped_column(String(KEY_LENGTH), default="", server_default="")
    # the text columns whose words are in the key: a filter on one of them is narrowed by the key (its index)
    search_parts: tuple[str, ...] = ()

    def search_key(self) -> str:  # pragma: no cover - every searchable model defines it
        raise NotImplementedError

    def refresh_search_key(self) -> None:
        self.search = rules.fold(self.search_key())[:KEY_LENGTH]


def search_index(table: str) -> Index:
    """The index behind a model's search: GIN trigram on PostgreSQL, a B-tree on SQLite (see the module)."""
    return Index(
        f"ix_{table}_search",
        "search",
        postgresql_using="gin",
        postgresql_ops={"search": "gin_trgm_ops"},
    )


@event.listens_for(SearchKey, "before_insert", propagate=True)
@event.listens_for(SearchKey, "before_update", propagate=True)
def _keep_key(mapper, connection, target) -> None:
    target.refresh_search_key()


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class _contains(GenericFunction):  # noqa: N801 - an SQL function's name
    """``column`` holds ``spelling``, both folded: its arguments are the ``LIKE`` of the column, the column and the
    plain spelling, of which each database renders what serves it (below)."""

    type = Boolean()
    inherit_cache = True


@compiles(_contains)
def _contains_like(element, compiler, **kw):
    """``LIKE '%…%'``, which PostgreSQL's trigram index answers."""
    like, _, _ = element.clauses
    return compiler.process(like, **kw)


# SQLite: the tables whose search key has a trigram index of SQLite's full-text search (FTS5, the table
# ``<table>_search``, kept by triggers: migration d1f3a5c7e9b2): the region's citizens, searched by the department
# and by the registrar at every appeal. Any other key is read row by row.
SQLITE_TEXT_INDEXED = ("citizen",)
TRIGRAM = 3  # the trigram index finds a text of at least three letters


def text_index(table: str) -> str:
    return f"{table}_search"


@compiles(_contains, "sqlite")
def _contains_instr(element, compiler, **kw):
    """``instr()``: it reads every key and finds a text in it about twice as fast as ``LIKE`` matches a pattern
    (the key is folded already, so both agree)."""
    _, column, spelling = element.clauses
    return f"(instr({compiler.process(column, **kw)}, {compiler.process(spelling, **kw)}) > 0)"


class _indexed_contains(GenericFunction):  # noqa: N801 - an SQL function's name
    """``_contains`` on a key with a trigram index on SQLite too: its arguments are the ``LIKE`` of the column, the
    column's table's id and the text as a phrase of SQLite's full-text search (any text inside the key)."""

    type = Boolean()
    inherit_cache = True
    # a condition as it stands, as a comparison is: without it SQLAlchemy writes ``(…) = 1`` on SQLite, which keeps
    # SQLite from looking the rows up by the ids the index names (34 ms for the region's citizens instead of 1)
    _is_implicitly_boolean = True


@compiles(_indexed_contains)
def _indexed_like(element, compiler, **kw):
    like, _, _ = element.clauses
    return compiler.process(like, **kw)


@compiles(_indexed_contains, "sqlite")
def _indexed_match(element, compiler, **kw):
    """The rows the full-text index names."""
    _, rows, phrase = element.clauses
    index = text_index(getattr(rows.table, "element", rows.table).name)
    found = f"SELECT rowid FROM {index} WHERE {index} MATCH {compiler.process(phrase, **kw)}"
    return f"({compiler.process(rows, **kw)} IN ({found}))"


def contains(column, spelling: str):
    """The pattern is written into the statement rather than sent as a parameter. PostgreSQL plans a statement run
    often enough (psycopg prepares it at the fifth run) once for any parameter: not knowing the text, it takes the
    trigram index for every search, even for a word found every few rows, where walking a centre's measures in
    date order and checking each finds the page at once (a director's measures with «психолог» at 3,000,000
    measures: 170 ms instead of 1.5). Written in, each text is its own statement, planned for what it is."""
    pattern = bindparam(None, f"%{_escape(spelling)}%", type_=String(), literal_execute=True)
    like = column.like(pattern, escape="\\")
    table = getattr(column, "table", None)
    base = getattr(table, "element", table)
    if getattr(base, "name", None) in SQLITE_TEXT_INDEXED and len(spelling) >= TRIGRAM:
        phrase = '"' + spelling.replace('"', '""') + '"'
        return _indexed_contains(like, table.c.id, literal(phrase))
    return _contains(like, column, literal(spelling))


def matching(columns, query: str | None):
    """The condition "every token of the query occurs in one of ``columns``" (folded keys; one column or a tuple),
    or ``None`` for an empty query."""
    found = rules.tokens(query)
    if not found:
        return None
    columns = columns if isinstance(columns, tuple | list) else (columns,)
    return and_(*(or_(*(contains(c, spelling) for c in columns for spelling in token)) for token in found))


def ranked(column, query: str | None):
    """0 for an exact first word (a surname), 1 for a key starting with the query, 2 for the rest: order by it."""
    found = rules.tokens(query)
    if not found:
        return literal(2)
    first = _escape(found[0][0])
    return case(
        (column.like(f"{first} %", escape="\\"), 0),
        (column == found[0][0], 0),
        (column.like(f"{first}%", escape="\\"), 1),
        else_=2,
    )


class folded(GenericFunction):  # noqa: N801 - an SQL function's name
    """A text column folded as the search folds it: lower case, «ё» as «е» (``console_fold`` on SQLite)."""

    type = String()
    inherit_cache = True


@compiles(folded)
def _folded_default(element, compiler, **kw):
    return f"lower(replace(replace({compiler.process(element.clauses, **kw)}, 'Ё', 'Е'), 'ё', 'е'))"


@compiles(folded, "sqlite")
def _folded_sqlite(element, compiler, **kw):
    return f"console_fold({compiler.process(element.clauses, **kw)})"


def _fold_or_none(value):
    return None if value is None else rules.fold(value)


@event.listens_for(Engine, "connect")
def _sqlite_functions(dbapi_connection, connection_record) -> None:
    """SQLite's ``lower()`` folds ASCII only: give every SQLite connection the search's own folding."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_function("console_fold", 1, _fold_or_none, deterministic=True)
