"""Four journeys in a real browser: Debian's Chromium driven by Playwright against the console served on 127.0.0.1.

Each journey saves screenshots under ``test-artifacts/`` (the README's pictures come from there).
"""

from __future__ import annotations

import io
import threading
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page, expect, sync_playwright
from werkzeug.serving import make_server

from app.casework import workflow
from app.domain import rules
from app.extensions import db
from app.models import Citizen, Consent, Programme
from app.platform.clock import today as regional_today
from tests import factories

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TODAY = regional_today()


@pytest.fixture(scope="module")
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="module")
def chromium():
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: `make test` installs it with apt")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def browse(chromium, live_server):
    """``browse(username)`` → a page signed in as that user, in its own browser context."""
    contexts = []

    def open_as(username: str) -> Page:
        context = chromium.new_context(
            base_url=live_server, accept_downloads=True, viewport={"width": 1366, "height": 900}
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto("/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", factories.PASSWORD)
        page.click("input[type=submit], button[type=submit]")
        page.wait_for_load_state()
        return page

    yield open_as
    for context in contexts:
        context.close()


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def choose(page: Page, field: str, text: str) -> None:
    """Pick a row in a search-as-you-type dropdown: open it, type, click the match."""
    page.click(f"select[name={field}] + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", text)
    page.click(f".select2-container--open .select2-results__option:has-text('{text}')")


def set_date(page: Page, field: str, value: date | str) -> None:
    """Type a date into a date picker's input (the picker's calendar pops up on focus; typing is what users do)."""
    text = value.isoformat() if isinstance(value, date) else value
    page.fill(f"input[name={field}]", text)
    page.keyboard.press("Escape")
    page.eval_on_selector(f"input[name={field}]", "(el, v) => { el.value = v; }", text)


def pick(page: Page, field: str, value: str) -> None:
    page.select_option(f"select[name={field}]", value, force=True)


def save(page: Page) -> None:
    page.click("form button[type=submit].btn-primary, form button[type=submit]:has-text('Сохранить')")
    page.wait_for_load_state()
    errors = page.locator(".alert-danger, tr:has(.text-danger), .has-error").all_inner_texts()
    assert not [e for e in errors if e.strip()], errors


def test_specialist_registers_a_case_ticks_stage_one_and_prints_the_programme(world, browse):
    page = browse("specialist")
    start = TODAY - timedelta(days=10)
    page.goto("/citizenview/add")
    page.fill("input[name=surname]", "Лебедева")
    page.fill("input[name=first_name]", "Ольга")
    page.fill("input[name=patronymic]", "Ивановна")
    set_date(page, "birth_date", "1958-04-12")
    pick(page, "sex", "female")
    pick(page, "family_status", "living_alone")
    pick(page, "category", str(world.category.id))
    pick(page, "centre", str(world.centre_a.id))
    save(page)
    citizen = db.session.scalar(db.select(Citizen).where(Citizen.surname == "Лебедева"))
    assert citizen is not None

    page.goto("/consentview/add")
    choose(page, "citizen", "Лебедева")
    set_date(page, "signed_on", start.isoformat())
    page.fill("textarea[name=scope], input[name=scope]", "Обработка персональных данных для социального сопровождения")
    save(page)

    page.goto("/appealview/add")
    pick(page, "centre", str(world.centre_a.id))
    page.fill("input[name=journal_number]", "77")
    set_date(page, "appeal_date", start.isoformat())
    choose(page, "citizen", "Лебедева")
    pick(page, "channel", "application")
    page.fill("textarea[name=reason], input[name=reason]", "Нужна помощь по хозяйству")
    pick(page, "decision", "pending")
    save(page)
    page.goto("/appealdocumentview/add")
    choose(page, "appeal", "77")
    pick(page, "kind", "application")
    set_date(page, "document_date", start.isoformat())
    save(page)

    page.goto("/programmeview/add")
    page.fill("input[name=number]", "ПСС-77")
    choose(page, "citizen", "Лебедева")
    pick(page, "centre", str(world.centre_a.id))
    choose(page, "appeal", "77")
    set_date(page, "start_date", start.isoformat())
    set_date(page, "end_date", rules.max_end_date(start).isoformat())
    save(page)
    programme = db.session.scalar(db.select(Programme).where(Programme.number == "ПСС-77"))
    assert programme is not None and programme.specialist_id == world.users["specialist"].id

    for n, title in enumerate(("Консультация юриста", "Оформление на обслуживание на дому", "Клуб общения"), 1):
        page.goto("/measureview/add")
        choose(page, "programme", "ПСС-77")
        page.fill("textarea[name=title], input[name=title]", title)
        pick(page, "kind", "legal")
        set_date(page, "due_date", (TODAY + timedelta(days=10 * n)).isoformat())
        pick(page, "status", "planned")
        save(page)
    assert len(db.session.get(Programme, programme.id).measures) == 3
    page.goto(f"/programmeview/show/{programme.id}")
    expect(page.locator("body")).to_contain_text("Консультация юриста")
    shot(page, "programme-page")

    page.goto(f"/case/{programme.id}")
    for _ in range(4):
        page.locator("#stage-1 form button:has-text('Выполнено')").first.click()
        page.wait_for_load_state()
    expect(page.locator("#stage-1 .progress-bar")).to_have_text("4 / 4")
    expect(page.locator("#stage-2 .label-primary")).to_have_text("текущий этап")
    shot(page, "case-page")
    with page.expect_download() as download:
        page.click("text=Форма программы (XLSX)")
    content = Path(download.value.path()).read_bytes()
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Программа"]
    values = [c.value for row in sheet.iter_rows() for c in row if c.value]
    assert "Программа социального сопровождения гражданина № ПСС-77" in values
    assert "Консультация юриста" in values and "Клуб общения" in values


def test_director_records_an_extension_and_sees_the_dates_move(world, browse):
    start = rules.add_months(TODAY, -4)
    programme = factories.draft_case(world, start)
    workflow.activate(programme, start)
    db.session.commit()
    commission = factories.committee(world.centre_a, name="Комиссия по продлению")
    limit = rules.max_extended_end_date(start)
    page = browse("director")
    page.goto("/")
    expect(page.locator("body")).to_contain_text("1 гражданин на сопровождении")
    shot(page, "dashboard")
    page.goto(f"/case/{programme.id}")
    old_monitoring = rules.monitoring_due(programme.end_date).strftime("%d.%m.%Y")
    expect(page.locator("#control + table")).to_contain_text(old_monitoring)
    # S1 §6.4: the commission decides on the monitoring inspection; the page says so and leads to recording it
    expect(page.locator("#monitoring-notice")).to_contain_text("нужно мониторинговое социальное инспектирование")
    page.click("#monitoring-notice a")
    expect(page.locator("#record-control select[name=kind]")).to_have_value("monitoring")
    pick(page, "decision", "extend")
    page.fill("#record-control textarea[name=findings]", "Положительная динамика, гражданин просит продлить")
    page.click("#record-control button[type=submit]")
    page.wait_for_load_state()
    expect(page.locator("#monitoring-notice")).to_have_count(0)
    page.click("text=Продлить по решению комиссии")
    pick(page, "committee", str(commission.id))
    page.fill("input[name=protocol_number]", "12")
    set_date(page, "meeting_date", TODAY.isoformat())
    set_date(page, "extend_to", limit.isoformat())
    page.click("button:has-text('Записать решение')")
    page.wait_for_load_state()
    expect(page.locator(".lead")).to_contain_text(limit.strftime("%d.%m.%Y"))
    new_monitoring = rules.monitoring_due(limit).strftime("%d.%m.%Y")
    expect(page.locator("#control + table")).to_contain_text(new_monitoring)
    expect(page.locator("body")).to_contain_text("Срок продлён")
    shot(page, "extension")


def test_another_centres_specialist_cannot_reach_the_citizen(world, browse):
    citizen = factories.citizen(world.centre_a, surname="Скрытова")
    page = browse("specialist_b")
    response = page.goto(f"/citizenview/show/{citizen.id}")
    assert response.status == 404
    page.goto("/citizenview/list/?_flt_0_surname=Скрытова")
    expect(page.locator("body")).not_to_contain_text("Скрытова Ивана")
    expect(page.locator("table")).not_to_contain_text("Скрытова")
    shot(page, "other-centre")


def test_the_language_switch_turns_the_page_english_and_back(world, browse):
    page = browse("specialist")
    page.goto("/case/mine")
    expect(page.locator("h1")).to_have_text("Мои случаи")
    page.click("#language-menu")
    page.click("#language-en")
    page.wait_for_load_state()
    page.goto("/case/mine")
    expect(page.locator("h1")).to_have_text("My cases")
    expect(page.locator(".navbar")).to_contain_text("Accompaniment")
    shot(page, "english")
    page.click("#language-menu")
    page.click("#language-ru")
    page.wait_for_load_state()
    page.goto("/case/mine")
    expect(page.locator("h1")).to_have_text("Мои случаи")


def test_registrar_attaches_scans_sees_them_on_the_cards_and_bad_files_are_refused(app, world, browse, monkeypatch):
    from tests import samples

    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 64 * 1024)
    citizen = factories.citizen(world.centre_a, surname="Сканова")
    appeal = factories.appeal(citizen, with_documents=False, journal_number="314", decision="pending")
    page = browse("registrar")

    def consent_form(scope: str, name: str, content: bytes) -> None:
        page.goto("/consentview/add")
        choose(page, "citizen", "Сканова")
        set_date(page, "signed_on", (TODAY - timedelta(days=2)).isoformat())
        page.fill("textarea[name=scope], input[name=scope]", scope)
        page.set_input_files(
            "input[name=scan]", files=[{"name": name, "mimeType": "application/pdf", "buffer": content}]
        )
        page.click("form button[type=submit].btn-primary, form button[type=submit]:has-text('Сохранить')")
        page.wait_for_load_state()

    # refused in Russian, by the field, with what was typed kept
    for name, content, message in (
        ("пустой.pdf", b"", "Файл пустой"),
        ("заявление.pdf", samples.exe(), "не является документом PDF, JPEG, PNG, TIFF, DOC, DOCX или ODT"),
        ("большой.pdf", samples.pdf() + b"0" * 80_000, "Файл больше 0,06 МБ"),
    ):
        consent_form("Передача сведений в центр занятости", name, content)
        expect(page.locator(".has-error, .text-danger, .alert-danger").first).to_contain_text(message)
        expect(page.locator("textarea[name=scope], input[name=scope]")).to_have_value(
            "Передача сведений в центр занятости"
        )
    shot(page, "scan-refused")
    assert db.session.scalars(db.select(Consent)).all() == []

    consent_form("Обработка персональных данных для социального сопровождения", "Согласие Скановой.pdf", samples.pdf())
    consent = db.session.scalars(db.select(Consent)).one()
    page.goto(f"/consentview/show/{consent.id}")
    link = page.locator("a:has-text('Согласие Скановой.pdf')")
    expect(link).to_be_visible()
    expect(page.locator("body")).to_contain_text("(PDF, 1 КБ)")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "Согласие Скановой.pdf"
    assert Path(download.value.path()).read_bytes() == samples.pdf()

    scans = {
        "application": ("Заявление.jpg", "image/jpeg", samples.jpeg()),
        "need_assessment": ("Акт оценки.docx", "application/octet-stream", samples.docx()),
        "living_conditions": ("Акт обследования.png", "image/png", samples.png()),
    }
    for kind, (name, mime, content) in scans.items():
        page.goto("/appealdocumentview/add")
        choose(page, "appeal", "314")
        pick(page, "kind", kind)
        set_date(page, "document_date", (TODAY - timedelta(days=1)).isoformat())
        page.set_input_files("input[name=scan]", files=[{"name": name, "mimeType": mime, "buffer": content}])
        save(page)
    page.goto(f"/appealview/show/{appeal.id}")
    pack = page.locator(".document-pack")
    for name, _, _ in scans.values():
        expect(pack.locator(f"a:has-text('{name}')")).to_be_visible()
    expect(pack).not_to_contain_text("отсутствует")
    shot(page, "document-pack")
    with page.expect_download() as download:
        pack.locator("a:has-text('Акт оценки.docx')").click()
    assert Path(download.value.path()).read_bytes() == scans["need_assessment"][2]
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"/appealview/show/{appeal.id}")
    shot(page, "document-pack-phone")
