"""Annex 2 of order 425-р: the programme of social accompaniment, ready to print and sign (A4 portrait)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

import xlsxwriter

from reports.monthly import as_of_text, row_height

WIDTHS = (28, 30, 30)  # three columns: the form's tables have three columns each


@dataclass(frozen=True)
class AppealLine:
    on: date
    reason: str
    problems: str


@dataclass(frozen=True)
class MeasureLine:
    title: str
    participants: str
    due: date


@dataclass
class ProgrammeFormData:
    centre: str
    number: str
    full_name: str
    birth_date: date | None
    address: str
    phone: str
    category: str
    disability: str
    work_limitation: str
    family_status: str
    start: date
    end: date  # the end of the original term; an extension is printed on its own line
    months: int
    extension: tuple[date, date, int] | None = None  # from, to, months
    appeals: list[AppealLine] = field(default_factory=list)
    measures: list[MeasureLine] = field(default_factory=list)
    results: str = ""
    citizen_words: str = ""
    note: str = ""
    recommendations: str = ""
    director: str = ""
    specialist: str = ""
    citizen: str = ""


def _d(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def build_programme_workbook(data: ProgrammeFormData) -> bytes:
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output)
    sheet = workbook.add_worksheet("Программа")
    base = {"font_name": "Times New Roman", "font_size": 11, "valign": "top", "text_wrap": True}
    f = {
        "title": workbook.add_format({**base, "bold": True, "font_size": 13, "align": "center"}),
        "section": workbook.add_format({**base, "bold": True}),
        "label": workbook.add_format({**base, "italic": True}),
        "text": workbook.add_format(base),
        "header": workbook.add_format({**base, "bold": True, "border": 1, "align": "center"}),
        "cell": workbook.add_format({**base, "border": 1}),
        "sign": workbook.add_format({**base, "top": 1}),
    }
    for col, width in enumerate(WIDTHS):
        sheet.set_column(col, col, width)
    row = 0

    full = sum(WIDTHS)

    def line(text: str, fmt: str = "text", height: int | None = None) -> None:
        nonlocal row
        sheet.merge_range(row, 0, row, 2, text, f[fmt])
        sheet.set_row(row, max(height or 0, row_height([text], [full], bold=fmt in ("section", "title"))))
        row += 1

    def field_(label: str, value: str) -> None:
        nonlocal row
        sheet.write(row, 0, label, f["label"])
        sheet.merge_range(row, 1, row, 2, value, f["text"])
        sheet.set_row(row, row_height([label, value], [WIDTHS[0], WIDTHS[1] + WIDTHS[2]]))
        row += 1

    def table(headers: tuple[str, str, str], rows: list[tuple[str, str, str]]) -> None:
        nonlocal row
        for col, title in enumerate(headers):
            sheet.write(row, col, title, f["header"])
        sheet.set_row(row, row_height(headers, WIDTHS, bold=True))
        row += 1
        for values in rows or [("", "", "")]:
            for col, value in enumerate(values):
                sheet.write(row, col, value, f["cell"])
            sheet.set_row(row, row_height(values, WIDTHS))
            row += 1

    line(data.centre, "section")
    line(f"Программа социального сопровождения гражданина № {data.number}", "title", 20)
    row += 1
    line("1. Сведения о гражданине, находящемся в трудной жизненной ситуации", "section")
    field_("Ф.И.О.", data.full_name)
    field_("Дата рождения", _d(data.birth_date))
    field_("Адрес (место) проживания", data.address)
    field_("Контактный телефон", data.phone)
    field_("Категория гражданина", data.category)
    field_("Группа инвалидности", data.disability)
    field_("Степень ограничения к трудовой деятельности", data.work_limitation)
    field_("Семейный статус", data.family_status)
    row += 1
    line("2. Информация об обращении гражданина к специалисту по социальному сопровождению", "section")
    table(
        ("Дата обращения", "Причина обращения", "Основные проблемы гражданина, требующие решения"),
        [(_d(a.on), a.reason, a.problems) for a in data.appeals],
    )
    row += 1
    line("3. Перечень мероприятий, направленный на преодоление трудной жизненной ситуации гражданина", "section")
    table(
        ("Рекомендованные мероприятия", "Участники мероприятия", "Срок реализации"),
        [(m.title, m.participants, _d(m.due)) for m in data.measures],
    )
    row += 1
    line("4. Срок социального сопровождения гражданина", "section")
    line(f"с {as_of_text(data.start)} по {as_of_text(data.end)}, кол-во месяцев: {data.months}")
    if data.extension:
        start, end, months = data.extension
        line(
            f"продление социального сопровождения на период: с {as_of_text(start)} по {as_of_text(end)}, "
            f"кол-во месяцев: {months}"
        )
    else:
        line("продление социального сопровождения на период: с «___» ________ 20__ г. по «___» ________ 20__ г.")
    row += 1
    line("5. Результаты социального сопровождения", "section")
    table(
        (
            "Итоги и анализ результатов от проведённых мероприятий",
            "Сведения со слов самого гражданина от социального сопровождения",
            "Примечание",
        ),
        [(data.results, data.citizen_words, data.note)],
    )
    row += 1
    line("6. Рекомендации гражданину", "section")
    line(data.recommendations or "", "text", 60)  # room to write by hand when empty
    row += 1
    for role, name in (
        ("Директор комплексного центра социального обслуживания населения", data.director),
        ("Специалист по социальному сопровождению", data.specialist),
        ("Гражданин", data.citizen),
    ):
        sheet.write(row, 0, role, f["text"])
        sheet.write(row, 1, "", f["sign"])
        sheet.write(row, 2, f"/ {name} /" if name else "/ ____________ /", f["text"])
        sheet.set_row(row, max(32, row_height([role], [WIDTHS[0]])))
        row += 1
    sheet.set_portrait()
    sheet.set_paper(9)
    sheet.set_margins(left=0.7, right=0.5, top=0.6, bottom=0.6)
    sheet.fit_to_pages(1, 0)
    sheet.print_area(0, 0, row - 1, 2)
    workbook.close()
    return output.getvalue()
