"""The one Russian search in Flask-AppBuilder's lists and API filters (lookups call the same ``app.models.search``).

Every text filter of every list and REST resource compares folded text (case-insensitive for Cyrillic on SQLite
too, «ё» as «е»); a model with a search key (``app.models.search.SearchKey``) offers ``search`` as one field that
finds a record by any part of its words, ranked with exact matches first, and its own text columns are narrowed by
that key first, so the index serves them. Date filters read ``дд.мм.гггг``. The filters keep FAB's order, so the
``_flt_<n>_`` of a bookmarked address keeps its meaning.
"""

from __future__ import annotations

from flask_appbuilder.exceptions import InvalidColumnFilterFABException, InvalidOperationFilterFABException
from flask_appbuilder.models.filters import Filters
from flask_appbuilder.models.sqla import filters as fab
from sqlalchemy import and_
from sqlalchemy import inspect as sa_inspect

from app.domain.dates import parse_date
from app.domain.search import fold as fold_value
from app.models.search import SearchKey, contains, folded, matching, ranked


def _column(filter_, query):
    return fab.get_field_setup_query(query, filter_.model, filter_.column_name)


def _key_of(filter_):
    """The model's search key when the filtered column is one of the words it is made of, else ``None``."""
    model = filter_.model
    if isinstance(model, type) and issubclass(model, SearchKey) and filter_.column_name in model.search_parts:
        return model.search
    return None


def _folded_filter(query, filter_, value, condition):
    """``condition(folded column, folded value)``. Where the key is made of this column alone (a measure's title, a
    programme's number) the key *is* the folded column: the condition is asked of the key, which the index serves.
    Where the key holds other words too (a citizen's name), the key narrows first and the column decides."""
    text = fold_value(str(value or ""))
    key = _key_of(filter_)
    if key is not None and len(filter_.model.search_parts) == 1:
        return query.filter(condition(key, text))
    query, field = _column(filter_, query)
    clause = condition(folded(field), text)
    narrowing = matching(key, text) if key is not None else None
    return query.filter(clause if narrowing is None else and_(narrowing, clause))


class FilterFoldedContains(fab.FilterContains):
    def apply(self, query, value):
        return _folded_filter(query, self, value, contains)


class FilterFoldedStartsWith(fab.FilterStartsWith):
    def apply(self, query, value):
        return _folded_filter(query, self, value, lambda column, text: column.startswith(text, autoescape=True))


class FilterFoldedEqual(fab.FilterEqual):
    def apply(self, query, value):
        return _folded_filter(query, self, value, lambda column, text: column == text)


class FilterFoldedEndsWith(fab.FilterEndsWith):
    def apply(self, query, value):
        return _folded_filter(query, self, value, lambda column, text: column.endswith(text, autoescape=True))


def _folded_negation(query, filter_, value, condition):
    query, field = _column(filter_, query)
    return query.filter(~condition(folded(field), fold_value(str(value or ""))))


class FilterFoldedNotStartsWith(fab.FilterNotStartsWith):
    def apply(self, query, value):
        return _folded_negation(query, self, value, lambda column, text: column.startswith(text, autoescape=True))


class FilterFoldedNotEndsWith(fab.FilterNotEndsWith):
    def apply(self, query, value):
        return _folded_negation(query, self, value, lambda column, text: column.endswith(text, autoescape=True))


class FilterFoldedNotContains(fab.FilterNotContains):
    def apply(self, query, value):
        return _folded_negation(query, self, value, contains)


class FilterFoldedNotEqual(fab.FilterNotEqual):
    def apply(self, query, value):
        query, field = _column(self, query)
        return query.filter(folded(field) != fold_value(str(value or "")))


class FilterSearch(fab.FilterContains):
    """``search``: every word typed occurs in the record's key, exact matches first."""

    def apply(self, query, value):
        condition = matching(self.model.search, str(value or ""))
        if condition is None:
            return query
        return query.filter(condition).order_by(ranked(self.model.search, str(value or "")))


def _day_first(value):
    return parse_date(value) or value if isinstance(value, str) else value


class FilterDateEqual(fab.FilterEqual):
    def apply(self, query, value):
        return super().apply(query, _day_first(value))


class FilterDateNotEqual(fab.FilterNotEqual):
    def apply(self, query, value):
        return super().apply(query, _day_first(value))


class FilterDateGreater(fab.FilterGreater):
    def apply(self, query, value):
        return super().apply(query, _day_first(value))


class FilterDateSmaller(fab.FilterSmaller):
    def apply(self, query, value):
        return super().apply(query, _day_first(value))


# FAB's order, so that the ``_flt_<n>_`` of an address people bookmarked keeps its meaning
TEXT_FILTERS = [
    FilterFoldedStartsWith,
    FilterFoldedEndsWith,
    FilterFoldedContains,
    FilterFoldedEqual,
    FilterFoldedNotStartsWith,
    FilterFoldedNotEndsWith,
    FilterFoldedNotContains,
    FilterFoldedNotEqual,
    fab.FilterIn,
    fab.FilterNotIn,
]
DATE_FILTERS = [FilterDateEqual, FilterDateGreater, FilterDateSmaller, FilterDateNotEqual]
NUMBER_FILTERS = [
    fab.FilterEqual,
    fab.FilterGreater,
    fab.FilterSmaller,
    fab.FilterNotEqual,
    fab.FilterIn,
    fab.FilterNotIn,
]


class ConsoleFilterConverter(fab.SQLAFilterConverter):
    """FAB's filters with the console's search: folded text, the search key, day-first dates, code lists."""

    conversion_table = tuple(
        (kind, filters)
        for kind, filters in (
            ("is_relation_many_to_one", [fab.FilterRelationOneToManyEqual, fab.FilterRelationOneToManyNotEqual]),
            ("is_relation_one_to_one", [fab.FilterRelationOneToManyEqual, fab.FilterRelationOneToManyNotEqual]),
            ("is_relation_many_to_many", [fab.FilterRelationManyToManyEqual]),
            ("is_relation_one_to_many", [fab.FilterRelationManyToManyEqual]),
            ("is_enum", [fab.FilterEqual, fab.FilterNotEqual]),
            ("is_text", TEXT_FILTERS),
            ("is_string", TEXT_FILTERS),
            ("is_integer", NUMBER_FILTERS),
            ("is_float", NUMBER_FILTERS),
            ("is_numeric", NUMBER_FILTERS),
            ("is_date", DATE_FILTERS),
            ("is_boolean", [fab.FilterEqual, fab.FilterNotEqual]),
            ("is_datetime", DATE_FILTERS),
            ("is_json", [FilterFoldedContains]),
        )
    )

    def convert(self, col_name):
        """The filters a column offers, worked out once per interface and column: FAB builds a ``Filters`` for
        every column of the model each time it joins, copies or narrows a list's filters (ten times on a citizen's
        card, a sixth of the page's time), each column asking a dozen questions of the model. The filters keep no
        state; each caller gets its own list, as FAB appends a view's own filters to it."""
        known = self.datamodel.__dict__.setdefault("_console_converted", {})
        if col_name not in known:
            known[col_name] = self._convert(col_name)
        return list(known[col_name])

    def _convert(self, col_name):
        model = self.datamodel.obj
        if col_name == "search" and issubclass(model, SearchKey):
            return [FilterSearch(col_name, self.datamodel)]
        column = sa_inspect(model).columns.get(col_name)
        if column is not None and column.info.get("choices") is not None:
            # equal, not equal, one of (``_flt_2_status=active&_flt_2_status=extended``: the dashboard's links)
            return [
                fab.FilterEqual(col_name, self.datamodel),
                fab.FilterNotEqual(col_name, self.datamodel),
                fab.FilterIn(col_name, self.datamodel),
            ]
        return super().convert(col_name)


class ConsoleFilters(Filters):
    """FAB's filters of a list, the REST API's taken from the column's own."""

    def rest_add_filters(self, data) -> None:
        """The filter the column itself offers for the operation asked (``eq`` on a date: day-first). FAB looks the
        operation up in a map of the filter class last *made* under that name, for whatever column, so that an API
        filter did what the last list built happened to leave there."""
        for item in data:
            try:
                operation, column, value = item["opr"], item["col"], item["value"]
            except (KeyError, TypeError):
                raise InvalidOperationFilterFABException("A filter needs col, opr and value") from None
            if column not in self.search_columns:
                raise InvalidColumnFilterFABException(f"Filter column: {column} not allowed to filter")
            offered = self._search_filters.get(column, ())
            chosen = next((each for each in offered if each.arg_name == operation), None)
            if chosen is None:
                raise InvalidOperationFilterFABException(
                    f"Filter operation: {operation} not allowed on column: {column}"
                )
            self._add_filter(chosen, value)
