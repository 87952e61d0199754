"""How a feature puts its views, APIs and menu links into the console.

A view declares its menu entry (``menu = Menu(...)``) next to its columns; a feature's ``init_app`` hands its views,
APIs and links to ``register``. Once every feature is in, ``finish`` works out Flask-AppBuilder's roles from the
registered surfaces and the models' declarations (``app.security.roles``): nothing else lists the views.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.models.policy import policy_of
from app.security.roles import Surface, builtin_roles


@dataclass(frozen=True)
class Category:
    name: str  # the name FAB's permissions use
    label: object


# The menu a specialist reads, in this order.
CITIZENS = Category("Citizens", _l("Citizens"))
ACCOMPANIMENT = Category("Accompaniment", _l("Accompaniment"))
COMMITTEES = Category("Committees", _l("Committees"))
REFERENCE = Category("Reference", _l("Reference"))
ADMINISTRATION = Category("Administration", _l("Administration"))
CATEGORIES = (CITIZENS, ACCOMPANIMENT, COMMITTEES, REFERENCE, ADMINISTRATION)


@dataclass(frozen=True)
class Menu:
    """A view's menu entry: its name in permissions, its label and icon, its category."""

    name: str
    label: object
    icon: str
    category: Category


@dataclass(frozen=True)
class Link:
    """A menu entry of a custom page, shown to the roles that may read ``model``'s records (``partners``: as
    ``app.security.roles.Surface`` has it)."""

    name: str
    label: object
    icon: str
    category: Category
    endpoint: str
    model: type
    partners: str | None = None


def _state(appbuilder) -> dict:
    return current_app.extensions.setdefault("console.registry", {"surfaces": [], "links": []})


def start(appbuilder) -> None:
    """Create the menu's categories in the order a specialist reads them; serve the search-as-you-type lists."""
    from app.fab.lookups import LookupView

    for category in CATEGORIES:
        appbuilder.menu.add_category(category.name, label=category.label)
    appbuilder.add_view_no_menu(LookupView)


def register(appbuilder, *items) -> None:
    """Register views (with or without a menu entry), REST APIs and links, in menu order."""
    from flask_appbuilder.api import BaseApi

    state = _state(appbuilder)
    for item in items:
        if isinstance(item, Link):
            appbuilder.add_link(
                item.name,
                href=item.endpoint,
                label=item.label,
                icon=item.icon,
                category=item.category.name,
                category_label=item.category.label,
            )
            state["links"].append(item)
        elif isinstance(item, type) and issubclass(item, BaseApi):
            appbuilder.add_api(item)
            _add_surface(state, item, menus=(), api=True)
        else:
            menu: Menu | None = getattr(item, "menu", None)
            if menu is None:
                appbuilder.add_view_no_menu(item)
            else:
                appbuilder.add_view(
                    item,
                    menu.name,
                    label=menu.label,
                    icon=menu.icon,
                    category=menu.category.name,
                    category_label=menu.category.label,
                )
            _add_surface(state, item, menus=(menu.name, menu.category.name) if menu else (), api=False)


def _add_surface(state: dict, view: type, menus: tuple[str, ...], api: bool) -> None:
    datamodel = getattr(view, "datamodel", None)
    model = getattr(datamodel, "obj", None)
    if model is None or policy_of(model) is None:
        return
    name = getattr(view, "class_permission_name", None) or view.__name__
    state["surfaces"].append(Surface(name, model, menus, api, getattr(view, "partners", None)))


def _only_declared_actions(appbuilder) -> None:
    """FAB's ``/<view>/action/<name>/<pk>`` and ``/<view>/action_post`` look the action up after nothing checked it
    exists: an unknown name was a server error on every view, FAB's own user and role pages included. An action a
    view does not declare does not exist (404)."""
    from flask import abort, request
    from flask_appbuilder import ModelView

    def guarded(view, function, name_of):
        def check(**kwargs):
            if name_of(kwargs) not in view.actions:
                abort(404)
            return function(**kwargs)

        return check

    for view in appbuilder.baseviews:
        if not isinstance(view, ModelView):
            continue
        for endpoint, name_of in (
            (f"{view.endpoint}.action", lambda kwargs: kwargs.get("name")),
            (f"{view.endpoint}.action_post", lambda kwargs: request.form.get("action")),
        ):
            function = current_app.view_functions.get(endpoint)
            if function is not None:
                current_app.view_functions[endpoint] = guarded(view, function, name_of)


def surfaces(appbuilder) -> list[Surface]:
    """Every registered view and API over a declared model, with the links to custom pages of its model."""
    state = _state(appbuilder)
    links = [
        Surface("", link.model, (link.name, link.category.name), partners=link.partners) for link in state["links"]
    ]
    return [*state["surfaces"], *links]


def finish(appbuilder) -> None:
    """Work out the roles from what is registered (FAB checks them in memory, without permission queries); take
    FAB's generic file route off every view."""
    appbuilder.sm._builtin_roles = builtin_roles(surfaces(appbuilder))
    _no_generic_downloads(appbuilder)
    _only_declared_actions(appbuilder)


def _no_generic_downloads(appbuilder) -> None:
    """Flask-AppBuilder serves ``/<view>/download/<stored name>`` on every ModelView: any uploaded file, whatever
    record it belongs to, to whoever holds a download permission on any view. No role holds one
    (``app.security.roles``), and the route answers 404 for everybody on every view, ours and FAB's own: a file is
    served only through the record that owns it, read through the user's scope."""
    from flask import abort
    from flask_appbuilder import ModelView

    def no_such_file(**_kwargs):
        abort(404)

    for view in appbuilder.baseviews:
        if isinstance(view, ModelView) and type(view).download is ModelView.download:
            current_app.view_functions[f"{view.endpoint}.download"] = no_such_file


def model_views(appbuilder) -> list:
    """The registered CRUD views with a menu entry, in menu order (the tests walk them all)."""
    from flask_appbuilder import ModelView

    return [view for view in appbuilder.baseviews if isinstance(view, ModelView) and getattr(view, "menu", None)]
