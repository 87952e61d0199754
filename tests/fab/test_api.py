"""The REST API under /api/v1/: JWT login, list/show/create/update/delete for each resource, its OpenAPI
description, bad input answered with 400/422 and a JSON message naming the field (never 500), and 401 without
a token.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Appeal, Centre, Citizen, Committee, CommitteeDecision, Measure, Programme
from app.platform.clock import today as regional_today
from tests import factories


@dataclass
class Resource:
    """One REST resource: a valid POST body (it may create related rows), a PUT body and what it changes."""

    name: str
    model: type
    payload: Callable[[factories.World], dict]
    update: dict
    updated: dict

    def __str__(self) -> str:
        return self.name


def _citizen(world):
    return factories.citizen(world.centre_a)


def _programme(world):
    return factories.programme(_citizen(world), specialist=world.users["specialist"])


RESOURCES = [
    Resource(
        name="centre",
        model=Centre,
        payload=lambda w: {
            "name": "КЦСОН API-Тест",
            "short_name": "API-Тест",
            "territory": w.territory_a.id,
            "phone": "+7 3462 22-33-44",
            "email": "api@example.org",
        },
        update={"director_name": "Орлова Вера API"},
        updated={"director_name": "Орлова Вера API"},
    ),
    Resource(
        name="citizen",
        model=Citizen,
        payload=lambda w: {
            "surname": "Апиева",
            "first_name": "Анна",
            "birth_date": "1970-02-03",
            "sex": "female",
            "snils": "11223344595",
            "phone": "+7 912 345-67-89",
            "category": w.category.id,
            "disability_group": "none",
            "work_limitation": "none",
            "family_status": "single",
            "centre": w.centre_a.id,
        },
        update={"address": "г. Ханты-Мансийск, ул. Мира, 1"},
        updated={"address": "г. Ханты-Мансийск, ул. Мира, 1", "snils": "112-233-445 95"},
    ),
    Resource(
        name="appeal",
        model=Appeal,
        payload=lambda w: {
            "centre": w.centre_a.id,
            "journal_number": "API-1",
            "appeal_date": "2025-04-01",
            "citizen": _citizen(w).id,
            "channel": "referral",
            "reason": "Направление из поликлиники",
            "decision": "pending",
        },
        update={"decision": "enrolled"},
        updated={"decision": "enrolled", "appeal_date": date(2025, 4, 1)},
    ),
    Resource(
        name="programme",
        model=Programme,
        payload=lambda w: {
            "number": "П-API-1",
            "citizen": _citizen(w).id,
            "centre": w.centre_a.id,
            "specialist": w.users["specialist"].id,
            "start_date": "2025-02-01",
            "end_date": "2025-07-31",
            "goals": "Трудоустройство",
        },
        update={"end_date": "2025-06-30", "goals": "Постоянная работа"},
        updated={"end_date": date(2025, 6, 30), "goals": "Постоянная работа", "status": "draft"},
    ),
    Resource(
        name="measure",
        model=Measure,
        payload=lambda w: {
            "programme": _programme(w).id,
            "title": "Консультация психолога",
            "kind": "psychological",
            "organisations": [factories.organisation(w.territory_a).id],
            "due_date": (regional_today() + timedelta(days=10)).isoformat(),  # within the programme's term
            "status": "planned",
        },
        update={"status": "done", "done_on": (regional_today() - timedelta(days=1)).isoformat()},
        updated={"status": "done", "done_on": regional_today() - timedelta(days=1)},
    ),
    Resource(
        name="committee",
        model=Committee,
        payload=lambda w: {
            "kind": "working_group",
            "name": "Межведомственная рабочая группа API",
            "territory": w.territory_a.id,
            "order_number": "7-р",
            "order_date": "2025-01-20",
        },
        update={"order_number": "8-р"},
        updated={"order_number": "8-р", "kind": "working_group"},
    ),
    Resource(
        name="decision",
        model=CommitteeDecision,
        payload=lambda w: {
            "committee": factories.committee(w.centre_a).id,
            "programme": _programme(w).id,
            "meeting_date": "2025-07-20",
            "protocol_number": "API-3",
            "decision": "approve_measures",  # an extension extends the programme: see test_casework.py
        },
        update={"reason": "Желание гражданина"},
        updated={"reason": "Желание гражданина", "decision": "approve_measures"},
    ),
]


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def test_login_returns_a_jwt_and_rejects_a_wrong_password(world, client):
    response = client.post(
        "/api/v1/security/login",
        json={"username": "admin", "password": factories.PASSWORD, "provider": "db", "refresh": True},
    )
    assert response.status_code == 200
    assert response.json["access_token"].count(".") == 2
    assert "refresh_token" in response.json
    response = client.post(
        "/api/v1/security/login",
        json={"username": "admin", "password": "wrong-password", "provider": "db"},
    )
    assert response.status_code == 401


@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_resource_lifecycle_over_the_api(resource: Resource, world, client, api_token):
    """POST creates (201 and the row), GET lists and shows it, PUT changes it, DELETE removes it."""
    headers = api_token(factories.operator(resource.model))
    base = f"/api/v1/{resource.name}/"
    before = _count(resource.model)

    response = client.post(base, json=resource.payload(world), headers=headers)
    assert response.status_code == 201, response.json
    pk = response.json["id"]
    assert _count(resource.model) == before + 1

    response = client.get(base, headers=headers)
    assert response.status_code == 200
    assert pk in response.json["ids"]
    assert response.json["count"] == before + 1

    response = client.get(f"{base}{pk}", headers=headers)
    assert response.status_code == 200
    assert response.json["id"] == pk

    response = client.put(f"{base}{pk}", json=resource.update, headers=headers)
    assert response.status_code == 200, response.json
    row = db.session.get(resource.model, pk, populate_existing=True)
    for name, expected in resource.updated.items():
        assert getattr(row, name) == expected, name

    response = client.delete(f"{base}{pk}", headers=headers)
    assert response.status_code == 200, response.json
    db.session.expire_all()
    assert db.session.get(resource.model, pk) is None
    assert client.get(f"{base}{pk}", headers=headers).status_code == 404


def test_openapi_lists_every_resource(world, client, api_token):
    response = client.get("/api/v1/_openapi", headers=api_token("admin"))
    assert response.status_code == 200
    paths = response.json["paths"]
    for resource in RESOURCES:
        assert f"/api/v1/{resource.name}/" in paths, resource.name
        assert f"/api/v1/{resource.name}/{{pk}}" in paths, resource.name


def _names_field(answer: dict, field: str) -> bool:
    """Every refusal has one shape: ``{"message", "rule", "field"}``, the message a sentence for a person."""
    return answer.get("field") == field and isinstance(answer.get("message"), str) and bool(answer.get("rule"))


BAD_INPUT = [
    pytest.param("citizen", {"snils": "112-233-445 96"}, "snils", id="SNILS with a wrong check number"),
    pytest.param("citizen", {"snils": "ABC-233-445 95"}, "snils", id="SNILS with letters"),
    pytest.param("citizen", {"phone": "+7 912 ABC-67-89"}, "phone", id="phone with letters"),
    pytest.param("citizen", {"birth_date": "2999-01-01"}, "birth_date", id="birth date in the future"),
    pytest.param("citizen", {"birth_date": "not-a-date"}, "birth_date", id="date of the wrong type"),
    pytest.param("citizen", {"sex": "bogus"}, "sex", id="unknown sex code"),
    pytest.param("citizen", {"family_status": "other"}, "family_status_other", id="other family status, no text"),
    pytest.param("citizen", {"surname": None}, "surname", id="surname null"),
    pytest.param("citizen", {"centre": 999999}, "centre", id="unknown centre id"),
    pytest.param("appeal", {"citizen": 999999}, "citizen", id="unknown citizen id"),
    pytest.param("appeal", {"channel": "bogus"}, "channel", id="unknown channel code"),
    pytest.param("programme", {"end_date": "2025-01-31"}, "end_date", id="programme ends before it starts"),
    pytest.param("programme", {"start_date": 20250201}, "start_date", id="date as a number"),
    pytest.param("measure", {"status": "bogus"}, "status", id="unknown measure status"),
    pytest.param("measure", {"kind": "bogus"}, "kind", id="unknown measure kind"),
    pytest.param("measure", {"organisations": [999999]}, "organisations", id="unknown organisation id"),
    pytest.param("committee", {"kind": "bogus"}, "kind", id="unknown committee kind"),
    pytest.param("decision", {"extend_to": "2025-07-01"}, "extend_to", id="extension before the meeting"),
    pytest.param("decision", {"programme": 999999}, "programme", id="unknown programme id"),
    pytest.param("centre", {"name": ""}, "name", id="empty name"),
]


@pytest.mark.parametrize(("name", "change", "field"), BAD_INPUT)
def test_bad_input_is_a_client_error_naming_the_field(name, change, field, world, client, api_token):
    resource = next(r for r in RESOURCES if r.name == name)
    headers = api_token(factories.operator(resource.model))
    before = _count(resource.model)

    response = client.post(f"/api/v1/{name}/", json={**resource.payload(world), **change}, headers=headers)

    assert response.status_code in (400, 422), (response.status_code, response.json)
    assert _names_field(response.json, field), response.json
    assert _count(resource.model) == before


@pytest.mark.parametrize(
    ("name", "field"),
    [("citizen", "surname"), ("citizen", "birth_date"), ("appeal", "citizen"), ("measure", "programme")],
)
def test_a_missing_required_field_is_422(name, field, world, client, api_token):
    resource = next(r for r in RESOURCES if r.name == name)
    payload = resource.payload(world)
    del payload[field]

    response = client.post(f"/api/v1/{name}/", json=payload, headers=api_token(factories.operator(resource.model)))

    assert response.status_code == 422, response.json
    assert _names_field(response.json, field), response.json


def test_a_bad_update_is_refused_and_changes_nothing(world, client, api_token):
    citizen = factories.citizen(world.centre_a, snils="087-654-303 00")
    headers = api_token("director")

    response = client.put(f"/api/v1/citizen/{citizen.id}", json={"snils": "087-654-303 01"}, headers=headers)
    assert response.status_code == 400, response.json
    assert _names_field(response.json, "snils")
    response = client.put(f"/api/v1/citizen/{citizen.id}", json={"disability_group": "bogus"}, headers=headers)
    assert response.status_code == 422, response.json
    assert _names_field(response.json, "disability_group")
    response = client.put(f"/api/v1/citizen/{citizen.id}", json={"centre": 999999}, headers=headers)
    assert response.status_code == 400, response.json
    assert _names_field(response.json, "centre")

    db.session.expire_all()
    stored = db.session.get(Citizen, citizen.id)
    assert (stored.snils, stored.disability_group, stored.centre_id) == ("087-654-303 00", "none", world.centre_a.id)
    assert _count(Centre) == 2  # the unknown id did not become a new centre


def test_a_body_that_is_not_json_is_400(world, client, api_token):
    response = client.post("/api/v1/centre/", data="name=x", headers=api_token("admin"))
    assert response.status_code == 400


@pytest.mark.parametrize("name", [r.name for r in RESOURCES])
def test_requests_without_a_token_are_401(name, world, client):
    assert client.get(f"/api/v1/{name}/").status_code == 401
    assert client.get(f"/api/v1/{name}/1").status_code == 401
    assert client.post(f"/api/v1/{name}/", json={}).status_code == 401
    assert client.put(f"/api/v1/{name}/1", json={}).status_code == 401
    assert client.delete(f"/api/v1/{name}/1").status_code == 401


def test_a_token_with_a_forged_signature_is_refused(world, client):
    """flask_jwt_extended answers an invalid token with 422 (a missing one with 401); either way no data."""
    headers = {"Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"}
    response = client.get("/api/v1/citizen/", headers=headers)
    assert response.status_code in (401, 422)
    assert "result" not in response.json
