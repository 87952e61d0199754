"""The browser journeys' fixtures (a live server, Debian's Chromium, a signed-in page), shared by every journey."""

from pathlib import Path

import pytest

from tests.journeys.test_browser import browse, chromium, live_server  # noqa: F401

JOURNEYS = Path(__file__).parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items) -> None:
    """The journeys run in the SQLite pass only (``one_pass``): they drive in Chromium the pages that the PostgreSQL
    pass requests through the test client (every page, search, form and API operation), on the embedded database a
    newcomer's ``make run`` uses; a minute of the suite's fifteen."""
    for item in items:
        if JOURNEYS in Path(item.path).parents:
            item.add_marker(pytest.mark.one_pass)
