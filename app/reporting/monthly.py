"""The monthly report (annex 3) from the data, DOMAIN.md §5: draft, edit, submit (frozen), reopen; workbooks.

Every figure is the data **as they stood on the report date**, the last day of the month, whenever the report is drawn
up: what happened later, or is dated later, does not count.

* identified need — citizens of the centre with an act of assessment of individual need dated from 1 January of the
  reporting year to the report date, its appeal not refused or redirected (the act's date, not the appeal's: an
  appeal of 29.11 whose act is dated 01.12 is December's need);
* enrolled — citizens in accompaniment on the report date: the programme was activated, its accompaniment had begun
  (on the later of the activation and the start: a programme activated before its start is counted from the start)
  and it was not closed by then (closed on a later day: still in accompaniment on the report date);
* enrolled and removed during the month — accompaniments that began in the month, and closures in the month of
  programmes that had begun (a draft cancelled before activation, or a programme closed before it started, was never
  in accompaniment and is no removal);
* measures — measures done during the month, by kind and by participating organisation, and the results the partner
  organisations reported themselves (done in the month, or found impossible in it), by organisation;
* result — the programmes in accompaniment by the stage they were at on the report date (the stage checklist's ticks
  dated up to that day, through the rules engine), closures of the month by reason, outcome criteria met by them,
  extensions decided by the commission in the month.

Figures are a few statements for any number of centres. The texts are generated in Russian (the department's
language), then the director may edit them before submitting. Submitting freezes a snapshot (figures, texts,
programme list, breakdowns): later changes of the data do not alter a submitted report. Only the department reopens
one, with a reason; the history keeps every step.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from datetime import date

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import Integer, and_, any_, bindparam, case, distinct, func, literal, or_, select, union_all
from sqlalchemy.dialects.postgresql import ARRAY, aggregate_order_by
from sqlalchemy.orm import aliased

from app.domain import rules
from app.domain.choices import (
    AppealDecision,
    ClosureReason,
    DecisionKind,
    DocumentKind,
    MeasureKind,
    MeasureStatus,
    OutcomeCriterion,
    ProgrammeStatus,
    ReportStatus,
)
from app.domain.errors import RuleViolation
from app.domain.roles import may_reopen_reports
from app.extensions import db
from app.models import (
    Appeal,
    AppealDocument,
    Category,
    Centre,
    ChecklistItem,
    Citizen,
    CommitteeDecision,
    Measure,
    MeasureReport,
    MonthlyReport,
    Organisation,
    Programme,
    ProgrammeOutcome,
)
from app.models.base import stored_value, utcnow
from app.models.citizens import citizen_circumstance
from app.models.programmes import measure_organisation
from app.models.reference import Circumstance
from app.platform.identity import role_names
from app.platform.labels import choice_label
from app.security.scope import Scope, current_scope, restrict, sees_rows_of_centre
from reports.monthly import Breakdown, CentreRow, MonthlyReportData, ProgrammeRow

EDITABLE = (ReportStatus.DRAFT, ReportStatus.REOPENED)


def _period(month: date) -> tuple[date, date]:
    start = rules.month_start(month)
    return start, rules.report_month_end(start)


def _activated(p=Programme):
    """Taken into accompaniment at some time: activated. A draft cancelled before activation (terminated, without an
    activation date) never was; a programme without an activation date that is open or completed was (older data)."""
    return or_(
        p.activated_on.is_not(None),
        p.status.in_((ProgrammeStatus.ACTIVE, ProgrammeStatus.EXTENDED, ProgrammeStatus.COMPLETED)),
    )


def _began(p=Programme):
    """The day accompaniment began: the activation, or the start when the programme was activated before it."""
    activated = func.coalesce(p.activated_on, p.start_date)
    return case((activated > p.start_date, activated), else_=p.start_date)


def _in_month(start: date, end: date, p=Programme):
    """The month's programmes: in accompaniment on ``end``, or begun and closed by it since ``start``. Written as two
    alternatives on ``closed_on`` (still open; closed since ``start``), two ranges of ``ix_programme_month``."""
    opened = and_(_activated(p), _began(p) <= end)
    return or_(and_(p.closed_on.is_(None), opened), and_(p.closed_on >= start, _closed_after_beginning(p), opened))


def _closed_after_beginning(p=Programme):
    """Closed once in accompaniment: a draft cancelled, or a programme closed before it began, was never removed."""
    return and_(_activated(p), p.closed_on >= _began(p))


def _in_accompaniment_on(day: date, p=Programme):
    """In accompaniment on ``day``: begun by then and not closed by then."""
    opened = and_(_activated(p), _began(p) <= day)
    return or_(and_(p.closed_on.is_(None), opened), and_(p.closed_on > day, opened))


def _month_flags(start: date, end: date, p=Programme) -> tuple:
    """Of one of the month's programmes: did accompaniment begin in the month; was it in accompaniment on the report
    date (else it was removed in the month). As 1 or 0 from the database, which has the dates at hand."""
    return (
        case((_began(p) >= start, 1), else_=0),
        case((_in_accompaniment_on(end, p), 1), else_=0),
    )


def _month_ids(centre_ids: list[int], start: date, end: date):
    """The ids of the month's detail, for ``Programme.id.in_()``: found in ``ix_programme_month`` alone, so that the
    rows are then read in the order of their ids rather than by jumping through the table from the index (on SQLite,
    with its small page cache, about twice as fast when much of the table is in the month)."""
    p = aliased(Programme, name="month_programme")
    return select(p.id).where(p.centre_id.in_(centre_ids), _in_month(start, end, p))


def _month_programmes(centre_ids: list[int], start: date, end: date) -> Callable:
    """A programme id (``Programme.id`` or a column holding it) among the month's of ``centre_ids``."""
    ids = _month_ids(centre_ids, start, end)
    return lambda column=Programme.id: column.in_(ids)


def _ticks_by_end(among: Callable, end: date):
    """Per programme ``among`` (see ``_month_programmes``), the items of each stage ticked on or before ``end``."""
    return (
        select(
            ChecklistItem.programme_id.label("programme_id"),
            *(
                func.sum(case((ChecklistItem.stage == stage, 1), else_=0)).label(f"stage_{stage}")
                for stage in rules.STAGES
            ),
        )
        .where(among(ChecklistItem.programme_id), ChecklistItem.done_on <= end)
        .group_by(ChecklistItem.programme_id)
        .subquery("ticks_by_end")
    )


@functools.cache  # a few dozen combinations of counts among a region's 100,000 programmes
def _stage_on(*counts) -> int:
    """The stage a programme was at, from its ticks of each stage dated up to the report date (the rules engine)."""
    return rules.stage_of_counts({stage: count or 0 for stage, count in zip(rules.STAGES, counts, strict=True)})


class _Tally:
    """The figures of the month's programmes, one programme at a time: from the figures' own query, or from the
    detail rows as the consolidated export writes them (the same rows, read once)."""

    def __init__(self, out: dict[int, dict]) -> None:
        self.out = out
        self.citizens: dict[int, dict] = {c: {} for c in out}  # centre → citizen in accompaniment → category

    def add(self, centre: int, citizen: int, category, began_in_month, reason, stage: int | None) -> None:
        """``stage`` is the stage on the report date of a programme in accompaniment then, else ``None`` (begun and
        closed by the report date, and closed this month)."""
        f = self.out[centre]
        if stage is not None:
            self.citizens[centre][citizen] = category
            f["by_stage"][stage] = f["by_stage"].get(stage, 0) + 1
        else:
            f["closed_by_reason"][reason] = f["closed_by_reason"].get(reason, 0) + 1
        if began_in_month:
            f["enrolled_in_month"] += 1

    def finish(self) -> dict[int, dict]:
        for centre, members in self.citizens.items():
            f = self.out[centre]
            f["enrolled"] = len(members)
            for category in members.values():
                f["by_category"][category] = f["by_category"].get(category, 0) + 1
        return self.out


def figures(centre_ids: list[int], month: date) -> dict[int, dict]:
    """Per centre: need, enrolled, and the counts behind the texts (and the citizens in accompaniment by category, for
    the breakdowns), as the data stood on the month's last day; six statements for any number of centres.

    The month's programmes (in accompaniment on the report date, or begun and closed by it during the month) are read
    once with their tick counts by stage up to the report date; which of them were in accompaniment, began or were
    removed in the month is worked out from their dates. The measures done in the month are read once for their kinds
    and organisations."""
    start, end = _period(month)
    tally = _Tally(_blank_figures(centre_ids))
    ids = _month_ids(centre_ids, start, end)
    ticks = _ticks_by_end(_month_programmes(centre_ids, start, end), end)
    programmes = (
        select(
            Programme.centre_id,
            Programme.citizen_id,
            Category.name,
            *_month_flags(start, end),
            Programme.closure_reason,
            *(ticks.c[f"stage_{stage}"] for stage in rules.STAGES),
        )
        .join(Citizen, Citizen.id == Programme.citizen_id)
        .join(Category, Category.id == Citizen.category_id, isouter=True)
        .join(ticks, ticks.c.programme_id == Programme.id, isouter=True)
        .where(Programme.id.in_(ids))
    )
    for centre, citizen, category, began_in_month, in_accompaniment, reason, *counts in db.session.execute(programmes):
        tally.add(centre, citizen, category, began_in_month, reason, _stage_on(*counts) if in_accompaniment else None)
    return _merged(tally.finish(), _other_figures(centre_ids, month, db.session.execute))


def _blank_figures(centre_ids: list[int]) -> dict[int, dict]:
    return {
        c: {
            "need": 0,
            "enrolled": 0,
            "enrolled_in_month": 0,
            "closed_by_reason": {},
            "measures_by_kind": {},
            "measures_by_organisation": {},
            "partner_done_by_organisation": {},
            "partner_cannot_by_organisation": {},
            "by_stage": {},
            "outcomes": {},
            "extensions": 0,
            "by_category": {},
        }
        for c in centre_ids
    }


def _merged(per_centre: dict[int, dict], others: dict[int, dict]) -> dict[int, dict]:
    for centre, figures_of_centre in others.items():
        per_centre[centre].update(figures_of_centre)
    return per_centre


def _other_figures(centre_ids: list[int], month: date, execute) -> dict[int, dict]:
    """Every figure but those of the month's programmes (which ``_Tally`` gathers), per centre: five statements run
    by ``execute`` — the session's, or a connection's where the consolidated export runs them beside its detail."""
    start, end = _period(month)
    year_start = date(end.year, 1, 1)
    out: dict[int, dict] = {
        c: {
            "need": 0,
            "measures_by_kind": {},
            "measures_by_organisation": {},
            "partner_done_by_organisation": {},
            "partner_cannot_by_organisation": {},
            "outcomes": {},
            "extensions": 0,
        }
        for c in centre_ids
    }

    def grouped(query, key: str, *, pair: bool = False) -> None:
        for row in execute(query):
            if pair:
                centre, label, count = row
                out[centre][key][label] = count
            else:
                centre, count = row
                out[centre][key] = count

    need = (
        select(Appeal.centre_id, func.count(distinct(Appeal.citizen_id)))
        .join(AppealDocument, AppealDocument.appeal_id == Appeal.id)
        .where(
            Appeal.centre_id.in_(centre_ids),
            AppealDocument.kind == DocumentKind.NEED_ASSESSMENT,
            AppealDocument.document_date.between(year_start, end),
            Appeal.decision.not_in((AppealDecision.REFUSED, AppealDecision.REDIRECTED)),
        )
        .group_by(Appeal.centre_id)
    )
    grouped(need, "need")
    in_centres = Programme.centre_id.in_(centre_ids)
    done = (  # each measure carries its programme's centre: ``ix_measure_done`` answers this alone
        select(Measure.id, Measure.kind, Measure.centre_id)
        .where(Measure.centre_id.in_(centre_ids), Measure.status == "done", Measure.done_on.between(start, end))
        .cte("done_in_month")  # used twice: SQLite and PostgreSQL compute it once
    )
    measures = union_all(
        select(literal("measures_by_kind"), done.c.centre_id, done.c.kind, func.count()).group_by(
            done.c.centre_id, done.c.kind
        ),
        select(literal("measures_by_organisation"), done.c.centre_id, Organisation.name, func.count())
        .join(measure_organisation, measure_organisation.c.measure_id == done.c.id)
        .join(Organisation, Organisation.id == measure_organisation.c.organisation_id)
        .group_by(done.c.centre_id, Organisation.name),
    )
    for key, centre, label, count in execute(measures):
        out[centre][key][label] = count
    # what the partner organisations reported themselves: a result in the month, or that the measure cannot be done
    reported = (
        select(
            MeasureReport.status,
            Measure.centre_id,
            Organisation.name,
            func.count(distinct(MeasureReport.measure_id)),
        )
        .join(Measure, Measure.id == MeasureReport.measure_id)
        .join(Organisation, Organisation.id == MeasureReport.organisation_id)
        .where(
            Measure.centre_id.in_(centre_ids),
            MeasureReport.reported_on <= end,
            or_(
                and_(MeasureReport.status == MeasureStatus.DONE, MeasureReport.done_on.between(start, end)),
                and_(
                    MeasureReport.status == MeasureStatus.CANNOT_BE_DONE, MeasureReport.reported_on.between(start, end)
                ),
            ),
        )
        .group_by(MeasureReport.status, Measure.centre_id, Organisation.name)
    )
    for status, centre, name, count in execute(reported):
        key = "partner_done_by_organisation" if status == MeasureStatus.DONE else "partner_cannot_by_organisation"
        out[centre][key][name] = count
    grouped(
        select(Programme.centre_id, ProgrammeOutcome.criterion, func.count())
        .join(Programme, Programme.id == ProgrammeOutcome.programme_id)
        .where(in_centres, Programme.closed_on.between(start, end), _closed_after_beginning())
        .group_by(Programme.centre_id, ProgrammeOutcome.criterion),
        "outcomes",
        pair=True,
    )
    grouped(
        select(Programme.centre_id, func.count(CommitteeDecision.id))
        .join(Programme, Programme.id == CommitteeDecision.programme_id)
        .where(
            in_centres,
            CommitteeDecision.decision == DecisionKind.EXTEND,
            CommitteeDecision.meeting_date.between(start, end),
        )
        .group_by(Programme.centre_id),
        "extensions",
    )
    return out


def _counted(counts: dict, enum_cls=None) -> str:
    items = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
    return "; ".join(f"{choice_label(enum_cls, k) if enum_cls else k} — {v}" for k, v in items)


def texts(f: dict) -> tuple[str, str]:
    """The generated "brief information on measures" and "result at the current stage", in Russian."""
    with force_locale("ru"):
        measures_total = sum(f["measures_by_kind"].values())
        parts = [_("Measures carried out in the month: %(count)d.", count=measures_total)]
        if f["measures_by_kind"]:
            parts.append(_("By kind: %(list)s.", list=_counted(f["measures_by_kind"], MeasureKind)))
        if f["measures_by_organisation"]:
            parts.append(_("With the participation of: %(list)s.", list=_counted(f["measures_by_organisation"])))
        if f.get("partner_done_by_organisation"):
            parts.append(
                _(
                    "Results reported by the partner organisations: %(list)s.",
                    list=_counted(f["partner_done_by_organisation"]),
                )
            )
        if f.get("partner_cannot_by_organisation"):
            parts.append(
                _(
                    "Reported by the partner organisations as impossible to carry out: %(list)s.",
                    list=_counted(f["partner_cannot_by_organisation"]),
                )
            )
        measures = " ".join(parts)
        stages = ", ".join(f"{stage} — {count}" for stage, count in sorted(f["by_stage"].items()))
        parts = [
            _("Enrolled in the month: %(count)d.", count=f["enrolled_in_month"]),
            _("In accompaniment by stage: %(list)s.", list=stages or "—"),
        ]
        if f["closed_by_reason"]:
            closed = sum(f["closed_by_reason"].values())
            parts.append(
                _(
                    "Removed from accompaniment in the month: %(count)d (%(list)s).",
                    count=closed,
                    list=_counted(f["closed_by_reason"], ClosureReason),
                )
            )
        if f["outcomes"]:
            parts.append(_("Criteria of the result met: %(list)s.", list=_counted(f["outcomes"], OutcomeCriterion)))
        if f["extensions"]:
            parts.append(_("Extended by the commission: %(count)d.", count=f["extensions"]))
        return measures, " ".join(parts)


# --- draft, submit, reopen ----------------------------------------------------------------------------------------


def fill(report: MonthlyReport, today: date) -> None:
    """Compute a draft's figures and texts from the data (a new report, or "refresh" of an unsubmitted one)."""
    if report.status not in (None, *EDITABLE):
        raise RuleViolation("report_submitted", "status")
    report.month = rules.month_start(report.month)
    if report.month > rules.month_start(today):
        raise RuleViolation("report_month_in_future", "month")
    report.status = report.status or ReportStatus.DRAFT
    report.history = report.history or []
    centre_id = report.centre.id if report.centre is not None else report.centre_id
    f = figures([centre_id], report.month)[centre_id]
    report.need_count, report.enrolled_count = f["need"], f["enrolled"]
    report.measures_info, report.result_info = texts(f)


def check_editable(report: MonthlyReport) -> None:
    """A submitted report is frozen: only the department reopens it."""
    stored = stored_value(report, "status")
    if stored is not None and stored not in EDITABLE:
        raise RuleViolation("report_submitted", "status")


def submit(report: MonthlyReport, user, today: date) -> None:
    """Freeze the report: its figures, texts, programme list and breakdowns as they are now."""
    if report.status not in EDITABLE:
        raise RuleViolation("report_submitted", "status")
    if today <= rules.report_month_end(report.month):
        raise RuleViolation("report_month_not_over", "month")
    data = live_data([report.centre_id], report.month, scope=Scope.everything())
    report.snapshot = snapshot_of(data, report)
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = utcnow()
    report.submitted_by_id = getattr(user, "id", None)
    report.history = [*(report.history or []), _event("submitted", user)]


def reopen(report: MonthlyReport, user, reason: str) -> None:
    """The department sends a submitted report back for correction; the reason is kept in the history."""
    if not may_reopen_reports(role_names(user)):
        raise RuleViolation("reopen_department_only", "status")
    if report.status != ReportStatus.SUBMITTED:
        raise RuleViolation("report_not_submitted", "status")
    if not (reason or "").strip():
        raise RuleViolation("reopen_reason_required", "reason")
    report.status = ReportStatus.REOPENED
    report.history = [*(report.history or []), _event("reopened", user, reason.strip())]


def _event(action: str, user, reason: str | None = None) -> dict:
    event = {"at": utcnow().isoformat(), "action": action, "user": getattr(user, "username", None)}
    if reason:
        event["reason"] = reason
    return event


# --- workbook data --------------------------------------------------------------------------------------------------


def programme_rows(
    centre_ids: list[int], month: date, scope: Scope, tally: _Tally | None = None, then=None
) -> Iterator[ProgrammeRow]:
    """The programmes behind the figures (in accompaniment on the report date or removed in the month), streamed,
    each as it stood on the report date: its stage from the ticks dated up to then, its status and end (a programme
    closed or extended later was still active, to its earlier end), the measures done by then.

    The month's ids from ``ix_programme_month``, then the rows with the ticks and the first extension of those
    programmes; each programme's done measures are counted in ``ix_measure_programme_done`` without reading the
    measures. As this may run for 100,000 rows, a row is a tuple and each label is looked up once.

    Given a ``tally`` (and a scope that sees every programme of the centres), each row is also counted into it: the
    consolidated export reads the month's programmes once for its detail and its figures. ``then(execute)`` runs
    once the last row is read, on the same connection (in the same transaction)."""
    start, end = _period(month)
    connection = db.session.connection()
    after = (lambda: then(connection.execute)) if then is not None else None
    if connection.dialect.name == "postgresql":
        # PostgreSQL computes and sorts every row of a statement before it hands over the first: at a region's
        # 100,000 programmes the workbook waited a second for it. So the month's ids come first, in the sheet's
        # order, as one array (as 100,000 rows of one int they cost Python a tenth of a second more), and their rows
        # then a chunk at a time, each chunk's statement sent before the workbook writes the chunk before it, so that
        # PostgreSQL computes it in its own process meanwhile (``_pipelined``). The ids fix at one moment which
        # programmes the detail lists: each once, as it stands when its chunk is read.
        month_ids = select(func.array_agg(aggregate_order_by(Programme.id, *_SHEET_ORDER)))
        month_ids = month_ids.join(Centre, Centre.id == Programme.centre_id)
        month_ids = month_ids.where(Programme.id.in_(_month_ids(centre_ids, start, end)))
        ids = connection.execute(restrict(month_ids, Programme, scope)).scalar() or []
        chunk = bindparam("chunk_ids", type_=ARRAY(Integer))
        statement = restrict(_detail(start, end, lambda column=Programme.id: column == any_(chunk)), Programme, scope)
        yield from _detail_rows(_pipelined(connection, statement, "chunk_ids", ids), end, tally)
        if after is not None:
            after()
        return
    # SQLite works in this process, not beside it: one statement
    query = _detail(start, end, _month_programmes(centre_ids, start, end))
    result = connection.execute(restrict(query, Programme, scope).execution_options(yield_per=_CHUNK))
    yield from _detail_rows(result, end, tally)
    if after is not None:
        after()


_CHUNK = 2000  # rows of the detail read at a time
_SHEET_ORDER = (Centre.short_name, Programme.start_date, Programme.id)  # the detail's order, centre by centre


def _detail_rows(rows, end: date, tally: _Tally | None) -> Iterator[ProgrammeRow]:
    """The rows of the detail as they stood on ``end``, counted into ``tally`` when given."""
    statuses = _Labels(ProgrammeStatus)
    reasons = _Labels(ClosureReason)
    active, extended_status = ProgrammeStatus.ACTIVE, ProgrammeStatus.EXTENDED
    for row in rows:
        (centre, number, surname, first, patronymic, category, p_start, p_end, status, extended_by_then) = row[:10]
        reason, measures, centre_id, citizen_id, began_in_month, in_accompaniment, *counts = row[10:]
        if first and patronymic:  # «Иванов И. И.»; the general case below costs a generator per row
            citizen = f"{surname} {first[0]}. {patronymic[0]}."
        else:
            citizen = f"{surname} " + " ".join(f"{n[0]}." for n in (first, patronymic) if n)
        stage = _stage_on(*counts)
        if tally is not None:
            tally.add(centre_id, citizen_id, category, began_in_month, reason, stage if in_accompaniment else None)
        if in_accompaniment:  # on the report date, whatever happened later
            status, reason = (extended_status if extended_by_then else active), None
        yield ProgrammeRow(
            centre,
            number,
            citizen,
            category or "",
            p_start,
            p_end,
            statuses[status],
            stage,
            reasons[reason] if reason else "",
            measures or 0,
        )


def _detail(start: date, end: date, among: Callable):
    """The rows of the detail of the programmes ``among`` (``_month_programmes``, or a chunk of ids), in the sheet's
    order (see ``programme_rows``)."""
    ticks = _ticks_by_end(among, end)
    extended = (
        select(
            CommitteeDecision.programme_id.label("programme_id"),
            func.min(CommitteeDecision.meeting_date).label("first_on"),
        )
        .where(among(CommitteeDecision.programme_id), CommitteeDecision.decision == DecisionKind.EXTEND)
        .group_by(CommitteeDecision.programme_id)
        .subquery("first_extension")
    )
    done = (
        select(func.count())
        .where(Measure.programme_id == Programme.id, Measure.status == "done", Measure.done_on <= end)
        .correlate(Programme)
        .scalar_subquery()
    )
    # the end it had on the report date: a programme extended later ran to its earlier end
    later = and_(extended.c.first_on.is_not(None), extended.c.first_on > end)
    end_then = case((later, func.coalesce(Programme.extended_from, Programme.end_date)), else_=Programme.end_date)
    extended_then = case((extended.c.first_on <= end, 1), else_=0)
    return (
        select(
            Centre.short_name,
            Programme.number,
            Citizen.surname,
            Citizen.first_name,
            Citizen.patronymic,
            Category.name,
            Programme.start_date,
            end_then,
            Programme.status,
            extended_then,
            Programme.closure_reason,
            done,
            Programme.centre_id,
            Programme.citizen_id,
            *_month_flags(start, end),
            *(ticks.c[f"stage_{stage}"] for stage in rules.STAGES),
        )
        .join(Centre, Centre.id == Programme.centre_id)
        .join(Citizen, Citizen.id == Programme.citizen_id)
        .join(Category, Category.id == Citizen.category_id, isouter=True)
        .join(ticks, ticks.c.programme_id == Programme.id, isouter=True)
        .join(extended, extended.c.programme_id == Programme.id, isouter=True)
        .where(among())
        .order_by(*_SHEET_ORDER)
    )


def _pipelined(connection, statement, name: str, ids: list[int]) -> Iterator[tuple]:
    """The rows of ``statement`` for ``ids``, ``_CHUNK`` ids at a time in its array parameter ``name``: each chunk's
    statement is sent (in the driver's pipeline mode) before the caller has the rows of the chunk before, so that
    PostgreSQL computes it while the caller works on those, and its rows are then there to be read at once.

    In this one thread: a thread of its own reading ahead took turns with the workbook for Python's lock at every
    packet of the rows (half a second of waiting at a region's 100,000). The statement is compiled once, the chunk's
    ids its only new parameter (built and looked up in the statement cache per chunk, it cost as much as the rows);
    the rows are the driver's tuples, in the statement's columns."""
    compiled = statement.compile(dialect=connection.dialect)
    driver = connection.connection.driver_connection

    def send(first: int):
        state = compiled.construct_expanded_state({name: ids[first : first + _CHUNK]})
        cursor = driver.cursor()
        cursor.execute(state.statement, state.parameters)
        return cursor

    with driver.pipeline():
        pending = send(0) if ids else None
        for first in range(0, len(ids), _CHUNK):
            rows = pending.fetchall()
            pending.close()
            pending = send(first + _CHUNK) if first + _CHUNK < len(ids) else None
            yield from rows


class _Labels(dict):
    """Choice labels of one enum in the current locale, each looked up once."""

    def __init__(self, enum_cls) -> None:
        super().__init__()
        self.enum_cls = enum_cls

    def __missing__(self, code):
        label = self[code] = choice_label(self.enum_cls, code)
        return label


def breakdowns(
    centre_ids: list[int],
    month: date,
    per_centre: dict[int, dict] | None = None,
    by_circumstance: list[tuple[str, int]] | None = None,
) -> list[Breakdown]:
    """Shares for the methodologist (S2's 68 % / 23 % / 9 %): category and circumstance of the citizens in
    accompaniment on the report date; measures of the month by kind; closures of the month by reason and outcome.

    All but the circumstances are sums of the centres' ``figures``; the circumstances are counted apart
    (``circumstances``); either is computed here unless given."""
    if per_centre is None:
        per_centre = figures(centre_ids, month)
    if by_circumstance is None:
        by_circumstance = circumstances(centre_ids, month, db.session.execute)

    def total(key: str) -> dict:
        sums: dict = {}
        for centre_id in centre_ids:
            for code, count in per_centre[centre_id][key].items():
                sums[code] = sums.get(code, 0) + count
        return sums

    def by_code(key: str, enum_cls) -> list[tuple[str, int]]:
        """In the order of the codes (no code first)."""
        items = sorted(total(key).items(), key=lambda kv: (kv[0] is not None, kv[0] or ""))
        return [(choice_label(enum_cls, code), count) for code, count in items]

    by_category = sorted(((name or "—", count) for name, count in total("by_category").items()), key=_larger_first)
    in_accompaniment = sum(per_centre[centre_id]["enrolled"] for centre_id in centre_ids)
    with force_locale("ru"):
        citizens_label = _("Citizens in accompaniment")
        return [
            Breakdown(
                _("Citizens in accompaniment by category"),
                by_category,
                chart=True,
                base=in_accompaniment,
                base_label=citizens_label,
            ),
            Breakdown(
                _("Citizens in accompaniment by circumstance of need"),
                by_circumstance,
                chart=True,
                base=in_accompaniment,
                base_label=citizens_label,
                note=_(
                    "A citizen may be in several circumstances of need: the shares are counted out of the citizens "
                    "in accompaniment and may add up to more than 100 %."
                ),
            ),
            Breakdown(_("Measures of the month by kind"), by_code("measures_by_kind", MeasureKind), chart=True),
            Breakdown(_("Closures of the month by reason"), by_code("closed_by_reason", ClosureReason)),
            Breakdown(
                _("Criteria of the result met by the closures of the month"), by_code("outcomes", OutcomeCriterion)
            ),
        ]


def circumstances(centre_ids: list[int], month: date, execute) -> list[tuple[str, int]]:
    """The citizens in accompaniment on the report date per circumstance of need, the largest first; run by
    ``execute`` (the session's, or the consolidated export's detail's connection, with the other figures' statements
    once the detail is read)."""
    end = _period(month)[1]
    # each citizen in accompaniment once (a set), and a citizen's circumstances are distinct: a count per
    # circumstance, without counting distinct citizens in a join
    accompanied = select(Programme.citizen_id).where(Programme.centre_id.in_(centre_ids), _in_accompaniment_on(end))
    counted = (
        select(citizen_circumstance.c.circumstance_id, func.count().label("citizens"))
        .where(citizen_circumstance.c.citizen_id.in_(accompanied))
        .group_by(citizen_circumstance.c.circumstance_id)
        .subquery("by_circumstance")
    )
    return [
        (name or "—", count)
        for name, count in execute(
            select(Circumstance.name, counted.c.citizens)
            .join(counted, counted.c.circumstance_id == Circumstance.id)
            .order_by(counted.c.citizens.desc(), Circumstance.name)
        )
    ]


def _larger_first(item: tuple[str, int]) -> tuple:
    label, count = item
    return (-count, label)


def live_data(centre_ids: list[int], month: date, scope: Scope | None = None) -> MonthlyReportData:
    """The report computed now, for drafts and for centres that have not submitted."""
    scope = scope or current_scope()
    names = dict(db.session.execute(select(Centre.id, Centre.name).where(Centre.id.in_(centre_ids))).all())
    per_centre = figures(centre_ids, month)
    rows = []
    for centre_id in sorted(centre_ids, key=lambda c: names.get(c, "")):
        f = per_centre[centre_id]
        measures, result = texts(f)
        rows.append(CentreRow(names.get(centre_id, ""), f["need"], f["enrolled"], measures, result))
    return MonthlyReportData(
        as_of=rules.report_month_end(month),
        rows=rows,
        programmes=list(programme_rows(centre_ids, month, scope)),
        breakdowns=breakdowns(centre_ids, month, per_centre),
        addressee_email=_department_email(),
    )


def _department_email() -> str:
    """The addressee's e-mail on the form (``DEPARTMENT_EMAIL``): the department's address, whatever the report."""
    return current_app.config.get("DEPARTMENT_EMAIL", "") or ""


def snapshot_of(data: MonthlyReportData, report: MonthlyReport) -> dict:
    """What a submitted report keeps: its row as the director edited it, the programme list and the breakdowns."""
    return {
        "row": {
            "name": report.centre.name,
            "need": report.need_count,
            "enrolled": report.enrolled_count,
            "measures_info": report.measures_info or "",
            "result_info": report.result_info or "",
            "note": report.note or "",
        },
        "computed": {"need": data.rows[0].need, "enrolled": data.rows[0].enrolled} if data.rows else {},
        "programmes": [
            [
                p.centre,
                p.number,
                p.citizen,
                p.category,
                p.start.isoformat(),
                p.end.isoformat(),
                p.status,
                p.stage,
                p.closure,
                p.measures_done,
            ]
            for p in data.programmes
        ],
        "breakdowns": [
            {
                "title": b.title,
                "rows": b.rows,
                "chart": b.chart,
                "base": b.base,
                "base_label": b.base_label,
                "note": b.note,
            }
            for b in data.breakdowns
        ],
    }


def report_data(report: MonthlyReport, scope: Scope | None = None) -> MonthlyReportData:
    """A report's workbook data: the frozen snapshot once submitted, the live draft before. The programme list is
    read by the user's scope either way: the frozen one is case data like the live one."""
    scope = scope or current_scope()
    if report.status == ReportStatus.SUBMITTED and report.snapshot:
        snap = report.snapshot
        frozen = snap.get("programmes", []) if sees_rows_of_centre(Programme, report.centre_id, scope) else []
        return MonthlyReportData(
            as_of=rules.report_month_end(report.month),
            rows=[CentreRow(**snap["row"])] if "row" in snap else [_row_of(report)],
            preparer=report.preparer_name or "",
            phone=report.preparer_phone or "",
            programmes=[
                ProgrammeRow(c, n, cit, cat, date.fromisoformat(s), date.fromisoformat(e), st, stg, cl, md)
                for c, n, cit, cat, s, e, st, stg, cl, md in frozen
            ],
            breakdowns=[
                Breakdown(
                    b["title"],
                    [tuple(r) for r in b["rows"]],
                    b["chart"],
                    b.get("base"),
                    b.get("base_label", ""),
                    b.get("note", ""),
                )
                for b in snap.get("breakdowns", [])
            ],
            addressee_email=_department_email(),
        )
    live = live_data([report.centre_id], report.month, scope)
    live.rows = [_row_of(report)]
    live.preparer, live.phone = report.preparer_name or "", report.preparer_phone or ""
    return live


def _row_of(report: MonthlyReport) -> CentreRow:
    """The report's row as the director edited it."""
    return CentreRow(
        report.centre.name,
        report.need_count,
        report.enrolled_count,
        report.measures_info or "",
        report.result_info or "",
        report.note or "",
    )


def consolidated_data(month: date, scope: Scope) -> MonthlyReportData:
    """One row per centre of the user's scope: the submitted row, or "not submitted" with the live figures.

    When the scope sees every programme of its centres (the department, a territory, a director), the figures of
    the month's programmes are gathered from the detail as the workbook writes it (``complete``), rather than read a
    second time: at a region's 100,000 programmes that second reading cost as much as a third of the workbook."""
    month = rules.month_start(month)
    centres = db.session.execute(restrict(select(Centre.id, Centre.name), Centre, scope).order_by(Centre.name)).all()
    ids = [c for c, _ in centres]
    reports = {
        r.centre_id: r
        for r in db.session.scalars(
            select(MonthlyReport).where(MonthlyReport.month == month, MonthlyReport.centre_id.in_(ids))
        )
    }

    def rows(per_centre: dict[int, dict]) -> list[CentreRow]:
        out = []
        with force_locale("ru"):
            for centre_id, name in centres:
                report = reports.get(centre_id)
                if report is not None and report.status == ReportStatus.SUBMITTED:
                    snapshot = report.snapshot or {}
                    out.append(CentreRow(**snapshot["row"]) if "row" in snapshot else _row_of(report))
                else:
                    f = per_centre[centre_id]
                    out.append(CentreRow(name, f["need"], f["enrolled"], *texts(f), _("The report is not submitted.")))
        return out

    data = MonthlyReportData(as_of=rules.report_month_end(month), rows=[], addressee_email=_department_email())
    if all(sees_rows_of_centre(Programme, centre_id, scope) for centre_id in ids):
        tally, others = _Tally(_blank_figures(ids)), []

        def other_figures(execute) -> None:
            others.append((_other_figures(ids, month, execute), circumstances(ids, month, execute)))

        data.programmes = programme_rows(ids, month, scope, tally, then=other_figures)

        def complete(data: MonthlyReportData) -> None:
            assert others, "the figures are complete once the detail is read to its end"
            other, by_circumstance = others[0]
            per_centre = _merged(tally.finish(), other)
            data.rows, data.breakdowns = rows(per_centre), breakdowns(ids, month, per_centre, by_circumstance)

        data.complete = complete
    else:  # the admin, who sees no case data: the figures without the detail
        per_centre = figures(ids, month)
        data.rows, data.breakdowns = rows(per_centre), breakdowns(ids, month, per_centre)
        data.programmes = programme_rows(ids, month, scope)
    return data
