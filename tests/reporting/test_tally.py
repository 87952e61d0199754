"""The dashboard's tally (app.reporting.tally) is kept right by the commit that changes the caseload, whatever
changed it: a new programme, an activation, a tick that completes a stage, a closure, a citizen's new category, a
programme moved to another centre, a deleted draft. After each, the stored tally equals a recount from the
programmes, and the dashboard shows the changed figures."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, select, update

from app.casework import workflow
from app.domain.choices import CHECKLIST
from app.extensions import db
from app.models import Category
from app.models.tally import CaseloadCentre, CaseloadMonth, CaseloadTally
from app.platform.clock import today as regional_today
from app.reporting import dashboard, tally
from app.security.scope import Scope
from tests import factories

TODAY = regional_today()


def stored() -> tuple[set, set, set]:
    """The tally as stored, every row as a tuple (a centre without citizens in accompaniment as no row)."""
    db.session.expire_all()
    rows = (
        select(CaseloadTally.centre_id, CaseloadTally.status, CaseloadTally.stage, CaseloadTally.category_id,
               CaseloadTally.programmes),
        select(CaseloadCentre.centre_id, CaseloadCentre.citizens).where(CaseloadCentre.citizens > 0),
        select(CaseloadMonth.centre_id, CaseloadMonth.month, CaseloadMonth.enrolled, CaseloadMonth.closed),
    )  # fmt: skip
    return tuple(set(db.session.execute(query)) for query in rows)


def assert_tally_right() -> None:
    """What the commits left equals a recount of every centre from the programmes."""
    kept = stored()
    tally.recount(db.session.connection())
    recounted = stored()
    db.session.rollback()
    assert kept == recounted


def figures(world) -> dict:
    scope = Scope(frozenset({world.centre_a.id}))
    counts = dashboard.caseload(scope)
    return {
        "by_status": dict(counts.by_status),
        "by_stage": dict(counts.by_stage),
        "by_category": dict(counts.by_category),
        "citizens": dashboard.attention(scope, TODAY)["citizens"],
    }


@pytest.fixture
def case(world):
    case = factories.draft_case(world, TODAY - timedelta(days=40))
    factories.programme(factories.citizen(world.centre_a, category=world.category), status="active")
    assert_tally_right()
    return case


def test_a_new_programme_and_its_activation_are_counted(world, case):
    before = figures(world)
    assert before["by_status"]["черновик"] == 1 and before["citizens"] == 1

    workflow.activate(case, TODAY)
    db.session.commit()

    assert_tally_right()
    after = figures(world)
    assert (after["by_status"]["черновик"], after["by_status"]["действует"]) == (0, 2)
    assert after["citizens"] == 2
    assert after["by_category"]["—"] == 1  # the case's citizen has no category
    enrolled = dict((month, n) for month, n, _ in dashboard.per_month(Scope(frozenset({world.centre_a.id})), TODAY))
    assert enrolled[f"{TODAY:%m.%Y}"] == 1


def test_a_tick_that_completes_a_stage_moves_the_programme_to_the_next(world, case):
    workflow.activate(case, TODAY)
    db.session.commit()
    for item in CHECKLIST[1]:
        workflow.tick(case, item, done_on=TODAY, note=None, today=TODAY)
    db.session.commit()

    assert case.stage == 2
    assert_tally_right()
    assert figures(world)["by_stage"] == {"1": 1, "2": 1}


def test_closing_a_programme_and_changing_a_category(world, case):
    workflow.activate(case, TODAY)
    db.session.commit()
    workflow.terminate(case, reason="moved", today=TODAY)
    case.citizen.category = factories.add(Category(name="Инвалиды", sort_order=2))
    db.session.commit()

    assert_tally_right()
    after = figures(world)
    assert after["by_status"]["прекращена"] == 1 and after["citizens"] == 1
    assert after["by_category"] == {"Граждане пожилого возраста": 1}  # closed programmes are not in the chart


def test_a_citizens_new_category_moves_the_open_programmes(world, case):
    other = factories.programme(factories.citizen(world.centre_a), status="active")
    other.citizen.category = world.category
    db.session.commit()

    assert_tally_right()
    assert figures(world)["by_category"] == {"Граждане пожилого возраста": 2}


def test_a_programme_moved_to_another_centre_and_a_deleted_draft(world, case):
    moved = factories.programme(factories.citizen(world.centre_a), status="active")
    moved.centre = world.centre_b
    moved.citizen.centre = world.centre_b
    db.session.commit()
    assert_tally_right()

    db.session.delete(case)
    db.session.commit()

    assert_tally_right()
    assert figures(world)["by_status"]["черновик"] == 0
    assert dashboard.attention(Scope(frozenset({world.centre_b.id})), TODAY)["citizens"] == 1


def test_a_rolled_back_change_leaves_nothing_to_recount(world, case):
    factories.programme(factories.citizen(world.centre_b), status="active")
    case.status = "active"
    db.session.flush()
    db.session.rollback()
    db.session.commit()

    assert_tally_right()
    assert figures(world)["by_status"]["черновик"] == 1


def test_flask_report_recount_repairs_a_tally_changed_behind_the_consoles_back(app, world, case):
    kept = stored()
    db.session.execute(delete(CaseloadTally))
    db.session.execute(update(CaseloadCentre).values(citizens=99))
    db.session.commit()
    assert stored() != kept

    result = app.test_cli_runner().invoke(args=["report", "recount"])

    assert result.exit_code == 0, result.output
    assert stored() == kept
