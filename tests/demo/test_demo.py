"""The demo data set (``flask demo load``): its users, its coverage of the domain, its consistency, idempotency."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from flask import current_app
from sqlalchemy import func, select

from app.demo.data import CENTRES, TERRITORIES, demo_usernames, load_demo
from app.domain import roles, rules
from app.domain.choices import (
    CHECKLIST,
    ClosureReason,
    CommitteeKind,
    ControlKind,
    DecisionKind,
    MeasureKind,
    MeasureStatus,
    OrganisationKind,
    ProgrammeStatus,
    ReportStatus,
)
from app.domain.validation import normalize_snils
from app.extensions import db
from app.models import (
    Appeal,
    Category,
    Centre,
    Citizen,
    CommitteeDecision,
    Consent,
    ControlEvent,
    Measure,
    MeasureReport,
    MonthlyReport,
    Organisation,
    Programme,
    Territory,
)
from app.platform.clock import today

PASSWORD = "Demo-Password-2026"
CATEGORY_NAMES = {
    "Граждане пожилого возраста",
    "Инвалиды",
    "Взрослые с алкогольной или наркотической зависимостью, психическими заболеваниями и не имеющие постоянного "
    "места работы",
    "Безработные, нуждающиеся в предоставлении постоянного места работы",
    "Выпускники организаций для детей-сирот и детей, оставшихся без попечения родителей",
    "Иные граждане, находящиеся в трудной жизненной ситуации",
}


@pytest.fixture
def demo():
    return load_demo(password=PASSWORD)


def _all(model):
    return db.session.scalars(select(model)).all()


def _distinct(column) -> set:
    return set(db.session.scalars(select(column).distinct()))


def _table_counts() -> dict[str, int]:
    with db.engine.connect() as conn:
        return {table.name: conn.scalar(select(func.count()).select_from(table)) for table in db.metadata.sorted_tables}


def _centre(n: int) -> Centre:
    return db.session.scalar(select(Centre).where(Centre.name == CENTRES[n - 1].name))


def _territory(n: int) -> Territory:
    return db.session.scalar(select(Territory).where(Territory.name == TERRITORIES[n - 1].name))


# --- users ------------------------------------------------------------------------------------------------------


def test_demo_users_have_their_roles_and_scopes(demo):
    sm = current_app.appbuilder.sm
    expected = {"admin": (roles.ADMIN, None, None), "department": (roles.DEPARTMENT, None, None)}
    for n in (1, 2):
        expected[f"territory{n}"] = (roles.TERRITORY, None, _territory(n))
    for n in (1, 2, 3, 4):
        centre = _centre(n)
        expected |= {
            f"director{n}": (roles.DIRECTOR, centre, None),
            f"specialist{n}": (roles.SPECIALIST, centre, None),
            f"specialist{n}b": (roles.SPECIALIST, centre, None),
            f"registrar{n}": (roles.REGISTRAR, centre, None),
        }
    expected |= {"partner1": (roles.PARTNER, None, None), "partner2": (roles.PARTNER, None, None)}
    assert set(expected) == set(demo_usernames())
    assert demo["users"] == len(expected) == 22
    for username, (role, centre, territory) in expected.items():
        user = sm.find_user(username)
        assert [r.name for r in user.roles] == [role], username
        assert user.email == f"{username}@example.org"
        profile = user.staff_profile
        assert profile is not None and profile.position, username
        assert profile.centre == centre, username
        assert profile.territory == territory, username
        if centre is not None and not username.startswith("director"):
            assert profile.unit is not None and profile.unit.centre == centre, username


def test_centres_belong_to_their_territories(demo):
    assert [_centre(n).territory for n in (1, 2, 3, 4)] == [_territory(1), _territory(1), _territory(2), _territory(2)]
    for n in (1, 2, 3, 4):
        centre = _centre(n)
        director = current_app.appbuilder.sm.find_user(f"director{n}")
        assert centre.director_name.startswith(f"{director.last_name} {director.first_name} ")
        assert {unit.name for unit in centre.units} >= {"Консультативное отделение"}


def test_every_demo_user_can_log_in(demo, client):
    for username in demo_usernames():
        client.get("/logout/")
        response = client.post("/login/", data={"username": username, "password": PASSWORD})
        assert response.status_code == 302, username
        assert "/login" not in response.headers["Location"], username


# --- coverage of the domain -------------------------------------------------------------------------------------


def test_reference_lists_and_partners(demo):
    assert {c.name for c in _all(Category)} == CATEGORY_NAMES
    assert demo["circumstance"] == 8
    for territory in _all(Territory):
        kinds = {o.kind for o in _all(Organisation) if o.territory == territory}
        assert kinds == set(OrganisationKind), territory.name


def test_every_status_stage_reason_kind_and_category_occurs(demo):
    assert _distinct(Programme.status) == set(ProgrammeStatus)
    assert _distinct(Programme.stage) == set(CHECKLIST)
    assert _distinct(Programme.closure_reason) - {None} == set(ClosureReason)
    assert _distinct(Measure.kind) == set(MeasureKind)
    assert _distinct(Measure.status) == set(MeasureStatus)
    assert {c.category.name for c in _all(Citizen)} == CATEGORY_NAMES
    assert demo["citizen"] == 60
    assert {c.centre_id for c in _all(Citizen)} == {_centre(n).id for n in (1, 2, 3, 4)}


def test_some_programmes_are_at_three_months_and_near_their_end(demo):
    day = today()
    programmes = _all(Programme)
    open_ = [p for p in programmes if p.status in (ProgrammeStatus.ACTIVE, ProgrammeStatus.EXTENDED)]
    assert any(85 <= (day - p.start_date).days <= 95 for p in open_)
    assert any(0 <= (p.end_date - day).days <= 14 for p in open_)
    monitored = {e.programme_id for e in _all(ControlEvent) if e.kind == ControlKind.MONITORING}
    assert any(p.id in monitored for p in open_ if (p.end_date - day).days <= 14)
    interim = {e.programme_id for e in _all(ControlEvent) if e.kind == ControlKind.INTERIM}
    for p in programmes:
        if p.status != ProgrammeStatus.DRAFT and rules.interim_due(p.start_date) <= min(p.closed_on or day, day):
            assert p.id in interim, p.number


def test_an_extension_by_the_commission(demo):
    extensions = [d for d in _all(CommitteeDecision) if d.decision == DecisionKind.EXTEND]
    assert extensions
    for decision in extensions:
        programme = decision.programme
        assert programme.status == ProgrammeStatus.EXTENDED
        assert decision.committee.kind == CommitteeKind.EXTENSION_COMMISSION
        assert decision.committee.centre == programme.centre
        assert decision.committee.members
        assert decision.meeting_date <= today()
        assert decision.extend_to == programme.end_date
        assert programme.end_date > rules.max_end_date(programme.start_date)
        assert programme.end_date <= rules.max_extended_end_date(programme.start_date)
        # the note printed in §5 names the period §4 prints: from the day after the original end
        first, last = programme.extension_period
        assert f"с {first:%d.%m.%Y} по {last:%d.%m.%Y}" in programme.note


def test_completed_programmes_have_results_and_outcomes(demo):
    completed = [p for p in _all(Programme) if p.status == ProgrammeStatus.COMPLETED]
    assert completed
    for p in completed:
        assert p.closure_reason == ClosureReason.RESOLVED
        assert p.outcomes and p.results_analysis and p.citizen_words and p.recommendations
        assert rules.all_stages_complete({item.item for item in p.checklist})


def test_monthly_reports_for_the_previous_month(demo):
    reports = _all(MonthlyReport)
    assert {r.month for r in reports} == {rules.reporting_month(today())}
    statuses = [r.status for r in reports]
    assert statuses.count(ReportStatus.DRAFT) == 1
    assert statuses.count(ReportStatus.SUBMITTED) == len(reports) - 1 >= 2
    for report in reports:
        if report.status == ReportStatus.SUBMITTED:
            assert report.submitted_at and report.submitted_by and report.snapshot
            assert rules.local_today(report.submitted_at) <= rules.report_due(report.month)  # on time


def test_the_demo_reports_are_what_the_console_computes(demo, login):
    """A demo report reads exactly as "Пересчитать по данным" would make it: the console's own report code."""
    from app.reporting import monthly

    reports = _all(MonthlyReport)
    for report in reports:
        f = monthly.figures([report.centre_id], report.month)[report.centre_id]
        assert (report.need_count, report.enrolled_count) == (f["need"], f["enrolled"]), report.centre.short_name
        assert (report.measures_info, report.result_info) == monthly.texts(f), report.centre.short_name
    draft = next(r for r in reports if r.status == ReportStatus.DRAFT)
    before = (draft.need_count, draft.enrolled_count, draft.measures_info, draft.result_info)
    director = next(u for u in demo_usernames() if u == f"director{len(CENTRES)}")
    response = login(director, PASSWORD).post(f"/monthlyreportview/refresh/{draft.id}", follow_redirects=True)
    assert response.status_code == 200
    db.session.expire_all()
    draft = db.session.get(MonthlyReport, draft.id)
    assert (draft.need_count, draft.enrolled_count, draft.measures_info, draft.result_info) == before


# --- consistency ------------------------------------------------------------------------------------------------


def test_programmes_are_consistent(demo):
    day = today()
    for p in _all(Programme):
        assert p.centre == p.citizen.centre
        assert p.appeal.citizen == p.citizen and p.appeal.centre == p.centre
        assert p.appeal.appeal_date <= p.start_date <= p.end_date
        extended = p.status == ProgrammeStatus.EXTENDED
        rules.check_term(p.start_date, p.end_date, extended=extended)
        assert any(d.kind == "application" for d in p.appeal.documents), p.number
        n = next(n for n in (1, 2, 3, 4) if _centre(n) == p.centre)
        assert p.specialist.username in (f"specialist{n}", f"specialist{n}b")
        if p.closed_on is not None:
            assert p.status in (ProgrammeStatus.COMPLETED, ProgrammeStatus.TERMINATED)
            assert p.start_date <= p.closed_on <= min(p.end_date, day)
        done = {item.item for item in p.checklist}
        assert rules.current_stage(done) == p.stage, p.number
        for item in p.checklist:
            assert p.start_date <= item.done_on <= day
        for m in p.measures:
            assert m.organisations or m.participants_text
            assert (m.status == MeasureStatus.DONE) == (m.done_on is not None)
            assert m.done_on is None or p.start_date <= m.done_on <= day
            assert p.start_date <= m.due_date <= p.end_date


def test_open_programmes_have_a_valid_consent(demo):
    day = today()
    for p in _all(Programme):
        if p.status in (ProgrammeStatus.ACTIVE, ProgrammeStatus.EXTENDED):
            assert any(
                rules.consent_valid(c.signed_on, c.revoked_on, day, c.valid_until, c.in_centre)
                for c in p.citizen.consents
            ), p.number
    assert any(c.revoked_on for c in _all(Consent))


def test_citizens_and_appeals_are_well_formed(demo):
    citizens = _all(Citizen)
    snils = [c.snils for c in citizens if c.snils]
    assert len(snils) >= 0.8 * len(citizens)
    assert len(set(snils)) == len(snils)
    assert all(normalize_snils(value) == value for value in snils)
    assert any(c.representative_name for c in citizens)
    assert any(c.household for c in citizens)
    assert any(c.family_status == "other" and c.family_status_other for c in citizens)
    appeals = _all(Appeal)
    assert {a.decision for a in appeals} == {"enrolled", "refused", "redirected", "pending"}
    journal = [(a.centre_id, a.journal_number) for a in appeals]
    assert len(set(journal)) == len(journal)
    assert all(a.appeal_date <= today() and all(d.document_date <= today() for d in a.documents) for a in appeals)


# --- loading ----------------------------------------------------------------------------------------------------


def test_second_load_changes_nothing():
    first = load_demo(password=PASSWORD)
    before = _table_counts()
    assert load_demo(password=PASSWORD) == first
    assert _table_counts() == before


def test_reset_reloads_the_same_data_set(demo):
    snapshot = sorted((c.surname, c.first_name, c.snils or "") for c in _all(Citizen))
    centre = _centre(1)
    db.session.add(Citizen(centre=centre, surname="Лишний", first_name="Тест", birth_date=today() - timedelta(9000)))
    db.session.commit()
    assert load_demo(password=PASSWORD, reset=True) == demo
    assert sorted((c.surname, c.first_name, c.snils or "") for c in _all(Citizen)) == snapshot


def test_an_existing_admin_is_kept(app):
    sm = current_app.appbuilder.sm
    admin = sm.add_user("admin", "Ivan", "Admin", "admin@fab.org", sm.find_role(roles.ADMIN), "own-Password-1")
    result = load_demo(password=PASSWORD)
    assert result["users"] == 22 and result["citizen"] == 60
    user = sm.find_user("admin")
    assert user.id == admin.id and user.email == "admin@fab.org"
    assert sm.auth_user_db("admin", "own-Password-1") is not None
    assert user.staff_profile is not None


def test_load_is_fast():
    started = time.perf_counter()
    load_demo(password=PASSWORD)
    assert time.perf_counter() - started < 10


def test_cli_command_loads_the_demo(app):
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "citizen: 60" in result.output
    assert db.session.scalar(select(func.count()).select_from(Programme)) > 0


# --- partner organisations --------------------------------------------------------------------------------------


def test_the_partners_see_their_organisations_measures_in_both_centres_of_their_territory(demo, login):
    """partner1 (an employment centre of territory 1) has measures in centres 1 and 2, one of them overdue; partner2
    those of territory 2; one citizen of centre 1 gave no consent to any transfer: the specialist sees the warning."""
    from app.partners import queries
    from app.security.scope import scope_for, transfer_gaps

    sm = current_app.appbuilder.sm
    for username, territory in (("partner1", 1), ("partner2", 2)):
        user = sm.find_user(username)
        assert user.staff_profile.organisation.territory == _territory(territory)
        assert [r.name for r in user.roles] == [roles.PARTNER]
        scope = scope_for(user)
        rows = db.session.scalars(
            select(Measure.centre_id).where(
                Measure.id.in_([m.id for m in queries.organisation_measures(scope, today())])
            )
        ).all()
        assert set(rows) == {_centre(2 * territory - 1).id, _centre(2 * territory).id}, username
        assert any(m.overdue for m in queries.organisation_measures(scope, today())), username
    assert "Мероприятия организации" in login("partner1", PASSWORD).get("/partner/measures/").get_data(as_text=True)
    gaps = transfer_gaps(db.session.scalars(select(Measure.id).where(Measure.centre_id == _centre(1).id)), today())
    assert gaps, "the citizen without a transfer consent"
    assert demo["measure_report"] == 4
    assert _distinct(MeasureReport.status) == {"done", "cannot_be_done"}
