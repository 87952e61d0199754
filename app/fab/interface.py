"""The data interface of every console view and API: FAB's SQLAInterface limited to the user's centres.

Every query FAB makes goes through ``_apply_inner_all`` (lists, counts, show, edit, delete, actions, API reads and
writes) or ``get_related_interface`` (dropdowns of forms and search), so the centre scope of ``app.security.scope``
applies to all of them; displayed relations are loaded with the rows.
"""

from __future__ import annotations

from flask import g, has_request_context
from flask_appbuilder.exceptions import DatabaseException
from flask_appbuilder.models.sqla.interface import SQLAInterface
from sqlalchemy import func, literal, select, true, union_all
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import aliased, joinedload, selectinload
from sqlalchemy.sql.util import ClauseAdapter, find_tables

from app.extensions import db
from app.fab.conflicts import conflict_of
from app.fab.guards import valid_id
from app.fab.search import ConsoleFilterConverter, ConsoleFilters
from app.models.policy import policy_of
from app.platform import audit
from app.security.scope import current_scope, restrict, scope_clause

# A list counts its records up to this many, in steps of it: a region's list reads «более 10 000» (more than
# 10,000) instead of counting a million measures on every view; a centre's lists, and any search that finds fewer,
# stay exact. The pager links three pages ahead of the current one, so deep pages count up to the next step.
COUNT_CAP = 10_000
PAGES_AHEAD = 3


class CappedCount(int):
    """A count stopped at ``cap``: there are more than ``cap`` records. Its value is ``cap + 1``, so that a pager
    working with numbers (FAB's) offers the page after the cap; the list template reads ``capped`` and ``cap``.

    Why capped and not estimated: an estimate (PostgreSQL's planner statistics) is wrong in both directions after
    a bulk load or a filter and does not exist on SQLite; a capped count is exact wherever people act on the
    number (a centre's citizens and programmes, a search), costs at most ``cap`` index entries, and reads the same
    on both databases."""

    capped = True

    def __new__(cls, cap: int) -> CappedCount:
        count = super().__new__(cls, cap + 1)
        count.cap = cap
        return count


def count_cap(page: int | None, page_size: int) -> int:
    """How far a list counts: the rows the pager links to, rounded up to a step of ``COUNT_CAP``."""
    needed = ((page or 0) + PAGES_AHEAD + 1) * page_size
    return COUNT_CAP * max(1, -(-needed // COUNT_CAP))


class ScopedInterface(SQLAInterface):
    """SQLAInterface limited to the user's centres, loading displayed relations up front.

    Every query FAB makes goes through ``_apply_inner_all`` (lists, counts, show, edit,
    delete, actions, API reads and writes) or ``get_related_interface`` (dropdowns of
    forms and search), so the centre scope of ``app.security.scope`` applies to all.

    FAB's ModelView never passes ``select_columns``, so a related column costs one
    lazy SELECT per row. ``eager`` names dotted relationship paths to load up front:
    many-to-one by a join, collections by one extra ``IN`` query.
    """

    filter_converter_class = ConsoleFilterConverter  # the console's Russian search (app.fab.search)

    def __init__(self, obj, eager: tuple[str, ...] = (), session=None) -> None:
        super().__init__(obj, session=session)
        self.eager = eager

    def get_filters(self, search_columns=None, search_filters=None) -> ConsoleFilters:
        """FAB's filters of a list, with the filters each column offers worked out once per interface: FAB works
        them out for every column on each use, for the page's list and every related list of a card (a citizen's
        card: some 240 filter objects on every request). The API's filters are the column's own
        (``ConsoleFilters``)."""
        if search_filters:
            made = super().get_filters(search_columns, search_filters)
            made.__class__ = ConsoleFilters
            return made
        key = tuple(search_columns or ())
        known = self.__dict__.setdefault("_console_filters", {})
        if key not in known:
            made = super().get_filters(list(key))
            made.__class__ = ConsoleFilters
            known[key] = (made._search_filters, made._all_filters)
            return made
        filters = ConsoleFilters.__new__(ConsoleFilters)  # FAB's __init__ without its conversions: no state kept
        filters.search_columns, filters.datamodel = list(key), self
        filters.filter_converter = self.filter_converter_class
        filters.clear_filters()
        filters._search_filters, filters._all_filters = known[key]
        return filters

    def _apply_inner_all(self, query, *args, **kwargs):
        return super()._apply_inner_all(restrict(query, self.obj), *args, **kwargs)

    def get_related_obj(self, col_name: str, value):
        """The parent of a related list. A show page's related lists each ask for the record the page has just
        read through the scope: take it from the session. Anything else (a filter typed into a URL) is read
        through the scope."""
        related = self.get_related_interface(col_name)
        if isinstance(value, list | tuple):  # FAB hands a filter's values as a list
            value = value[0] if len(value) == 1 else None
        try:
            key = db.session.identity_key(related.obj, int(value))
        except (TypeError, ValueError):
            key = None
        loaded = db.session.identity_map.get(key) if key is not None else None
        return loaded if loaded is not None else related.get(value)

    @staticmethod
    def is_model_already_joined(query, model) -> bool:
        """Only the FROM clause counts. FAB's own check also looks into WHERE, where the centre scope's subquery
        names the parent table (``programme_id IN (SELECT programme.id …)``): sorting by the parent's column would
        then skip the join and select from an unjoined table."""
        table = model.__table__
        return any(
            found is table or getattr(found, "element", None) is table
            for from_ in query.statement.get_final_froms()
            for found in find_tables(from_, include_aliases=True)
        )

    def _query_join_relation(self, query, root_relation: str, aliases_mapping=None):
        """Sorting by a related column joins the relation. A required many-to-one is joined inner, so the
        database may walk the related table's index in order; FAB's outer join forces sorting the whole table
        (a million measures by their programme's number: 170 ms instead of under 1 ms)."""
        relation = sa_inspect(self.obj).relationships[root_relation]
        if relation.uselist or any(column.nullable for column in relation.local_columns):
            return super()._query_join_relation(query, root_relation, aliases_mapping)
        related = relation.mapper.class_
        alias = aliased(related, name=root_relation)
        if aliases_mapping is not None:
            aliases_mapping[root_relation] = alias
        query = query.join(getattr(self.obj, root_relation).of_type(alias))
        # The related row is in the user's centres whenever the row is: saying so lets the database walk the related
        # index within the centre (a centre's measures by programme number: under 1 ms instead of 60 ms)
        scope = current_scope()
        if scope.partner:  # a partner's measure does not make its programme the partner's: the row's scope suffices
            return query
        clause = scope_clause(related, scope)
        return query if clause is None else query.filter(ClauseAdapter(sa_inspect(alias).selectable).traverse(clause))

    # --- writes: what the database refuses is said as a rule (app.fab.conflicts), never in the database's words ---

    def add(self, item, commit: bool = True) -> None:
        self._refusing(super().add, item, commit)

    def edit(self, item, commit: bool = True) -> None:
        self._refusing(super().edit, item, commit)

    def delete(self, item, commit: bool = True) -> None:
        self._refusing(super().delete, item, commit)

    def _refusing(self, write, item, commit: bool) -> None:
        try:
            write(item, commit)
        except (SQLAlchemyError, DatabaseException) as error:
            self.session.rollback()
            raise conflict_of(error.__cause__ if isinstance(error, DatabaseException) else error) from None

    def get(self, id, filters=None, select_columns=None, outer_default_load=False):
        """A record read by one of its views (card, edit form, API, action) is a read of personal data where it is
        one (``app.platform.audit.note_read``, written once after the response). An id that is no whole number of
        the database's range names no record."""
        if not valid_id(id):
            return None
        item = super().get(id, filters, select_columns, outer_default_load)
        if item is not None and has_request_context():
            audit.note_read(item)
            # kept for the rest of the request (the page's breadcrumbs and title name it): the session's identity
            # map holds records weakly, and reading it again would cost a statement
            g.setdefault("console_records", {})[(self.obj, item.id)] = item
        return item

    def query_count(self, query, filters=None, select_columns=None, cap: int | None = None) -> int:
        """The number of records the filters select, counted up to ``cap`` (a ``CappedCount`` beyond it): the
        primary keys of at most ``cap + 1`` rows, which the database reads from an index and stops."""
        if cap is None:
            return super().query_count(query, filters, select_columns)
        query = self._apply_inner_all(query, filters, select_columns=select_columns, aliases_mapping={})
        # without the order a filter may bring (the search's relevance): a count has no use for it, and the database
        # would rank every match before stopping at the cap
        keys = query.order_by(None).with_entities(*sa_inspect(self.obj).primary_key).limit(cap + 1).subquery()
        count = self.session.scalar(select(func.count()).select_from(keys))
        return CappedCount(cap) if count > cap else count

    def query(
        self,
        filters=None,
        order_column="",
        order_direction="",
        page=None,
        page_size=None,
        select_columns=None,
        outer_default_load=False,
    ):
        """The page first, then the count only if the page cannot tell it. A card's related list of three
        consents, a form's dropdown of categories or the last page of a list costs one statement, not two; a full
        page counts up to ``count_cap`` (``CappedCount``)."""
        rows = self.apply_all(
            self.session.query(self.obj),
            filters,
            order_column,
            order_direction,
            page,
            page_size,
            select_columns,
            outer_default_load,
        ).all()
        if not page_size or (rows and len(rows) < page_size):
            count = (page or 0) * (page_size or 0) + len(rows)
        elif not rows and not page:
            count = 0
        else:
            count = self.query_count(
                self.session.query(self.obj),
                filters,
                _joins_filtered(filters, select_columns),
                cap=count_cap(page, page_size),
            )
        # FAB's unwrapping of rows selected with ``select_columns`` (the REST API)
        if rows and hasattr(rows[0], self.obj.__name__):
            rows = [getattr(row, self.obj.__name__) for row in rows]
        return count, rows

    def apply_all(
        self,
        query,
        filters=None,
        order_column="",
        order_direction="",
        page=None,
        page_size=None,
        select_columns=None,
        outer_default_load=False,
    ):
        reference = self._reference_order(order_column) if page_size else None
        walk = self._walked_order(order_column, filters) if page_size and reference is None else None
        key = sa_inspect(self.obj).primary_key[0]
        if reference is not None:  # the page is picked from the reference list's order, then loaded as usual
            query = super().apply_all(query, filters, "", "", None, None, select_columns, outer_default_load)
            ranked = self._ranked_page(reference, filters, order_direction, page or 0, page_size)
            then = ranked.c.id if order_direction == "asc" else ranked.c.id.desc()
            query = query.join(ranked, ranked.c.id == key).order_by(ranked.c.rank, then)
            query = query.offset((page or 0) * page_size).limit(page_size)
        elif walk is not None:  # the page is picked by walking the related index, then loaded as usual
            query = super().apply_all(query, filters, "", "", None, None, select_columns, outer_default_load)
            walked = self._walked_page(walk, filters, order_direction, page or 0, page_size)
            order = (
                (walked.c.rank, walked.c.id) if order_direction == "asc" else (walked.c.rank.desc(), walked.c.id.desc())
            )
            query = query.join(walked, walked.c.id == key).order_by(*order)
            query = query.offset((page or 0) * page_size).limit(page_size)
        else:
            query = super().apply_all(
                query, filters, order_column, order_direction, page, page_size, select_columns, outer_default_load
            )
        if select_columns or not self.eager:
            return query  # the REST API selects its own columns and joins them already
        return query.options(*(_load_option(self.obj, path) for path in self.eager))

    def _reference_order(self, order_column: str):
        """(foreign key, related column) when the list sorts by a column of reference data (a citizen by the name of
        the category), else ``None``."""
        name, _, column = order_column.partition(".")
        relation = sa_inspect(self.obj).relationships.get(name) if column else None
        if relation is None or relation.uselist or len(relation.local_columns) != 1:
            return None
        related = relation.mapper.class_
        policy = policy_of(related)
        if policy is None or policy.rows is not None:  # reference data: a short list, the same for everybody
            return None
        (foreign_key,) = relation.local_columns
        return foreign_key, getattr(related, column)

    def _walked_order(self, order_column: str, filters):
        """(relation, column name) when PostgreSQL should walk the related table's index for the sort (a centre's
        programmes by their citizen's surname), else ``None``.

        Sorting by a related column joins the relation (``_query_join_relation``) and says that the related row is
        in the user's centres too. PostgreSQL then counts the rows of the centre twice over, as if a programme of
        the centre and a citizen of the centre were unrelated (2,000 × 2,000 / 100,000 = 40 rows expected, 2,000
        found), judges it cheaper to join and sort all of them than to walk the citizens in order, and reads 4,000
        rows for a page of 25 (22 ms instead of 1 at 100,000 citizens). Only where the relation is required (an
        inner join keeps every row), and only for the whole list of a centre or of the region: a filter, or a
        partner's few measures, may keep a row in a thousand, which the walk would look for behind every related
        row, while the join starts from those few. SQLite walks the index by itself, and has no ``LATERAL``."""
        if (filters is not None and filters.filters) or current_scope().partner:
            return None
        name, _, column = order_column.partition(".")
        relation = sa_inspect(self.obj).relationships.get(name) if column else None
        if relation is None or relation.uselist or len(relation.local_columns) != 1 or len(relation.remote_side) != 1:
            return None
        if any(c.nullable for c in relation.local_columns) or column not in relation.mapper.columns:
            return None
        if self.session.get_bind().dialect.name != "postgresql":
            return None
        return relation, column

    def _walked_page(self, walk, filters, direction: str, page: int, page_size: int):
        """The ids of the rows up to this page with their related column, the related rows walked in order: for
        each related row in index order, its own rows (a ``LATERAL`` subquery, which the planner cannot merge into
        a join of everything), until the page is full."""
        relation, column = walk
        related = aliased(relation.mapper.class_, name=f"walked_{relation.key}")
        (foreign_key,) = relation.local_columns
        (remote,) = relation.remote_side
        key = sa_inspect(self.obj).primary_key[0]
        rows = self._apply_inner_all(self.session.query(key), filters, aliases_mapping={}).statement
        rows = rows.where(foreign_key == sa_inspect(related).selectable.c[remote.key]).order_by(key)
        rows = rows.lateral("walked_rows")
        rank = getattr(related, column)
        walked = select(rows.c[0].label("id"), rank.label("rank")).select_from(related).join(rows, true())
        scope = current_scope()
        clause = None if scope.partner else scope_clause(relation.mapper.class_, scope)  # as _query_join_relation
        if clause is not None:
            walked = walked.where(ClauseAdapter(sa_inspect(related).selectable).traverse(clause))
        order = (rank, rows.c[0]) if direction == "asc" else (rank.desc(), rows.c[0].desc())
        return walked.order_by(*order).limit((page + 1) * page_size).subquery("walked")

    def _ranked_page(self, reference, filters, direction: str, page: int, page_size: int):
        """The ids of the rows up to this page, ranked by the reference list's order, then by id.

        Sorting a region's 100,000 citizens by their category's name joins and sorts all of them for 25 rows. The
        reference list is short: read it in order (one statement), and take from each of its entries the first
        rows in id order, which the indexes give without sorting; the database merges those few rows. Rows without
        a reference come last in ascending order, first in descending (PostgreSQL's NULL order, on SQLite too)."""
        foreign_key, column = reference
        related = column.class_
        descending = direction != "asc"
        keys = self.session.scalars(
            select(related.id).order_by(column.desc() if descending else column, related.id)
        ).all()
        keys = [None, *keys] if descending else [*keys, None]
        key = sa_inspect(self.obj).primary_key[0]
        wanted = (page + 1) * page_size
        branches = []
        for rank, value in enumerate(keys):
            rows = self._apply_inner_all(self.session.query(key), filters, aliases_mapping={})
            rows = rows.filter(foreign_key.is_(None) if value is None else foreign_key == value)
            rows = rows.order_by(key.desc() if descending else key).limit(wanted).subquery()
            branches.append(select(rows.c[0].label("id"), literal(rank).label("rank")))
        return union_all(*branches).subquery("ranked")


def _joins_filtered(filters, select_columns):
    """What a count must join: the related columns a filter reads. The REST API selects related columns (a measure
    with its programme's number) and FAB counted through those joins: a million measures joined to their
    programmes only to be counted. A many-to-one join changes no count (inner only where the key is required)."""
    if not select_columns or not filters:
        return None
    filtered = {flt.column_name.split(".")[0] for flt in filters.filters if "." in str(flt.column_name)}
    return [column for column in select_columns if column.split(".")[0] in filtered] or None


def _load_option(model, path: str):
    option = None
    current = model
    for name in path.split("."):
        rel = sa_inspect(current).relationships[name]
        attr = getattr(current, name)
        loader = selectinload if rel.uselist else joinedload
        option = loader(attr) if option is None else getattr(option, loader.__name__)(attr)
        current = rel.mapper.class_
    return option


def eager(model, *paths: str) -> ScopedInterface:
    return ScopedInterface(model, eager=paths)
