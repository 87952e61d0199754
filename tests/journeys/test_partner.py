"""A partner organisation's user on a phone (375 px): signs in, opens an overdue measure, reports it done with its
result; the centre's specialist sees the result on the case page and a reminder of the report."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

from app.casework import workflow
from app.extensions import db
from app.platform.clock import today as regional_today
from tests import factories
from tests.journeys.test_browser import shot

WIDE = (
    "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 376)"
    ".slice(-6).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"
)


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, page.evaluate(WIDE)


def test_the_partner_reports_an_overdue_measure_done_and_the_specialist_sees_it(world, chromium, live_server, browse):
    today = regional_today()
    start = today - timedelta(days=60)
    programme = factories.draft_case(world, start)
    workflow.activate(programme, start)
    programme.citizen.phone = "+7 900 555-44-33"
    db.session.commit()
    overdue = factories.transfer(
        programme, world.organisation, phone=True, title="Осмотр терапевтом и анализы", due_date=today - timedelta(3)
    )
    factories.measure(programme, title="Консультация юриста", due_date=today + timedelta(days=20))

    context = chromium.new_context(base_url=live_server, viewport={"width": 375, "height": 740}, is_mobile=True)
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto("/login/")
        page.fill("input[name=username]", "partner")
        page.fill("input[name=password]", factories.PASSWORD)
        page.click("input[type=submit], button[type=submit]")
        page.wait_for_load_state()
        page.goto("/partner/measures/")
        row = page.locator("tr", has_text="Осмотр терапевтом и анализы")
        expect(row).to_contain_text("просрочено")
        expect(row).to_contain_text("+7 900 555-44-33")
        expect(page.locator("body")).not_to_contain_text("Консультация юриста")  # not the organisation's
        expect(page.locator("body")).not_to_contain_text(programme.number)
        _fits(page)
        shot(page, "partner-measures-phone")

        row.get_by_role("link", name="Осмотр терапевтом и анализы").click()
        page.wait_for_load_state()
        expect(page.locator("h1")).to_contain_text("Осмотр терапевтом и анализы")
        _fits(page)
        page.select_option("select[name=status]", "done")
        page.fill("input[name=done_on]", today.strftime("%d.%m.%Y"))
        page.keyboard.press("Escape")
        page.fill("textarea[name=result_note]", "Осмотрен, анализы сданы, назначено лечение")
        page.click("form button[type=submit]")
        page.wait_for_load_state()
        expect(page.locator(".alert-success")).to_contain_text("Отчёт сохранён")
        expect(page.locator("tr", has_text="Осмотр терапевтом и анализы")).to_contain_text("выполнено")
        shot(page, "partner-reported-phone")
    finally:
        context.close()

    from app.reminders import scan_reminders

    scan_reminders()
    specialist = browse("specialist")
    specialist.goto(f"/case/{programme.id}")
    expect(specialist.locator(f"#measure-{overdue.id}")).to_contain_text("Осмотрен, анализы сданы, назначено лечение")
    expect(specialist.locator("body")).to_contain_text("Отчёт организации-партнёра")
    specialist.goto("/reminders/mine")
    expect(specialist.locator("body")).to_contain_text("организация-партнёр сообщила о мероприятии")
    shot(specialist, "partner-report-specialist")
