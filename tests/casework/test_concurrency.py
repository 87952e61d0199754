"""The same action twice at the same moment: exactly one succeeds, the other is told (409), nothing is done twice.

Two threads send the two requests, each through its own request, database session and connection, as two
browsers or two gunicorn workers would. A barrier placed after the action has read what it decides on and before it
writes makes both requests read the same state first, so the race is the worst case every time rather than a
matter of luck. Run on SQLite and on PostgreSQL: the database settles it (the version a record was read with, a
unique index), and the loser's answer is the one error shape with ``rule`` ``conflict`` or ``duplicate``.
"""

from __future__ import annotations

import contextlib
import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.casework import workflow
from app.citizens import duplicates
from app.domain.choices import CHECKLIST
from app.extensions import db
from app.models import ChecklistItem, Citizen, MonthlyReport, Programme
from app.platform.clock import today as regional_today
from app.reporting import monthly
from tests import factories

TODAY = regional_today()


def _race(app, monkeypatch, module, name: str, *requests):
    """Send the requests at once, each from its own thread; the first two calls of ``module.name`` wait for each
    other after reading. Returns the responses in the order given."""
    barrier = threading.Barrier(len(requests), timeout=10)
    original = getattr(module, name)
    calls = Counter()
    lock = threading.Lock()

    def reading_then_waiting(*args, **kwargs):
        result = original(*args, **kwargs)
        with lock:
            calls["n"] += 1
            first = calls["n"] <= len(requests)
        if first:
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait()
        return result

    monkeypatch.setattr(module, name, reading_then_waiting)
    responses: list = [None] * len(requests)
    errors: list = []

    def send(index: int, request) -> None:
        try:
            with app.app_context():  # the thread's own, as a worker's
                responses[index] = request(app.test_client())
        except Exception as error:  # pragma: no cover - shown by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=send, args=(i, r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    db.session.expire_all()
    return responses


def _one_wins(responses, ok: int) -> dict:
    codes = sorted(r.status_code for r in responses)
    assert codes == sorted([ok, 409]), [(r.status_code, r.get_json()) for r in responses]
    loser = next(r for r in responses if r.status_code == 409).get_json()
    assert set(loser) == {"message", "rule", "field"} and loser["rule"] in ("conflict", "duplicate"), loser
    return loser


@pytest.fixture
def token(world, client, api_token):
    return api_token("specialist")


def test_two_activations_at_once(app, world, token, monkeypatch):
    case = factories.draft_case(world, TODAY - timedelta(days=5))
    url = f"/api/v1/programme/{case.id}/activate"
    responses = _race(app, monkeypatch, workflow, "facts_for", *[lambda c: c.post(url, json={}, headers=token)] * 2)
    _one_wins(responses, 200)
    programme = db.session.get(Programme, case.id)
    assert programme.status == "active" and programme.version == 2


def test_two_completions_at_once(app, world, token, monkeypatch):
    case = factories.draft_case(world, TODAY - timedelta(days=100))
    workflow.activate(case, TODAY)
    for stage in (1, 2, 3):
        for item in CHECKLIST[stage]:
            workflow.tick(case, item, done_on=TODAY, note=None, today=TODAY)
    # S1 §6.4: the decision to complete rests on a monitoring inspection of the term
    workflow.record_control_event(
        case, kind="monitoring", held_on=TODAY, findings=None, decision="complete", today=TODAY
    )
    db.session.commit()
    url = f"/api/v1/programme/{case.id}/complete"
    body = {"results_analysis": "Итоги", "outcomes": ["employment"]}
    responses = _race(app, monkeypatch, workflow, "facts_for", *[lambda c: c.post(url, json=body, headers=token)] * 2)
    _one_wins(responses, 200)
    assert db.session.get(Programme, case.id).status == "completed"


def test_two_ticks_of_one_item_at_once(app, world, token, monkeypatch):
    case = factories.draft_case(world, TODAY - timedelta(days=5))
    url = f"/api/v1/programme/{case.id}/checklist"
    responses = _race(
        app,
        monkeypatch,
        workflow,
        "done_items",
        *[lambda c: c.post(url, json={"item": "collect_information"}, headers=token)] * 2,
    )
    _one_wins(responses, 200)
    ticks = select(func.count(ChecklistItem.id)).where(ChecklistItem.programme_id == case.id)
    assert db.session.scalar(ticks) == 1


def test_the_same_snils_registered_twice_at_once(app, world, client, api_token, monkeypatch):
    headers = api_token("director")

    def register(surname: str):
        body = {
            "surname": surname,
            "first_name": "Анна",
            "birth_date": "1970-02-03",
            "snils": "112-233-445 95",
            "disability_group": "none",
            "work_limitation": "none",
            "centre": world.centre_a.id,
        }
        return lambda c: c.post("/api/v1/citizen/", json=body, headers=headers)

    responses = _race(app, monkeypatch, duplicates, "_centres_holding", register("Первая"), register("Вторая"))
    loser = _one_wins(responses, 201)
    assert loser["field"] == "snils"
    assert db.session.scalar(select(func.count(Citizen.id)).where(Citizen.snils == "112-233-445 95")) == 1


def test_two_submissions_of_one_report_at_once(app, world, login, monkeypatch):
    from app.reporting import fill_report

    month = (TODAY.replace(day=1) - timedelta(days=1)).replace(day=1)
    report = MonthlyReport(centre=world.centre_a, month=month)
    db.session.add(report)
    db.session.flush()
    fill_report(report, TODAY)
    db.session.commit()
    # read here: the commit expired the test's report, and two threads reloading it at once would share this session
    url = f"/monthlyreportview/submit/{report.id}"

    def submit(client):
        client.post("/login/", data={"username": "director", "password": factories.PASSWORD})
        return client.post(url, follow_redirects=True)

    responses = _race(app, monkeypatch, monthly, "live_data", submit, submit)
    pages = [r.get_data(as_text=True) for r in responses]
    assert sum("Отчёт представлен." in page for page in pages) == 1, [p[-3000:] for p in pages]  # the flash
    assert sum("в тот же момент изменил другой пользователь" in page for page in pages) == 1
    stored = db.session.get(MonthlyReport, report.id)
    assert stored.status == "submitted" and [e["action"] for e in stored.history] == ["submitted"]
