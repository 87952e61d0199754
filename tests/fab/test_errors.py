"""Error pages speak the user's language inside the console's layout; the API keeps its one error shape."""

from __future__ import annotations

import pytest
from flask import current_app

from app.fab import errors


def test_a_missing_page_is_russian_inside_the_layout(world, login):
    client = login("specialist")
    response = client.get("/no-such-page/")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Страница не найдена" in html and "Сопровождение" in html  # the menu is there
    assert "Not Found" not in html


def test_a_missing_page_is_english_after_switching(world, login):
    client = login("specialist")
    client.get("/lang/en")
    html = client.get("/no-such-page/").get_data(as_text=True)
    assert "Page not found" in html and "Accompaniment" in html and "Страница не найдена" not in html


def test_another_centres_record_is_not_found_in_words(world, login):
    from tests import factories

    citizen = factories.citizen(world.centre_b)
    response = login("specialist").get(f"/citizenview/show/{citizen.id}")
    assert response.status_code == 404
    assert "относится к другому учреждению" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("status", "title"), [(403, "Нет доступа"), (429, "Слишком много попыток"), (500, "Что-то пошло не так")]
)
def test_every_error_page_has_its_russian_words(app, status, title):
    with current_app.test_request_context("/somewhere"):
        page, code = errors._answer(status)
    assert code == status and title in page and "navbar" in page  # inside the layout, with the menu bar


def test_the_api_answers_errors_in_its_one_shape(client):
    response = client.get("/api/v1/no-such-resource/")
    assert response.status_code == 404
    assert set(response.json) == {"message", "rule", "field"} and response.json["rule"] == "not_found"
