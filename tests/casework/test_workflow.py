"""The workflow layer over the database, without HTTP: actions, checklist, control events, hooks, caseload."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.casework import caseload, timeline, workflow
from app.domain import rules
from app.domain.choices import CHECKLIST
from app.domain.errors import RuleViolation
from app.extensions import db
from app.fab import pipeline
from app.fab.pipeline import save as vet_save
from app.models import AppealDocument, ChecklistItem, CommitteeDecision, Consent, ControlEvent, Programme
from app.platform.clock import today as regional_today
from app.security.scope import Scope
from tests import factories

TODAY = regional_today()
ALL_ITEMS = [item for items in CHECKLIST.values() for item in items]


@pytest.fixture
def case(world):
    return factories.draft_case(world, TODAY - timedelta(days=95))


def scope_of(world, name: str) -> Scope:
    user = world.users[name]
    director = name == "director"
    return Scope(frozenset({world.centre_a.id}), None, user.id, responsible_only=not director)


def refused(code: str, action, *args, **kwargs) -> RuleViolation:
    with pytest.raises(RuleViolation) as caught:
        action(*args, **kwargs)
    db.session.rollback()
    assert caught.value.code == code
    return caught.value


def tick_all(programme, scope, stages=(1, 2, 3)):
    for stage in stages:
        for item in CHECKLIST[stage]:
            workflow.tick(programme, item, done_on=TODAY, note=None, today=TODAY, scope=scope)
    db.session.commit()


def inspect(programme, scope, held_on=TODAY, decision="extend"):
    """The monitoring inspection of the current term (S1 §6.4), the basis of a completion or an extension."""
    workflow.record_control_event(
        programme, kind="monitoring", held_on=held_on, findings=None, decision=decision, today=TODAY, scope=scope
    )
    db.session.commit()


def test_activation_needs_application_need_assessment_and_consent(world, case):
    spec = scope_of(world, "specialist")
    db.session.execute(db.delete(AppealDocument).where(AppealDocument.kind == "application"))
    db.session.commit()
    refused("application_required", workflow.activate, case, TODAY, spec)
    db.session.add(AppealDocument(appeal_id=case.appeal_id, kind="application", document_date=TODAY))
    db.session.execute(db.update(Consent).values(revoked_on=TODAY - timedelta(days=1)))
    db.session.commit()
    refused("consent_required", workflow.activate, case, TODAY, spec)
    assert db.session.get(Programme, case.id).status == "draft"


@pytest.mark.parametrize(
    "consent",
    [
        {"in_centre": False, "to_working_group": True},  # a consent to pass the data on, not to process it here
        {"valid_until": TODAY - timedelta(days=1)},  # given for a term that is over
    ],
)
def test_activation_needs_a_consent_to_processing_in_the_centre_within_its_term(world, case, consent):
    db.session.execute(db.update(Consent).where(Consent.citizen_id == case.citizen_id).values(**consent))
    db.session.commit()
    refused("consent_required", workflow.activate, case, TODAY, scope_of(world, "specialist"))
    db.session.execute(db.update(Consent).values(in_centre=True, valid_until=None))
    db.session.commit()
    workflow.activate(db.session.get(Programme, case.id), TODAY, scope_of(world, "specialist"))
    assert db.session.get(Programme, case.id).status == "active"


def test_activation_makes_the_programme_active_and_enrols_the_appeal(world, case):
    workflow.activate(case, TODAY, scope_of(world, "specialist"))
    db.session.commit()
    assert (case.status, case.activated_on, case.appeal.decision) == ("active", TODAY, "enrolled")


def test_only_the_responsible_specialist_or_the_director_acts(world, case):
    other = factories.user("specialist2", "Specialist", centre=world.centre_a)
    stranger = Scope(frozenset({world.centre_a.id}), None, other.id, responsible_only=True)
    refused("not_responsible", workflow.activate, case, TODAY, stranger)
    workflow.activate(case, TODAY, scope_of(world, "director"))
    assert case.status == "active"


def test_stages_run_in_order_and_the_stage_follows_the_checklist(world, case):
    spec = scope_of(world, "specialist")
    refused("stage_order", workflow.tick, case, "develop_measures", done_on=TODAY, note=None, today=TODAY, scope=spec)
    refused(
        "date_in_future",
        workflow.tick,
        case,
        "collect_information",
        done_on=TODAY + timedelta(days=1),
        note=None,
        today=TODAY,
        scope=spec,
    )
    tick_all(case, spec, stages=(1,))
    assert case.stage == 2
    refused("already_ticked", workflow.tick, case, "define_problems", done_on=TODAY, note=None, today=TODAY, scope=spec)
    workflow.tick(case, "develop_measures", done_on=TODAY, note="план", today=TODAY, scope=spec)
    db.session.commit()
    refused("stage_untick_order", workflow.untick, case, "define_problems", scope=spec)
    workflow.untick(case, "develop_measures", scope=spec)
    workflow.untick(case, "define_problems", scope=spec)
    db.session.commit()
    assert case.stage == 1
    assert db.session.query(ChecklistItem).filter_by(programme_id=case.id).count() == 3


def test_a_tick_is_unticked_by_its_author_or_the_director(world, case):
    factories.user("specialist2", "Specialist", centre=world.centre_a)
    workflow.tick(case, "collect_information", done_on=TODAY, note=None, today=TODAY, scope=scope_of(world, "director"))
    db.session.commit()
    refused("untick_not_allowed", workflow.untick, case, "collect_information", scope=scope_of(world, "specialist"))
    workflow.untick(case, "collect_information", scope=scope_of(world, "director"))
    db.session.commit()
    refused("not_ticked", workflow.untick, case, "collect_information", scope=scope_of(world, "director"))


def test_interim_assessment_then_extension_to_twelve_months(world, case):
    spec, director = scope_of(world, "specialist"), scope_of(world, "director")
    workflow.activate(case, TODAY, spec)
    db.session.commit()
    refused(
        "date_in_future",
        workflow.record_control_event,
        case,
        kind="interim",
        held_on=TODAY + timedelta(days=1),
        findings=None,
        decision="extend",
        today=TODAY,
        scope=spec,
    )
    workflow.record_control_event(
        case, kind="interim", held_on=TODAY, findings="Нужна помощь дольше", decision="extend", today=TODAY, scope=spec
    )
    db.session.commit()
    refused(
        "interim_already_held",
        workflow.record_control_event,
        case,
        kind="interim",
        held_on=TODAY,
        findings=None,
        decision="continue",
        today=TODAY,
        scope=spec,
    )
    commission = factories.committee(world.centre_a)
    limit = rules.max_extended_end_date(case.start_date)

    def extend(to: date, protocol: str):
        return workflow.record_extension(
            case,
            committee=commission,
            protocol_number=protocol,
            meeting_date=TODAY,
            extend_to=to,
            reason="Промежуточная оценка",
            today=TODAY,
            scope=director,
        )

    refused("monitoring_required", extend, limit, "7")  # S1 §6.4: the inspection first
    inspect(case, spec)
    refused("extension_too_long", extend, limit + timedelta(days=1), "7")
    assert db.session.query(CommitteeDecision).count() == 0
    extend(limit, "7")
    db.session.commit()
    assert (case.status, case.end_date) == ("extended", limit)
    facts = workflow.facts_for(case, TODAY)
    assert rules.next_due(facts) == (rules.DueKind.MONITORING, limit - timedelta(days=14))
    refused("extension_too_long", extend, limit + timedelta(days=30), "8")


def test_only_the_centres_own_extension_commission_extends(world, case):
    director = scope_of(world, "director")
    workflow.activate(case, TODAY, director)
    db.session.commit()
    group = factories.committee(world.centre_a, kind="working_group")
    kwargs = {"protocol_number": "1", "meeting_date": TODAY, "reason": None, "today": TODAY}
    new_end = case.end_date + timedelta(days=30)
    refused("extension_wrong_committee", workflow.record_extension, case, committee=group, extend_to=new_end, **kwargs)
    refused("extension_decision_required", workflow.record_extension, case, committee=None, extend_to=new_end, **kwargs)


def test_completion_needs_stage_three_the_analysis_and_an_outcome(world, case):
    spec = scope_of(world, "specialist")
    workflow.activate(case, TODAY, spec)
    db.session.commit()
    tick_all(case, spec, stages=(1, 2))
    done = {"citizen_words": "Спасибо", "recommendations": "Обращаться при необходимости", "today": TODAY}
    refused(
        "stages_incomplete",
        workflow.complete,
        case,
        results_analysis="Итоги",
        outcomes=["stable_income"],
        scope=spec,
        **done,
    )
    tick_all(case, spec, stages=(3,))
    refused("results_required", workflow.complete, case, results_analysis=" ", outcomes=["stable_income"], **done)
    refused("monitoring_required", workflow.complete, case, results_analysis="Итоги", outcomes=["employment"], **done)
    inspect(case, spec, decision="complete")
    refused("outcome_required", workflow.complete, case, results_analysis="Итоги", outcomes=[], **done)
    workflow.complete(case, results_analysis="Итоги", outcomes=["stable_income", "employment"], scope=spec, **done)
    db.session.commit()
    assert (case.status, case.closure_reason, case.closed_on) == ("completed", "resolved", TODAY)
    assert sorted(o.criterion for o in case.outcomes) == ["employment", "stable_income"]
    refused("programme_closed", workflow.tick, case, "collect_information", done_on=TODAY, note=None, today=TODAY)


def test_a_lapsed_term_or_a_meeting_before_the_start_extends_nothing(world, case):
    """A programme whose term has ended is not extended (a new one is drawn up), and a commission that met before
    the programme started did not decide on it (S1 §6.1.3, §6.4)."""
    director = scope_of(world, "director")
    start = TODAY - timedelta(days=200)
    lapsed = factories.draft_case(world, start)
    lapsed.status, lapsed.activated_on = "active", start
    db.session.commit()
    inspect(lapsed, director, held_on=lapsed.end_date - timedelta(days=10))
    commission = factories.committee(world.centre_a)

    def extend(programme, meeting_date):
        return workflow.record_extension(
            programme,
            committee=commission,
            protocol_number="9",
            meeting_date=meeting_date,
            extend_to=rules.max_extended_end_date(programme.start_date),
            reason=None,
            today=TODAY,
            scope=director,
        )

    violation = refused("extension_term_lapsed", extend, lapsed, TODAY)
    assert violation.params["end"] == rules.format_date(lapsed.end_date)
    extend(db.session.get(Programme, lapsed.id), lapsed.end_date - timedelta(days=2))  # met in time, recorded later
    db.session.commit()
    workflow.activate(case, TODAY, director)
    db.session.commit()
    inspect(case, director)
    refused("extension_meeting_before_start", extend, case, case.start_date - timedelta(days=1))
    assert db.session.query(CommitteeDecision).count() == 1


def test_withdrawal_terminates_with_the_citizens_refusal(world, case):
    spec = scope_of(world, "specialist")
    workflow.activate(case, TODAY, spec)
    db.session.commit()
    refused("closure_reason_required", workflow.terminate, case, reason=None, today=TODAY, scope=spec)
    refused("terminate_resolved", workflow.terminate, case, reason="resolved", today=TODAY, scope=spec)
    workflow.terminate(case, reason="refused", note="Письменный отказ от сопровождения", today=TODAY, scope=spec)
    db.session.commit()
    assert (case.status, case.closure_reason) == ("terminated", "refused")
    assert "Письменный отказ" in case.note


def test_revoking_consent_terminates_the_citizens_programmes(world, case):
    workflow.activate(case, TODAY, scope_of(world, "specialist"))
    db.session.commit()
    consent = db.session.query(Consent).filter_by(citizen_id=case.citizen_id).one()
    consent.revoked_on = TODAY
    vet_save(consent)
    db.session.commit()
    assert (case.status, case.closure_reason) == ("terminated", "consent_revoked")


def test_saves_stay_inside_the_workflow(world, case):
    case.end_date = case.start_date + timedelta(days=200)
    refused("term_too_long", vet_save, case)
    case = db.session.get(Programme, case.id)
    workflow.activate(case, TODAY, scope_of(world, "specialist"))
    db.session.commit()
    case.end_date -= timedelta(days=1)
    refused("term_via_extension", vet_save, case)
    case = db.session.get(Programme, case.id)
    case.status = "completed"
    refused("transition_not_allowed", vet_save, case)


def test_an_applied_extension_is_never_edited_or_deleted(world, case):
    director = scope_of(world, "director")
    workflow.activate(case, TODAY, director)
    db.session.commit()
    inspect(case, director)
    decision = workflow.record_extension(
        case,
        committee=factories.committee(world.centre_a),
        protocol_number="3",
        meeting_date=TODAY,
        extend_to=case.end_date + timedelta(days=30),
        reason=None,
        today=TODAY,
        scope=director,
    )
    db.session.commit()
    decision.protocol_number = "4"
    refused("decision_applied", vet_save, decision)
    refused("decision_applied", pipeline.delete, db.session.get(CommitteeDecision, decision.id))


def test_caseload_puts_overdue_first_and_keeps_to_the_user(world, case):
    spec = scope_of(world, "specialist")
    workflow.activate(case, TODAY, spec)  # started 95 days ago: the interim assessment is overdue
    other = factories.programme(
        factories.citizen(world.centre_a), specialist=world.users["director"], start_date=TODAY - timedelta(days=5)
    )
    factories.programme(factories.citizen(world.centre_b), start_date=TODAY - timedelta(days=5))
    db.session.commit()
    mine = caseload.open_cases(TODAY, mine=True, scope=spec)
    assert [c.programme.id for c in mine] == [case.id]
    assert mine[0].overdue and mine[0].next.kind == rules.DueKind.INTERIM
    centre = caseload.open_cases(TODAY, mine=False, scope=scope_of(world, "director"))
    assert [c.programme.id for c in centre] == [case.id, other.id]
    assert not centre[1].overdue


def test_timeline_is_in_date_order(world, case):
    spec = scope_of(world, "specialist")
    workflow.activate(case, TODAY, spec)
    db.session.commit()
    workflow.tick(case, "collect_information", done_on=TODAY - timedelta(days=2), note=None, today=TODAY, scope=spec)
    db.session.add(ControlEvent(programme=case, kind="interim", held_on=TODAY - timedelta(days=1), decision="continue"))
    db.session.commit()
    events = timeline.timeline(case)
    kinds = [e.kind for e in events]
    assert kinds == ["appeal", "document", "document", "consent", "tick", "control_event", "activated"]
    assert [e.on for e in events] == sorted(e.on for e in events)
    assert "specialist" in events[4].actor
