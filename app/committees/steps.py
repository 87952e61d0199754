"""The commissions' steps in the save pipeline (``app.fab.pipeline``): recording an extension decision extends the
programme (S1 §6.1.3); an applied extension decision is never edited or deleted (a new decision is recorded)."""

from __future__ import annotations

from app.casework import apply_extension
from app.domain.choices import DecisionKind
from app.domain.errors import RuleViolation
from app.fab import pipeline
from app.models import CommitteeDecision
from app.models.base import stored_value
from app.platform.clock import today


def extend_by_decision(decision: CommitteeDecision) -> None:
    stored_kind = stored_value(decision, "decision")
    if stored_kind is not None and DecisionKind.EXTEND in (stored_kind, decision.decision):
        raise RuleViolation("decision_applied", "decision")
    if decision.decision == DecisionKind.EXTEND:
        apply_extension(decision, today())


def check_decision_not_applied(decision: CommitteeDecision) -> None:
    if decision.decision == DecisionKind.EXTEND:
        raise RuleViolation("decision_applied", "decision")


def register() -> None:
    pipeline.on_save(CommitteeDecision)(extend_by_decision)
    pipeline.on_delete(CommitteeDecision)(check_decision_not_applied)
