"""No page loads a whole table into a dropdown: with 10,000 citizens and programmes in one centre, every list, add, show
and edit page of the console, the case page, My cases and the dashboard stay under 300 KB (a page with a <select> of
every citizen would be several megabytes)."""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from sqlalchemy import insert, select

from app.domain import roles
from app.extensions import db
from app.fab.registry import model_views
from app.models import Appeal, Citizen, Measure, Programme
from app.security.roles import level
from app.security.scope import restrict, scope_for
from tests import factories

ROWS = 10_000
BUDGET = 300 * 1024


def _bulk(world) -> None:
    centre = world.centre_a.id
    start = date(2026, 1, 1)
    citizens = [
        {
            "id": 100_000 + i,
            "centre_id": centre,
            "surname": f"Многострочная{i}",
            "first_name": "Анна",
            "birth_date": date(1950, 1, 1) + timedelta(days=i),
            "disability_group": "none",
            "work_limitation": "none",
        }
        for i in range(ROWS)
    ]
    appeals = [
        {
            "id": 100_000 + i,
            "centre_id": centre,
            "journal_number": f"Ж-{i}",
            "appeal_date": start,
            "citizen_id": 100_000 + i,
            "channel": "application",
            "reason": "ТЖС",
            "decision": "enrolled",
        }
        for i in range(ROWS)
    ]
    programmes = [
        {
            "id": 100_000 + i,
            "number": f"М-{i}",
            "citizen_id": 100_000 + i,
            "centre_id": centre,
            "appeal_id": 100_000 + i,
            "start_date": start,
            "end_date": date(2026, 6, 30),
            "status": "active",
            "stage": 1,
            "version": 1,
        }
        for i in range(ROWS)
    ]
    measures = [
        {
            "programme_id": 100_000 + i,
            "centre_id": centre,
            "title": "Консультация",
            "kind": "legal",
            "due_date": start,
            "version": 1,
        }
        for i in range(ROWS)
    ]
    for model, rows in ((Citizen, citizens), (Appeal, appeals), (Programme, programmes), (Measure, measures)):
        db.session.execute(insert(model), rows)
    db.session.commit()


def _reader(endpoint: str) -> str:
    """The test-world user who works with the view: its operator, or the admin where only the admin reads it."""
    model = next(v for v in current_app.appbuilder.baseviews if type(v).__name__.lower() == endpoint).datamodel.obj
    operator = factories.operator(model)
    return operator if level(model, ROLE_OF[operator]) else "admin"


ROLE_OF = {"admin": roles.ADMIN, "director": roles.DIRECTOR}


def test_every_page_stays_small_at_scale(world, login):
    _bulk(world)
    factories.committee(world.centre_a)
    signed_in = {}

    def get(user: str, path: str):
        if signed_in.get("user") != user:  # one client: signing in as another user signs the previous one out
            signed_in.update(user=user, client=login(user))
        return signed_in["client"].get(path)

    pages = []
    for view in model_views(current_app.appbuilder):
        endpoint = type(view).__name__.lower()
        model = view.datamodel.obj
        user = _reader(endpoint)
        pages += [(user, f"/{endpoint}/list/", False), (user, f"/{endpoint}/add", True)]
        scope = scope_for(world.users[user])
        first = db.session.scalar(restrict(select(model.id), model, scope).order_by(model.id).limit(1))
        if first is not None:
            pages += [(user, f"/{endpoint}/show/{first}", False), (user, f"/{endpoint}/edit/{first}", True)]
    programme = db.session.scalar(select(Programme.id).order_by(Programme.id).limit(1))
    pages += [
        ("director", f"/case/{programme}", False),
        ("director", "/case/mine", False),
        ("director", "/", False),
        ("department", "/", False),
        ("department", "/monthlyreportview/board", False),
    ]
    oversized, checked = [], 0
    for user, path, may_be_refused in pages:
        response = get(user, path)
        if may_be_refused and response.status_code == 403:
            continue  # read-only views have no add or edit page
        assert response.status_code == 200, (user, path)
        checked += 1
        if len(response.data) > BUDGET:
            oversized.append(f"{path}: {len(response.data) // 1024} KB")
    assert checked > 60 and not oversized, oversized
