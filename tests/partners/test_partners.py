"""A partner organisation's user: the organisation's measures and only what carrying them out needs, while the
citizen's consent covers the transfer; reports limited to the status, the date done and the result; every read
and change audited; reminders both ways; the reports in the case's timeline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.casework import workflow
from app.domain import roles
from app.domain.choices import AuditAction, GrantStatus
from app.extensions import db
from app.models import AccessGrant, AuditEntry, Committee, CommitteeMember, Consent, Measure, MeasureReport, Reminder
from app.platform.clock import today as regional_today
from app.reminders import scan_reminders
from tests import factories


@pytest.fixture
def case(world):
    """An active programme of centre A whose citizen has a phone, a category and a household."""
    start = regional_today() - timedelta(days=40)
    programme = factories.draft_case(world, start)
    workflow.activate(programme, start)
    citizen = programme.citizen
    citizen.phone, citizen.category = "+7 900 111-22-33", world.category
    citizen.circumstances = [world.circumstance]
    db.session.commit()
    return programme


def _page(client) -> str:
    return client.get("/partner/measures/").get_data(as_text=True)


# --- who sees which measure ------------------------------------------------------------------------------------------


def test_the_partner_sees_its_measure_with_what_carrying_it_out_needs_only(world, case, login):
    measure = factories.transfer(case, world.organisation, title="Приём терапевта", due_date=regional_today())
    page = _page(login("partner"))
    assert "Приём терапевта" in page and case.citizen.surname in page and "01.03.1950" in page
    assert "+7 900 111-22-33" not in page  # the consent does not include the phone
    for secret in (case.number, world.category.name, world.circumstance.name, "Иванович Трудная"):
        assert secret not in page
    assert 'href="/partner/measures/"' in login("partner").get("/").get_data(as_text=True)  # the home page leads there
    card = login("partner").get(f"/partner/measures/{measure.id}").get_data(as_text=True)
    assert case.number not in card and world.category.name not in card and "Трудная жизненная ситуация" not in card


def test_the_phone_only_where_the_consent_includes_it(world, case, login):
    factories.transfer(case, world.organisation, phone=True)
    assert "+7 900 111-22-33" in _page(login("partner"))


def test_consent_per_purpose_grant_narrow_revoke(world, case, login):
    """Access follows the consent at once: named → seen; the organisation taken off → gone; the working group's
    purpose with the organisation seated in the territory's group → seen; revoked → gone."""
    factories.measure(case, title="Приём невролога", organisations=[world.organisation])
    client = login("partner")
    assert "Приём невролога" not in _page(client)  # the consent to processing in the centre is not enough

    consent = factories.consent(case.citizen, organisations=[world.organisation])
    assert "Приём невролога" in _page(client)

    consent.organisations = []  # narrowed
    db.session.commit()
    assert "Приём невролога" not in _page(client)

    consent.to_working_group = True  # the working group's members: not yet a member
    db.session.commit()
    assert "Приём невролога" not in _page(client)
    group = factories.add(Committee(kind="working_group", name="МРГ", territory=world.territory_a))
    factories.add(CommitteeMember(committee=group, full_name="Врач", organisation=world.organisation))
    assert "Приём невролога" in _page(client)

    consent.revoked_on = regional_today()
    db.session.commit()
    assert "Приём невролога" not in _page(client)


def test_an_expired_consent_covers_nothing(world, case, login):
    factories.measure(case, title="Приём окулиста", organisations=[world.organisation])
    factories.consent(
        case.citizen, organisations=[world.organisation], valid_until=regional_today() - timedelta(days=1)
    )
    assert "Приём окулиста" not in _page(login("partner"))


def test_another_organisation_another_territory_and_a_closed_programme_are_not_seen(world, case, login):
    other = factories.organisation(world.territory_a, name="Центр занятости")
    factories.transfer(case, other, title="Подбор вакансий")
    citizen_b = factories.citizen(world.centre_b)
    programme_b = factories.programme(citizen_b, status="active")
    factories.consent(citizen_b, organisations=[world.organisation])
    factories.measure(programme_b, title="Мероприятие Б", organisations=[world.organisation])
    closed = factories.programme(factories.citizen(world.centre_a), status="completed")
    factories.transfer(closed, world.organisation, title="Прошлое мероприятие")
    page = _page(login("partner"))
    assert "Подбор вакансий" not in page and "Мероприятие Б" not in page and "Прошлое мероприятие" not in page


def test_the_specialist_sees_which_transfer_has_no_consent(world, case, login):
    measure = factories.measure(case, organisations=[world.organisation])
    client = login("specialist")
    warning = "нет согласия на передачу данных в Поликлиника «Альфа»"
    assert warning in client.get(f"/case/{case.id}").get_data(as_text=True)
    assert warning in client.get(f"/measureview/show/{measure.id}").get_data(as_text=True)
    factories.consent(case.citizen, organisations=[world.organisation])
    assert warning not in client.get(f"/case/{case.id}").get_data(as_text=True)


def test_no_case_record_and_no_other_route_for_a_partner(world, case, login, api_token, client):
    factories.transfer(case, world.organisation)
    headers = api_token("partner")
    for resource in ("citizen", "appeal", "programme", "decision", "committee", "centre"):
        answer = client.get(f"/api/v1/{resource}/", headers=headers)
        assert answer.status_code == 403 and answer.json["rule"] == "forbidden", resource
    browser = login("partner")
    for url in (
        "/citizenview/list/",
        f"/citizenview/show/{case.citizen_id}",
        f"/case/{case.id}",
        "/measureview/list/",
        "/auditentryview/list/",
        "/lookup/citizen?q=Ив",
        "/monthlyreportview/list/",
    ):
        response = browser.get(url)
        assert response.status_code in (302, 403, 404), url
        assert "+7 900 111-22-33" not in response.get_data(as_text=True)


# --- the API ----------------------------------------------------------------------------------------------------------


def test_the_api_lists_the_partners_measures_only_without_the_programme(world, case, client, api_token):
    mine = factories.transfer(case, world.organisation)
    factories.measure(case, title="Чужое")
    answer = client.get("/api/v1/measure/", headers=api_token("partner"))
    assert [row["id"] for row in answer.json["result"]] == [mine.id]
    assert not any(key.startswith("programme") for key in answer.json["result"][0])
    shown = client.get(f"/api/v1/measure/{mine.id}", headers=api_token("partner")).json["result"]
    assert "programme.id" not in shown and shown["organisations"] == [
        {"id": world.organisation.id, "name": "Поликлиника «Альфа»"}
    ]


def test_every_user_reads_the_organisations_of_a_measure(world, case, client, api_token):
    measure = factories.measure(case, organisations=[world.organisation])
    shown = client.get(f"/api/v1/measure/{measure.id}", headers=api_token("director")).json["result"]
    assert shown["organisations"] == [{"id": world.organisation.id, "name": "Поликлиника «Альфа»"}]


@pytest.mark.parametrize(
    "body",
    [
        {"status": "done", "title": "Другое"},
        {"due_date": "2030-01-01"},
        {"programme": 1},
        {"organisations": []},
        {"status": "in_progress", "kind": "medical"},
    ],
)
def test_a_partners_put_takes_only_its_fields(world, case, client, api_token, body):
    measure = factories.transfer(case, world.organisation, title="Приём")
    answer = client.put(f"/api/v1/measure/{measure.id}", headers=api_token("partner"), json=body)
    assert answer.status_code == 403 and set(answer.json) == {"message", "rule", "field"}
    assert answer.json["rule"] == "partner_field"
    db.session.expire_all()
    stored = db.session.get(Measure, measure.id)
    assert (stored.title, stored.status) == ("Приём", "planned")


def test_a_partners_report_through_the_api(world, case, client, api_token):
    measure = factories.transfer(case, world.organisation)
    headers = api_token("partner")
    refused = client.put(f"/api/v1/measure/{measure.id}", headers=headers, json={"status": "done"})
    assert refused.status_code == 400 and refused.json["field"] == "done_on"
    refused = client.put(
        f"/api/v1/measure/{measure.id}", headers=headers, json={"status": "done", "done_on": str(regional_today())}
    )
    assert refused.status_code == 400 and refused.json["rule"] == "partner_result_required"
    done = client.put(
        f"/api/v1/measure/{measure.id}",
        headers=headers,
        json={"status": "done", "done_on": str(regional_today()), "result_note": "Осмотрен, назначено лечение"},
    )
    assert done.status_code == 200, done.json
    assert not any(key.startswith("programme") for key in done.json["result"])
    report = db.session.scalar(select(MeasureReport))
    assert (report.status, report.organisation_id, report.reported_by_id) == (
        "done",
        world.organisation.id,
        world.users["partner"].id,
    )
    again = client.put(f"/api/v1/measure/{measure.id}", headers=headers, json={"status": "in_progress"})
    assert again.status_code == 400 and again.json["rule"] == "partner_measure_closed"


def test_cannot_be_done_needs_the_reason(world, case, client, api_token):
    measure = factories.transfer(case, world.organisation)
    headers = api_token("partner")
    refused = client.put(f"/api/v1/measure/{measure.id}", headers=headers, json={"status": "cannot_be_done"})
    assert refused.status_code == 400 and refused.json["rule"] == "partner_reason_required"
    ok = client.put(
        f"/api/v1/measure/{measure.id}",
        headers=headers,
        json={"status": "cannot_be_done", "result_note": "Гражданин выбыл из района"},
    )
    assert ok.status_code == 200 and ok.json["result"]["status"] == "cannot_be_done"


def test_a_foreign_measure_is_not_found_by_a_partner(world, case, client, api_token):
    foreign = factories.measure(case, organisations=[world.organisation])  # no consent to the transfer
    answer = client.put(f"/api/v1/measure/{foreign.id}", headers=api_token("partner"), json={"status": "in_progress"})
    assert answer.status_code == 404
    assert client.get(f"/api/v1/measure/{foreign.id}", headers=api_token("partner")).status_code == 404


# --- the page, the audit, the timeline, the reminders ---------------------------------------------------------------


def test_a_report_from_the_page_reaches_the_timeline_and_the_specialist(world, case, login):
    measure = factories.transfer(case, world.organisation, title="Приём терапевта")
    client = login("partner")
    refused = client.post(f"/partner/measures/{measure.id}", data={"status": "done", "done_on": "", "result_note": ""})
    assert refused.status_code == 400
    day = regional_today()
    sent = client.post(
        f"/partner/measures/{measure.id}",
        data={"status": "done", "done_on": day.strftime("%d.%m.%Y"), "result_note": "Осмотрен терапевтом"},
    )
    assert sent.status_code == 302
    db.session.expire_all()
    assert db.session.get(Measure, measure.id).status == "done"

    scan_reminders()
    reminder = db.session.scalar(select(Reminder).where(Reminder.kind == "partner_reported"))
    assert reminder.recipient_id == world.users["specialist"].id and reminder.measure_id == measure.id
    page = login("specialist").get(f"/case/{case.id}").get_data(as_text=True)
    assert "Осмотрен терапевтом" in page and "Отчёт организации-партнёра" in page
    assert "Test partner (Поликлиника «Альфа»)" in page


def test_every_read_and_change_by_a_partner_is_audited(world, case, login):
    measure = factories.transfer(case, world.organisation)
    client = login("partner")
    client.get("/partner/measures/")
    client.post(f"/partner/measures/{measure.id}", data={"status": "in_progress", "done_on": "", "result_note": ""})
    partner_id = world.users["partner"].id
    entries = db.session.execute(
        select(AuditEntry.action, AuditEntry.object_type, AuditEntry.object_id).where(AuditEntry.user_id == partner_id)
    ).all()
    assert (AuditAction.VIEW, "measure", measure.id) in entries
    assert (AuditAction.VIEW, "citizen", case.citizen_id) in entries
    assert (AuditAction.UPDATE, "measure", measure.id) in entries


def test_the_partner_is_reminded_of_its_measures_due_and_overdue(world, case):
    day = regional_today()
    soon = factories.transfer(case, world.organisation, due_date=day + timedelta(days=2))
    late = factories.measure(case, organisations=[world.organisation], due_date=day - timedelta(days=1))
    later = factories.measure(case, organisations=[world.organisation], due_date=day + timedelta(days=20))
    scan_reminders()
    partner_id = world.users["partner"].id
    got = dict(
        db.session.execute(select(Reminder.measure_id, Reminder.kind).where(Reminder.recipient_id == partner_id)).all()
    )
    assert got == {soon.id: "measure_due", late.id: "measure_overdue"} and later.id not in got
    assert all(
        r.programme_id is None for r in db.session.scalars(select(Reminder).where(Reminder.recipient_id == partner_id))
    )
    consent = db.session.scalar(
        select(Consent)
        .where(Consent.citizen_id == case.citizen_id, Consent.revoked_on.is_(None))
        .order_by(Consent.id.desc())
    )
    consent.organisations = []
    db.session.commit()
    scan_reminders()
    left = db.session.scalars(
        select(Reminder).where(Reminder.recipient_id == partner_id, Reminder.closed_at.is_(None))
    ).all()
    assert left == []  # the consent narrowed: the partner is not reminded of what it no longer sees


def test_a_reminder_stops_naming_the_measure_as_soon_as_the_consent_is_revoked(world, case, login):
    factories.transfer(case, world.organisation, title="Приём нарколога", due_date=regional_today())
    scan_reminders()
    client = login("partner")
    pages = ("/reminders/mine", "/reminderview/list/", "/case/mine", "/partner/measures/")
    seen = {path: client.get(path) for path in pages}
    assert "Приём нарколога" in seen["/reminders/mine"].get_data(as_text=True)
    consent = db.session.scalar(
        select(Consent)
        .where(Consent.citizen_id == case.citizen_id, Consent.revoked_on.is_(None))
        .order_by(Consent.id.desc())
    )
    consent.revoked_on = regional_today()
    db.session.commit()  # no scan in between: the reminder is still open
    assert (
        db.session.scalar(select(Reminder).where(Reminder.recipient_id == world.users["partner"].id)).closed_at is None
    )
    for path, before in seen.items():
        after = client.get(path)
        assert after.status_code == before.status_code, path
        assert "Приём нарколога" not in after.get_data(as_text=True), path


# --- four eyes -----------------------------------------------------------------------------------------------------


def test_a_partner_account_waits_for_the_departments_confirmation(world, case, login):
    factories.transfer(case, world.organisation, title="Приём терапевта")
    waiting = factories.user("partner2", roles.PARTNER, organisation=world.organisation, confirmed=False)
    assert "Приём терапевта" not in login("partner2").get("/partner/measures/").get_data(as_text=True)
    grant = db.session.scalar(
        select(AccessGrant).where(AccessGrant.user_id == waiting.id, AccessGrant.status == GrantStatus.PENDING)
    )
    assert grant.organisation_id == world.organisation.id
    from app.domain.errors import RuleViolation
    from app.security import grants

    with pytest.raises(RuleViolation):
        grants.confirm(grant, world.users["director"])  # a director does not confirm a partner
    with pytest.raises(RuleViolation) as refused:  # only for a member of the territory's working group
        grants.confirm(grant, world.users["department"])
    assert refused.value.code == "partner_not_member"
    db.session.rollback()
    elsewhere = factories.add(Committee(kind="working_group", name="МРГ", territory=world.territory_b))
    factories.add(CommitteeMember(committee=elsewhere, full_name="Врач", organisation=world.organisation))
    with pytest.raises(RuleViolation):  # a seat in the other territory's group is not enough
        grants.confirm(grant, world.users["department"])
    db.session.rollback()
    group = factories.add(Committee(kind="working_group", name="МРГ", territory=world.territory_a))
    factories.add(CommitteeMember(committee=group, full_name="Врач", organisation=world.organisation))
    grants.confirm(grant, world.users["department"])
    db.session.commit()
    assert "Приём терапевта" in login("partner2").get("/partner/measures/").get_data(as_text=True)
    # moved to another organisation: waits again
    other = factories.organisation(world.territory_a, name="Центр занятости")
    waiting.staff_profile.organisation = other
    db.session.commit()
    assert "Мероприятий" not in login("partner2").get("/partner/measures/").get_data(as_text=True)
    assert db.session.scalar(
        select(AccessGrant).where(AccessGrant.user_id == waiting.id, AccessGrant.status == GrantStatus.PENDING)
    )


def test_the_monthly_report_counts_the_partners_results_by_organisation(world, case, client, api_token):
    """«Краткая информация о мероприятиях» counts what each partner organisation reported in the month."""
    from app.reporting import monthly

    day = regional_today()
    measure = factories.transfer(case, world.organisation)
    other = factories.measure(case, organisations=[world.organisation])
    headers = api_token("partner")
    done = {"status": "done", "done_on": str(day), "result_note": "Трудоустроен"}
    assert client.put(f"/api/v1/measure/{measure.id}", headers=headers, json=done).status_code == 200
    cannot = {"status": "cannot_be_done", "result_note": "Выбыл"}
    assert client.put(f"/api/v1/measure/{other.id}", headers=headers, json=cannot).status_code == 200
    month = day.replace(day=1)
    f = monthly.figures([world.centre_a.id], month)[world.centre_a.id]
    assert f["partner_done_by_organisation"] == {"Поликлиника «Альфа»": 1}
    assert f["partner_cannot_by_organisation"] == {"Поликлиника «Альфа»": 1}
    text, _ = monthly.texts(f)
    assert "Поликлиника «Альфа» — 1" in text and "организаци" in text
    previous = monthly.figures([world.centre_a.id], (month - timedelta(days=1)).replace(day=1))[world.centre_a.id]
    assert previous["partner_done_by_organisation"] == {}


def test_a_measure_is_approved_by_the_working_groups_decision_on_its_programme(world, case, client, api_token):
    """«утвердить мероприятия» of the territory's working group lists the measures it approved; an extension
    commission's decision, or the other territory's group, approves none."""
    from app.models import CommitteeDecision

    measure = factories.measure(case)
    group = factories.add(Committee(kind="working_group", name="МРГ", territory=world.territory_a))
    other = factories.add(Committee(kind="working_group", name="МРГ Б", territory=world.territory_b))
    commission = factories.committee(world.centre_a)

    def decision(committee, kind="approve_measures"):
        return factories.add(
            CommitteeDecision(
                committee=committee, programme=case, meeting_date=regional_today(), protocol_number="7", decision=kind
            )
        )

    headers = api_token("director")
    for wrong in (decision(commission), decision(other)):
        refused = client.put(f"/api/v1/measure/{measure.id}", headers=headers, json={"decision": wrong.id})
        assert refused.status_code == 400 and refused.json["rule"] == "decision_not_approving", refused.json
    approving = decision(group)
    assert (
        client.put(f"/api/v1/measure/{measure.id}", headers=headers, json={"decision": approving.id}).status_code == 200
    )
    db.session.expire_all()
    assert [m.id for m in db.session.get(CommitteeDecision, approving.id).measures] == [measure.id]


def test_the_programme_records_its_ippsu(world, case, client, api_token, login):
    headers = api_token("specialist")
    sent = {"ippsu_number": "86-1234", "ippsu_date": str(regional_today() - timedelta(days=45))}
    assert client.put(f"/api/v1/programme/{case.id}", headers=headers, json=sent).status_code == 200
    page = login("specialist").get(f"/case/{case.id}").get_data(as_text=True)
    assert "ИППСУ № 86-1234" in page
    assert "86-1234" in login("specialist").get(f"/programmeview/show/{case.id}").get_data(as_text=True)
