"""The monthly report is true as of its date: for every demo centre and each of the last three months, the figures the
console computes equal a recomputation written here from DOMAIN.md §5 alone (plain SQL over the rows, then Python),
as the data stood on the month's last day, while ticks, closures, acts and extensions dated after it are recorded
(time travel), and the edge cases the order's form met in the demo are there: a programme activated before its start,
a draft cancelled before activation, an appeal at the month's end whose need assessment act is dated the next month.
"""

from __future__ import annotations

import io
from collections import Counter
from datetime import date, datetime, time, timedelta

import openpyxl
import time_machine
from sqlalchemy import select, text

from app.casework import workflow
from app.demo.data import load_demo
from app.domain import rules
from app.domain.choices import CHECKLIST
from app.extensions import db
from app.models import AppealDocument, Centre, ControlEvent, MonthlyReport, Programme
from app.platform.clock import today as regional_today
from app.platform.clock import zone
from app.reporting import exports, monthly
from app.security.scope import Scope
from tests import factories

EVERYTHING = Scope.everything()


def at(day: date):
    """The region's clock on ``day`` at noon."""
    return time_machine.travel(datetime.combine(day, time(12, 0), tzinfo=zone()), tick=False)


# --- the recomputation, from DOMAIN.md §5 only --------------------------------------------------------------------


def expected(centre_id: int, month: date) -> dict:
    end = date(month.year + month.month // 12, month.month % 12 + 1, 1) - timedelta(days=1)
    year_start = date(end.year, 1, 1)
    rows = db.session.execute

    need = rows(
        text(
            "SELECT COUNT(DISTINCT a.citizen_id) FROM appeal a JOIN appeal_document d ON d.appeal_id = a.id "
            "WHERE a.centre_id = :c AND d.kind = 'need_assessment' AND d.document_date BETWEEN :y AND :e "
            "AND a.decision NOT IN ('refused', 'redirected')"
        ),
        {"c": centre_id, "y": year_start, "e": end},
    ).scalar()

    programmes = rows(
        text(
            "SELECT p.id, p.citizen_id, p.status, p.activated_on, p.start_date, p.closed_on, p.closure_reason "
            "FROM programme p WHERE p.centre_id = :c"
        ),
        {"c": centre_id},
    ).all()
    ticks: dict[int, set[str]] = {}
    for programme_id, item, done_on in rows(text("SELECT programme_id, item, done_on FROM checklist_item")):
        if _day(done_on) <= end:
            ticks.setdefault(programme_id, set()).add(item)

    def began(p) -> date | None:
        """The day accompaniment began, or None for a programme never activated."""
        activated = _day(p.activated_on)
        if activated is None and p.status in ("draft", "terminated"):
            return None  # a draft, or a draft cancelled before activation
        return max(activated or _day(p.start_date), _day(p.start_date))

    def stage(programme_id: int) -> int:
        done = ticks.get(programme_id, set())
        return next((s for s in sorted(CHECKLIST) if not set(CHECKLIST[s]) <= done), max(CHECKLIST))

    start = end.replace(day=1)
    in_accompaniment = [
        p for p in programmes if began(p) and began(p) <= end and (p.closed_on is None or _day(p.closed_on) > end)
    ]
    removed = [
        p
        for p in programmes
        if began(p) and p.closed_on is not None and start <= _day(p.closed_on) <= end and _day(p.closed_on) >= began(p)
    ]
    entered = [
        p
        for p in programmes
        if began(p) and start <= began(p) <= end and (p.closed_on is None or _day(p.closed_on) >= began(p))
    ]
    removed_ids = {p.id for p in removed}
    outcomes = Counter(
        criterion
        for programme_id, criterion in rows(text("SELECT programme_id, criterion FROM programme_outcome"))
        if programme_id in removed_ids
    )
    extensions = rows(
        text(
            "SELECT COUNT(*) FROM committee_decision d JOIN programme p ON p.id = d.programme_id "
            "WHERE p.centre_id = :c AND d.decision = 'extend' AND d.meeting_date BETWEEN :s AND :e"
        ),
        {"c": centre_id, "s": start, "e": end},
    ).scalar()
    measures = Counter(
        kind
        for (kind,) in rows(
            text(
                "SELECT m.kind FROM measure m JOIN programme p ON p.id = m.programme_id "
                "WHERE p.centre_id = :c AND m.status = 'done' AND m.done_on BETWEEN :s AND :e"
            ),
            {"c": centre_id, "s": start, "e": end},
        )
    )
    return {
        "need": need,
        "enrolled": len({p.citizen_id for p in in_accompaniment}),
        "by_stage": dict(Counter(stage(p.id) for p in in_accompaniment)),
        "enrolled_in_month": len(entered),
        "closed_by_reason": dict(Counter(p.closure_reason for p in removed)),
        "outcomes": dict(outcomes),
        "extensions": extensions,
        "measures_by_kind": dict(measures),
    }


def _day(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


# --- the test --------------------------------------------------------------------------------------------------------


def test_every_demo_centre_s_last_three_reports_are_true_as_of_their_date(app, login):
    load_demo(factories.PASSWORD, reset=True)
    today = regional_today()
    months = [rules.add_months(rules.reporting_month(today), -k) for k in range(3)]
    november_end = rules.report_month_end(months[0])
    centres = db.session.scalars(select(Centre).order_by(Centre.id)).all()
    first = centres[0]
    specialist = Scope(frozenset({first.id}), None, None)

    # an appeal at the month's end whose need assessment act is dated the next day
    late_act = factories.appeal(
        factories.citizen(first), with_documents=False, appeal_date=november_end - timedelta(days=1)
    )
    db.session.add(AppealDocument(appeal=late_act, kind="need_assessment", document_date=november_end + timedelta(1)))
    # activated before its start: counted from the start, in the month after the activation
    early = factories.draft_case_in(first, start=months[0] + timedelta(days=4), appealed=months[1] + timedelta(days=15))
    with at(months[1] + timedelta(days=19)):
        workflow.activate(early, regional_today(), specialist)
        db.session.commit()
    # a draft cancelled before activation is no removal, and it is closed on the day it was cancelled
    cancelled = factories.draft_case_in(first, start=months[0] + timedelta(days=20))
    with at(months[0] + timedelta(days=9)):
        workflow.terminate(cancelled, reason="refused", today=regional_today(), scope=specialist)
        db.session.commit()
    assert cancelled.closed_on == months[0] + timedelta(days=9) and cancelled.activated_on is None

    # after every report date: ticks, acts, inspections, a completion, a termination, an extension
    with at(november_end + timedelta(days=14)):
        later = november_end + timedelta(days=10)
        open_ones = db.session.scalars(select(Programme).where(Programme.status.in_(("active", "extended")))).all()
        for programme in open_ones:
            done = workflow.done_items(programme)
            stage = rules.current_stage(done)
            for item in CHECKLIST[stage]:
                if item not in done:
                    workflow.tick(programme, item, done_on=later, note=None, today=regional_today(), scope=EVERYTHING)
        for appeal_id in db.session.scalars(select(AppealDocument.appeal_id).distinct().limit(6)):
            db.session.add(AppealDocument(appeal_id=appeal_id, kind="need_assessment", document_date=later))
        db.session.commit()
        closing = [p for p in open_ones if p.id != early.id][:2]
        db.session.add(ControlEvent(programme=closing[0], kind="monitoring", held_on=later, decision="complete"))
        db.session.commit()
        while rules.current_stage(workflow.done_items(closing[0])) < 3 or not rules.all_stages_complete(
            workflow.done_items(closing[0])
        ):
            done = workflow.done_items(closing[0])
            item = next(i for s in sorted(CHECKLIST) for i in CHECKLIST[s] if i not in done)
            workflow.tick(closing[0], item, done_on=later, note=None, today=regional_today(), scope=EVERYTHING)
        for measure in closing[0].measures:  # a case is summed up with no measure left open past its date
            if measure.status in ("planned", "in_progress") and measure.due_date < regional_today():
                measure.status = "cancelled"
        workflow.complete(
            closing[0], results_analysis="Итоги", citizen_words=None, recommendations=None, outcomes=["employment"],
            today=regional_today(), scope=EVERYTHING,
        )  # fmt: skip
        workflow.terminate(closing[1], reason="moved", today=regional_today(), scope=EVERYTHING)
        db.session.commit()

    db.session.execute(MonthlyReport.__table__.delete())
    db.session.commit()
    seen_difference = False
    for n, centre in enumerate(centres, start=1):
        director = login(f"director{n}", factories.PASSWORD)
        for month in months:
            truth = expected(centre.id, month)
            figures = monthly.figures([centre.id], month)[centre.id]
            assert {key: figures[key] for key in truth} == truth, (centre.short_name, month)
            response = director.post(
                "/monthlyreportview/add",
                data={"centre": centre.id, "month": month.isoformat(), "preparer_name": "Исполнитель"},
            )
            assert response.status_code == 302, response.get_data(as_text=True)[:1000]
            report = db.session.scalars(
                select(MonthlyReport).where(MonthlyReport.centre_id == centre.id, MonthlyReport.month == month)
            ).one()
            assert (report.need_count, report.enrolled_count) == (truth["need"], truth["enrolled"])
            stages = ", ".join(f"{stage} — {count}" for stage, count in sorted(truth["by_stage"].items())) or "—"
            assert f"На сопровождении по этапам: {stages}." in report.result_info
            assert f"Зачислено за месяц: {truth['enrolled_in_month']}." in report.result_info
            removed = sum(truth["closed_by_reason"].values())
            assert (f"Снято с сопровождения за месяц: {removed} " in report.result_info) == bool(removed)
            # the stored stage of today is not the stage of the report date somewhere in the demo
            today_stages = Counter(
                p.stage
                for p in db.session.scalars(select(Programme).where(Programme.centre_id == centre.id))
                if p.id in {r.id for r in _in_accompaniment(centre.id, month)}
            )
            seen_difference |= dict(today_stages) != truth["by_stage"]
    assert seen_difference, "the time travel changed no stage: the test would not see today's stages"
    for month in months:
        _consolidated_agrees(centres, month)
    # the edge cases, for the first centre
    november, october = expected(first.id, months[0]), expected(first.id, months[1])
    assert late_act.citizen_id not in _need_citizens(first.id, months[0])
    assert early.citizen_id in _enrolled_citizens(first.id, months[0])
    assert early.citizen_id not in _enrolled_citizens(first.id, months[1])
    assert november["enrolled"] >= 1 and october["enrolled"] >= 1


def _consolidated_agrees(centres: list[Centre], month: date) -> None:
    """The consolidated export gathers the figures from its detail as it writes it (the department's scope); the
    admin, who sees no case data, gets them from the figures' own query: both equal the recomputation."""
    streamed = openpyxl.load_workbook(io.BytesIO(exports.consolidated_workbook(month, EVERYTHING)))
    no_case_data = Scope(centre_ids=None, territory_ids=None, case_data=False)
    queried = openpyxl.load_workbook(io.BytesIO(exports.consolidated_workbook(month, no_case_data)))
    for name in ("Отчёт", "Разрезы"):
        assert _values(streamed[name]) == _values(queried[name]), (name, month)
    rows = {row[1]: row for row in streamed["Отчёт"].iter_rows(min_row=9, values_only=True) if row[2] is not None}
    in_month = 0
    for centre in centres:
        truth = expected(centre.id, month)
        assert rows[centre.name][2:4] == (truth["need"], truth["enrolled"]), (centre.short_name, month)
        stages = ", ".join(f"{stage} — {count}" for stage, count in sorted(truth["by_stage"].items())) or "—"
        assert f"На сопровождении по этапам: {stages}." in rows[centre.name][5]
        in_month += sum(truth["by_stage"].values()) + sum(truth["closed_by_reason"].values())
    assert streamed["Программы"].max_row - 1 == in_month and queried["Программы"].max_row == 1


def _values(sheet) -> list[tuple]:
    return [row for row in sheet.iter_rows(values_only=True) if any(v is not None for v in row)]


def _in_accompaniment(centre_id: int, month: date) -> list[Programme]:
    end = rules.report_month_end(month)
    return [
        p
        for p in db.session.scalars(select(Programme).where(Programme.centre_id == centre_id))
        if p.status != "draft"
        and (p.activated_on is not None or p.status != "terminated")
        and max(p.activated_on or p.start_date, p.start_date) <= end
        and (p.closed_on is None or p.closed_on > end)
    ]


def _enrolled_citizens(centre_id: int, month: date) -> set[int]:
    return {p.citizen_id for p in _in_accompaniment(centre_id, month)}


def _need_citizens(centre_id: int, month: date) -> set[int]:
    end = rules.report_month_end(month)
    found = db.session.execute(
        text(
            "SELECT a.citizen_id FROM appeal a JOIN appeal_document d ON d.appeal_id = a.id "
            "WHERE a.centre_id = :c AND d.kind = 'need_assessment' AND d.document_date <= :e"
        ),
        {"c": centre_id, "e": end},
    )
    return {row[0] for row in found}
