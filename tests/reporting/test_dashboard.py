"""The home dashboard: figures per role from aggregate queries, within the scope, in proper Russian plurals."""

from __future__ import annotations

import re

import pytest

from app.platform.clock import today as regional_today
from tests import factories


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


@pytest.mark.parametrize(
    ("count", "phrase"),
    [(1, "1 гражданин на сопровождении"), (2, "2 гражданина на сопровождении"), (5, "5 граждан на сопровождении")],
)
def test_russian_plural_forms(world, login, count, phrase):
    for _ in range(count):
        factories.programme(factories.citizen(world.centre_a))
    assert phrase in text(login("director").get("/"))


def test_the_directors_dashboard_counts_the_centre_only(world, login):
    for status in ("active", "active", "extended", "draft"):
        factories.programme(factories.citizen(world.centre_a), status=status)
    factories.programme(factories.citizen(world.centre_b), status="active")
    page = text(login("director").get("/"))
    assert "3 гражданина на сопровождении" in page
    status_chart = page[page.index("Программы по статусам") :]
    assert "черновик 1 действует 2 продлена 1" in status_chart
    assert "3 граждан" not in text(login("specialist_b").get("/"))  # centre B: one citizen
    assert "1 гражданин на сопровождении" in text(login("specialist_b").get("/"))
    department = text(login("department").get("/"))
    assert "4 гражданина на сопровождении" in department and "Действующие программы по учреждениям" in department


def test_the_admin_sees_no_case_figures(world, login):
    factories.programme(factories.citizen(world.centre_a))
    page = text(login("admin").get("/"))
    assert "на сопровождении" not in page and "Нагрузка" not in page


def test_a_registrar_sees_no_programme_figures(world, login):
    """The registrar keeps the journal of appeals and reads no programme: none of the dashboard's figures."""
    factories.programme(factories.citizen(world.centre_a))
    page = text(login("registrar").get("/"))
    assert "на сопровождении" not in page and "Программы по статусам" not in page


def test_open_programmes_by_category_within_the_scope(world):
    """Counted per category of the citizen, larger first; citizens without a category under a dash; only open
    programmes; only the user's centres."""
    from app.models import Category
    from app.reporting.dashboard import caseload
    from app.security.scope import Scope

    families = factories.add(Category(name="Семьи с детьми", sort_order=2))
    for status in ("active", "extended", "completed", "draft"):
        factories.programme(factories.citizen(world.centre_a, category=world.category), status=status)
    factories.programme(factories.citizen(world.centre_a, category=families), status="active")
    factories.programme(factories.citizen(world.centre_a), status="active")
    factories.programme(factories.citizen(world.centre_b, category=families), status="active")
    factories.programme(factories.citizen(world.centre_b, category=families), status="extended")

    assert caseload(Scope(frozenset({world.centre_a.id}))).by_category == [
        ("Граждане пожилого возраста", 2),
        ("Семьи с детьми", 1),
        ("—", 1),
    ]
    assert caseload(Scope.everything()).by_category == [
        ("Семьи с детьми", 3),
        ("Граждане пожилого возраста", 2),
        ("—", 1),
    ]


def test_the_figures_open_the_lists_behind_them(world, login):
    from datetime import timedelta
    from html import unescape

    today = regional_today()
    ending = factories.programme(
        factories.citizen(world.centre_a), number="П-кончается", start_date=today - timedelta(days=170)
    )
    ending.end_date = today + timedelta(days=5)
    factories.programme(factories.citizen(world.centre_a), number="П-закрыта", status="completed")
    late = factories.programme(factories.citizen(world.centre_a), number="П-длится")
    factories.measure(late, title="Просроченное мероприятие", due_date=today - timedelta(days=2))
    factories.measure(late, title="Будущее мероприятие", due_date=today + timedelta(days=2))
    factories.add(ending)
    client = login("director")
    html = client.get("/").get_data(as_text=True)
    links = {
        label: unescape(href)
        for href, label in re.findall(r'<a href="([^"]+)">([^<:]+):', html)
        if label.strip() in ("Программы, завершающиеся в ближайшие 14 дней", "Просроченные мероприятия")
    }
    assert len(links) == 2, html[:2000]
    ending_list = client.get(links["Программы, завершающиеся в ближайшие 14 дней"]).get_data(as_text=True)
    assert "П-кончается" in ending_list and "П-длится" not in ending_list and "П-закрыта" not in ending_list
    overdue_list = client.get(links["Просроченные мероприятия"]).get_data(as_text=True)
    assert "Просроченное мероприятие" in overdue_list and "Будущее мероприятие" not in overdue_list


def test_overdue_measures_are_counted_up_to_the_dashboards_cap(world, login, monkeypatch):
    """A region's overdue measures read «более …» beyond the dashboard's cap (a thousand), as a list's records do
    beyond theirs; below it, exactly."""
    from datetime import timedelta

    from app.reporting import dashboard

    programme = factories.programme(factories.citizen(world.centre_a), status="active")
    for n in range(3):
        factories.measure(programme, due_date=regional_today() - timedelta(days=n + 1))
    assert "Просроченные мероприятия: 3" in text(login("director").get("/"))

    assert dashboard.OVERDUE_CAP == 1_000
    monkeypatch.setattr(dashboard, "OVERDUE_CAP", 2)
    assert "Просроченные мероприятия: более 2" in text(login("director").get("/"))
