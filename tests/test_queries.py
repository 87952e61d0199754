"""List pages cost a constant number of SQL statements, whatever the page size (no N+1).

Thirty rows of each kind exist; each list is requested with 5 and with 25 rows per page (FAB's
``psize_<ViewClass>`` argument; ``page_size`` inside the API's rison ``q``). The counts must be equal, and each
is pinned: a change in the number of statements a list page costs should be a deliberate one. The director of
centre A reads, so the centre scope is part of every query.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.extensions import db
from app.models import Category, Citizen, Measure, Programme
from tests import factories

ROWS = 30


@pytest.fixture
def thirty_of_each(world):
    """30 citizens of centre A, each with a category, a programme and a measure of their own.

    Distinct related rows matter: rows sharing one related object would hide a lazy load per row behind the
    session's identity map.
    """
    specialist = world.users["specialist"]
    organisation = factories.organisation(world.territory_a)
    start = date.today() - timedelta(days=20)
    for n in range(ROWS):
        citizen = Citizen(
            centre=world.centre_a,
            category=Category(name=f"Категория {n:02d}", sort_order=n),
            surname=f"Списков{n:02d}",
            first_name="Иван",
            birth_date=date(1950, 1, 1) + timedelta(days=n),
            circumstances=[world.circumstance],
        )
        programme = Programme(
            number=f"П-С-{n:02d}",
            citizen=citizen,
            centre=world.centre_a,
            specialist=specialist,
            start_date=start,
            end_date=start + timedelta(days=170),
            status="active",
        )
        db.session.add(
            Measure(
                programme=programme,
                title=f"Мероприятие {n:02d}",
                kind="legal",
                due_date=date.today() + timedelta(days=n),
                organisations=[organisation],
            )
        )
    db.session.commit()


def _statements(client, count_statements, url: str, expected_rows: int, marker: str) -> int:
    """Statements one request costs; also checks the page really holds ``expected_rows`` rows."""
    count_statements.statements.clear()
    response = client.get(url)
    assert response.status_code == 200
    statements = count_statements.count
    body = response.get_data(as_text=True)
    assert body.count(marker) == expected_rows, url
    return statements


# Every page first loads the session user with roles, groups, staff profile and centre in one statement, which is
# all the centre scope needs (app.security.SecurityManager.get_user_by_id).
# (view, row marker in the HTML, pinned statements per list page)
LIST_PAGES = [
    # 1 + count and page with centre and category joined (2) + the search form's dropdowns of categories and
    # centres (count and rows each: 4) = 7
    pytest.param("CitizenView", "Списков", 7, id="citizens"),
    # 1 + count and page with citizen, centre and specialist joined (2) + the search form's centre dropdown (2) = 5
    pytest.param("ProgrammeView", "П-С-", 5, id="programmes"),
    # 1 + count and page with the programme joined (2) = 3
    pytest.param("MeasureView", "Мероприятие ", 3, id="measures"),
]


@pytest.mark.parametrize(("view", "marker", "pinned"), LIST_PAGES)
def test_list_page_statements_do_not_grow_with_the_page(view, marker, pinned, thirty_of_each, login, count_statements):
    client = login("director")
    url = f"/{view.lower()}/list/?psize_{view}="
    client.get(url + "5")  # warm-up: first-request caches are not what is measured

    small = _statements(client, count_statements, url + "5", 5, marker)
    large = _statements(client, count_statements, url + "25", 25, marker)

    assert small == large, count_statements.statements
    assert large == pinned, f"{view} list page now runs {large} statements (pinned {pinned})"


def test_api_measure_list_statements_do_not_grow_with_the_page(thirty_of_each, client, api_token, count_statements):
    headers = api_token("director")
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


# (page, pinned statements): the case's pages cost a fixed number of statements whatever the case holds.
CASE_PAGES = [
    # user (1) + programme (1) + the rules' facts (6) + ticks and control events with their users (2) + the
    # timeline's appeal documents, consents, measures done and decisions (4) = 14
    ("/case/{pk}", 14),
    # user, the programme, the card-read audit entry, and the measures and decisions lists (a count and a page each;
    # their parent comes from the session): 9, as measured
    ("/programmeview/show/{pk}", 9),
    # user (1) + open programmes with their next due dates in one statement (1) + the user's reminders (1) = 3
    ("/case/mine", 3),
    # user (1) + one aggregate per figure: citizens, status, category, stage, enrolments, closures, three
    # attention counts (9) + the month's reports (1) = 11
    ("/", 11),
]


@pytest.mark.parametrize(("path", "pinned"), CASE_PAGES)
def test_case_pages_cost_a_fixed_number_of_statements(path, pinned, world, login, count_statements):
    from app import workflow

    counts = []
    for ticks in (1, 4):  # a case with more ticks, events and measures costs the same
        case = factories.draft_case(world, date.today() - timedelta(days=100))
        workflow.activate(case, date.today())
        for item in ("collect_information", "define_problems", "find_resources", "name_difficulties")[:ticks]:
            workflow.tick(case, item, done_on=date.today(), note=None, today=date.today())
        for n in range(ticks):
            factories.measure(case, title=f"М{n}", status="done", done_on=date.today(), due_date=date.today())
        db.session.commit()
        client = login("director")
        url = path.format(pk=case.id)
        client.get(url)
        count_statements.statements.clear()
        assert client.get(url).status_code == 200
        counts.append(count_statements.count)
    assert counts[0] == counts[1], f"{path}: {counts}"
    assert counts[0] == pinned, f"{path} now runs {counts[0]} statements (pinned {pinned})"
