"""Search-as-you-type dropdowns for long lists (citizens, programmes, appeals, organisations).

A form never renders a whole table into a ``<select>``: a lookup field renders only the chosen row, and Select2
(shipped with Flask-AppBuilder, initialised by its ``my_select2`` class and by ``app/static/js/console.js``, which
gives it Russian messages and puts the cursor into its search box when it opens) asks
``/lookup/<name>?q=…&page=…`` for 20 rows at a time, read through the user's centre scope. The rows are found by the
console's one search (``app.models.search``: any part of any word, «ё» as «е», exact matches first). Select2 4 takes
its AJAX settings from ``data-ajax--*`` attributes; without JavaScript the field still posts the chosen row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import g, jsonify, request
from flask_appbuilder import BaseView, expose
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import select
from wtforms import Field
from wtforms.validators import ValidationError
from wtforms.widgets import html_params

from app.extensions import db
from app.models.search import matching, ranked
from app.platform import audit
from app.security.scope import restrict, scoped_get

PAGE = 20
MIN_INPUT = 2  # characters typed before the list is asked: «Введите ещё 1 символ»


@dataclass(frozen=True)
class Lookup:
    """A list chosen by typing: its model, the view whose ``can_list`` the user needs, its order, how a row reads,
    the search keys a typed word may occur in (the model's own ``search`` by default; a programme is found by its
    number or its citizen's name, through ``joins``), the key whose exact match comes first, and the conditions every
    row meets (``where``). Features register theirs with ``register_lookup``."""

    model: type
    view: str
    order: Any
    label: Callable[[Any], str]
    keys: tuple = ()
    joins: tuple = ()
    options: tuple = ()
    rank_by: Any = None
    where: tuple = ()

    def search_keys(self) -> tuple:
        return self.keys or (self.model.search,)

    def find(self, term: str):
        """The lookup's query for a typed term: matching rows, exact matches first, then the list's order."""
        query = select(self.model).options(*self.options)
        for join in self.joins:
            query = query.join(join)
        query = query.where(*self.where)
        condition = matching(self.search_keys(), term)
        if condition is not None:
            rank_by = self.rank_by if self.rank_by is not None else self.search_keys()[0]
            query = query.where(condition).order_by(ranked(rank_by, term))
        return query.order_by(self.order, self.model.id)


LOOKUPS: dict[str, Lookup] = {}


def register_lookup(name: str, lookup: Lookup) -> None:
    LOOKUPS[name] = lookup


class LookupView(BaseView):
    """``GET /lookup/<name>?q=…&page=…`` → ``{"results": [{"id", "text"}], "pagination": {"more"}}``."""

    route_base = "/lookup"

    @expose("/<name>")
    def search(self, name: str):
        lookup = LOOKUPS.get(name)
        if lookup is None:
            return jsonify(message="unknown list"), 404
        user = getattr(g, "user", None)
        if user is None or not user.is_authenticated:
            return jsonify(message="sign in first"), 401
        if not self.appbuilder.sm.has_access("can_list", lookup.view):
            return jsonify(message="no access to this list"), 403
        term = (request.args.get("q") or "").strip()[:100]
        page = min(max(request.args.get("page", 1, type=int), 1), 10_000)  # no offset beyond any list
        query = lookup.find(term)
        rows = db.session.scalars(restrict(query, lookup.model).offset((page - 1) * PAGE).limit(PAGE + 1)).all()
        results = [{"id": row.id, "text": lookup.label(row)} for row in rows[:PAGE]]
        if audit.reads_are_audited(lookup.model):  # who looked for whom among citizens' records
            audit.note_search(lookup.model, name, term, [row["id"] for row in results])
        return jsonify(results=results, pagination={"more": len(rows) > PAGE})


class LookupWidget:
    def __call__(self, field: LookupField, **kwargs) -> Markup:
        chosen = field.objects()
        attrs = {
            "id": field.id,
            "name": field.name,
            "class": f"my_select2 form-control {kwargs.pop('class', '')}".strip(),
            "data-ajax--url": f"/lookup/{field.lookup_name}",
            "data-ajax--delay": "250",
            "data-ajax--cache": "true",
            "data-placeholder": str(_l("Start typing to search")),
            "data-minimum-input-length": str(MIN_INPUT),
            "data-allow-clear": "true",
            "data-width": "100%",
        }
        if field.multiple:
            attrs["multiple"] = True
        lookup = LOOKUPS[field.lookup_name]
        options = "".join(
            f'<option value="{obj.id}" selected>{escape(lookup.label(obj))}</option>' for obj in chosen
        ) or ('<option value=""></option>' if not field.multiple else "")
        return Markup(f"<select {html_params(**attrs)}>{options}</select>")


class LookupField(Field):
    """A relationship chosen by search: ``data`` is the ORM object (or a list of them with ``multiple``).

    A posted id is read through the user's centre scope: another centre's record is "not in the list", never
    rendered back with its label.
    """

    widget = LookupWidget()

    def __init__(self, label=None, validators=None, *, lookup: str, multiple: bool = False, **kwargs) -> None:
        super().__init__(label, validators, **kwargs)
        self.lookup_name = lookup
        self.multiple = multiple
        self._bad_value = False

    def objects(self) -> list:
        data = self.data
        if data is None or data == "":
            return []
        items = data if isinstance(data, (list, tuple)) else [data]
        model = LOOKUPS[self.lookup_name].model
        found = [item if isinstance(item, model) else scoped_get(model, item) for item in items if item]
        return [item for item in found if item is not None]

    def process_data(self, value) -> None:
        self.data = list(value or []) if self.multiple else value

    def process_formdata(self, valuelist) -> None:
        model = LOOKUPS[self.lookup_name].model
        values = [v for v in valuelist if v not in ("", None)]
        found = []
        for value in values:
            obj = scoped_get(model, value)  # another centre's record does not exist for the user
            if obj is None:
                self._bad_value = True
            else:
                found.append(obj)
        self.data = found if self.multiple else (found[0] if found else None)

    def pre_validate(self, form) -> None:
        if self._bad_value:
            raise ValidationError(_l("Choose a value from the list."))

    def _value(self) -> str:
        return ",".join(str(obj.id) for obj in self.objects())
