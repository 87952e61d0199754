"""Reference data: territories, centres, units, organisations, categories, circumstances."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.fab.interface import eager
from app.fab.registry import REFERENCE, Menu
from app.fab.views import ConsoleModelView
from app.models import Category, Centre, Circumstance, Organisation, Territory, Unit


class TerritoryView(ConsoleModelView):
    datamodel = eager(Territory)
    menu = Menu("Territories", _l("Territories"), "fa-map", REFERENCE)
    list_title = _l("Territories")
    list_columns = ["name"]
    add_columns = edit_columns = show_columns = ["name"]
    search_columns = ["name"]
    order_columns = ["name"]


class UnitView(ConsoleModelView):
    datamodel = eager(Unit, "centre")
    menu = Menu("Units", _l("Units"), "fa-sitemap", REFERENCE)
    list_title = _l("Units")
    list_columns = ["name", "centre"]
    add_columns = edit_columns = show_columns = ["centre", "name"]
    search_columns = ["name", "centre"]


class CentreView(ConsoleModelView):
    datamodel = eager(Centre, "territory")
    menu = Menu("Centres", _l("Centres"), "fa-building", REFERENCE)
    list_title = _l("Centres")
    list_columns = ["short_name", "name", "territory", "phone", "director_name"]
    add_columns = edit_columns = show_columns = [
        "name",
        "short_name",
        "territory",
        "address",
        "phone",
        "email",
        "director_name",
    ]
    search_columns = ["name", "short_name", "territory"]
    order_columns = ["short_name", "name"]
    related_views = ["UnitView"]


class OrganisationView(ConsoleModelView):
    datamodel = eager(Organisation, "territory")
    menu = Menu("Organisations", _l("Partner organisations"), "fa-handshake", REFERENCE)
    list_title = _l("Partner organisations")
    list_columns = ["name", "kind", "territory"]
    add_columns = edit_columns = show_columns = ["name", "kind", "territory"]
    search_columns = ["name", "kind", "territory"]
    order_columns = ["name", "kind"]


class CategoryView(ConsoleModelView):
    datamodel = eager(Category)
    menu = Menu("Categories", _l("Categories of citizens"), "fa-tags", REFERENCE)
    list_title = _l("Categories of citizens")
    list_columns = ["name", "sort_order"]
    add_columns = edit_columns = show_columns = ["name", "sort_order"]
    search_columns = ["name"]
    base_order = ("sort_order", "asc")


class CircumstanceView(ConsoleModelView):
    datamodel = eager(Circumstance)
    menu = Menu("Circumstances", _l("Circumstances of need"), "fa-exclamation-circle", REFERENCE)
    list_title = _l("Circumstances of need")
    list_columns = ["name", "sort_order"]
    add_columns = edit_columns = show_columns = ["name", "sort_order"]
    search_columns = ["name"]
    base_order = ("sort_order", "asc")
