"""A list counts its records up to a cap (``app.fab.interface.count_cap``): beyond it the page reads «более …» and the
pager offers the next pages but no last one; the REST API says whether its ``count`` is exact. Below the cap, and
on a page that is not full, the count is exact.

The cap is 10,000 in the console; these tests lower it to 10 so that thirty measures go beyond it.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from app.fab import interface
from app.platform.clock import today as regional_today
from tests import factories

ROWS = 30


@pytest.fixture
def thirty_measures(world, monkeypatch):
    monkeypatch.setattr(interface, "COUNT_CAP", 10)
    programme = factories.programme(factories.citizen(world.centre_a), status="active")
    for n in range(ROWS):
        factories.measure(programme, title=f"Счётная {n:02d}", due_date=regional_today() + timedelta(days=n))


def record_count(html: str) -> str:
    """What the list header says after «Количество записей:» / "Record Count:"."""
    return re.search(r"(?:Количество записей|Record Count):</strong>\s*([^<]*?)\s*</div>", html).group(1)


def pager(html: str) -> str:
    return html[html.index('class="pagination') : html.index("</ul>", html.index('class="pagination'))]


def test_a_list_beyond_the_cap_reads_more_than_and_offers_no_last_page(thirty_measures, login):
    client = login("director")

    html = client.get("/measureview/list/?psize_MeasureView=5").get_data(as_text=True)

    # five rows a page, three pages ahead of the first: counted up to 20, a step of the cap
    assert record_count(html) == "более 20"
    assert "page_MeasureView=1" in pager(html)  # the next page
    assert "&raquo;</a>" in pager(html) and "page_MeasureView=5" not in pager(html)  # no last page it cannot know
    assert html.count("Счётная ") == 5

    client.get("/lang/en")
    english = client.get("/measureview/list/?psize_MeasureView=5").get_data(as_text=True)
    assert record_count(english) == "more than 20"


def test_deeper_pages_count_further(thirty_measures, login):
    client = login("director")

    # page 3 of 5 rows: the pager links up to page 7 (rows up to 35), so the list counts up to 40 and finds 30
    html = client.get("/measureview/list/?psize_MeasureView=5&page_MeasureView=3").get_data(as_text=True)

    assert record_count(html) == "30"
    assert "page_MeasureView=5" in pager(html)  # the last page is known again


def test_a_list_within_the_cap_counts_exactly(thirty_measures, login):
    client = login("director")

    assert record_count(client.get("/measureview/list/?psize_MeasureView=25").get_data(as_text=True)) == "30"
    # a filter that finds fewer than the cap: exact
    found = client.get("/measureview/list/?psize_MeasureView=5&_flt_2_title=Счётная 1").get_data(as_text=True)
    assert record_count(found) == "10"


def test_the_api_says_whether_its_count_is_exact(thirty_measures, client, api_token):
    headers = api_token("director")

    capped = client.get("/api/v1/measure/?q=(page_size:5)", headers=headers).json
    exact = client.get("/api/v1/measure/?q=(page_size:25)", headers=headers).json

    assert (capped["count"], capped["count_exact"]) == (21, False)  # more than 20
    assert len(capped["result"]) == 5
    assert (exact["count"], exact["count_exact"]) == (ROWS, True)
