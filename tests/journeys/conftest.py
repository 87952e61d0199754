"""The browser journeys' fixtures (a live server, Debian's Chromium, a signed-in page), shared by every journey."""

from tests.journeys.test_browser import browse, chromium, live_server  # noqa: F401
