"""Hostile input gets a 4xx, never a server error nor the database's text: every HTML form and list of the app with
garbage in every field, and the API's known troublemakers, each answered in the one error shape.

The forms and lists are found from the app (every registered model view), so a new one is covered without editing
this file. What a refused form shows the user (keeping the input, the message by the field) is not judged here.
"""

from __future__ import annotations

from urllib.parse import quote_from_bytes

import pytest
from flask import current_app
from flask_appbuilder import ModelView

from app.domain import roles
from app.models.policy import policy_of
from app.security.roles import allowed
from tests import factories

GARBAGE = ["", "a\x00b", "9" * 40, "-1e309 31.02.2026", "' OR 1=1 --<script>((((", "Ё" * 3000]
BROKEN_UTF8 = b"\xed\xa0\x80"  # a lone surrogate encoded: what a browser could send of one
LONE_SURROGATE = '{"surname": "\\ud800"}'  # JSON may escape one, which PostgreSQL's driver cannot encode


def _nested(depth: int) -> dict:
    value: dict = {"leaf": 1}
    for _ in range(depth):
        value = {"deeper": value}
    return value


DEEP = _nested(25)


def _views():
    return [v for v in current_app.appbuilder.baseviews if isinstance(v, ModelView)]


def _user_for(model: type, permission: str) -> str | None:
    for role, username in ((roles.ADMIN, "admin"), (roles.DIRECTOR, "director"), (roles.DEPARTMENT, "department")):
        if policy_of(model) is None and role == roles.ADMIN or allowed(model, role, permission):
            return username
    return None


def _field_names(form_class) -> list[str]:
    from wtforms.fields.core import UnboundField

    return [n for n in dir(form_class) if not n.startswith("_") and isinstance(getattr(form_class, n), UnboundField)]


@pytest.fixture
def own_records(world):
    citizen = factories.citizen(world.centre_a)
    programme = factories.programme(citizen, specialist=world.users["specialist"], status="draft")
    factories.measure(programme)
    factories.appeal(citizen)
    factories.consent(citizen)
    factories.committee(world.centre_a)
    return programme


def test_every_form_takes_garbage_in_every_field_without_a_server_error(own_records, login):
    errors, posts = [], 0
    clients = {}
    for view in _views():
        model = view.datamodel.obj
        for kind, form_class in (("add", view.add_form), ("edit", view.edit_form)):
            username = _user_for(model, f"can_{kind}")
            if username is None:
                continue
            client = clients.setdefault(username, login(username))
            if kind == "edit":
                from app.extensions import db

                first = db.session.scalar(db.select(model.id).order_by(model.id))
                if first is None:
                    continue
                url = f"{view.route_base}/edit/{first}"
            else:
                url = f"{view.route_base}/add"
            names = _field_names(form_class)
            for value in GARBAGE:
                response = client.post(url, data={name: value for name in names})
                posts += 1
                if response.status_code >= 500:
                    errors.append(f"{url} {value[:20]!r}: {response.status_code}")
            body = "&".join(f"{name}={quote_from_bytes(BROKEN_UTF8)}" for name in names)
            response = client.post(url, data=body, content_type="application/x-www-form-urlencoded")
            posts += 1
            if response.status_code >= 500:
                errors.append(f"{url} broken UTF-8: {response.status_code}")
    assert posts > 150
    assert not errors, "\n".join(errors)


def test_every_list_takes_garbage_in_its_page_sort_and_search_arguments(own_records, login):
    errors, requests = [], 0
    for view in _views():
        username = _user_for(view.datamodel.obj, "can_list")
        if username is None:
            continue
        client = login(username)
        name = type(view).__name__
        base = f"{view.route_base}/list/"
        for argument in (f"page_{name}=x", f"page_{name}=-1", f"psize_{name}=1e3", f"page_{name}=99999999999999999999"):
            response = client.get(f"{base}?{argument}")
            requests += 1
            if response.status_code != 400:
                errors.append(f"{base}?{argument}: {response.status_code}")
        arguments = [f"_oc_{name}=nonexistent&_od_{name}=sideways", f"page_{name}=999999&psize_{name}=100"]
        for index, column in enumerate(view.search_columns or []):
            for value in ("((((\x00", "9" * 40, "2026-99-99"):
                arguments.append(f"_flt_{index % 3}_{column}={quote_from_bytes(value.encode())}")
        for argument in arguments:
            response = client.get(f"{base}?{argument}")
            requests += 1
            if response.status_code >= 500:
                errors.append(f"{base}?{argument}: {response.status_code}")
    assert requests > 100
    assert not errors, "\n".join(errors)


# --- the API's troublemakers, each in the one error shape -----------------------------------------------------------


def _shape(response, status: int, rule: str | None = None) -> dict:
    body = response.get_json()
    assert response.status_code == status, (response.status_code, body)
    assert set(body) == {"message", "rule", "field"}, body
    if rule is not None:
        assert body["rule"] == rule, body
    assert not any(word in body["message"] for word in ("SELECT", "INSERT", "sqlite", "psycopg", "Traceback"))
    return body


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "rule"),
    [
        ("PUT", "/api/v1/citizen/{citizen}", {"json": ["not", "an", "object"]}, 400, "invalid_body"),
        ("PUT", "/api/v1/citizen/{citizen}", {"json": "text"}, 400, "invalid_body"),
        ("POST", "/api/v1/citizen/", {"data": "{broken", "content_type": "application/json"}, 400, "invalid_json"),
        ("GET", "/api/v1/citizen/99999999999999999999999", {}, 404, "not_found"),
        ("DELETE", "/api/v1/citizen/-12237586399172038656", {}, 404, "not_found"),
        ("PUT", "/api/v1/programme/9223372036854775808", {"json": {}}, 404, "not_found"),
        ("GET", "/api/v1/citizen/?q=((((", {}, 400, "invalid_json"),
        ("GET", "/api/v1/citizen/?q=(page:99999999999999999999,page_size:10)", {}, 400, None),
        ("GET", "/api/v1/citizen/?q=(page:100000000000,page_size:100)", {}, 400, "invalid_page"),
        ("GET", "/api/v1/citizen/?q=(filters:!((col:surname,opr:sw,value:'a%00b')))", {}, 400, "invalid_text"),
        ("POST", "/api/v1/citizen/", {"json": {"surname": "A\x00B", "first_name": "И"}}, 400, "invalid_text"),
        ("POST", "/api/v1/citizen/", {"data": LONE_SURROGATE, "content_type": "application/json"}, 400, "invalid_text"),
        ("POST", "/api/v1/citizen/", {"json": {"surname": "Иванов", "centre": 2**70}}, 400, "out_of_range"),
        ("POST", "/api/v1/citizen/", {"json": {"surname": "Иванов", "centre": {"id": 1}}}, 400, "wrong_type"),
        ("POST", "/api/v1/measure/", {"json": {"title": "x", "organisations": [[1]]}}, 400, "wrong_type"),
        ("POST", "/api/v1/citizen/", {"data": "[" * 5000 + "]" * 5000, "content_type": "application/json"}, 400, None),
        ("POST", "/api/v1/citizen/", {"json": DEEP}, 400, "too_deep"),
        ("GET", "/api/v1/nothing-here/", {}, 404, "not_found"),
        ("PATCH", "/api/v1/citizen/1", {"json": {}}, 405, "method_not_allowed"),
        ("POST", "/api/v1/programme/{programme}/checklist", {"json": {"item": ["x"]}}, 400, None),
    ],
)  # fmt: skip
def test_the_apis_troublemakers_get_a_4xx_in_the_one_shape(
    method, path, kwargs, status, rule, own_records, client, api_token
):
    url = path.format(citizen=own_records.citizen_id, programme=own_records.id)
    response = client.open(url, method=method, headers=api_token("director"), **kwargs)
    _shape(response, status, rule)


def test_a_duplicate_number_is_a_409_in_the_one_shape(own_records, world, client, api_token):
    headers = api_token("director")
    body = {
        "number": own_records.number,
        "citizen": own_records.citizen_id,
        "centre": world.centre_a.id,
        "start_date": "2026-01-10",
        "end_date": "2026-06-30",
    }
    conflict = _shape(client.post("/api/v1/programme/", json=body, headers=headers), 409, "duplicate")
    assert conflict["field"] == "number"


def test_a_record_others_refer_to_is_kept_with_a_clear_409(world, client, api_token):
    """The centre of a citizen cannot be deleted: the database refuses, the answer says why."""
    factories.citizen(world.centre_b)
    refused = client.delete(f"/api/v1/centre/{world.centre_b.id}", headers=api_token("admin"))
    _shape(refused, 409, "in_use")
