"""The workflow through the console's pages and through the REST API: every path of a case, end to end."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.domain import rules
from app.domain.choices import CHECKLIST
from app.extensions import db
from app.models import AppealDocument, CommitteeDecision, Consent, Programme
from app.platform.clock import today as regional_today
from tests import factories

TODAY = regional_today()
START = TODAY - timedelta(days=95)


@pytest.fixture
def case(world):
    return factories.draft_case(world, START)


def stored(case) -> Programme:
    db.session.expire_all()
    return db.session.get(Programme, case.id)


def html(response) -> str:
    return response.get_data(as_text=True)


# --- the console -----------------------------------------------------------------------------------------------


class Console:
    """The specialist's clicks on the case page."""

    def __init__(self, client, pk: int) -> None:
        self.client, self.pk = client, pk

    def page(self):
        return self.client.get(f"/case/{self.pk}")

    def activate(self):
        return self.client.post(f"/case/{self.pk}/activate", follow_redirects=True)

    def tick(self, *stages: int):
        for stage in stages:
            for item in CHECKLIST[stage]:
                response = self.client.post(f"/case/{self.pk}/tick", data={"item": item, "done_on": TODAY.isoformat()})
                assert response.status_code == 302

    def control(self, kind: str, decision: str):
        data = {"kind": kind, "held_on": TODAY.isoformat(), "findings": "Ситуация улучшается", "decision": decision}
        return self.client.post(f"/case/{self.pk}/control", data=data)

    def complete(self, **data):
        return self.client.post(f"/case/{self.pk}/complete", data=data, follow_redirects=False)

    def terminate(self, **data):
        return self.client.post(f"/case/{self.pk}/terminate", data=data)


def test_happy_path_to_completion_in_the_console(world, case, login):
    console = Console(login("specialist"), case.id)
    assert "Начать сопровождение" in html(console.page())
    assert "Сопровождение начато" in html(console.activate())
    console.tick(1, 2)
    assert console.control("interim", "continue").status_code == 302
    refused = console.complete(results_analysis="Итоги", outcomes=["stable_income"])
    assert refused.status_code == 400 and "этап 3 не завершён" in html(refused)
    console.tick(3)
    assert stored(case).stage == 3
    # S1 §6.4: the decision to complete rests on a monitoring inspection of the current term
    page = html(console.page())
    assert "нужно мониторинговое социальное инспектирование" in page
    assert f"/case/{case.id}?kind=monitoring#record-control" in page
    assert '<option selected value="monitoring">' in html(console.client.get(f"/case/{case.id}?kind=monitoring"))
    uninspected = console.complete(results_analysis="Итоги", outcomes=["stable_income"])
    assert uninspected.status_code == 400 and "мониторингового социального инспектирования" in html(uninspected)
    assert console.control("monitoring", "complete").status_code == 302
    assert "нужно мониторинговое социальное инспектирование" not in html(console.page())
    missing = console.complete(results_analysis="Итоги")
    assert missing.status_code == 400 and "хотя бы один критерий" in html(missing)
    done = console.complete(
        results_analysis="Гражданин трудоустроен", citizen_words="Спасибо", outcomes=["stable_income", "employment"]
    )
    assert done.status_code == 302
    programme = stored(case)
    assert (programme.status, programme.closure_reason, programme.closed_on) == ("completed", "resolved", TODAY)
    page = html(console.page())
    assert "Гражданин снят с сопровождения" in page and "Контрольное мероприятие" in page
    assert "Начать сопровождение" not in page and "/tick" not in page  # a closed case is read-only


def test_activation_refused_without_an_application_or_consent(world, case, login):
    console = Console(login("specialist"), case.id)
    db.session.execute(db.delete(AppealDocument).where(AppealDocument.kind == "application"))
    db.session.commit()
    assert "не приложено личное заявление" in html(console.activate())
    db.session.add(AppealDocument(appeal_id=case.appeal_id, kind="application", document_date=START))
    db.session.execute(db.update(Consent).values(revoked_on=TODAY))
    db.session.commit()
    assert "согласия на обработку персональных данных" in html(console.activate())
    assert stored(case).status == "draft"


def test_interim_assessment_then_extension_by_the_director(world, case, login):
    console = Console(login("specialist"), case.id)
    console.activate()
    console.control("interim", "extend")
    commission = factories.committee(world.centre_a)
    limit = rules.max_extended_end_date(START)
    director = login("director")
    form = director.get(f"/decisionview/extend/{case.id}")
    assert form.status_code == 200 and commission.name in html(form)
    data = {"committee": commission.id, "protocol_number": "5", "meeting_date": TODAY.isoformat(), "reason": "Оценка"}
    uninspected = director.post(f"/decisionview/extend/{case.id}", data={**data, "extend_to": limit.isoformat()})
    assert uninspected.status_code == 400 and "мониторингового социального инспектирования" in html(uninspected)
    early = {**data, "meeting_date": (START - timedelta(days=1)).isoformat(), "extend_to": limit.isoformat()}
    before_start = director.post(f"/decisionview/extend/{case.id}", data=early)
    assert before_start.status_code == 400 and "до начала программы" in html(before_start)
    console.control("monitoring", "extend")
    too_far = director.post(f"/decisionview/extend/{case.id}", data={**data, "extend_to": str(limit + timedelta(1))})
    assert too_far.status_code == 400 and "более чем на один год" in html(too_far)
    assert stored(case).end_date == rules.max_end_date(START) and db.session.query(CommitteeDecision).count() == 0
    done = director.post(f"/decisionview/extend/{case.id}", data={**data, "extend_to": limit.isoformat()})
    assert done.status_code == 302
    programme = stored(case)
    assert (programme.status, programme.end_date) == ("extended", limit)
    page = html(director.get(f"/case/{case.id}"))
    assert (limit - timedelta(days=14)).strftime("%d.%m.%Y") in page  # the monitoring inspection moved
    original_end = rules.max_end_date(START)
    period = f"с {original_end + timedelta(days=1):%d.%m.%Y} по {limit:%d.%m.%Y}"
    assert period in page
    assert period in html(director.get(f"/programmeview/show/{case.id}"))  # as on the programme form
    specialist = login("specialist")
    assert specialist.get(f"/decisionview/extend/{case.id}").status_code in (302, 403)  # the director's decision


def test_termination_on_withdrawal_in_the_console(world, case, login):
    console = Console(login("specialist"), case.id)
    console.activate()
    assert console.terminate(closure_reason="", note="").status_code == 400
    response = console.terminate(closure_reason="refused", note="Письменный отказ гражданина")
    assert response.status_code == 302
    assert (stored(case).status, stored(case).closure_reason) == ("terminated", "refused")


def test_edit_form_cannot_stretch_an_active_term(world, case, login):
    client = login("specialist")
    Console(client, case.id).activate()
    programme = stored(case)
    form = client.get(f"/programmeview/edit/{case.id}")
    assert form.status_code == 200
    response = client.post(
        f"/programmeview/edit/{case.id}",
        data={
            "number": programme.number,
            "citizen": programme.citizen_id,
            "centre": programme.centre_id,
            "specialist": programme.specialist_id,
            "appeal": programme.appeal_id,
            "start_date": programme.start_date.isoformat(),
            "end_date": (programme.end_date + timedelta(days=60)).isoformat(),
            "version": programme.version,
        },
        follow_redirects=True,
    )
    assert "только решением комиссии о продлении" in html(response)
    assert stored(case).end_date == programme.end_date


def test_another_centres_specialist_gets_404_and_department_reads_only(world, case, login):
    assert login("specialist_b").get(f"/case/{case.id}").status_code == 404
    assert login("specialist_b").post(f"/case/{case.id}/activate").status_code == 404
    department = login("department")
    page = department.get(f"/case/{case.id}")
    assert page.status_code == 200 and "/activate" not in html(page)
    assert department.post(f"/case/{case.id}/activate").status_code in (302, 403)
    assert stored(case).status == "draft"


def test_my_cases_lists_own_programmes_overdue_first(world, case, login):
    client = login("specialist")
    Console(client, case.id).activate()
    mine = html(client.get("/case/mine"))
    assert "Мои случаи" in mine and case.number in mine and "просрочено" in mine
    someone_else = factories.programme(factories.citizen(world.centre_a), specialist=world.users["director"])
    assert someone_else.number not in html(client.get("/case/mine"))
    centre = html(login("director").get("/case/mine"))
    assert "Случаи учреждения" in centre and someone_else.number in centre and case.number in centre
    assert centre.index(case.number) < centre.index(someone_else.number)


def test_demo_checklist_page_renders_for_its_specialist_only(app, login):
    from app.demo.data import load_demo

    load_demo(factories.PASSWORD, reset=True)
    programme = db.session.scalar(
        db.select(Programme).where(Programme.status == "active").order_by(Programme.id).limit(1)
    )
    specialist = programme.specialist.username
    page = login(specialist).get(f"/case/{programme.id}")
    assert page.status_code == 200 and "Этап 1. Оценка ситуации" in html(page)
    other = db.session.scalar(
        db.select(Programme).where(Programme.centre_id != programme.centre_id).order_by(Programme.id).limit(1)
    ).specialist.username
    assert login(other).get(f"/case/{programme.id}").status_code == 404


# --- the REST API ----------------------------------------------------------------------------------------------


def test_every_path_through_the_api(world, case, client, api_token):
    headers = api_token("specialist")
    url = f"/api/v1/programme/{case.id}"

    def post(path: str, body=None):
        return client.post(f"{url}/{path}", json=body or {}, headers=headers)

    refused = post("complete", {"results_analysis": "Итоги", "outcomes": ["employment"]})
    assert refused.status_code == 400 and refused.json["rule"] == "complete_wrong_status"
    activated = post("activate")
    assert activated.status_code == 200 and activated.json["result"]["status"] == "active"
    assert post("checklist", {"item": "analyse_results"}).json["rule"] == "stage_order"
    for stage in (1, 2):
        for item in CHECKLIST[stage]:
            assert post("checklist", {"item": item}).status_code == 200
    assert client.delete(f"{url}/checklist/develop_measures", headers=headers).status_code == 200
    assert post("checklist", {"item": "develop_measures", "note": "снова"}).status_code == 200
    assert post("control-events", {"kind": "interim", "held_on": str(TODAY), "decision": "x"}).status_code == 400
    event = post("control-events", {"kind": "interim", "held_on": str(TODAY), "decision": "continue"})
    assert event.status_code == 201
    early = post("complete", {"results_analysis": "Итоги", "outcomes": ["employment"]})
    assert early.status_code == 400 and early.json["rule"] == "stages_incomplete" and early.json["field"] == "stage"
    for item in CHECKLIST[3]:
        post("checklist", {"item": item})
    checklist = client.get(f"{url}/checklist", headers=headers).json["result"]
    assert checklist["current_stage"] == 3 and all(stage["complete"] for stage in checklist["stages"])
    uninspected = post("complete", {"results_analysis": "Итоги", "outcomes": ["employment"]})
    assert (uninspected.status_code, uninspected.json["rule"]) == (400, "monitoring_required")
    assert "мониторингового" in uninspected.json["message"] and uninspected.json["field"] == "monitoring"
    assert post("control-events", {"kind": "monitoring", "held_on": str(TODAY), "decision": "complete"}).status_code
    done = post("complete", {"results_analysis": "Итоги", "outcomes": ["employment"]})
    assert done.status_code == 200 and done.json["result"]["status"] == "completed"
    timeline = client.get(f"{url}/timeline", headers=headers).json["result"]
    assert timeline[-1]["kind"] == "closed" and [e["date"] for e in timeline] == sorted(e["date"] for e in timeline)


def test_api_extension_by_decision_and_refusal_past_twelve_months(world, case, client, api_token):
    specialist = api_token("specialist")
    client.post(f"/api/v1/programme/{case.id}/activate", headers=specialist)
    commission = factories.committee(world.centre_a)
    limit = rules.max_extended_end_date(START)
    body = {
        "committee": commission.id,
        "programme": case.id,
        "meeting_date": str(TODAY),
        "protocol_number": "9",
        "decision": "extend",
    }
    director = api_token("director")
    uninspected = client.post("/api/v1/decision/", json={**body, "extend_to": str(limit)}, headers=director)
    assert (uninspected.status_code, uninspected.json["rule"]) == (400, "monitoring_required")
    early = {**body, "meeting_date": str(START - timedelta(days=1)), "extend_to": str(limit)}
    before_start = client.post("/api/v1/decision/", json=early, headers=director)
    assert (before_start.status_code, before_start.json["rule"]) == (400, "extension_meeting_before_start")
    inspection = {"kind": "monitoring", "held_on": str(TODAY), "decision": "extend"}
    client.post(f"/api/v1/programme/{case.id}/control-events", json=inspection, headers=specialist)
    too_far = client.post("/api/v1/decision/", json={**body, "extend_to": str(limit + timedelta(1))}, headers=director)
    assert too_far.status_code == 400 and too_far.json["field"] == "extend_to"
    assert stored(case).end_date == rules.max_end_date(START)
    assert client.post("/api/v1/decision/", json={**body, "extend_to": str(limit)}, headers=specialist).status_code in (
        401,
        403,
    )
    created = client.post("/api/v1/decision/", json={**body, "extend_to": str(limit)}, headers=director)
    assert created.status_code == 201
    assert (stored(case).status, stored(case).end_date) == ("extended", limit)
    decision_id = created.json["id"]
    assert client.delete(f"/api/v1/decision/{decision_id}", headers=director).status_code == 400


def test_api_termination_on_withdrawal_and_activation_refusal(world, case, client, api_token):
    headers = api_token("specialist")
    url = f"/api/v1/programme/{case.id}"
    db.session.execute(db.delete(AppealDocument).where(AppealDocument.kind == "application"))
    db.session.commit()
    no_application = client.post(f"{url}/activate", headers=headers)
    assert no_application.status_code == 400 and no_application.json["rule"] == "application_required"
    db.session.add(AppealDocument(appeal_id=case.appeal_id, kind="application", document_date=START))
    db.session.execute(db.update(Consent).values(revoked_on=TODAY))
    db.session.commit()
    refused = client.post(f"{url}/activate", headers=headers)
    assert refused.status_code == 400 and refused.json["rule"] == "consent_required"
    assert "согласия" in refused.json["message"]
    assert client.post(f"{url}/terminate", json={}, headers=headers).status_code == 400
    done = client.post(f"{url}/terminate", json={"closure_reason": "refused", "note": "Отказ"}, headers=headers)
    assert done.status_code == 200 and done.json["result"]["closure_reason"] == "refused"
    other = api_token("specialist_b")
    assert client.post(f"{url}/activate", headers=other).status_code == 404
    assert client.get(f"{url}/timeline", headers=other).status_code == 404


def test_api_cannot_move_the_status_by_a_plain_update(world, case, client, api_token):
    headers = api_token("specialist")
    response = client.put(f"/api/v1/programme/{case.id}", json={"status": "active"}, headers=headers)
    assert response.status_code in (400, 422) and "status" in str(response.json)  # not an editable field
    assert stored(case).status == "draft"


def test_a_measure_is_added_from_the_programme_card(world, case, login):
    """The card's "add" link pre-sets the programme; the lookup field must not ask for it again."""
    client = login("specialist")
    card = client.get(f"/programmeview/show/{case.id}").get_data(as_text=True)
    assert f"/measureview/add?_flt_0_programme={case.id}" in card
    response = client.post(
        f"/measureview/add?_flt_0_programme={case.id}",
        data={
            "title": "Консультация психолога",
            "kind": "psychological",
            "due_date": "2026-12-20",
            "status": "planned",
        },
    )
    assert response.status_code == 302
    assert [m.title for m in stored(case).measures] == ["Консультация психолога"]


def test_what_is_due_next_stays_current_through_every_path(world, case, login, client, api_token):
    """My cases reads what is due next from the programme: after each action, form and API call it is what the rules
    engine says of the programme's facts now."""
    from sqlalchemy import select

    from app.casework.caseload import _facts, next_due_of

    def stored_and_computed():
        db.session.expire_all()
        programme = db.session.get(Programme, case.id)
        row = db.session.execute(_facts().where(Programme.id == case.id)).one()
        item = next_due_of(*row[1:])
        computed = (item.due_date, str(item.kind)) if item else (None, None)
        return (programme.next_due_on, programme.next_due_kind), computed

    console = Console(login("specialist"), case.id)
    console.activate()
    states = [stored_and_computed()]
    assert states[0][0] == (rules.interim_due(START), "interim")  # started 95 days ago: the interim is overdue
    console.control("interim", "continue")
    states.append(stored_and_computed())
    measure = {"programme": case.id, "title": "Срочно", "kind": "legal", "due_date": (TODAY - timedelta(2)).isoformat()}
    created = client.post("/api/v1/measure/", headers=api_token("specialist"), json=measure)
    assert created.status_code == 201, created.json
    states.append(stored_and_computed())
    assert states[-1][0] == (TODAY - timedelta(2), "measure")
    done = {"status": "done", "done_on": TODAY.isoformat()}
    assert client.put(f"/api/v1/measure/{created.json['id']}", headers=api_token("specialist"), json=done).status_code
    states.append(stored_and_computed())
    console.terminate(closure_reason="refused", note="Отказ")
    states.append(stored_and_computed())
    assert states[-1][0] == (None, None)  # a closed programme has nothing due
    for stored_next, computed_next in states:
        assert stored_next == computed_next
    assert db.session.scalar(select(Programme.status).where(Programme.id == case.id)) == "terminated"
