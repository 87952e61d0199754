"""The partner organisations' rules: which transfer a consent covers, and what a partner may report.

Plain Python, no Flask: ``app.security.scope`` writes the same transfer rule as one SQL expression (the partner's
row scope), and ``tests/domain/test_partners.py`` holds the two to the same answers.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

from app.domain import rules
from app.domain.choices import CommitteeKind, DecisionKind, MeasureStatus
from app.domain.errors import RuleViolation

# What a partner organisation reports on a measure, and nothing else (the title, the due date and the programme are
# the centre's): the measure's status, the date it was done and the result note (or the reason it cannot be done).
PARTNER_FIELDS = ("status", "done_on", "result_note")
PARTNER_STATUSES = (MeasureStatus.IN_PROGRESS, MeasureStatus.DONE, MeasureStatus.CANNOT_BE_DONE)
# a measure the partner may still report on: not closed by the centre (cancelled) nor finished
REPORTABLE_STATUSES = (MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS)


@dataclass(frozen=True)
class ConsentFacts:
    """A consent as the transfer rule reads it: its term and its purposes (152-ФЗ art. 9 as amended by 156-ФЗ: a
    separate document naming its purposes; a transfer to a third party needs consent to that transfer)."""

    signed_on: date | None
    revoked_on: date | None = None
    valid_until: date | None = None  # the last day the consent is given for; ``None``: until revoked
    in_centre: bool = True  # processing in the centre
    to_working_group: bool = False  # transfer to the members of the territory's interagency working group
    organisation_ids: frozenset[int] = field(default_factory=frozenset)  # transfer to these named organisations
    with_phone: bool = False  # the transfer includes the contact phone


def consent_in_force(consent: ConsentFacts, today: date) -> bool:
    """Signed by today, not revoked by today, and today within its term (``rules.consent_in_force``)."""
    return rules.consent_in_force(consent.signed_on, consent.revoked_on, today, consent.valid_until)


def covers_transfer(
    consent: ConsentFacts,
    organisation_id: int,
    working_group_members: Collection[int],
    today: date,
    *,
    phone: bool = False,
) -> bool:
    """Does this consent allow passing the citizen's data to the organisation today? Only a consent in force that
    names the organisation, or names the working group of the citizen's territory of which the organisation is a
    member (``working_group_members``: the organisations seated in that territory's working groups). ``phone``:
    the contact phone too, which the consent must say."""
    if not consent_in_force(consent, today) or (phone and not consent.with_phone):
        return False
    if organisation_id in consent.organisation_ids:
        return True
    return consent.to_working_group and organisation_id in working_group_members


def any_covers_transfer(
    consents: Collection[ConsentFacts],
    organisation_id: int,
    working_group_members: Collection[int],
    today: date,
    *,
    phone: bool = False,
) -> bool:
    """A citizen may have several consents: one of them is enough."""
    return any(covers_transfer(c, organisation_id, working_group_members, today, phone=phone) for c in consents)


def check_partner_account(seated_in_working_group: bool) -> None:
    """A partner's account opens an organisation's measures to it: only for a member organisation of its
    territory's interagency working group (S2: the group's members carry out the measures). Asked when the grant
    is confirmed."""
    if not seated_in_working_group:
        raise RuleViolation("partner_not_member", "organisation")


def check_approving_decision(
    *,
    decision_kind: str,
    committee_kind: str,
    committee_territory_id: int | None,
    decision_programme_id: int,
    programme_id: int,
    programme_territory_id: int,
) -> None:
    """A measure is approved by a decision «утвердить мероприятия» of the interagency working group of the
    programme's territory, on that programme (S2); raises ``RuleViolation``."""
    if (
        decision_kind != DecisionKind.APPROVE_MEASURES
        or committee_kind != CommitteeKind.WORKING_GROUP
        or committee_territory_id != programme_territory_id
        or decision_programme_id != programme_id
    ):
        raise RuleViolation("decision_not_approving", "decision")


def check_partner_report(
    stored_status: str, status: str, done_on: date | None, result_note: str | None, today: date
) -> None:
    """A partner reports «в работе», «выполнено» with the date and the result, or «не может быть выполнено» with the
    reason, on a measure still open; raises ``RuleViolation``."""
    if stored_status not in REPORTABLE_STATUSES:
        raise RuleViolation("partner_measure_closed", "status")
    if status not in PARTNER_STATUSES:
        raise RuleViolation("partner_status", "status")
    note = (result_note or "").strip()
    if status == MeasureStatus.DONE:
        if done_on is None:
            raise RuleViolation("measure_done_date_required", "done_on")
        if done_on > today:
            raise RuleViolation("date_in_future", "done_on")
        if not note:
            raise RuleViolation("partner_result_required", "result_note")
    elif status == MeasureStatus.CANNOT_BE_DONE and not note:
        raise RuleViolation("partner_reason_required", "result_note")
    elif status == MeasureStatus.IN_PROGRESS and done_on is not None:
        raise RuleViolation("partner_no_date_in_progress", "done_on")
