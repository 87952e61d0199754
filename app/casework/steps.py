"""The casework's steps in the save pipeline (``app.fab.pipeline``): forms and the API edit a case's data, the case
page's actions move its states.

* a new programme starts as a draft within six months; a specialist's new programme without a responsible
  specialist becomes his or her own;
* a programme's status never changes through a form; an active programme's term changes only by extension;
* measures, ticks and control events of a closed programme are frozen; a measure is due within the programme's
  term and is «выполнено» only with the date it was done;
* revoking the citizen's consent terminates the citizen's open programmes;
* an activated programme is never deleted (it is terminated with a reason);
* a measure carries its programme's centre; what is due next on a programme is kept current at every commit.
"""

from __future__ import annotations

from flask_appbuilder.security.sqla.models import User
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select, update

from app.casework import caseload, workflow
from app.domain import rules
from app.domain.choices import ProgrammeStatus
from app.domain.errors import RuleViolation
from app.domain.partners import check_approving_decision
from app.extensions import db
from app.fab import pipeline
from app.models import ChecklistItem, Consent, ControlEvent, Measure, Programme
from app.models.base import stored_value
from app.platform.clock import today
from app.security.scope import current_scope


def make_the_creator_responsible(programme: Programme) -> None:
    """A specialist's new programme without a responsible specialist becomes his or her own (the director chooses)."""
    scope = current_scope()
    is_new = sa_inspect(programme).transient or sa_inspect(programme).pending
    if is_new and scope.responsible_only and programme.specialist_id is None and programme.specialist is None:
        # the relationship, not the key: a form that sent "no specialist" set the relationship to None,
        # which would win over the key at flush
        programme.specialist = db.session.get(User, scope.user_id)


def check_programme_states(programme: Programme) -> None:
    """A new programme is a draft within six months; states move only by actions; an active term only by extension."""
    stored_status = stored_value(programme, "status")
    if stored_status is None:  # a new programme starts as a draft, whatever was sent
        programme.status = ProgrammeStatus.DRAFT
        rules.check_term(programme.start_date, programme.end_date)
        return
    if programme.status != stored_status:
        raise RuleViolation("transition_not_allowed", "status")
    old = (stored_value(programme, "start_date"), stored_value(programme, "end_date"))
    rules.check_term_change(stored_status, old, (programme.start_date, programme.end_date))


def check_case_open(item) -> None:
    """Measures, ticks and control events of a completed or terminated programme are frozen."""
    if item.programme is not None:
        rules.check_editable(stored_value(item.programme, "status") or item.programme.status)


def check_measure_rules(measure: Measure) -> None:
    """A measure is due within its programme's term; «выполнено» needs the date it was done, not a future one."""
    programme = measure.programme
    if programme is None:
        return
    rules.check_measure(
        measure.due_date, measure.status, measure.done_on, programme.start_date, programme.end_date, today()
    )


def check_measure_decision(measure: Measure) -> None:
    """The decision a measure names approved it: «утвердить мероприятия» of the working group of the programme's
    territory, on the same programme."""
    decision, programme = measure.decision, measure.programme
    if decision is None or programme is None:
        return
    check_approving_decision(
        decision_kind=decision.decision,
        committee_kind=decision.committee.kind,
        committee_territory_id=decision.committee.territory_id,
        decision_programme_id=decision.programme_id,
        programme_id=programme.id,
        programme_territory_id=programme.centre.territory_id,
    )


def end_programmes_on_revoked_consent(consent: Consent) -> None:
    """A revoked consent stops the processing of the citizen's data: the open programmes are terminated."""
    if consent.revoked_on is not None:
        workflow.terminate_on_consent_revoked(consent, today())


def check_programme_deletable(programme: Programme) -> None:
    """An activated programme is case history: it is terminated with a reason, never deleted."""
    if programme.status != ProgrammeStatus.DRAFT:
        raise RuleViolation("programme_has_history")


def check_closed_case_kept(item) -> None:
    if item.programme is not None:
        rules.check_editable(item.programme.status)


def give_measure_its_centre(connection, measure: Measure) -> None:
    """A measure belongs to its programme's centre, whichever way it was saved (form, API, action), so that a
    region's million measures are scoped to a centre and sorted within it by one index."""
    programme = measure.__dict__.get("programme")  # as set or loaded, without loading it
    if programme is not None and programme.centre_id is not None:
        measure.centre_id = programme.centre_id
    else:
        measure.centre_id = connection.scalar(select(Programme.centre_id).where(Programme.id == measure.programme_id))


def move_measures_with_their_programme(session) -> None:
    """After a flush: a programme moved to another centre takes its measures with it."""
    for programme in session.dirty:
        if isinstance(programme, Programme) and sa_inspect(programme).attrs.centre_id.history.has_changes():
            session.connection().execute(
                update(Measure).where(Measure.programme_id == programme.id).values(centre_id=programme.centre_id)
            )


def register() -> None:
    pipeline.on_save(Programme, "defaults")(make_the_creator_responsible)
    pipeline.on_save(Programme)(check_programme_states)
    for model in (Measure, ChecklistItem, ControlEvent):
        pipeline.on_save(model)(check_case_open)
        pipeline.on_delete(model)(check_closed_case_kept)
    pipeline.on_save(Measure)(check_measure_rules)
    pipeline.on_save(Measure)(check_measure_decision)
    pipeline.on_save(Consent)(end_programmes_on_revoked_consent)
    pipeline.on_delete(Programme)(check_programme_deletable)
    pipeline.derived(Measure)(give_measure_its_centre)
    pipeline.after_flush(move_measures_with_their_programme)
    pipeline.after_flush(caseload.note_changed_programmes)
    pipeline.at_commit(caseload.refresh_changed_programmes)
    pipeline.after_rollback(caseload.forget_changed_programmes)
