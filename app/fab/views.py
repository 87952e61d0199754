"""What every console view shares: labels, choice fields, date fields, validation, the save pipeline, menus, and
forms that never lose what the user typed.

A refused save — a field rule, a rule of the pipeline, a number already taken, a version read before another user's
save, a change the user may not make — re-renders the same form with the user's input and the message by the field
it concerns (at the top of the form when it concerns the record as a whole), answering 400. A saved record opens
its own card (``saved_url``), or the page a form was opened from (``next``).
"""

from __future__ import annotations

from datetime import date, datetime

from flask import abort, flash, g, has_request_context, redirect, request, url_for
from flask_appbuilder import ModelView, expose, has_access
from flask_appbuilder.exceptions import DatabaseException
from flask_appbuilder.fieldwidgets import Select2Widget
from flask_appbuilder.urltools import get_filter_args
from flask_appbuilder.widgets import ListWidget
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from wtforms import BooleanField, HiddenField, SelectField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional, ValidationError

from app.domain.errors import RuleViolation
from app.extensions import db
from app.fab import pipeline
from app.fab.conflicts import conflict_of
from app.fab.dates import date_field
from app.fab.fields import form_validators
from app.fab.lookups import LookupField
from app.fab.registry import Menu
from app.models.policy import policy_of
from app.platform import audit
from app.platform.labels import COLUMN_LABELS, choice_label, choices_for, rule_message


def _blank(value):
    """An empty field reads empty, not "None"."""
    return "" if value is None else value


def _names(values):
    """A to-many relation by its records' names (never a list's ``repr``)."""
    return ", ".join(str(v) for v in values or [])


def _yes_no(value) -> str:
    return str(_l("yes") if value else _l("no"))


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


def safe_next(url: str | None) -> str | None:
    """A ``next`` address of this console only (a path), never another site."""
    if url and url.startswith("/") and not url.startswith("//") and "\\" not in url:
        return url
    return None


def put_on_form(form, violation: RuleViolation, fields: dict | None = None) -> None:
    """A refusal by the field it concerns (``fields`` renames a rule's field to the form's), else at the top."""
    message = rule_message(violation)
    name = (fields or {}).get(violation.field, violation.field)
    field = form._fields.get(name) if name else None
    if field is not None and getattr(field.widget, "input_type", None) != "hidden":
        field.errors = [*field.errors, message]
        flash(_("The record is not saved: see the message by the field."), "danger")
    else:
        flash(message, "danger")


WHOLE_NUMBER = NumberRange(
    min=-(2**31), max=2**31 - 1, message=_l("Enter a whole number from -2147483648 to 2147483647.")
)


class ConsoleListWidget(ListWidget):
    """FAB's list with a count that may be capped (``app.fab.interface.CappedCount``): «более 10 000»."""

    template = "fab/list.html"


class ConsoleModelView(ModelView):
    """Base of every CRUD view of the console.

    Column labels come from ``app.platform.labels`` (one translation per column name); a
    column declared with ``info={"choices": Enum}`` becomes a select with translated
    options and is shown by its label; dates read dd.mm.yyyy; the field rules of
    ``app.fab.fields`` guard every form.
    """

    page_size = 25
    menu: Menu | None = None  # its entry in the menu (app.fab.registry); None: reached from other pages only
    # related lists by the name of their view: a feature shows another feature's records without importing it
    related_views: list[str] = []
    # relationship → lookup name (app.fab.lookups): chosen by search, never a <select> of the whole table
    lookups: dict[str, str] = {}
    # FAB's default titles are built from the class name, outside Babel.
    add_title = _l("New record")
    edit_title = _l("Edit the record")
    show_title = _l("Record")
    list_title = _l("Records")
    list_template = "appbuilder/general/model/list.html"
    list_widget = ConsoleListWidget
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
        self.search_form_extra_fields = dict(self.search_form_extra_fields or {})
        self._init_choice_columns()
        self._init_date_fields()
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
            if python_type is bool:  # a box: unticked is "no", never a missing value; shown as yes or no
                self.formatters_columns.setdefault(name, _yes_no)
                default = column.default.arg if column.default is not None else False
                for extra in (self.add_form_extra_fields, self.edit_form_extra_fields):
                    extra.setdefault(name, BooleanField(self.label_columns.get(name, name), default=default))
                continue
            if enum_cls is None:
                self.formatters_columns.setdefault(name, _blank)
                continue
            self.formatters_columns.setdefault(name, lambda v, e=enum_cls: choice_label(e, v))
            for extra in (self.add_form_extra_fields, self.edit_form_extra_fields):
                extra.setdefault(name, self._choice_field(name, enum_cls, column.nullable))
        for rel in mapper.relationships:
            self.formatters_columns.setdefault(rel.key, _names if rel.uselist else _blank)
        for name, validators in form_validators([c.key for c in mapper.columns]).items():
            self.validators_columns.setdefault(name, validators)
        for column in mapper.columns:  # a whole number the database's INTEGER can hold, said before it refuses
            if isinstance(column.type, Integer) and not column.primary_key and not column.foreign_keys:
                self.validators_columns.setdefault(column.key, []).append(WHOLE_NUMBER)

    def _init_date_fields(self) -> None:
        """Every date column is typed дд.мм.гггг (``app.fab.dates``), in forms and in the list's search; a column
        declared ``info={"month": True}`` is a month, typed мм.гггг."""
        for column in sa_inspect(self.datamodel.obj).columns:
            try:
                if column.type.python_type is not date:
                    continue
            except NotImplementedError:
                continue
            name = column.key
            label = self.label_columns.get(name, name)
            month = bool(column.info.get("month"))
            required = not column.nullable and column.default is None
            description = (self.description_columns or {}).get(name)
            for extra in (self.add_form_extra_fields, self.edit_form_extra_fields):
                extra.setdefault(
                    name,
                    date_field(label, required, self.validators_columns.get(name, []), description, month=month),
                )
            self.search_form_extra_fields.setdefault(name, date_field(label, False, month=month))
            if month:
                self.formatters_columns.setdefault(name, lambda d: f"{d:%m.%Y}" if d else "")

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
        """The version only guards the save (FreshVersion); SQLAlchemy increments it, never the form. It is set
        aside, and put back if the save is refused (the form is shown again, still carrying it)."""
        if "version" in form:
            form._console_version = form["version"]
            del form["version"]

    def _init_forms(self) -> None:
        """FAB's forms, with "—" for an empty choice of a related record (FAB's blank shows as ``__None``)."""
        super()._init_forms()
        for form in (self.add_form, self.edit_form, self.search_form):
            for name in dir(form):
                unbound = getattr(form, name, None)
                if getattr(unbound, "field_class", None) is not None and "allow_blank" in unbound.kwargs:
                    unbound.kwargs["blank_text"] = "—"

    def download(self, filename):
        """Not a route: Flask-AppBuilder's ``/download/<filename>`` sends any uploaded file by its name, whatever
        record it belongs to. A record's file is sent by its view's own route, through the record (``app.fab.files``).
        """
        abort(404)

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
        pipeline.save(item)

    def pre_update(self, item) -> None:
        pipeline.save(item)

    def pre_delete(self, item) -> None:
        """The delete steps of the pipeline; FAB flashes the refusal."""
        try:
            pipeline.delete(item)
        except RuleViolation as violation:
            raise ValueError(rule_message(violation)) from None

    # --- forms that keep the input -------------------------------------------------------------------------------

    form_fields: dict[str, str] = {}  # a rule's field name → the form's field showing its refusal, where they differ

    def _add(self):
        """FAB's add, with every refusal shown on the same form (FAB drops the form and flashes the error)."""
        get_filter_args(self._filters, disallow_if_not_in_search=False)
        exclude_cols = self._filters.get_relation_cols()
        form = self.add_form.refresh()
        if request.method == "POST":
            self._fill_form_exclude_cols(exclude_cols, form)
            if form.validate():
                self.process_form(form, True)
                if self._store(form, self.datamodel.obj(), created=True):
                    return None
            g.console_refused = True
        else:
            self.update_redirect()
            self.prefill_add_form(form)
        return self._get_add_widget(form=form, exclude_cols=exclude_cols)

    def _edit(self, pk):
        """FAB's edit, with every refusal shown on the same form."""
        if request.method != "POST":
            return super()._edit(pk)
        get_filter_args(self._filters, disallow_if_not_in_search=False)
        exclude_cols = self._filters.get_relation_cols()
        item = self.datamodel.get(pk, self._base_filters)
        if not item:
            abort(404)
        form = self.edit_form.refresh(request.form)
        self._fill_form_exclude_cols(exclude_cols, form)
        form._id = self.datamodel.get_pk_value(item)
        if form.validate():
            self.process_form(form, False)
            if self._store(form, item, created=False):
                return None
        g.console_refused = True
        widgets = self._get_edit_widget(form=form, exclude_cols=exclude_cols)
        return self._get_related_views_widgets(item, filters={}, orders={}, pages={}, page_sizes={}, widgets=widgets)

    def prefill_add_form(self, form) -> None:
        """Values proposed on an empty add form (a view may propose a number)."""

    def _store(self, form, item, created: bool) -> bool:
        try:
            with db.session.no_autoflush:
                form.populate_obj(item)
                (self.pre_add if created else self.pre_update)(item)
            if created:
                self.datamodel.add(item)
            else:
                self.datamodel.edit(item)
        except RuleViolation as violation:
            db.session.rollback()
            self._refuse(form, violation)
            return False
        except (IntegrityError, DatabaseException, StaleDataError) as error:
            db.session.rollback()
            conflict = conflict_of(error)  # what the database refused, in words (app.fab.conflicts)
            self._refuse(form, RuleViolation(conflict.rule, conflict.field, **conflict.params))
            return False
        (self.post_add if created else self.post_update)(item)
        flash(self.add_row_message if created else self.edit_row_message, "success")
        g.console_saved = item
        return True

    def _refuse(self, form, violation: RuleViolation) -> None:
        version = getattr(form, "_console_version", None)
        if version is not None:
            form._fields["version"] = version
            form.version = version
        put_on_form(form, violation, self.form_fields)

    @expose("/add", methods=["GET", "POST"])
    @has_access
    def add(self):
        response = super().add()
        return (response, 400) if g.get("console_refused") else response

    @expose("/edit/<pk>", methods=["GET", "POST"])
    @has_access
    def edit(self, pk):
        response = super().edit(pk)
        return (response, 400) if g.get("console_refused") else response

    def saved_url(self, item) -> str:
        """Where a saved record opens: its card."""
        return url_for(f"{self.endpoint}.show", pk=item.id)

    def post_add_redirect(self):
        return self._after_save()

    def post_edit_redirect(self):
        return self._after_save()

    def _after_save(self):
        target = safe_next(request.args.get("next"))
        item = g.get("console_saved")
        if target is None and item is not None and "can_show" in self.base_permissions:
            target = self.saved_url(item)
        return redirect(target or self.get_redirect())

    add_row_message = _l("The record is saved.")
    edit_row_message = _l("The changes are saved.")
    delete_row_message = _l("The record is deleted.")

    # --- page titles and breadcrumbs -----------------------------------------------------------------------------

    def render_template(self, template, **kwargs):
        kwargs.setdefault("breadcrumbs", self.breadcrumbs(template, kwargs))
        record = kwargs.get("record")
        if record is not None and kwargs.get("title"):
            kwargs["title"] = f"{record} — {kwargs['title']}"
        return super().render_template(template, **kwargs)

    def breadcrumbs(self, template: str, kwargs: dict) -> list[tuple[str, str | None]]:
        """Home › the list › the record › the form: on cards and forms."""
        if template not in (self.show_template, self.edit_template, self.add_template):
            return []
        crumbs = [(str(self.list_title), url_for(f"{self.endpoint}.list"))]
        pk = kwargs.get("pk") or (request.view_args or {}).get("pk")
        # the record this request has read through the user's scope (``ScopedInterface.get``), never another one
        record = g.get("console_records", {}).get((self.datamodel.obj, int(pk))) if str(pk or "").isdigit() else None
        if record is not None:
            kwargs["record"] = record
            if template == self.show_template:
                crumbs.append((str(record), None))
            else:
                crumbs.append((str(record), url_for(f"{self.endpoint}.show", pk=record.id)))
                crumbs.append((str(_("Editing")), None))
        elif template == self.add_template:
            crumbs.append((str(self.add_title), None))
        return crumbs

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
