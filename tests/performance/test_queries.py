"""Every page the benchmark measures (bench.py) costs a fixed number of SQL statements, at most ten: whatever the page
size (no N+1 on a list), whatever a case holds, for a centre's director and for the department.

Thirty rows of each kind exist in centre A, each citizen with a category, a consent, an appeal and a programme with a
measure of their own; lists are requested with 5 and with 25 rows per page (FAB's ``psize_<ViewClass>`` argument;
``page_size`` inside the API's rison ``q``). The counts are pinned: a change in the number of statements a page costs
should be a deliberate one, made here with its reason. The timings live in the benchmark, not here.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from app.extensions import db
from app.models import Category, Citizen, Measure, Programme
from app.platform.clock import today as regional_today
from tests import factories

ROWS = 30
BUDGET = 10  # statements a page may cost (issue: ≤ 10 application SQL statements whatever the page size)


@pytest.fixture
def thirty_of_each(world):
    """30 citizens of centre A, each with a category, a consent, an appeal, a programme and a measure of their own.

    Distinct related rows matter: rows sharing one related object would hide a lazy load per row behind the
    session's identity map.
    """
    specialist = world.users["specialist"]
    organisation = factories.organisation(world.territory_a)
    start = regional_today() - timedelta(days=20)
    for n in range(ROWS):
        citizen = Citizen(
            centre=world.centre_a,
            category=Category(name=f"Категория {n:02d}", sort_order=n),
            surname=f"Списков{n:02d}",
            first_name="Иван",
            birth_date=date(1950, 1, 1) + timedelta(days=n),
            circumstances=[world.circumstance],
        )
        factories.consent(citizen, signed_on=start)
        programme = Programme(
            number=f"П-С-{n:02d}",
            citizen=citizen,
            centre=world.centre_a,
            specialist=specialist,
            appeal=factories.appeal(citizen, appeal_date=start),
            start_date=start,
            end_date=start + timedelta(days=170),
            status="active",
        )
        db.session.add(
            Measure(
                programme=programme,
                title=f"Мероприятие {n:02d}",
                kind="legal",
                due_date=regional_today() + timedelta(days=n),
                organisations=[organisation],
            )
        )
    db.session.commit()


def _statements(client, count_statements, url: str, marker: str | None = None, rows: int | None = None) -> int:
    """Statements one request costs; also checks the page really holds ``rows`` rows."""
    count_statements.statements.clear()
    response = client.get(url)
    assert response.status_code == 200, url
    statements = count_statements.count
    if marker is not None:
        assert response.get_data(as_text=True).count(marker) == rows, url
    return statements


# Every page first loads the session user with roles, groups, staff profile and centre in one statement, which is
# all the centre scope needs (app.security.SecurityManager.get_user_by_id). A list then costs its page and, when the
# page is full, its count (ScopedInterface.query); a search form's dropdowns of small reference tables one each.
# (user, view, arguments, row marker in the HTML, pinned statements)
LIST_PAGES = [
    # user + count and page with centre and category joined (2) + the search form's categories and centres (2) = 5
    pytest.param("director", "CitizenView", "", "Списков", 5, id="citizens"),
    # sorted by category: + the categories in the order of their names, from which the page is picked (1) = 6
    pytest.param("director", "CitizenView", "_oc_CitizenView=category&_od_CitizenView=asc", "Списков", 6,
                 id="citizens-by-category"),
    pytest.param("director", "CitizenView", "_flt_2_surname=Спис", "Списков", 5, id="citizens-by-surname"),
    pytest.param("department", "CitizenView", "", "Списков", 5, id="citizens-department"),
    # user + count and page with citizen, centre and specialist joined (2) + the search form's centres (1) = 4
    pytest.param("director", "ProgrammeView", "", "П-С-", 4, id="programmes"),
    pytest.param("director", "ProgrammeView", "_oc_ProgrammeView=citizen&_od_ProgrammeView=asc", "П-С-", 4,
                 id="programmes-by-citizen"),
    pytest.param("director", "ProgrammeView", "_flt_2_number=П-С", "П-С-", 4, id="programmes-by-number"),
    pytest.param("department", "ProgrammeView", "", "П-С-", 4, id="programmes-department"),
    # user + count and page with the programme joined (2) = 3
    pytest.param("director", "MeasureView", "", "Мероприятие ", 3, id="measures"),
    pytest.param("director", "MeasureView", "_oc_MeasureView=programme&_od_MeasureView=asc", "Мероприятие ", 3,
                 id="measures-by-programme"),
    pytest.param("director", "MeasureView", "_flt_2_title=Меропр", "Мероприятие ", 3, id="measures-by-title"),
    pytest.param("department", "MeasureView", "", "Мероприятие ", 3, id="measures-department"),
]  # fmt: skip


@pytest.mark.parametrize(("user", "view", "arguments", "marker", "pinned"), LIST_PAGES)
def test_list_page_statements_do_not_grow_with_the_page(
    user, view, arguments, marker, pinned, thirty_of_each, login, count_statements
):
    client = login(user)
    url = f"/{view.lower()}/list/?{arguments}&psize_{view}="
    client.get(url + "5")  # warm-up: first-request caches are not what is measured

    small = _statements(client, count_statements, url + "5", marker, 5)
    large = _statements(client, count_statements, url + "25", marker, 25)

    assert small == large, count_statements.statements
    assert large == pinned, f"{view} list page now runs {large} statements (pinned {pinned})"


def test_a_page_that_is_not_full_tells_the_count_itself(thirty_of_each, login, count_statements):
    """All 30 rows on one page, or the 5 rows of the second page of 25: the count follows from the page, one
    statement fewer than a full page, and the page still shows the right record count."""
    client = login("director")
    url = "/measureview/list/?psize_MeasureView="
    client.get(url + "25")

    full = _statements(client, count_statements, url + "25", "Мероприятие ", 25)
    whole = _statements(client, count_statements, url + "50", "Мероприятие ", ROWS)
    last = _statements(client, count_statements, url + "25&page_MeasureView=1", "Мероприятие ", ROWS - 25)

    assert whole == last == full - 1
    for page in (url + "25", url + "50", url + "25&page_MeasureView=1"):
        assert re.search(rf"</strong>\s*{ROWS}\s", client.get(page).get_data(as_text=True)), page


@pytest.mark.parametrize("user", ["director", "department"])
def test_api_measure_list_statements_do_not_grow_with_the_page(
    user, thirty_of_each, client, api_token, count_statements
):
    headers = api_token(user)
    client.get("/api/v1/measure/?q=(page_size:5)", headers=headers)  # warm-up

    def measure(size: int) -> int:
        count_statements.statements.clear()
        response = client.get(f"/api/v1/measure/?q=(page_size:{size})", headers=headers)
        assert response.status_code == 200
        assert len(response.json["result"]) == size
        assert response.json["count"] == ROWS
        return count_statements.count

    small, large = measure(5), measure(25)

    # FAB's check of the Public role, before and after verifying the JWT (role and its permissions: 2 x 2) +
    # the JWT user with roles, groups, staff profile and centre (1) + count and page with the programme joined (2) = 7
    assert small == large, count_statements.statements
    assert large == 7, f"the measure API list now runs {large} statements (pinned 7)"


# (user, page, pinned statements) for the first of the thirty.
RECORD_PAGES = [
    # user, the citizen with centre and category, its circumstances, the card-read audit entry, and the related
    # lists of consents, appeals, programmes and household members (each a page that tells its own count) = 8
    pytest.param("director", "/citizenview/show/{citizen}", 8, id="citizen-show"),
    pytest.param("department", "/citizenview/show/{citizen}", 8, id="citizen-show-department"),
    # user, the citizen, its circumstances, the category, circumstance and centre choices, the read's audit entry (the
    # related lists are on the card, not on the edit form) = 7
    pytest.param("director", "/citizenview/edit/{citizen}", 7, id="citizen-edit"),
    # user, the programme with citizen, centre and specialist, its appeal, the audit entry, measures and
    # decisions = 6
    pytest.param("director", "/programmeview/show/{programme}", 6, id="programme-show"),
    pytest.param("department", "/programmeview/show/{programme}", 6, id="programme-show-department"),
    # user, the programme with citizen, centre and specialist, its appeal (the lookup field's choice), the centre and
    # specialist choices, the read's audit entry = 6
    pytest.param("director", "/programmeview/edit/{programme}", 6, id="programme-edit"),
    # user, the measure with its programme, its organisations, the organisations the citizen's consent does not let
    # the data go to, the read's audit entry = 5
    pytest.param("director", "/measureview/show/{measure}", 5, id="measure-show"),
    # user, the measure with its programme, its organisations, the programme's citizen named by the lookup field, the
    # read's audit entry (the approving decision is a lookup too: none chosen here) = 5
    pytest.param("director", "/measureview/edit/{measure}", 5, id="measure-edit"),
]


@pytest.mark.parametrize(("user", "path", "pinned"), RECORD_PAGES)
def test_record_pages_cost_a_fixed_number_of_statements(user, path, pinned, thirty_of_each, login, count_statements):
    client = login(user)
    ids = {
        "citizen": db.session.scalar(db.select(Citizen.id).order_by(Citizen.id)),
        "programme": db.session.scalar(db.select(Programme.id).order_by(Programme.id)),
        "measure": db.session.scalar(db.select(Measure.id).order_by(Measure.id)),
    }
    url = path.format(**ids)
    client.get(url)

    statements = _statements(client, count_statements, url)

    assert statements == pinned, f"{url} now runs {statements} statements (pinned {pinned})"
    assert statements <= BUDGET


# (user, page, pinned statements): the case's pages cost a fixed number of statements whatever the case holds.
CASE_PAGES = [
    # user, the programme with its appeal, the rules' facts in one statement, ticks and control events with their
    # users, the timeline's appeal documents and consents, the programme's measures (also the timeline's measures
    # done), decisions, the read's audit entry = 10
    ("director", "/case/{pk}", 10),
    ("department", "/case/{pk}", 10),
    # user, the programme, its appeal, the card-read audit entry, the measures and decisions lists = 6
    ("director", "/programmeview/show/{pk}", 6),
    # user, the open programmes' next due dates in one statement, the shown programmes with citizens and
    # specialists, the user's reminders = 4
    ("director", "/case/mine", 4),
    ("specialist", "/case/mine", 4),
    ("department", "/case/mine", 4),
    # user, the tally by centre, status, stage and category, the citizens and attention counts, enrolments and
    # closures by month, the month's reports = 5; the department also reads the names of the centres = 6
    ("director", "/", 5),
    ("department", "/", 6),
]


@pytest.mark.parametrize(("user", "path", "pinned"), CASE_PAGES)
def test_case_pages_cost_a_fixed_number_of_statements(user, path, pinned, world, login, count_statements):
    from app.casework import workflow

    counts = []
    for ticks in (1, 4):  # a case with more ticks, events and measures costs the same
        case = factories.draft_case(world, regional_today() - timedelta(days=100))
        workflow.activate(case, regional_today())
        for item in ("collect_information", "define_problems", "find_resources", "name_difficulties")[:ticks]:
            workflow.tick(case, item, done_on=regional_today(), note=None, today=regional_today())
        for n in range(ticks):
            factories.measure(case, title=f"М{n}", status="done", done_on=regional_today(), due_date=regional_today())
        db.session.commit()
        client = login(user)
        url = path.format(pk=case.id)
        client.get(url)
        counts.append(_statements(client, count_statements, url))
    assert counts[0] == counts[1], f"{path}: {counts}"
    assert counts[0] == pinned, f"{path} now runs {counts[0]} statements (pinned {pinned})"
    assert counts[0] <= BUDGET


# (page, pinned statements) of a partner organisation's user, whose organisation carries out all thirty measures with
# the citizens' consent to the transfer
PARTNER_PAGES = [
    # user, the partner's organisation (its scope), the measures with their citizens and specialists, the
    # organisation's name, the reads' audit entries = 5
    pytest.param("/partner/measures/", 5, id="partner-measures"),
    # the same for one measure, with its report form = 5
    pytest.param("/partner/measures/{measure}", 5, id="partner-measure"),
]


@pytest.mark.parametrize(("path", "pinned"), PARTNER_PAGES)
def test_partner_pages_cost_a_fixed_number_of_statements(path, pinned, thirty_of_each, world, login, count_statements):
    from app.models import Consent

    for measure in db.session.scalars(db.select(Measure)):
        measure.organisations = [world.organisation]
    for consent in db.session.scalars(db.select(Consent)):
        consent.organisations, consent.with_phone = [world.organisation], True
    db.session.commit()
    client = login("partner")
    url = path.format(measure=db.session.scalar(db.select(Measure.id).order_by(Measure.id)))
    assert "Мероприятие 00" in client.get(url).get_data(as_text=True)

    statements = _statements(client, count_statements, url)

    assert statements == pinned, f"{url} now runs {statements} statements (pinned {pinned})"
    assert statements <= BUDGET
