"""The navbar's menu, rendered once per set of roles and language instead of on every page.

FAB's menu template asks the security manager about each entry and translates and addresses each one: some forty
questions, translations and ``url_for`` calls on every page, about a fifth of a list page's time. The declared roles'
permissions do not change while the app runs (``app.security.manager``), so users with the same roles see the same
menu: it is rendered once for them and each language and kept in the app. A user holding a role kept in the
database (one the administrator made) gets the menu rendered afresh on each page, as FAB does.
"""

from __future__ import annotations

from flask import Flask, current_app, render_template
from flask_babel import get_locale
from markupsafe import Markup

from app.platform.identity import current_account

ENTRIES = "appbuilder/navbar_menu_entries.html"  # FAB's navbar_menu.html, unchanged


def menu_html() -> Markup:
    appbuilder = current_app.appbuilder
    roles = appbuilder.sm.declared_roles_of(current_account())
    if roles is None:
        return Markup(render_template(ENTRIES, menu=appbuilder.menu))
    rendered = current_app.extensions.setdefault("console_menu", {})
    key = (roles, str(get_locale()))
    if key not in rendered:
        rendered[key] = Markup(render_template(ENTRIES, menu=appbuilder.menu))
    return rendered[key]


def install(app: Flask) -> None:
    app.jinja_env.globals["console_menu"] = menu_html
