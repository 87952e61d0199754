"""The one Russian search as the pages and the API use it, on the suite's database (SQLite or PostgreSQL): the list
search, the API's filters and the search-as-you-type lookups find what Russians type, within the user's centres."""

from __future__ import annotations

import json
from datetime import date

import prison
import pytest
from flask_appbuilder.models.sqla.interface import SQLAInterface

from app.extensions import db
from app.fab.search import FilterFoldedEqual
from app.models import Citizen
from tests import factories


@pytest.fixture
def people(world):
    found = {
        "zhukov": factories.citizen(world.centre_a, surname="Жуков", first_name="Константин", patronymic="Петрович"),
        "zhukova": factories.citizen(world.centre_a, surname="Жукова", first_name="Анна", patronymic="Ивановна"),
        "fedorov": factories.citizen(
            world.centre_a,
            surname="Фёдоров",
            first_name="Семён",
            patronymic="Ильич",
            birth_date=date(1961, 4, 12),
            snils=factories.VALID_SNILS[0],
        ),
        "bezhukov": factories.citizen(world.centre_a, surname="Безжуков", first_name="Олег"),
        "elsewhere": factories.citizen(world.centre_b, surname="Жуков", first_name="Чужой"),
    }
    return world, found


def _lookup(client, name: str, query: str) -> list[str]:
    response = client.get(f"/lookup/{name}", query_string={"q": query})
    assert response.status_code == 200, response.data
    return [row["text"] for row in response.json["results"]]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("жук", "Жуков Константин"),  # lower case, the exact surname first
        ("ЖУКОВ", "Жуков Константин"),
        ("Жуков Константин", "Жуков Константин"),
        ("константин жуков", "Жуков Константин"),  # either order
        ("Федоров", "Фёдоров Семён"),  # е for ё
        ("12.04.1961", "Фёдоров Семён"),  # the birth date as typed
        ("112-233-445 95", "Фёдоров Семён"),  # the SNILS with separators
        ("11223344595", "Фёдоров Семён"),  # and without
    ],
)
def test_the_citizen_lookup_finds_what_russians_type(people, login, query, first):
    client = login("specialist")
    found = _lookup(client, "citizen", query)
    assert found and found[0].startswith(first), found
    assert not any("Чужой" in text for text in found)  # another centre's citizen does not exist for the user


def test_a_part_of_a_surname_finds_every_surname_containing_it(people, login):
    found = _lookup(login("specialist"), "citizen", "уков")
    assert [text.split()[0] for text in found] == ["Безжуков", "Жуков", "Жукова"]  # no exact match: by surname


def test_an_exact_surname_comes_before_longer_surnames_and_parts(people, login):
    found = _lookup(login("specialist"), "citizen", "жуков")
    assert [text.split()[0] for text in found] == ["Жуков", "Жукова", "Безжуков"]


def test_programmes_are_found_by_a_part_of_the_number_and_organisations_in_any_case(world, login):
    citizen = factories.citizen(world.centre_a, surname="Жукова")
    factories.programme(citizen, number="ПСС-12/2026")
    factories.organisation(world.territory_a, name="Центр занятости населения")
    client = login("specialist")
    assert _lookup(client, "programme", "псс")[0].startswith("№ ПСС-12/2026")
    assert _lookup(client, "programme", "жуков")[0].startswith("№ ПСС-12/2026")
    assert (
        _lookup(client, "organisation", "центр")
        == _lookup(client, "organisation", "Центр")
        == ["Центр занятости населения"]
    )


def test_the_list_search_is_case_insensitive_for_cyrillic(people, login):
    client = login("director")
    for query in ("жук", "Жук", "ЖУК"):
        html = client.get(f"/citizenview/list/?_flt_0_surname={query}").get_data(as_text=True)  # starts with
        assert "Константин" in html and "Анна" in html and "Олег" not in html, query
    html = client.get("/citizenview/list/?_flt_0_search=федоров 12.04.1961").get_data(as_text=True)
    assert "Семён" in html and "Константин" not in html


def test_the_api_filters_search_the_same_way(people, client, api_token):
    headers = api_token("director")

    def surnames(filters) -> list[str]:
        query = prison.dumps({"filters": filters})
        response = client.get(f"/api/v1/citizen/?q={query}", headers=headers)
        assert response.status_code == 200, response.json
        return sorted(row["surname"] for row in response.json["result"])

    assert surnames([{"col": "surname", "opr": "ct", "value": "жук"}]) == ["Безжуков", "Жуков", "Жукова"]
    assert surnames([{"col": "search", "opr": "ct", "value": "федоров семен"}]) == ["Фёдоров"]
    assert surnames([{"col": "birth_date", "opr": "eq", "value": "12.04.1961"}]) == ["Фёдоров"]


def test_an_api_filter_is_the_columns_own_whatever_was_built_before(people, client, api_token):
    """A filter's operation means what the column offers under that name (``eq`` on a date: day-first), not what
    the filter last built under that name did (FAB's map of names to filter classes: a text column's «equal»)."""
    headers = api_token("director")

    def listed(filters) -> tuple[int, list[str]]:
        response = client.get(f"/api/v1/citizen/?q={prison.dumps({'filters': filters})}", headers=headers)
        return response.status_code, sorted(row["surname"] for row in (response.json or {}).get("result", []))

    on_a_date = [{"col": "birth_date", "opr": "eq", "value": "12.04.1961"}]
    assert listed(on_a_date) == (200, ["Фёдоров"])
    assert listed([{"col": "surname", "opr": "eq", "value": "жуков"}]) == (200, ["Жуков"])
    FilterFoldedEqual("surname", SQLAInterface(Citizen))  # FAB's map of «eq» now names a text filter
    assert listed(on_a_date) == (200, ["Фёдоров"])
    for hostile in (["birth_date"], [{"col": "birth_date"}], [{"col": "nope", "opr": "eq", "value": "1"}],
                    [{"col": "birth_date", "opr": "nope", "value": "1"}]):  # fmt: skip
        status, rows = listed(hostile)
        assert status == 400 and rows == [], hostile


def test_the_search_key_follows_every_change(people):
    _, found = people
    citizen = db.session.get(Citizen, found["zhukov"].id)
    citizen.surname = "Ёлкин"
    db.session.commit()
    assert db.session.get(Citizen, citizen.id).search.startswith("елкин константин")
    assert json.dumps(citizen.search, ensure_ascii=False)


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("д'арк", ["Д'Арк"]),  # a quote inside the text searched for
        ("%", ["Сто100%"]),  # LIKE's wildcards are letters here
        ("_", []),
        ("100%", ["Сто100%"]),
        ("\\", ["Косая\\черта"]),
    ],
)
def test_the_search_takes_quotes_and_wildcards_as_typed(world, login, query, found):
    """The searched text is written into the statement (app.models.search.contains): quoted as a literal, its
    ``%``, ``_`` and ``\\`` matched as themselves, on either database."""
    for surname in ("Д'Арк", "Сто100%", "Косая\\черта", "Обычная"):
        factories.citizen(world.centre_a, surname=surname)
    client = login("director")

    response = client.get("/citizenview/list/", query_string={"_flt_0_search": query})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    listed = [name for name in ("Д'Арк", "Сто100%", "Косая\\черта", "Обычная") if name in page.replace("&#39;", "'")]
    assert listed == found
