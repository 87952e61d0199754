"""Each date of a programme is computed once, by the rules engine, and every output shows that one value: the
programme form as a workbook and as a print view, the API, the case page."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import openpyxl

from app.casework import workflow
from app.domain import rules
from app.extensions import db
from app.models import ControlEvent, Programme
from app.platform.clock import today as regional_today
from app.security.scope import Scope
from reports.monthly import as_of_text
from tests import factories

TODAY = regional_today()


def _extended(world) -> Programme:
    """A programme started seven months ago on a six-month term, extended by the commission two months on."""
    start = rules.add_months(TODAY, -7)
    case = factories.draft_case(world, start)
    case.end_date = rules.max_end_date(start)
    director = Scope(frozenset({world.centre_a.id}), None, world.users["director"].id)
    case.status = "active"
    case.activated_on = start
    # the monitoring inspection the commission's decision rests on (S1 §6.4)
    db.session.add(ControlEvent(programme=case, kind="monitoring", held_on=case.end_date - timedelta(days=14)))
    db.session.commit()
    new_end = rules.add_months(case.end_date, 2)
    workflow.record_extension(
        case,
        committee=factories.committee(world.centre_a),
        protocol_number="7",
        meeting_date=case.end_date - timedelta(days=5),
        extend_to=new_end,
        reason=None,
        today=case.end_date - timedelta(days=5),
        scope=director,
    )
    db.session.commit()
    return case


def _sheet_text(content: bytes) -> str:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return "\n".join(str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value)


def test_the_form_the_print_view_the_api_and_the_case_page_agree_on_the_term(world, login, api_token, client):
    case = _extended(world)
    original_end = rules.max_end_date(case.start_date)
    term = rules.term_lines(case.start_date, case.end_date, case.extended_from)
    assert term.end == original_end and term.extension[0] == original_end + timedelta(days=1)
    original_line = f"с {as_of_text(case.start_date)} по {as_of_text(original_end)}, кол-во месяцев: 6"
    extension_line = (
        f"с {as_of_text(term.extension[0])} по {as_of_text(case.end_date)}, кол-во месяцев: {term.extension[2]}"
    )

    director = login("director")
    workbook = _sheet_text(director.get(f"/case/{case.id}/form.xlsx").data)
    printed = re.sub(r"\s+", " ", director.get(f"/case/{case.id}/print").get_data(as_text=True))
    for text in (workbook, printed):
        assert original_line in text
        assert extension_line in text

    state = client.get(f"/api/v1/programme/{case.id}/checklist", headers=api_token("director")).json["result"]
    assert state["original_end_date"] == original_end.isoformat()
    assert state["extension"] == {
        "start": term.extension[0].isoformat(),
        "end": case.end_date.isoformat(),
        "months": term.extension[2],
    }
    interim, monitoring = rules.interim_due(case.start_date), rules.monitoring_due(case.end_date, case.start_date)
    assert (state["interim_due"], state["monitoring_due"]) == (interim.isoformat(), monitoring.isoformat())
    due_of = {item["kind"]: item["due_date"] for item in state["due"]}
    # the inspection held before the extension does not count: a new one falls due before the new end
    assert due_of.get("monitoring") in (None, monitoring.isoformat())

    page = director.get(f"/case/{case.id}").get_data(as_text=True)
    assert monitoring.strftime("%d.%m.%Y") in page and interim.strftime("%d.%m.%Y") in page
