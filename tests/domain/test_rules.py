"""The rules engine (app/domain/rules.py): every date and state rule of DOMAIN.md §3, without the app.

Examples pin the cases a specialist meets (month ends, 29 February, the 6/12-month limits, the 10th of the
month, midnight in Yekaterinburg); hypothesis checks the same rules over many dates.
"""

from __future__ import annotations

import ast
import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain import rules as r
from app.domain.choices import (
    CHECKLIST,
    AppealDecision,
    ClosureReason,
    CommitteeKind,
    MeasureStatus,
    ProgrammeStatus,
)
from app.domain.errors import RuleViolation
from app.platform.messages import WORKFLOW_MESSAGES

D = date
DAY = timedelta(days=1)
YEKT = ZoneInfo("Asia/Yekaterinburg")

# Dates far enough from 1 and 9999 for a year of arithmetic either way.
dates = st.dates(min_value=D(1901, 1, 1), max_value=D(2199, 12, 31))
# Yekaterinburg has been UTC+5 all year since 26.10.2014.
instants = st.datetimes(min_value=datetime(2015, 1, 1), max_value=datetime(2100, 1, 1))
all_items = [item for items in CHECKLIST.values() for item in items]


@pytest.fixture(autouse=True, scope="module")
def _app_context():
    """Overrides the conftest fixture: these rules are plain Python and need neither the app nor a database."""
    yield


def test_module_imports_neither_flask_nor_sqlalchemy():
    tree = ast.parse(Path(r.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert not {name for name in imported if name.split(".")[0] in {"flask", "flask_babel", "sqlalchemy"}}


def violation(call, *args, **kwargs) -> RuleViolation:
    with pytest.raises(RuleViolation) as info:
        call(*args, **kwargs)
    return info.value


# --- add_months ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 1, 15), 6, D(2026, 7, 15)),
        (D(2025, 8, 31), 6, D(2026, 2, 28)),  # clamped to the end of February
        (D(2023, 8, 31), 6, D(2024, 2, 29)),  # … of a leap February
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2024, 2, 29), 48, D(2028, 2, 29)),
        (D(2025, 10, 31), 2, D(2025, 12, 31)),
        (D(2025, 12, 31), 2, D(2026, 2, 28)),  # across the new year
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
        (D(2026, 1, 15), -1, D(2025, 12, 15)),
        (D(2026, 1, 15), 0, D(2026, 1, 15)),
    ],
)
def test_add_months_clamps_to_month_end(start, months, expected):
    assert r.add_months(start, months) == expected


@given(dates, st.integers(min_value=-24, max_value=24))
def test_add_months_keeps_the_day_or_takes_the_last_day(d, months):
    result = r.add_months(d, months)
    assert (result.year * 12 + result.month) - (d.year * 12 + d.month) == months
    last_day = (r.add_months(result.replace(day=1), 1) - DAY).day
    assert result.day == min(d.day, last_day)


@given(dates, st.integers(min_value=-24, max_value=24))
def test_add_months_round_trips_below_the_29th(d, months):
    d = d.replace(day=min(d.day, 28))
    assert r.add_months(r.add_months(d, months), -months) == d


# --- term: six months, one year (S1 §6.1.1–6.1.2) --------------------------------------------------------------


def test_term_end_is_inclusive_as_documents_write_it():
    # "с 15.01.2026 по 14.07.2026"
    assert r.term_end(D(2026, 1, 15), 6) == D(2026, 7, 14)
    assert r.max_end_date(D(2026, 1, 15)) == D(2026, 7, 14)
    assert r.max_extended_end_date(D(2026, 1, 15)) == D(2027, 1, 14)


@pytest.mark.parametrize(
    ("start", "max_end", "max_extended"),
    [
        (D(2026, 1, 1), D(2026, 6, 30), D(2026, 12, 31)),
        (D(2025, 9, 1), D(2026, 2, 28), D(2026, 8, 31)),
        (D(2023, 9, 1), D(2024, 2, 29), D(2024, 8, 31)),
        # a start whose day February lacks: the term never exceeds six months, so it ends a day early
        (D(2025, 8, 31), D(2026, 2, 27), D(2026, 8, 30)),
        (D(2024, 2, 29), D(2024, 8, 28), D(2025, 2, 27)),
        (D(2024, 3, 1), D(2024, 8, 31), D(2025, 2, 28)),
    ],
)
def test_limits_at_month_ends_and_leap_days(start, max_end, max_extended):
    assert r.max_end_date(start) == max_end
    assert r.max_extended_end_date(start) == max_extended


def test_check_term_allows_the_limit_and_refuses_the_next_day():
    start = D(2026, 1, 15)
    r.check_term(start, start)
    r.check_term(start, D(2026, 7, 14))
    v = violation(r.check_term, start, D(2026, 7, 15))
    assert (v.code, v.field, v.params) == ("term_too_long", "end_date", {"max_end": "14.07.2026"})


def test_check_term_refuses_an_end_before_the_start():
    v = violation(r.check_term, D(2026, 1, 15), D(2026, 1, 14))
    assert (v.code, v.field) == ("date_before_start", "end_date")
    assert violation(r.check_term, D(2026, 1, 15), D(2026, 1, 14), extended=True).code == "date_before_start"


def test_check_term_of_an_extended_programme_allows_one_year():
    start = D(2026, 1, 15)
    r.check_term(start, D(2027, 1, 14), extended=True)
    v = violation(r.check_term, start, D(2027, 1, 15), extended=True)
    assert (v.code, v.params) == ("extension_too_long", {"limit": "14.01.2027"})


@given(dates)
def test_six_month_boundary(start):
    limit = r.max_end_date(start)
    r.check_term(start, limit)
    assert violation(r.check_term, start, limit + DAY).code == "term_too_long"
    assert 181 <= (limit - start).days + 1 <= 184  # six calendar months, never more


@given(dates)
def test_twelve_month_boundary(start):
    limit = r.max_extended_end_date(start)
    r.check_term(start, limit, extended=True)
    assert violation(r.check_term, start, limit + DAY, extended=True).code == "extension_too_long"
    assert 365 <= (limit - start).days + 1 <= 366


@given(dates, dates)
def test_limits_grow_with_the_start(a, b):
    a, b = sorted((a, b))
    assert r.max_end_date(a) <= r.max_end_date(b)
    assert r.max_extended_end_date(a) <= r.max_extended_end_date(b)
    assert r.max_end_date(a) < r.max_extended_end_date(a)


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (D(2026, 1, 15), D(2026, 7, 14), 6),
        (D(2026, 1, 15), D(2026, 7, 15), 7),  # a started month counts in full
        (D(2026, 1, 15), D(2026, 1, 15), 1),
        (D(2026, 1, 15), D(2026, 1, 14), 0),
        (D(2026, 3, 1), D(2026, 3, 31), 1),
        (D(2026, 3, 1), D(2026, 4, 1), 2),
        (D(2025, 8, 31), D(2026, 2, 27), 6),
        (D(2025, 8, 31), D(2026, 2, 28), 7),
        (D(2026, 1, 15), D(2027, 1, 14), 12),
    ],
)
def test_term_months(start, end, months):
    assert r.term_months(start, end) == months


@given(dates, st.integers(min_value=1, max_value=24))
def test_term_months_inverts_term_end(start, months):
    assert r.term_months(start, r.term_end(start, months)) == months
    assert r.term_months(start, r.term_end(start, months) + DAY) == months + 1


@given(dates, st.integers(min_value=0, max_value=400))
def test_term_months_agrees_with_check_term(start, days):
    end = start + timedelta(days=days)
    try:
        r.check_term(start, end)
        allowed = True
    except RuleViolation:
        allowed = False
    assert allowed == (r.term_months(start, end) <= r.MAX_TERM_MONTHS)


def test_can_extend_further_until_the_year_is_used():
    start = D(2026, 1, 15)
    assert r.can_extend_further(start, D(2026, 7, 14))
    assert not r.can_extend_further(start, D(2027, 1, 14))


# --- control events (S1 §6.3–6.4) ------------------------------------------------------------------------------


def test_interim_assessment_after_three_months():
    assert r.interim_due(D(2026, 1, 15)) == D(2026, 4, 15)
    assert r.interim_due(D(2025, 11, 30)) == D(2026, 2, 28)
    assert r.interim_required(D(2026, 1, 15), D(2026, 7, 14))
    assert r.interim_required(D(2026, 1, 15), D(2026, 4, 15))
    assert not r.interim_required(D(2026, 1, 15), D(2026, 4, 14))


def test_monitoring_two_weeks_before_the_end_and_follows_an_extension():
    assert r.MONITORING_LEAD_DAYS == 14
    assert r.monitoring_due(D(2026, 7, 14)) == D(2026, 6, 30)
    assert r.monitoring_due(D(2026, 10, 14)) == D(2026, 9, 30)  # after extension to 14.10
    assert r.monitoring_due(D(2026, 1, 20), start=D(2026, 1, 15)) == D(2026, 1, 15)  # not before the start


@given(dates, st.integers(min_value=0, max_value=365))
def test_monitoring_is_within_the_term_when_start_is_given(start, days):
    end = start + timedelta(days=days)
    due = r.monitoring_due(end, start)
    assert start <= due <= end


# --- measures --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "today", "overdue", "days"),
    [
        (MeasureStatus.PLANNED, D(2026, 3, 10), False, 0),  # due today: not yet overdue
        (MeasureStatus.PLANNED, D(2026, 3, 11), True, 1),
        (MeasureStatus.IN_PROGRESS, D(2026, 3, 20), True, 10),
        (MeasureStatus.DONE, D(2026, 3, 20), False, 0),
        (MeasureStatus.CANCELLED, D(2026, 3, 20), False, 0),
        ("planned", D(2026, 3, 9), False, 0),
    ],
)
def test_measure_overdue(status, today, overdue, days):
    assert r.measure_overdue(D(2026, 3, 10), status, today) is overdue
    assert (r.days_overdue(D(2026, 3, 10), today) if overdue else 0) == days


@pytest.mark.parametrize(("today", "escalates"), [(D(2026, 3, 17), False), (D(2026, 3, 18), True)])
def test_an_item_goes_up_to_the_director_after_a_week_overdue(today, escalates):
    assert r.escalates(D(2026, 3, 10), today) is escalates


# --- monthly report (S1 annex 3) -------------------------------------------------------------------------------


def test_report_dates():
    assert r.report_month_end(D(2024, 2, 1)) == D(2024, 2, 29)
    assert r.report_month_end(D(2025, 2, 14)) == D(2025, 2, 28)  # any day of the month names the month
    assert r.report_month_end(D(2025, 12, 1)) == D(2025, 12, 31)
    assert r.report_due(D(2025, 12, 1)) == D(2026, 1, 10)
    assert r.report_warning_date(D(2025, 12, 1)) == D(2026, 1, 5)
    assert r.month_start(D(2026, 3, 17)) == D(2026, 3, 1)
    assert r.reporting_month(D(2026, 1, 5)) == D(2025, 12, 1)


@pytest.mark.parametrize(
    ("submitted_on", "today", "expected"),
    [
        (D(2026, 2, 10), D(2026, 2, 20), "on_time"),  # on the 10th is on time
        (D(2026, 1, 31), D(2026, 2, 1), "on_time"),
        (D(2026, 2, 11), D(2026, 2, 20), "late"),
        (None, D(2026, 2, 10), "not_due"),
        (None, D(2026, 1, 15), "not_due"),
        (None, D(2026, 2, 11), "missing"),
    ],
)
def test_report_timeliness(submitted_on, today, expected):
    result = r.report_timeliness(D(2026, 1, 1), submitted_on, today)
    assert result == expected
    assert isinstance(result, r.Timeliness)


def test_report_submitted_late_evening_utc_is_already_the_11th_in_yugra():
    on_time = datetime(2026, 2, 10, 18, 59, 59, tzinfo=UTC)  # 23:59:59 in Yekaterinburg
    late = datetime(2026, 2, 10, 19, 0, tzinfo=UTC)  # 00:00 on the 11th
    today = D(2026, 2, 20)
    assert r.report_timeliness(D(2026, 1, 1), r.local_today(on_time), today) == "on_time"
    assert r.report_timeliness(D(2026, 1, 1), r.local_today(late), today) == "late"


@given(dates)
def test_report_deadline_follows_the_month(day):
    month_end = r.report_month_end(day)
    due = r.report_due(day)
    assert month_end.month == day.month and (month_end + DAY).day == 1
    assert due.day == 10 and r.add_months(r.month_start(day), 1) == due.replace(day=1)
    assert month_end < r.report_warning_date(day) < due
    assert r.report_timeliness(day, due, due + timedelta(days=30)) == "on_time"
    assert r.report_timeliness(day, due + DAY, due + DAY) == "late"
    assert r.report_timeliness(day, None, due) == "not_due"
    assert r.report_timeliness(day, None, due + DAY) == "missing"


# --- time zone -------------------------------------------------------------------------------------------------


def test_local_today_in_yekaterinburg():
    assert r.local_today(datetime(2026, 8, 31, 20, 30, tzinfo=UTC), YEKT) == D(2026, 9, 1)
    assert r.local_today(datetime(2026, 8, 31, 18, 59, tzinfo=UTC)) == D(2026, 8, 31)
    assert r.local_today(datetime(2026, 12, 31, 19, 0)) == D(2027, 1, 1)  # naive = UTC
    assert r.local_today(datetime(2026, 12, 31, 23, 0, tzinfo=ZoneInfo("Europe/Moscow"))) == D(2027, 1, 1)


@given(instants)
def test_local_today_is_utc_plus_five(naive_utc):
    assert r.local_today(naive_utc.replace(tzinfo=UTC)) == (naive_utc + timedelta(hours=5)).date()
    assert r.local_today(naive_utc, ZoneInfo("UTC")) == naive_utc.date()


@given(st.dates(min_value=D(2015, 1, 2), max_value=D(2099, 12, 31)), st.integers(min_value=0, max_value=3599))
def test_local_midnight_edge(local_date, seconds):
    midnight = datetime.combine(local_date, time.min, tzinfo=YEKT).astimezone(UTC)
    assert r.local_today(midnight + timedelta(seconds=seconds)) == local_date
    assert r.local_today(midnight - timedelta(seconds=seconds + 1)) == local_date - DAY


# --- stages (S1 §5.3) ------------------------------------------------------------------------------------------

STAGE_1 = frozenset(CHECKLIST[1])
STAGE_2 = frozenset(CHECKLIST[2])
STAGE_3 = frozenset(CHECKLIST[3])


def test_stage_of():
    assert r.stage_of("collect_information") == 1
    assert r.stage_of("coordinate_control") == 2
    assert r.stage_of("give_recommendations") == 3
    v = violation(r.stage_of, "bake_a_cake")
    assert (v.code, v.field, v.params) == ("unknown_checklist_item", "item", {"item": "bake_a_cake"})


@pytest.mark.parametrize(
    ("done", "stage"),
    [
        (set(), 1),
        (STAGE_1 - {"find_resources"}, 1),
        (STAGE_1, 2),
        (STAGE_1 | {"develop_measures"}, 2),
        (STAGE_1 | STAGE_2, 3),
        (STAGE_1 | STAGE_2 | STAGE_3, 3),
        ((STAGE_1 - {"collect_information"}) | STAGE_2, 1),  # an unfinished earlier stage holds the programme back
    ],
)
def test_current_stage(done, stage):
    assert r.current_stage(done) == stage


def test_the_stage_from_counts_of_ticks_is_the_stage_from_the_items():
    assert r.stage_of_counts({}) == 1
    assert r.stage_of_counts({1: len(STAGE_1)}) == 2
    assert r.stage_of_counts({1: len(STAGE_1) - 1, 2: len(STAGE_2)}) == 1  # a later tick does not skip a stage
    assert r.stage_of_counts({1: len(STAGE_1), 2: len(STAGE_2), 3: len(STAGE_3)}) == 3
    for done in (frozenset(), STAGE_1, STAGE_1 | STAGE_2, ALL_DONE, STAGE_2):
        counts = {stage: len(done & set(items)) for stage, items in CHECKLIST.items()}
        assert r.stage_of_counts(counts) == r.current_stage(done)


def test_stage_complete_and_all_complete():
    assert r.stage_complete(1, STAGE_1)
    assert not r.stage_complete(2, STAGE_1)
    assert not r.all_stages_complete(STAGE_1 | STAGE_2)
    assert r.all_stages_complete(STAGE_1 | STAGE_2 | STAGE_3)


def test_check_tick_keeps_stages_in_order():
    r.check_tick(1, 1)
    r.check_tick(1, 2)  # an earlier stage's item may still be ticked
    r.check_tick(2, 2)
    v = violation(r.check_tick, 3, 2)
    assert (v.code, v.field, v.params) == ("stage_order", "item", {"stage": "3", "current": "2"})


def test_check_untick_while_a_later_stage_is_ticked():
    r.check_untick("find_resources", STAGE_1)
    r.check_untick("develop_measures", STAGE_1 | {"develop_measures"})
    v = violation(r.check_untick, "find_resources", STAGE_1 | {"develop_measures"})
    assert (v.code, v.params) == ("stage_untick_order", {"stage": "1"})


def test_stage_progress():
    assert r.stage_progress(set()) == {1: (0, 4), 2: (0, 3), 3: (0, 2)}
    assert r.stage_progress(STAGE_1 | {"develop_measures", "unknown"}) == {1: (4, 4), 2: (1, 3), 3: (0, 2)}


@given(st.sets(st.sampled_from(all_items)))
def test_stage_properties(done):
    stage = r.current_stage(done)
    assert stage in (1, 2, 3)
    assert all(r.stage_complete(earlier, done) for earlier in range(1, stage))
    assert r.all_stages_complete(done) == (stage == 3 and r.stage_complete(3, done))
    assert sum(d for d, _ in r.stage_progress(done).values()) == len(done)
    for item in CHECKLIST[stage]:
        r.check_tick(r.stage_of(item), stage)


# --- lifecycle -------------------------------------------------------------------------------------------------

START = D(2026, 1, 15)
END = D(2026, 7, 14)
TODAY = D(2026, 3, 1)
ALL_DONE = STAGE_1 | STAGE_2 | STAGE_3


def facts(**changes) -> r.ProgrammeFacts:
    """A draft that may be activated; tests change one fact at a time."""
    base = r.ProgrammeFacts(
        status=ProgrammeStatus.DRAFT,
        start_date=START,
        end_date=END,
        has_appeal=True,
        appeal_decision=AppealDecision.PENDING,
        has_application_document=True,
        has_need_assessment=True,
        has_valid_consent=True,
    )
    return dataclasses.replace(base, **changes)


def decision(**changes) -> r.ExtensionDecision:
    base = r.ExtensionDecision(
        committee_kind=CommitteeKind.EXTENSION_COMMISSION,
        committee_centre_id=7,
        programme_centre_id=7,
        meeting_date=D(2026, 7, 1),
        protocol_number="12",
    )
    return dataclasses.replace(base, **changes)


def test_facts_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        facts().status = ProgrammeStatus.ACTIVE  # type: ignore[misc]


def test_transition_table():
    assert set(r.ALLOWED_TRANSITIONS) == set(ProgrammeStatus)
    assert r.ALLOWED_TRANSITIONS[ProgrammeStatus.COMPLETED] == frozenset()
    assert r.ALLOWED_TRANSITIONS[ProgrammeStatus.TERMINATED] == frozenset()
    r.check_transition("draft", "active")
    r.check_transition("extended", "extended")  # a second extension within the year
    v = violation(r.check_transition, "draft", "completed")
    assert (v.code, v.params) == ("transition_not_allowed", {"current": "draft", "target": "completed"})
    assert violation(r.check_transition, "nonsense", "active").code == "transition_not_allowed"


def test_next_status_after_extension():
    assert r.next_status_after_extension("active") == ProgrammeStatus.EXTENDED
    assert r.next_status_after_extension("extended") == ProgrammeStatus.EXTENDED
    assert violation(r.next_status_after_extension, "draft").code == "transition_not_allowed"


def test_check_editable():
    for status in ("draft", "active", "extended"):
        r.check_editable(status)
    for status in ("completed", "terminated"):
        assert violation(r.check_editable, status).code == "programme_closed"


@pytest.mark.parametrize(
    ("signed", "revoked", "valid"),
    [
        (D(2026, 1, 10), None, True),
        (TODAY, None, True),
        (None, None, False),
        (TODAY + DAY, None, False),  # signed in the future: not yet
        (D(2026, 1, 10), TODAY, False),
        (D(2026, 1, 10), TODAY + DAY, True),
    ],
)
def test_consent_valid(signed, revoked, valid):
    assert r.consent_valid(signed, revoked, TODAY) is valid


def test_a_consent_is_valid_for_processing_in_the_centre_only_within_its_term_and_with_that_purpose():
    signed = D(2026, 1, 10)
    assert r.consent_valid(signed, None, TODAY, valid_until=TODAY)  # its last day
    assert not r.consent_valid(signed, None, TODAY, valid_until=TODAY - DAY)  # its term is over
    assert not r.consent_valid(signed, None, TODAY, in_centre=False)  # a consent to a transfer only
    assert r.consent_in_force(signed, None, TODAY)  # whatever its purposes
    assert not r.consent_in_force(signed, None, TODAY, valid_until=TODAY - DAY)


# activation (S1 §5.2, 152-ФЗ)


def test_activate_a_complete_draft():
    r.check_activate(facts(), TODAY)
    r.check_activate(facts(start_date=D(2026, 9, 1), end_date=D(2027, 2, 28)), TODAY)  # future start is fine
    r.check_activate(facts(appeal_decision=None), TODAY)
    r.check_activate(facts(has_appeal=False), TODAY)  # the application document implies its appeal
    r.check_activate(facts(appeal_decision=AppealDecision.ENROLLED), TODAY)


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"status": ProgrammeStatus.ACTIVE}, "activate_wrong_status", "status"),
        ({"status": ProgrammeStatus.TERMINATED}, "activate_wrong_status", "status"),
        ({"has_appeal": False, "has_application_document": False}, "appeal_required", "appeal"),
        ({"appeal_decision": AppealDecision.REFUSED}, "appeal_refused", "appeal"),
        ({"appeal_decision": AppealDecision.REDIRECTED}, "appeal_refused", "appeal"),
        ({"has_application_document": False}, "application_required", "appeal"),
        ({"has_need_assessment": False}, "need_assessment_required", "appeal"),
        ({"has_valid_consent": False}, "consent_required", "citizen"),
        ({"end_date": D(2026, 7, 15)}, "term_too_long", "end_date"),
        ({"end_date": D(2026, 1, 14)}, "date_before_start", "end_date"),
        ({"start_date": D(2025, 8, 1), "end_date": D(2026, 1, 31)}, "term_already_ended", "end_date"),
    ],
)
def test_activate_refusals(changes, code, field):
    v = violation(r.check_activate, facts(**changes), D(2026, 2, 1))
    assert (v.code, v.field) == (code, field)


# extension (S1 §6.1.2–6.1.3)

ACTIVE = facts(status=ProgrammeStatus.ACTIVE, monitoring_held_on=D(2026, 6, 30))  # S1 §6.4: inspected in the term


def test_extend_by_the_centres_commission():
    r.check_extend(ACTIVE, D(2026, 10, 14), decision(), D(2026, 7, 1))
    r.check_extend(ACTIVE, D(2027, 1, 14), decision(), D(2026, 7, 1))  # exactly one year
    extended = facts(
        status=ProgrammeStatus.EXTENDED,
        end_date=D(2026, 10, 14),
        monitoring_held_on=D(2026, 9, 30),
        extended_on=D(2026, 7, 1),
    )
    r.check_extend(extended, D(2027, 1, 14), decision(meeting_date=D(2026, 10, 1)), D(2026, 10, 2))
    r.check_extend(ACTIVE, D(2026, 10, 14), decision(meeting_date=START), D(2026, 7, 1))  # on the first day
    r.check_extend(ACTIVE, D(2026, 10, 14), decision(meeting_date=END), END + DAY)  # on the last day, recorded later


@pytest.mark.parametrize(
    ("fact_changes", "new_end", "decision_changes", "code", "field"),
    [
        ({"status": ProgrammeStatus.DRAFT}, D(2026, 10, 14), {}, "extend_wrong_status", "status"),
        ({"status": ProgrammeStatus.COMPLETED}, D(2026, 10, 14), {}, "extend_wrong_status", "status"),
        ({"has_valid_consent": False}, D(2026, 10, 14), {}, "extension_consent_required", "citizen"),
        ({}, D(2026, 10, 14), None, "extension_decision_required", "decision"),
        (
            {},
            D(2026, 10, 14),
            {"committee_kind": CommitteeKind.WORKING_GROUP},
            "extension_wrong_committee",
            "committee",
        ),
        ({}, D(2026, 10, 14), {"committee_centre_id": 8}, "extension_other_centre", "committee"),
        ({}, D(2026, 10, 14), {"committee_centre_id": None}, "extension_other_centre", "committee"),
        ({}, D(2026, 10, 14), {"protocol_number": "  "}, "extension_protocol_required", "protocol_number"),
        ({}, D(2026, 10, 14), {"protocol_number": None}, "extension_protocol_required", "protocol_number"),
        ({}, D(2026, 10, 14), {"meeting_date": D(2026, 7, 2)}, "extension_meeting_in_future", "meeting_date"),
        ({}, D(2026, 10, 14), {"meeting_date": START - DAY}, "extension_meeting_before_start", "meeting_date"),
        ({"end_date": D(2026, 6, 30)}, D(2026, 10, 14), {}, "extension_term_lapsed", "meeting_date"),
        ({"monitoring_held_on": None}, D(2026, 10, 14), {}, "monitoring_required", "monitoring"),
        (  # the inspection of the previous term does not count for the next extension
            {"monitoring_held_on": D(2026, 5, 1), "extended_on": D(2026, 5, 2)},
            D(2026, 10, 14),
            {},
            "monitoring_required",
            "monitoring",
        ),
        ({}, None, {}, "extend_to_required", "extend_to"),
        ({}, END, {}, "extension_not_later", "extend_to"),
        ({}, D(2026, 6, 1), {}, "extension_not_later", "extend_to"),
        ({}, D(2027, 1, 15), {}, "extension_too_long", "extend_to"),
    ],
)
def test_extend_refusals(fact_changes, new_end, decision_changes, code, field):
    the_decision = None if decision_changes is None else decision(**decision_changes)
    the_facts = dataclasses.replace(ACTIVE, **fact_changes)
    v = violation(r.check_extend, the_facts, new_end, the_decision, D(2026, 7, 1))
    assert (v.code, v.field) == (code, field)


def test_extension_messages_name_the_dates():
    v = violation(r.check_extend, ACTIVE, D(2027, 1, 15), decision(), D(2026, 7, 1))
    assert v.params == {"limit": "14.01.2027"}
    v = violation(r.check_extend, ACTIVE, END, decision(), D(2026, 7, 1))
    assert v.params == {"end": "14.07.2026"}
    v = violation(r.check_extend, ACTIVE, D(2026, 9, 1), decision(meeting_date=D(2026, 7, 2)), D(2026, 7, 1))
    assert v.params == {"meeting_date": "02.07.2026"}
    v = violation(r.check_extend, ACTIVE, D(2026, 9, 1), decision(meeting_date=D(2026, 1, 10)), D(2026, 7, 1))
    assert v.params == {"meeting_date": "10.01.2026", "start": "15.01.2026"}
    lapsed = dataclasses.replace(ACTIVE, end_date=D(2026, 4, 30))
    v = violation(r.check_extend, lapsed, D(2026, 9, 1), decision(), D(2026, 7, 1))
    assert v.params == {"meeting_date": "01.07.2026", "end": "30.04.2026"}
    v = violation(r.check_extend, dataclasses.replace(ACTIVE, monitoring_held_on=None), END + DAY, decision(), END)
    assert v.params == {"due": "30.06.2026"}  # when the inspection fell due


@given(dates, st.integers(min_value=0, max_value=180))
def test_extension_boundary(start, days):
    end = start + timedelta(days=days)
    programme = facts(status=ProgrammeStatus.ACTIVE, start_date=start, end_date=end, monitoring_held_on=start)
    limit = r.max_extended_end_date(start)
    the_decision = decision(meeting_date=start)
    r.check_extend(programme, limit, the_decision, start)
    v = violation(r.check_extend, programme, limit + DAY, the_decision, start)
    assert (v.code, v.params) == ("extension_too_long", {"limit": r.format_date(limit)})


# completion (S1 §5.3.3)


READY = facts(
    status=ProgrammeStatus.ACTIVE, done_items=ALL_DONE, has_results_analysis=True, monitoring_held_on=D(2026, 2, 20)
)


def test_complete_when_all_stages_done_results_analysed_and_the_citizen_inspected():
    r.check_complete(READY, TODAY)
    r.check_complete(dataclasses.replace(READY, status=ProgrammeStatus.EXTENDED, extended_on=D(2026, 2, 1)), TODAY)


@pytest.mark.parametrize(
    ("changes", "today", "code", "params"),
    [
        ({"status": ProgrammeStatus.DRAFT}, TODAY, "complete_wrong_status", {"status": "draft"}),
        ({"status": ProgrammeStatus.TERMINATED}, TODAY, "complete_wrong_status", {"status": "terminated"}),
        ({}, START - DAY, "date_before_start", {}),
        ({"done_items": STAGE_1 | STAGE_2}, TODAY, "stages_incomplete", {"stage": "3"}),
        ({"done_items": frozenset()}, TODAY, "stages_incomplete", {"stage": "1"}),
        ({"has_results_analysis": False}, TODAY, "results_required", {}),
        ({"next_measure_due": TODAY - DAY}, TODAY, "overdue_measures_open", {"due": r.format_date(TODAY - DAY)}),
        ({"monitoring_held_on": None}, TODAY, "monitoring_required", {"due": "30.06.2026"}),
        (  # held before the extension: it decided the extension, not the completion
            {"status": ProgrammeStatus.EXTENDED, "extended_on": D(2026, 2, 20)},
            TODAY,
            "monitoring_required",
            {"due": "30.06.2026"},
        ),
    ],
)
def test_complete_refusals(changes, today, code, params):
    v = violation(r.check_complete, dataclasses.replace(READY, **changes), today)
    assert (v.code, v.params) == (code, params)


def test_complete_with_a_measure_due_today_or_later_still_open():
    r.check_complete(dataclasses.replace(READY, next_measure_due=TODAY), TODAY)


# measures (programme form §3)


def test_a_measure_within_the_term_done_with_a_past_date_passes():
    r.check_measure(START, "planned", None, START, END, TODAY)
    r.check_measure(END, "done", TODAY, START, END, TODAY)


@pytest.mark.parametrize(
    ("due", "status", "done_on", "code"),
    [
        (END + DAY, "planned", None, "measure_due_outside_term"),
        (START - DAY, "planned", None, "measure_due_outside_term"),
        (START, "done", None, "measure_done_date_required"),
        (START, "done", TODAY + DAY, "date_in_future"),
    ],
)
def test_measure_refusals(due, status, done_on, code):
    assert violation(r.check_measure, due, status, done_on, START, END, TODAY).code == code


def test_a_report_is_drawn_up_for_a_month_that_is_over():
    r.check_report_month_ended(D(2026, 2, 1), D(2026, 3, 1))
    assert violation(r.check_report_month_ended, D(2026, 2, 1), D(2026, 2, 28)).params == {"month": "02.2026"}
    assert violation(r.check_report_month_ended, D(2026, 3, 1), D(2026, 3, 1)).code == "report_month_not_ended"


# termination and voluntariness (S1 §3.1, S2)


@pytest.mark.parametrize("status", [ProgrammeStatus.DRAFT, ProgrammeStatus.ACTIVE, ProgrammeStatus.EXTENDED])
@pytest.mark.parametrize("reason", sorted(r.TERMINATION_REASONS))
def test_terminate_open_or_draft_programmes(status, reason):
    r.check_terminate(facts(status=status), reason)
    r.check_terminate(facts(status=status), reason, END + DAY)


@pytest.mark.parametrize(
    ("status", "reason", "today", "code"),
    [
        (ProgrammeStatus.COMPLETED, ClosureReason.REFUSED, None, "terminate_wrong_status"),
        (ProgrammeStatus.TERMINATED, ClosureReason.REFUSED, None, "terminate_wrong_status"),
        (ProgrammeStatus.ACTIVE, None, None, "closure_reason_required"),
        (ProgrammeStatus.ACTIVE, "", None, "closure_reason_required"),
        (ProgrammeStatus.ACTIVE, "bored", None, "closure_reason_required"),
        (ProgrammeStatus.ACTIVE, ClosureReason.RESOLVED, None, "terminate_resolved"),
        (ProgrammeStatus.ACTIVE, ClosureReason.TERM_ENDED, END, "term_not_ended"),
    ],
)
def test_terminate_refusals(status, reason, today, code):
    assert violation(r.check_terminate, facts(status=status), reason, today).code == code


def test_voluntariness_reasons():
    assert r.termination_on_consent_revoked() == ClosureReason.CONSENT_REVOKED
    assert r.COMPLETION_REASON == ClosureReason.RESOLVED
    assert ClosureReason.REFUSED in r.TERMINATION_REASONS  # the citizen's withdrawal (S1 §3.1)
    assert r.termination_on_consent_revoked() in r.TERMINATION_REASONS


# --- next due ("My cases") -------------------------------------------------------------------------------------


def test_next_due_walks_interim_monitoring_end():
    programme = facts(status=ProgrammeStatus.ACTIVE)
    assert r.next_due(programme) == (r.DueKind.INTERIM, D(2026, 4, 15))
    programme = dataclasses.replace(programme, interim_held_on=D(2026, 4, 14))
    assert r.next_due(programme) == (r.DueKind.MONITORING, D(2026, 6, 30))
    programme = dataclasses.replace(programme, monitoring_held_on=D(2026, 6, 29))
    assert r.next_due(programme) == (r.DueKind.END, END)


def test_next_due_after_an_extension_asks_for_a_new_monitoring():
    programme = facts(
        status=ProgrammeStatus.EXTENDED,
        end_date=D(2026, 10, 14),
        interim_held_on=D(2026, 4, 15),
        monitoring_held_on=D(2026, 6, 29),
        extended_on=D(2026, 7, 1),
    )
    assert r.next_due(programme) == (r.DueKind.MONITORING, D(2026, 9, 30))
    programme = dataclasses.replace(programme, monitoring_held_on=D(2026, 9, 29))
    assert r.next_due(programme) == (r.DueKind.END, D(2026, 10, 14))


def test_next_due_overdue_first_and_short_programmes():
    programme = facts(status=ProgrammeStatus.ACTIVE)
    item = r.next_due(programme)
    assert item.kind == r.DueKind.INTERIM and item.overdue(D(2026, 5, 1))
    assert not item.overdue(D(2026, 4, 15))
    short = facts(status=ProgrammeStatus.ACTIVE, end_date=D(2026, 3, 14))  # shorter than three months: no interim
    assert r.next_due(short) == (r.DueKind.MONITORING, D(2026, 2, 28))
    kind, due = r.next_due(short)  # unpacks as (kind, date)
    assert (kind, due) == ("monitoring", D(2026, 2, 28))


@pytest.mark.parametrize("status", [ProgrammeStatus.DRAFT, ProgrammeStatus.COMPLETED, ProgrammeStatus.TERMINATED])
def test_nothing_due_for_drafts_and_closed_programmes(status):
    assert r.next_due(facts(status=status)) is None
    assert r.pending_items(facts(status=status)) == []


@given(
    dates,
    st.integers(min_value=0, max_value=365),
    st.booleans(),
    st.booleans(),
    st.integers(min_value=-30, max_value=400),
)
def test_next_due_is_the_earliest_pending_item(start, days, interim_held, monitoring_held, offset):
    end = start + timedelta(days=days)
    programme = facts(
        status=ProgrammeStatus.ACTIVE,
        start_date=start,
        end_date=end,
        interim_held_on=start if interim_held else None,
        monitoring_held_on=start if monitoring_held else None,
    )
    today = start + timedelta(days=offset)
    item = r.next_due(programme)
    pending = r.pending_items(programme)
    assert item is not None and item == pending[0]
    assert item.due_date == min(p.due_date for p in pending)
    assert pending[-1] == (r.DueKind.END, end)
    if any(p.overdue(today) for p in pending):
        assert item.overdue(today)


# --- messages --------------------------------------------------------------------------------------------------


# One call per code the engine can raise, with the params it gives.
def test_a_completed_programme_names_known_outcome_criteria():
    r.check_outcomes(["employment", "stable_income"])
    assert violation(r.check_outcomes, []).code == "outcome_required"
    assert violation(r.check_outcomes, ["employment", "luck"]).params == {"criterion": "luck"}


def test_a_drafts_term_is_edited_within_six_months_an_active_one_only_by_extension():
    r.check_term_change("draft", (START, END), (START + DAY, END + DAY))
    assert violation(r.check_term_change, "draft", (START, END), (START, END + DAY)).code == "term_too_long"
    r.check_term_change("active", (START, END), (START, END))
    assert violation(r.check_term_change, "extended", (START, END), (START, END + DAY)).code == "term_via_extension"
    assert violation(r.check_term_change, "completed", (START, END), (START, END)).code == "programme_closed"


def test_control_events_of_an_open_programme_within_its_term():
    r.check_control_event(ACTIVE, "interim", TODAY, "continue", TODAY)
    r.check_control_event(ACTIVE, "monitoring", START, "complete", TODAY)
    held = dataclasses.replace(ACTIVE, interim_held_on=TODAY, monitoring_held_on=TODAY)
    r.check_control_event(held, "monitoring", TODAY, "extend", TODAY)  # again after an extension
    assert violation(r.check_control_event, held, "interim", TODAY, "continue", TODAY).params == {
        "held_on": "01.03.2026"
    }
    assert violation(r.check_control_event, ACTIVE, "interim", TODAY + DAY, "continue", TODAY).field == "held_on"


def test_next_due_includes_the_earliest_open_measure():
    programme = dataclasses.replace(ACTIVE, next_measure_due=D(2026, 2, 1))
    assert r.next_due(programme) == (r.DueKind.MEASURE, D(2026, 2, 1))
    assert r.next_due(programme).overdue(TODAY)
    r.check_tick_date(TODAY, TODAY)


EVERY_VIOLATION = [
    lambda: r.check_term(START, END + DAY),
    lambda: r.check_term(START, START - DAY),
    lambda: r.check_term(START, D(2027, 1, 15), extended=True),
    lambda: r.stage_of("x"),
    lambda: r.check_tick(3, 1),
    lambda: r.check_untick("find_resources", ALL_DONE),
    lambda: r.check_transition("completed", "active"),
    lambda: r.check_editable("completed"),
    lambda: r.check_activate(facts(status="active"), TODAY),
    lambda: r.check_activate(facts(has_appeal=False, has_application_document=False), TODAY),
    lambda: r.check_activate(facts(appeal_decision="refused"), TODAY),
    lambda: r.check_activate(facts(has_application_document=False), TODAY),
    lambda: r.check_activate(facts(has_need_assessment=False), TODAY),
    lambda: r.check_activate(facts(has_valid_consent=False), TODAY),
    lambda: r.check_activate(facts(), D(2026, 8, 1)),
    lambda: r.check_extend(facts(), None, None, TODAY),
    lambda: r.check_extend(facts(status="active", has_valid_consent=False), None, None, TODAY),
    lambda: r.check_extend(ACTIVE, None, None, TODAY),
    lambda: r.check_extend(ACTIVE, None, decision(committee_kind="working_group"), TODAY),
    lambda: r.check_extend(ACTIVE, None, decision(committee_centre_id=1), TODAY),
    lambda: r.check_extend(ACTIVE, None, decision(protocol_number=""), TODAY),
    lambda: r.check_extend(ACTIVE, None, decision(), TODAY),
    lambda: r.check_extend(ACTIVE, None, decision(), D(2026, 7, 1)),
    lambda: r.check_extend(ACTIVE, END, decision(), D(2026, 7, 1)),
    lambda: r.check_extend(ACTIVE, D(2027, 1, 15), decision(), D(2026, 7, 1)),
    lambda: r.check_extend(ACTIVE, END + DAY, decision(meeting_date=START - DAY), D(2026, 7, 1)),
    lambda: r.check_extend(dataclasses.replace(ACTIVE, end_date=D(2026, 6, 1)), None, decision(), D(2026, 7, 1)),
    lambda: r.check_extend(dataclasses.replace(ACTIVE, monitoring_held_on=None), END + DAY, decision(), D(2026, 7, 1)),
    lambda: r.check_complete(facts(), TODAY),
    lambda: r.check_complete(ACTIVE, TODAY),
    lambda: r.check_complete(dataclasses.replace(ACTIVE, done_items=ALL_DONE), TODAY),
    lambda: r.check_complete(
        dataclasses.replace(ACTIVE, done_items=ALL_DONE, has_results_analysis=True, next_measure_due=START), TODAY
    ),
    lambda: r.check_measure(END + DAY, "planned", None, START, END, TODAY),
    lambda: r.check_report_month_ended(D(2026, 3, 1), TODAY),
    lambda: r.check_measure(START, "done", None, START, END, TODAY),
    lambda: r.check_complete(dataclasses.replace(READY, monitoring_held_on=None), TODAY),
    lambda: r.check_terminate(facts(status="completed"), "refused"),
    lambda: r.check_terminate(ACTIVE, None),
    lambda: r.check_terminate(ACTIVE, "resolved"),
    lambda: r.check_terminate(ACTIVE, "term_ended", TODAY),
    lambda: r.check_outcomes([]),
    lambda: r.check_outcomes(["employment", "luck"]),
    lambda: r.check_term_change("active", (START, END), (START, END - DAY)),
    lambda: r.check_tick_date(TODAY + DAY, TODAY),
    lambda: r.check_control_event(facts(), "interim", TODAY, "continue", TODAY),
    lambda: r.check_control_event(ACTIVE, "visit", TODAY, "continue", TODAY),
    lambda: r.check_control_event(ACTIVE, "interim", START - DAY, "continue", TODAY),
    lambda: r.check_control_event(ACTIVE, "interim", TODAY, None, TODAY),
    lambda: r.check_control_event(
        dataclasses.replace(ACTIVE, interim_held_on=TODAY), "interim", TODAY, "extend", TODAY
    ),
]


def _raised_codes_in_source() -> set[str]:
    tree = ast.parse(Path(r.__file__).read_text(encoding="utf-8"))
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", None) == "RuleViolation"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }


def test_every_code_is_exercised_and_has_a_message():
    exercised = {violation(call).code for call in EVERY_VIOLATION}
    source = _raised_codes_in_source()
    assert exercised == source
    assert source <= set(WORKFLOW_MESSAGES)


@pytest.mark.parametrize("call", EVERY_VIOLATION)
def test_messages_format_with_the_params_given(call):
    v = violation(call)
    assert all(isinstance(value, str) for value in v.params.values())
    text = str(WORKFLOW_MESSAGES[v.code]) % v.params
    assert "%(" not in text and text.endswith(".")
    for value in v.params.values():
        if value not in {"draft", "active", "extended", "completed", "terminated", "refused", "redirected"}:
            assert value in text  # dates and stage numbers reach the specialist


# --- one computation per date -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("held", "extended", "counts"),
    [
        (None, None, False),
        (D(2026, 6, 1), None, True),
        (D(2026, 6, 1), D(2026, 6, 10), False),  # held before the extension: the previous term's
        (D(2026, 6, 10), D(2026, 6, 10), False),  # held on the day of the extension's meeting: the previous term's
        (D(2026, 6, 11), D(2026, 6, 10), True),
    ],
)
def test_a_monitoring_inspection_counts_for_the_term_it_was_held_in(held, extended, counts):
    assert r.monitoring_held_in_term(held, extended) == (held if counts else None)


def test_term_lines_of_a_programme_never_extended():
    start = D(2026, 1, 15)
    assert r.term_lines(start, D(2026, 7, 14), None) == (start, D(2026, 7, 14), 6, None)


def test_term_lines_of_an_extended_programme_print_the_original_end_and_the_extension():
    """«с 15.01.2026 по 14.07.2026, 6 мес.; продление с 15.07.2026 по 14.10.2026, 3 мес.»: the extension starts the
    day after the original end, which is printed as it was, not one day late."""
    lines = r.term_lines(D(2026, 1, 15), D(2026, 10, 14), D(2026, 7, 14))
    assert lines == (D(2026, 1, 15), D(2026, 7, 14), 6, (D(2026, 7, 15), D(2026, 10, 14), 3))
