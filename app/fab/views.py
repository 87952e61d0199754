"""What every console view shares: labels, choice fields, date format, validation, the save pipeline, menus."""

from __future__ import annotations

from datetime import date, datetime

from flask import abort, flash, has_request_context, request
from flask_appbuilder import ModelView
from flask_appbuilder.fieldwidgets import Select2Widget
from flask_babel import lazy_gettext as _l
from sqlalchemy import inspect as sa_inspect
from wtforms import HiddenField, SelectField
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError

from app.domain.errors import RuleViolation
from app.fab import pipeline
from app.fab.fields import form_validators
from app.fab.lookups import LookupField
from app.fab.registry import Menu
from app.models.policy import policy_of
from app.platform import audit
from app.platform.labels import COLUMN_LABELS, choice_label, choices_for, rule_message


def _blank(value):
    """An empty field reads empty, not "None"."""
    return "" if value is None else value


def _format_date(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return value


class FreshVersion:
    """Edit-form validator: refuse a form opened before another user's save (keeps the input)."""

    def __init__(self, model: type) -> None:
        self.model = model

    def __call__(self, form, field) -> None:
        try:
            pipeline.check_version(self.model, getattr(form, "_id", None), field.data)
        except RuleViolation as violation:
            message = rule_message(violation)
            flash(message, "danger")
            raise ValidationError(message) from None


class ConsoleModelView(ModelView):
    """Base of every CRUD view of the console.

    Column labels come from ``app.labels`` (one translation per column name); a
    column declared with ``info={"choices": Enum}`` becomes a select with translated
    options and is shown by its label; dates read dd.mm.yyyy; the field rules of
    ``app.validation`` guard every form.
    """

    page_size = 25
    menu: Menu | None = None  # its entry in the menu (app.fab.registry); None: reached from other pages only
    # related lists by the name of their view: a feature shows another feature's records without importing it
    related_views: list[str] = []
    # relationship → lookup name (app.views.lookups): chosen by search, never a <select> of the whole table
    lookups: dict[str, str] = {}
    # FAB's default titles are built from the class name, outside Babel.
    add_title = _l("New record")
    edit_title = _l("Edit the record")
    show_title = _l("Record")
    list_title = _l("Records")
    list_template = "appbuilder/general/model/list.html"
    # a relation in ``order_columns`` → the related column it sorts by (FAB sorts only plain columns)
    related_order: dict[str, str] = {}

    def __init__(self, **kwargs) -> None:
        policy = policy_of(self.datamodel.obj)
        if policy is not None and policy.read_only and self.base_permissions is None:
            self.base_permissions = ["can_list", "can_show"]  # nobody edits these records through a form
        self.label_columns = {**COLUMN_LABELS, **(self.label_columns or {})}
        self.formatters_columns = dict(self.formatters_columns or {})
        self.add_form_extra_fields = dict(self.add_form_extra_fields or {})
        self.edit_form_extra_fields = dict(self.edit_form_extra_fields or {})
        self.validators_columns = dict(self.validators_columns or {})
        self._init_choice_columns()
        self._init_lookups()
        self._init_version_field()
        super().__init__(**kwargs)

    def _init_choice_columns(self) -> None:
        model = self.datamodel.obj
        mapper = sa_inspect(model)
        for column in mapper.columns:
            name = column.key
            enum_cls = column.info.get("choices")
            try:
                python_type = column.type.python_type
            except NotImplementedError:
                python_type = None
            if python_type in (date, datetime):
                self.formatters_columns.setdefault(name, _format_date)
            if enum_cls is None:
                self.formatters_columns.setdefault(name, _blank)
                continue
            self.formatters_columns.setdefault(name, lambda v, e=enum_cls: choice_label(e, v))
            for extra in (self.add_form_extra_fields, self.edit_form_extra_fields):
                extra.setdefault(name, self._choice_field(name, enum_cls, column.nullable))
        for rel in mapper.relationships:
            if not rel.uselist:
                self.formatters_columns.setdefault(rel.key, _blank)
        for name, validators in form_validators([c.key for c in mapper.columns]).items():
            self.validators_columns.setdefault(name, validators)

    def _init_lookups(self) -> None:
        relationships = sa_inspect(self.datamodel.obj).relationships
        for column, name in self.lookups.items():
            rel = relationships[column]
            required = not rel.uselist and any(not c.nullable for c in rel.local_columns)
            for extra in (self.add_form_extra_fields, self.edit_form_extra_fields):
                extra.setdefault(
                    column,
                    LookupField(
                        self.label_columns.get(column, column),
                        # DataRequired: a related view's add form fills the parent from its filter, not the post
                        [DataRequired()] if required else [Optional()],
                        lookup=name,
                        multiple=rel.uselist,
                    ),
                )

    def _init_version_field(self) -> None:
        """Edit forms of versioned records carry the version they were opened with (optimistic locking)."""
        if "version" not in sa_inspect(self.datamodel.obj).columns:
            return
        self.edit_form_extra_fields["version"] = HiddenField(validators=[FreshVersion(self.datamodel.obj)])
        if self.edit_fieldsets:
            first_title, first = self.edit_fieldsets[0]
            fields = [*first["fields"], "version"]
            self.edit_fieldsets = [(first_title, {**first, "fields": fields}), *self.edit_fieldsets[1:]]
        elif self.edit_columns:
            self.edit_columns = [*self.edit_columns, "version"]

    def process_form(self, form, is_created: bool) -> None:
        """The version only guards the save (FreshVersion); SQLAlchemy increments it, never the form."""
        if "version" in form:
            del form["version"]

    def get_uninit_inner_views(self):
        """The related views named in ``related_views``, as the classes registered under those names."""
        registered = {type(view).__name__: type(view) for view in self.appbuilder.baseviews}
        return [registered[name] for name in self.related_views if name in registered]

    @property
    def _related_views(self) -> list:
        """The related lists a page shows: on the card (not on the edit form, which is for editing), and only those
        the user may list (a registrar's citizen card lists the consents and appeals, not the programmes). FAB fills
        the list once, at start-up."""
        views = self.__dict__.setdefault("_all_related_views", [])
        if not has_request_context():
            return views
        if (request.endpoint or "").endswith(".edit"):
            return []
        return [view for view in views if self.appbuilder.sm.has_access("can_list", view.class_permission_name)]

    @_related_views.setter
    def _related_views(self, views: list) -> None:
        self.__dict__["_all_related_views"] = views

    def pre_add(self, item) -> None:
        self._vet(pipeline.save, item)

    def pre_update(self, item) -> None:
        self._vet(pipeline.save, item)

    def pre_delete(self, item) -> None:
        self._vet(pipeline.delete, item)

    @staticmethod
    def _vet(steps, item) -> None:
        """The save pipeline (app.fab.pipeline); FAB flashes the refusal."""
        try:
            steps(item)
        except RuleViolation as violation:
            raise ValueError(rule_message(violation)) from None

    def _get_list_widget(self, filters, order_column="", order_direction="", **kwargs):
        """Sort only by the declared columns (FAB would pass any ``_oc_`` argument to ORDER BY: an error page,
        or an order by a column the list does not show); a relation sorts by its declared column."""
        if order_column not in self.order_columns:
            order_column, order_direction = "", ""
        order_column = self.related_order.get(order_column, order_column)
        widgets = super()._get_list_widget(
            filters, order_column=order_column, order_direction=order_direction, **kwargs
        )
        self._note_identifier_searches(filters, widgets)
        return widgets

    def _note_identifier_searches(self, filters, widgets) -> None:
        """A search by a column that identifies a person (SNILS) is audited with its term and what it found."""
        identifiers = audit.identifiers_of(self.datamodel.obj)
        if not identifiers or filters is None:
            return
        found = list(widgets["list"].template_args.get("pks") or [])
        for flt, value in zip(filters.filters, filters.values, strict=False):
            if flt.column_name in identifiers:
                term = ", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
                audit.note_search(self.datamodel.obj, flt.column_name, term, found)

    # The console's views declare no bulk actions: overridden without ``expose``, FAB's two action routes are not
    # served at all (FAB answered an unknown action's name with a server error). Should a view declare one, these are
    # the checks its rows pass: an action gets only rows of the user's scope, forged row ids load as nothing.

    def action(self, name, pk):
        if name not in self.actions or self.datamodel.get(pk) is None:
            abort(404)
        return super().action(name, pk)

    def action_post(self):
        if any(self.datamodel.get(pk) is None for pk in request.form.getlist("rowid")):
            abort(404)
        return super().action_post()

    def _choice_field(self, name: str, enum_cls, nullable: bool) -> SelectField:
        choices = choices_for(enum_cls)
        if nullable:
            choices = [("", "—"), *choices]
        return SelectField(
            self.label_columns.get(name, name),
            choices=choices,
            validators=[Optional()] if nullable else [InputRequired()],
            widget=Select2Widget(),
            coerce=lambda v: v or None,
        )
