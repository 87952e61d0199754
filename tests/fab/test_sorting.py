"""Lists sort by the columns they declare, relations included (a measure by its programme's number, a programme by
its citizen's surname, a citizen by category); any other sort argument falls back to the list's default order."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from app.models import Category
from app.platform.clock import today as regional_today
from tests import factories

TODAY = regional_today()


def titles(client, url: str, pattern: str) -> list[str]:
    """What ``pattern`` finds on the list page, in the order of the page."""
    response = client.get(url)
    assert response.status_code == 200, url
    return re.findall(pattern, response.get_data(as_text=True))


MEASURE = r"Сортировка П-\d(?: чужая)?"


@pytest.fixture
def three_programmes(world):
    """Programmes П-2, П-3, П-1 of centre A with one measure each, due in that order; one programme of centre B."""
    for n, number in enumerate(("П-2", "П-3", "П-1")):
        citizen = factories.citizen(world.centre_a, surname=("Яковлев", "Борисов", "Андреев")[n])
        programme = factories.programme(citizen, number=number, status="active")
        factories.measure(programme, title=f"Сортировка {number}", due_date=TODAY + timedelta(days=n))
    other = factories.programme(factories.citizen(world.centre_b), number="П-0", status="active")
    factories.measure(other, title="Сортировка П-0 чужая", due_date=TODAY - timedelta(days=1))


def test_measures_sort_by_their_programme_number_within_the_centre(three_programmes, login):
    client = login("director")
    url = "/measureview/list/?_oc_MeasureView=programme&_od_MeasureView="

    assert titles(client, url + "asc", MEASURE) == ["Сортировка П-1", "Сортировка П-2", "Сортировка П-3"]
    assert titles(client, url + "desc", MEASURE) == ["Сортировка П-3", "Сортировка П-2", "Сортировка П-1"]


def test_the_department_sorts_every_centre(three_programmes, login):
    client = login("department")
    url = "/measureview/list/?_oc_MeasureView=programme&_od_MeasureView=asc"

    assert titles(client, url, MEASURE)[0] == "Сортировка П-0 чужая"


def test_programmes_sort_by_their_citizens_surname(three_programmes, login):
    client = login("director")
    url = "/programmeview/list/?_oc_ProgrammeView=citizen&_od_ProgrammeView=asc"

    assert titles(client, url, "(?:Андреев|Борисов|Яковлев)") == ["Андреев", "Борисов", "Яковлев"]


def test_citizens_sort_by_category_name(world, login):
    """Citizens without a category come first or last, as the database sorts NULL."""
    for surname, category in (("Первый", "Б-категория"), ("Второй", None), ("Третий", "А-категория")):
        factories.citizen(world.centre_a, surname=surname, category=Category(name=category) if category else None)
    client = login("director")
    url = "/citizenview/list/?_oc_CitizenView=category&_od_CitizenView="

    for direction, expected in (("asc", ["Третий", "Первый"]), ("desc", ["Первый", "Третий"])):
        order = titles(client, url + direction, "(?:Первый|Второй|Третий)")
        assert [name for name in order if name != "Второй"] == expected
        assert order.index("Второй") in (0, 2)


@pytest.mark.parametrize("column", ["snils", "password", "centre.name", "no_such_column", "id; DROP TABLE citizen"])
def test_an_undeclared_sort_column_falls_back_to_the_default_order(column, world, login):
    """FAB would hand any ``_oc_`` argument to ORDER BY: an error page, or an order by a column the list hides."""
    for surname in ("Вторая", "Первая", "Третья"):
        factories.citizen(world.centre_a, surname=surname)
    client = login("director")
    url = f"/citizenview/list/?_oc_CitizenView={column}&_od_CitizenView=desc"

    assert titles(client, url, "(?:Первая|Вторая|Третья)") == ["Вторая", "Первая", "Третья"]


def test_a_sort_by_category_pages_through_every_citizen_in_order(world, login):
    """The page is picked from the categories in name order (app.fab.interface): page after page, every citizen
    once, by category name then by id; those without a category last in ascending order, first in descending."""
    categories = [Category(name=name) for name in ("В", "А", "Б")]
    citizens = []  # (category name, id, surname)
    for n in range(11):
        category = categories[n % 3] if n % 4 else None
        surname = f"Страничный{n:02d}"
        citizen = factories.citizen(world.centre_a, surname=surname, category=category)
        citizens.append((category.name if category else None, citizen.id, surname))
    client = login("director")

    def listed(direction: str) -> list[str]:
        url = f"/citizenview/list/?_oc_CitizenView=category&_od_CitizenView={direction}&psize_CitizenView=3"
        pages = (titles(client, f"{url}&page_CitizenView={page}", r"Страничный\d\d") for page in range(4))
        return [name for page in pages for name in page]

    ascending = [surname for *_, surname in sorted(citizens, key=lambda c: (c[0] is None, c[0] or "", c[1]))]
    assert listed("asc") == ascending
    assert listed("desc") == ascending[::-1]


def test_a_sort_by_the_citizen_pages_through_every_programme_in_order(world, login):
    """On PostgreSQL the page is picked by walking the centre's citizens in surname order (app.fab.interface):
    page after page, every programme of the centre once, by surname then by id, a citizen's two programmes and
    two citizens of one surname included, another centre's programmes never; filtered, the same order."""
    programmes = []  # (surname, id, number)
    for n, surname in enumerate(("Вяземская", "Анненкова", "Вяземская", "Борисова", "Анненкова", "Гусева", "Борисова")):
        citizen = factories.citizen(world.centre_a, surname=surname)
        for k in range(1 + n % 2):
            number = f"Ходовая-{n}{k}"
            programmes.append((surname, factories.programme(citizen, number=number, status="active").id, number))
    factories.programme(factories.citizen(world.centre_b, surname="Аарон"), number="Ходовая-чужая", status="active")
    factories.programme(factories.citizen(world.centre_a, surname="Абрамова"), number="Прочая-1", status="active")
    client = login("director")

    def listed(direction: str, filtered: str = "") -> list[list[str]]:
        url = f"/programmeview/list/?_oc_ProgrammeView=citizen&_od_ProgrammeView={direction}&psize_ProgrammeView=3"
        return [
            titles(client, f"{url}{filtered}&page_ProgrammeView={page}", r"(?:Ходовая|Прочая)-[\wа-я]+")
            for page in range(5)
        ]

    ascending = ["Прочая-1", *(number for *_, number in sorted(programmes))]
    assert len(ascending) == 11
    descending = ascending[::-1]
    assert listed("asc") == [ascending[0:3], ascending[3:6], ascending[6:9], ascending[9:], []]
    assert listed("desc") == [descending[0:3], descending[3:6], descending[6:9], descending[9:], []]
    filtered = ascending[1:]
    assert listed("asc", "&_flt_2_number=ходовая") == [filtered[0:3], filtered[3:6], filtered[6:9], filtered[9:], []]
