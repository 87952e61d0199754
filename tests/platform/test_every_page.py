"""Every page of every role speaks one language: Russian by default, English after switching.

The pages are discovered from the app: every registered list view (its list, add form, a record's card and edit
form, as far as the role may open them), the case page with its action forms, My cases, My reminders, the report
board, the home page, and the error pages (a missing page, a page the role may not open). Each is read as a user
reads it: the text of the page and of the attributes a user sees (placeholders, titles, labels), scripts left out.

* A Russian page has no English word, except names that are data of the test world (user names, e-mails).
* An English page has no Cyrillic word left once the data of the world (names, centres, categories: Russian
  everywhere) are taken out.
* No page shows ``__None`` or an object's ``repr`` (``<… object at 0x…>``).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import String, Text, select

from app.casework import workflow
from app.extensions import db
from app.fab.registry import model_views
from app.models import Measure, MonthlyReport, Reminder
from app.platform.clock import today as regional_today
from tests import factories

ROLES = ("admin", "department", "territory", "director", "specialist", "registrar", "partner")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
CYRILLIC_WORD = re.compile(r"[А-Яа-яЁё]{2,}")
REPR = re.compile(r"object at 0x|<app\.|__None")
# Latin words a Russian page may show: data of the test world, the other language's name in the switch, file types
ALLOWED_LATIN = {
    "test",
    "example",
    "org",
    "english",
    "xlsx",
    "excel",
    "pdf",
    "docx",
    "png",
    "jpg",
    "jpeg",
    "tif",
    "tiff",
    "doc",
    "odt",
}
ALLOWED_LATIN |= {"iii"}  # disability groups I–III are written in Roman numerals in Russian too
ALLOWED_CYRILLIC = {"русский"}  # the language switch names the other language in its own words


class _Visible(HTMLParser):
    """The text a user sees: text nodes and the attributes a browser shows, without scripts and styles."""

    SHOWN_ATTRIBUTES = ("placeholder", "title", "aria-label", "data-placeholder", "data-confirm", "alt")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in self.SHOWN_ATTRIBUTES and value:
                self.parts.append(value)
            if tag == "input" and name == "value" and ("type", "submit") in attrs and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def _world_data() -> list[str]:
    """Every text the test world stored (names, centres, numbers…), longest first, to be taken out of a page."""
    values: set[str] = set()
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text) and c.name != "search"]
        if not columns:
            continue
        for row in db.session.execute(select(*columns)):
            values.update(str(v) for v in row if v)
    return sorted(values, key=len, reverse=True)


def _without(text: str, data: list[str]) -> str:
    for value in data:
        if len(value) > 1:
            text = text.replace(value, " ")
    return text


@pytest.fixture
def rich_world(world):
    """A world with a record of every kind, so that every list, card and form has something to show."""
    today = regional_today()
    start = today - timedelta(days=100)
    programme = factories.draft_case(world, start)
    workflow.activate(programme, start)
    db.session.commit()
    factories.measure(programme, due_date=today - timedelta(days=3))
    # the partner's: its page and report form; and one whose transfer the consent does not name (the warning)
    factories.transfer(programme, world.organisation, phone=True, due_date=today + timedelta(days=2))
    factories.measure(
        programme,
        due_date=today + timedelta(days=5),
        organisations=[factories.organisation(world.territory_a, name="Центр занятости")],
    )
    factories.committee(world.centre_a, name="Комиссия по продлению")
    citizen = programme.citizen
    citizen.circumstances = [world.circumstance]
    db.session.add(MonthlyReport(centre=world.centre_a, month=date(today.year, today.month, 1) - timedelta(days=1)))
    db.session.commit()
    from app.reminders import scan_reminders

    scan_reminders()
    db.session.commit()
    return world, programme


def _pages(app, programme_id: int) -> list[str]:
    urls = ["/", "/case/mine", "/reminders/mine", "/monthlyreportview/board", "/no-such-page/", "/users/list/"]
    urls += ["/partner/measures/"] + [f"/partner/measures/{pk}" for pk in db.session.scalars(select(Measure.id))]
    urls += [
        f"/case/{programme_id}",
        f"/case/{programme_id}/complete",
        f"/case/{programme_id}/terminate",
        f"/decisionview/extend/{programme_id}",
    ]
    for view in model_views(app.appbuilder):
        base = f"/{view.route_base.strip('/')}"
        urls += [f"{base}/list/", f"{base}/add"]
        model = view.datamodel.obj
        first = db.session.scalar(select(model.id).order_by(model.id)) if hasattr(model, "id") else None
        if first is not None:
            urls += [f"{base}/show/{first}", f"{base}/edit/{first}"]
    return urls


def _read(client, url: str) -> str | None:
    response = client.get(url, follow_redirects=True)
    assert response.status_code < 500, (url, response.status_code)
    if "text/html" not in response.content_type:
        return None
    return response.get_data(as_text=True)


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_every_role_speaks_one_language(app, rich_world, login, role):
    world, programme = rich_world
    client = login(role)
    data = _world_data()
    urls = _pages(app, programme.id)
    problems: list[str] = []
    for language in ("ru", "en"):
        client.get(f"/lang/{language}")
        for url in urls:
            html = _read(client, url)
            if html is None:
                continue
            text = visible_text(html)
            found = REPR.search(text) or re.search(r"object at 0x", html)
            if found:
                problems.append(f"{language} {url}: a repr or __None: {found.group(0)}")
            rest = _without(text, data)
            if language == "ru":
                words = {w for w in LATIN_WORD.findall(rest) if w.lower() not in ALLOWED_LATIN}
            else:
                words = {w for w in CYRILLIC_WORD.findall(rest) if w.lower() not in ALLOWED_CYRILLIC}
            if words:
                problems.append(f"{language} {url}: {sorted(words)[:12]}")
    client.get("/lang/ru")
    assert not problems, "\n".join(problems)


def test_the_checks_catch_the_other_language():
    """The detector itself: English in a Russian page, a repr, hidden scripts not counted."""
    html = '<p>Граждане <b>List</b></p><script>var x = "English words";</script><input placeholder="Поиск">'
    assert visible_text(html) == "Граждане List Поиск"
    assert LATIN_WORD.findall(visible_text(html)) == ["List"]
    assert REPR.search("<app.models.reference.Circumstance object at 0x7f>")
    assert _without("Иванов Иван — Citizen", ["Иванов", "Иван"]).split() == ["—", "Citizen"]


def test_measures_and_reminders_exist_for_the_pages(rich_world):
    """The world the page test walks has the records it means to show."""
    assert db.session.scalar(select(Measure.id)) is not None
    assert db.session.scalar(select(Reminder.id)) is not None
