"""The transfer rule in plain Python and its SQL twin (``app.security.scope.transfer_consented``) give the same answer
for every combination of a consent's term and purposes; a partner's report is checked by its own rule."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.domain.errors import RuleViolation
from app.domain.partners import ConsentFacts, any_covers_transfer, check_partner_report, covers_transfer
from app.extensions import db
from app.models import Committee, CommitteeMember, Consent
from app.security.scope import transfer_consented
from tests import factories

DAY = date(2026, 6, 15)


def test_only_a_consent_in_force_naming_the_transfer_covers_it():
    named = ConsentFacts(signed_on=DAY, organisation_ids=frozenset({7}))
    assert covers_transfer(named, 7, (), DAY)
    assert not covers_transfer(named, 8, (), DAY)
    assert not covers_transfer(
        ConsentFacts(signed_on=DAY + timedelta(days=1), organisation_ids=frozenset({7})), 7, (), DAY
    )
    assert not covers_transfer(ConsentFacts(signed_on=DAY, revoked_on=DAY, organisation_ids=frozenset({7})), 7, (), DAY)
    assert not covers_transfer(
        ConsentFacts(signed_on=DAY, valid_until=DAY - timedelta(days=1), organisation_ids=frozenset({7})), 7, (), DAY
    )
    group = ConsentFacts(signed_on=DAY, to_working_group=True)
    assert covers_transfer(group, 7, {7}, DAY) and not covers_transfer(group, 7, {8}, DAY)
    assert not covers_transfer(named, 7, (), DAY, phone=True)
    assert any_covers_transfer([group, named], 7, (), DAY)


@pytest.mark.parametrize(
    ("stored", "status", "done_on", "note", "rule"),
    [
        ("done", "in_progress", None, None, "partner_measure_closed"),
        ("cancelled", "done", DAY, "x", "partner_measure_closed"),
        ("planned", "cancelled", None, None, "partner_status"),
        ("planned", "done", None, "x", "measure_done_date_required"),
        ("planned", "done", DAY + timedelta(days=1), "x", "date_in_future"),
        ("planned", "done", DAY, "  ", "partner_result_required"),
        ("in_progress", "cannot_be_done", None, "", "partner_reason_required"),
        ("planned", "in_progress", DAY, None, "partner_no_date_in_progress"),
    ],
)
def test_a_partners_report_is_refused_for_its_reason(stored, status, done_on, note, rule):
    with pytest.raises(RuleViolation) as refused:
        check_partner_report(stored, status, done_on, note, DAY)
    assert refused.value.code == rule


def test_a_partners_report_that_says_what_it_must_passes():
    check_partner_report("planned", "in_progress", None, None, DAY)
    check_partner_report("in_progress", "done", DAY, "Осмотрен", DAY)
    check_partner_report("planned", "cannot_be_done", None, "Выбыл", DAY)


def test_the_sql_twin_agrees_with_the_rule(world):
    """Every combination of term (signed later, revoked, expired, in force), named organisation, working-group
    purpose, membership of the territory's group and phone, asked of both."""
    org = world.organisation
    citizen = factories.citizen(world.centre_a)
    group = factories.add(Committee(kind="working_group", name="МРГ", territory=world.territory_a))
    today = DAY
    terms = {
        "in_force": {"signed_on": today - timedelta(days=5)},
        "later": {"signed_on": today + timedelta(days=1)},
        "revoked": {"signed_on": today - timedelta(days=5), "revoked_on": today},
        "expired": {"signed_on": today - timedelta(days=5), "valid_until": today - timedelta(days=1)},
        "last_day": {"signed_on": today - timedelta(days=5), "valid_until": today},
    }
    checked = 0
    for term, named, to_group, member, with_phone, phone in itertools.product(
        terms, (False, True), (False, True), (False, True), (False, True), (False, True)
    ):
        db.session.query(Consent).delete()
        db.session.query(CommitteeMember).delete()
        consent = Consent(
            citizen=citizen,
            scope="x",
            to_working_group=to_group,
            with_phone=with_phone,
            organisations=[org] if named else [],
            **terms[term],
        )
        db.session.add(consent)
        if member:
            db.session.add(CommitteeMember(committee=group, full_name="x", organisation=org))
        db.session.commit()
        facts = ConsentFacts(
            signed_on=consent.signed_on,
            revoked_on=consent.revoked_on,
            valid_until=consent.valid_until,
            to_working_group=to_group,
            with_phone=with_phone,
            organisation_ids=frozenset({org.id} if named else ()),
        )
        expected = covers_transfer(facts, org.id, {org.id} if member else set(), today, phone=phone)
        got = db.session.scalar(
            select(transfer_consented(citizen.id, org.id, world.territory_a.id, today, phone=phone))
        )
        assert bool(got) == expected, (term, named, to_group, member, with_phone, phone)
        checked += 1
    assert checked == 5 * 32
