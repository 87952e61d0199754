"""Generic isolation: for every role, every surface the app registers, probed with other centres' ids.

Nothing here lists the views: the routes come from ``app.url_map``, the forms and searches from
``appbuilder.baseviews``, the API operations from the OpenAPI description, the search-as-you-type lists from the
lookup registry, and what is foreign to a user from the models' declarations (``tests/security/isolation.py``). A new
view, form or endpoint is probed without editing this file.

The test fails on any foreign record's token in a response, on any change of a foreign record (or an own record made
to point at one), and on any server error. The probes and leaks counted per class for each role are written to
``test-artifacts/isolation.json`` (the figures of the closing note).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.domain import roles
from tests.security import isolation

ROLES = {
    roles.ADMIN: "admin",
    roles.TERRITORY: "territory",
    roles.DIRECTOR: "director",
    roles.SPECIALIST: "specialist",
    roles.REGISTRAR: "registrar",
    roles.PARTNER: "partner",
}  # the department sees every centre: nothing of the region is foreign to it
ARTIFACT = Path(__file__).resolve().parents[2] / "test-artifacts" / "isolation.json"


@pytest.fixture
def region(world):
    return isolation.build_region(world)


@pytest.mark.parametrize("role", list(ROLES))
def test_no_surface_shows_or_changes_another_centres_records(role, region, login, client, api_token):
    user = region.world.users[ROLES[role]]
    seen = isolation.Perspective.of(region, user)
    assert seen.tokens, f"{role}: nothing is foreign, the probes would prove nothing"
    verdict = isolation.Verdict()
    before = isolation.snapshot()

    headers = api_token(ROLES[role])
    isolation.probe_api(client, region, seen, verdict, headers)
    browser = login(ROLES[role])
    isolation.probe_routes(browser, region, seen, verdict)
    isolation.probe_forms(browser, region, seen, verdict)
    isolation.probe_searches(browser, region, seen, verdict)
    isolation.probe_lookups(browser, region, seen, verdict)

    changed = isolation.changes_of_foreign_data(before, isolation.snapshot(), seen)
    _write_figures(role, verdict)
    assert not verdict.errors, "server errors:\n" + "\n".join(verdict.errors[:40])
    assert not verdict.found, f"{len(verdict.found)} leaks:\n" + "\n".join(verdict.found[:40])
    assert not changed, "foreign data changed:\n" + "\n".join(changed)
    assert sum(verdict.probes.values()) > 100 and all(verdict.probes[k] for k in ("route", "api", "lookup")), (
        verdict.probes
    )
    assert verdict.own_seen, "no response showed even the user's own records: the probes would see no leak"


def _write_figures(role: str, verdict: isolation.Verdict) -> None:
    ARTIFACT.parent.mkdir(exist_ok=True)
    figures = json.loads(ARTIFACT.read_text()) if ARTIFACT.exists() else {}
    figures[role] = {kind: [verdict.probes[kind], verdict.leaks[kind]] for kind in sorted(verdict.probes)}
    ARTIFACT.write_text(json.dumps(figures, ensure_ascii=False, indent=1))


def test_the_region_marks_every_kind_of_case_record(region):
    """Each kind the probes look for is in both centres, with its token."""
    kinds = {model for model, _ in region.tokens.values()}
    assert set(isolation.MARKED) - {isolation.Reminder} <= kinds
    assert all(len(region.records[model]) >= 2 for model in kinds)


def _probe_one(region, login, username: str, endpoint: str) -> isolation.Verdict:
    verdict = isolation.Verdict()
    user = region.world.users[username]
    seen = isolation.Perspective.of(region, user)
    isolation.probe_routes(login(username), region, seen, verdict, only=lambda found: found == endpoint)
    return verdict


def test_the_probes_find_a_leak_where_there_is_one(region, login, monkeypatch):
    """The same probes, against a console whose submitted reports would show the admin their frozen programme list
    (the leak this test was written after): it is found, in the report's workbook."""
    from app.reporting import monthly

    monkeypatch.setattr(monthly, "sees_rows_of_centre", lambda *args, **kwargs: True)
    verdict = _probe_one(region, login, "admin", "MonthlyReportView.download")
    assert verdict.leaks["route"] == 2 and "Citizen" in "".join(verdict.found), verdict.found


def test_the_probes_find_a_related_list_the_role_may_not_read(region, login, monkeypatch):
    """And against a console whose cards list every related view whatever the role may read: the registrar's own
    citizen cards (centre A has two citizens with programmes) show the citizens' programmes, which are found."""
    from app.fab.views import ConsoleModelView

    monkeypatch.setattr(ConsoleModelView, "_related_views", property(lambda view: view._all_related_views))
    verdict = _probe_one(region, login, "registrar", "CitizenView.show")
    assert verdict.leaks["route"] == 2 and "Programme" in "".join(verdict.found), verdict.found
