"""No page loads a whole table into a dropdown: with 10,000 citizens and programmes in one centre, every list, add and
edit page of the console stays under 300 KB (a page with a <select> of every citizen would be several megabytes)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import insert, select

from app.extensions import db
from app.models import Appeal, Citizen, Measure, Programme
from app.views import MENU
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
        {"programme_id": 100_000 + i, "title": "Консультация", "kind": "legal", "due_date": start, "version": 1}
        for i in range(ROWS)
    ]
    for model, rows in ((Citizen, citizens), (Appeal, appeals), (Programme, programmes), (Measure, measures)):
        db.session.execute(insert(model), rows)
    db.session.commit()


def test_every_list_add_and_edit_page_stays_small_at_scale(world, login):
    _bulk(world)
    factories.committee(world.centre_a)
    operators = {"director": login("director")}
    oversized, checked = [], 0
    for view, *_ in MENU:
        if isinstance(view, str):
            continue
        endpoint = view.__name__.lower()
        model = view.datamodel.obj
        user = factories.operator_for_view(endpoint)
        if user not in operators:
            operators[user] = login(user)
        client = operators[user]
        paths = [f"/{endpoint}/list/", f"/{endpoint}/add"]
        first = db.session.scalar(select(model.id).order_by(model.id).limit(1))
        if first is not None:
            paths.append(f"/{endpoint}/edit/{first}")
        for path in paths:
            response = client.get(path)
            if response.status_code != 200:
                continue  # read-only views have no add or edit page
            checked += 1
            if len(response.data) > BUDGET:
                oversized.append(f"{path}: {len(response.data) // 1024} KB")
    assert checked > 40 and not oversized, oversized
