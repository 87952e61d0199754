"""The audit log: one entry per action, with who, where from, what changed; never altered."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEntry
from app.platform.audit import AuditLogIsAppendOnly
from tests import factories


def entries(action: str | None = None, object_type: str | None = None) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id)
    if action:
        query = query.where(AuditEntry.action == action)
    if object_type:
        query = query.where(AuditEntry.object_type == object_type)
    return list(db.session.scalars(query))


def test_login_and_failed_login_are_logged(world, client):
    client.post("/login/", data={"username": "specialist", "password": "wrong-password-1"})
    client.post("/login/", data={"username": "nobody", "password": "wrong-password-1"})
    client.post("/login/", data={"username": "specialist", "password": factories.PASSWORD})
    failed = entries("login_failed")
    assert [e.username for e in failed] == ["specialist", "nobody"]
    ok = entries("login")
    assert len(ok) == 1 and ok[0].username == "specialist" and ok[0].remote_addr == "127.0.0.1"


def test_viewing_a_citizen_card_is_logged_once(world, login):
    citizen = factories.citizen(world.centre_a)
    client = login("specialist")
    assert client.get(f"/citizenview/show/{citizen.id}").status_code == 200
    views = entries("view", "citizen")
    assert len(views) == 1
    assert views[0].object_id == citizen.id and views[0].centre_id == world.centre_a.id
    assert views[0].username == "specialist"


def test_create_update_delete_through_the_console(world, login):
    client = login("director")
    client.post("/categoryview/add", data={"name": "x"})  # director may not: no entry
    response = client.post(
        "/citizenview/add",
        data={
            "surname": "Аудитова",
            "first_name": "Анна",
            "birth_date": "1970-05-05",
            "centre": world.centre_a.id,
            "disability_group": "none",
            "work_limitation": "none",
        },
    )
    assert response.status_code == 302
    created = entries("create", "citizen")
    assert len(created) == 1
    citizen_id = created[0].object_id
    assert created[0].changes["surname"] == [None, "Аудитова"]

    client.post(
        f"/citizenview/edit/{citizen_id}",
        data={
            "surname": "Аудитова-Новая",
            "first_name": "Анна",
            "birth_date": "1970-05-05",
            "centre": world.centre_a.id,
            "disability_group": "none",
            "work_limitation": "none",
        },
    )
    updated = entries("update", "citizen")
    assert len(updated) == 1, [(e.action, e.object_type, e.changes) for e in entries()][-3:]
    assert updated[0].changes == {"surname": ["Аудитова", "Аудитова-Новая"]}

    client.post(f"/citizenview/delete/{citizen_id}")
    assert len(entries("delete", "citizen")) == 1
    assert all(e.changes["name"] != [None, "x"] for e in entries("create", "category"))


def test_the_log_cannot_be_altered(world, login):
    factories.citizen(world.centre_a)
    entry = entries("create", "citizen")[0]
    entry.action = "view"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEntry, entry.id))
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()

    client = login("department")
    assert client.post(f"/auditentryview/delete/{entry.id}").status_code in (403, 404, 405, 302)
    assert client.post(f"/auditentryview/edit/{entry.id}", data={"action": "view"}).status_code in (302, 403, 404)
    db.session.expire_all()
    assert db.session.get(AuditEntry, entry.id).action == "create"


def test_directors_see_their_centre_entries_department_all(world, login):
    factories.citizen(world.centre_a, surname="Альфина")
    factories.citizen(world.centre_b, surname="Бетина")
    a_entry = entries("create", "citizen")[0]
    b_entry = entries("create", "citizen")[1]
    director = login("director")
    assert director.get(f"/auditentryview/show/{a_entry.id}").status_code == 200
    assert director.get(f"/auditentryview/show/{b_entry.id}").status_code in (302, 404)
    department = login("department")
    assert department.get(f"/auditentryview/show/{b_entry.id}").status_code == 200


def test_the_audit_log_names_every_kind_of_record_in_words():
    """The audit log shows «Мероприятие», not ``measure``: every table of the console has a label."""
    import app.models as models
    from app.platform.labels import MODEL_LABELS

    tables = {getattr(models, name).__tablename__ for name in models.__all__}
    assert tables <= set(MODEL_LABELS), tables - set(MODEL_LABELS)
