"""Russian-first data entry in a real browser (Debian's Chromium, as the other journeys): searching as Russians type,
dates as they write them, refusals that keep the input, a measure done from the case page, My cases on a phone.

Screenshots go to ``test-artifacts/`` like the other journeys'.
"""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import Page, expect

from app.casework import workflow
from app.domain import rules
from app.extensions import db
from app.models import Citizen, Measure, Programme
from app.platform.clock import today as regional_today
from tests import factories
from tests.journeys.test_browser import shot

TODAY = regional_today()


def _citizens(world) -> Citizen:
    factories.citizen(world.centre_a, surname="Жуков", first_name="Константин", patronymic="Петрович")
    factories.citizen(world.centre_a, surname="Жукова", first_name="Анна", patronymic="Ивановна")
    factories.citizen(world.centre_a, surname="Федоровская", first_name="Ольга", patronymic="Павловна")
    return factories.citizen(
        world.centre_a, surname="Фёдоров", first_name="Семён", patronymic="Ильич", birth_date=date(1961, 4, 12)
    )


def _open_search_filter(page: Page, label: str) -> None:
    page.click("a[data-toggle=collapse]:has-text('Поиск')")
    page.click("#filter_form button.dropdown-toggle")
    page.click(f"#filter_form a.filter:has-text('{label}')")


def test_list_search_finds_lower_case_cyrillic_yo_as_ye_and_part_of_a_surname(world, browse):
    _citizens(world)
    page = browse("director")
    page.goto("/citizenview/list/")
    _open_search_filter(page, "ФИО, дата рождения или СНИЛС")
    field = page.locator("#filter_form input[name$='_search']")
    field.focus()
    page.keyboard.type("федоров")  # lower case, «е» for «ё»
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    rows = page.locator("div.table-responsive table tbody tr")
    expect(rows.first).to_contain_text("Фёдоров")  # the exact surname first, then «Федоровская»
    expect(page.locator("div.table-responsive table")).to_contain_text("Федоровская")
    expect(page.locator("div.table-responsive table")).not_to_contain_text("Жуков")

    page.goto("/citizenview/list/")
    _open_search_filter(page, "ФИО, дата рождения или СНИЛС")
    page.locator("#filter_form input[name$='_search']").focus()
    page.keyboard.type("уков конст")  # a part of the surname and of the first name, in any order
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator("div.table-responsive table")).to_contain_text("Константин")
    expect(page.locator("div.table-responsive table")).not_to_contain_text("Анна")
    shot(page, "search-list")


def test_a_dropdown_is_searched_by_keyboard_only(world, browse):
    target = _citizens(world)
    page = browse("specialist")
    page.goto("/consentview/add")
    page.focus("select[name=citizen] + .select2 .select2-selection")
    page.keyboard.press("Enter")  # opens the list; the cursor is in its search box
    expect(page.locator(".select2-container--open .select2-search__field")).to_be_focused()
    page.keyboard.type("ф")
    expect(page.locator(".select2-results")).to_contain_text("Введите ещё 1 символ")
    page.keyboard.type("едоров")
    expect(page.locator(".select2-results__option").first).to_contain_text("Фёдоров Семён")
    expect(page.locator(".select2-results__option--highlighted")).to_contain_text("Фёдоров Семён")
    page.keyboard.press("Enter")
    expect(page.locator("select[name=citizen]")).to_have_value(str(target.id))
    page.focus("select[name=citizen] + .select2 .select2-selection")
    page.keyboard.press("Enter")
    # typed only once the list is open again and its search box has the cursor, as a person would see it
    expect(page.locator(".select2-container--open .select2-search__field")).to_be_focused()
    page.keyboard.type("нетакого")
    expect(page.locator(".select2-results")).to_contain_text("Ничего не найдено")
    page.keyboard.press("Escape")
    shot(page, "search-dropdown")


def test_a_date_is_typed_and_pasted_as_russians_write_it(world, browse):
    page = browse("registrar")
    page.goto("/citizenview/add")
    page.fill("input[name=surname]", "Гагарина")
    page.fill("input[name=first_name]", "Валентина")
    page.locator("input[name=birth_date]").focus()
    page.keyboard.type("12.04.1961")
    page.keyboard.press("Escape")
    expect(page.locator("input[name=birth_date]")).to_have_value("12.04.1961")
    page.select_option("select[name=family_status]", "single", force=True)
    page.select_option("select[name=centre]", str(world.centre_a.id), force=True)
    page.click("form button[type=submit]:has-text('Сохранить')")
    page.wait_for_load_state()
    citizen = db.session.scalar(db.select(Citizen).where(Citizen.surname == "Гагарина"))
    assert citizen is not None and citizen.birth_date == date(1961, 4, 12)
    page.goto(f"/citizenview/edit/{citizen.id}")
    expect(page.locator("input[name=birth_date]")).to_have_value("12.04.1961")  # shown back as typed

    page.goto("/consentview/add")
    field = page.locator("input[name=signed_on]")
    field.focus()
    page.evaluate(
        """() => {
            const input = document.querySelector("input[name=signed_on]");
            const data = new DataTransfer();
            data.setData("text/plain", "01.02.1980");
            input.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
            if (!input.value) { document.execCommand("insertText", false, "01.02.1980"); }
        }"""
    )
    page.keyboard.press("Escape")
    expect(field).to_have_value("01.02.1980")
    page.fill("textarea[name=scope]", "Обработка персональных данных")
    page.locator("input[name=signed_on]").fill("31.02.2020")  # no such day: refused, what was typed stays
    page.click("form button[type=submit]:has-text('Сохранить')")
    page.wait_for_load_state()
    expect(page.locator("input[name=signed_on]")).to_have_value("31.02.2020")
    expect(page.locator("body")).to_contain_text("Введите дату в формате дд.мм.гггг")
    expect(page.locator("textarea[name=scope]")).to_have_value("Обработка персональных данных")
    shot(page, "date-refused")


def test_refusals_keep_the_input(world, browse):
    citizen = factories.citizen(world.centre_a, surname="Соколова")
    factories.programme(citizen, number="ПСС-1/2026", specialist=world.users["specialist"], status="draft")
    page = browse("specialist")
    page.goto("/programmeview/add")
    expect(page.locator("input[name=number]")).not_to_have_value("")  # the next free number is proposed
    page.click("select[name=citizen] + .select2 .select2-selection")
    page.keyboard.type("сокол")
    page.locator(".select2-results__option:has-text('Соколова')").click()
    page.fill("input[name=number]", "ПСС-2/2026")
    page.fill("textarea[name=goals]", "Трудоустройство и жильё")
    start = TODAY
    page.fill("input[name=start_date]", start.strftime("%d.%m.%Y"))
    page.fill("input[name=end_date]", rules.add_months(start, 7).strftime("%d.%m.%Y"))  # 7 months: refused
    page.click("form button[type=submit]:has-text('Сохранить')")
    page.wait_for_load_state()
    expect(page.locator("body")).to_contain_text("не может превышать 6 месяцев")
    expect(page.locator("input[name=number]")).to_have_value("ПСС-2/2026")
    expect(page.locator("textarea[name=goals]")).to_have_value("Трудоустройство и жильё")
    assert db.session.scalar(db.select(Programme).where(Programme.number == "ПСС-2/2026")) is None

    page.fill("input[name=number]", "ПСС-1/2026")  # taken in the centre
    page.fill("input[name=end_date]", rules.max_end_date(start).strftime("%d.%m.%Y"))
    page.click("form button[type=submit]:has-text('Сохранить')")
    page.wait_for_load_state()
    expect(page.locator("body")).to_contain_text("уже есть у другой записи")
    expect(page.locator("body")).not_to_contain_text("INSERT")
    expect(page.locator("textarea[name=goals]")).to_have_value("Трудоустройство и жильё")
    shot(page, "refused-number")


def test_a_measure_is_marked_done_from_the_case_page(world, browse):
    start = TODAY - timedelta(days=30)
    programme = factories.draft_case(world, start)
    workflow.activate(programme, start)
    db.session.commit()
    measure = factories.measure(programme, title="Консультация юриста", due_date=TODAY + timedelta(days=5))
    page = browse("specialist")
    page.goto(f"/case/{programme.id}")
    row = page.locator(f"#measure-{measure.id}")
    row.locator("input[name=done_on]").fill("")
    row.locator("button:has-text('Выполнено')").click()  # no date: refused at the field
    page.wait_for_load_state()
    expect(page.locator(f"#measure-{measure.id}")).to_contain_text("Обязательное поле")
    row = page.locator(f"#measure-{measure.id}")
    row.locator("input[name=done_on]").fill((TODAY - timedelta(days=1)).strftime("%d.%m.%Y"))
    row.locator("button:has-text('Выполнено')").click()
    page.wait_for_load_state()
    expect(page.locator(f"#measure-{measure.id}")).to_contain_text("выполнено")
    db.session.expire_all()
    done = db.session.get(Measure, measure.id)
    assert done.status == "done" and done.done_on == TODAY - timedelta(days=1)
    expect(page.locator("a:has-text('Карточка гражданина')")).to_be_visible()
    shot(page, "measure-done")


def test_my_cases_on_a_phone(world, chromium, live_server):
    start = TODAY - timedelta(days=100)
    for _ in range(3):
        programme = factories.draft_case(world, start)
        workflow.activate(programme, start)
    db.session.commit()
    context = chromium.new_context(base_url=live_server, viewport={"width": 375, "height": 740}, is_mobile=True)
    try:
        page = context.new_page()
        page.goto("/login/")
        page.fill("input[name=username]", "specialist")
        page.fill("input[name=password]", factories.PASSWORD)
        page.click("input[type=submit], button[type=submit]")
        page.wait_for_load_state()
        page.goto("/case/mine")
        width = page.evaluate("document.documentElement.scrollWidth")
        wide = page.evaluate(
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 376)"
            ".slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"
        )
        assert width <= 375, f"My cases is {width} px wide at 375 px: {wide}"
        expect(page.locator("table").first).to_contain_text("Ближайший срок")
        page.goto(f"/case/{programme.id}")
        wide = page.evaluate(
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 376)"
            ".slice(-6).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, wide
        page.goto("/citizenview/add")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        shot(page, "phone-citizen-form")
    finally:
        context.close()
