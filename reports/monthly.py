"""Annex 3 of order 425-р: the monthly report on social accompaniment, with its detail and breakdown sheets.

Sheet «Отчёт» reproduces the form: addressee and sender blocks, the title "по состоянию на «…»", the seven columns,
one row per centre (a consolidated report has a total row), the preparer's name and phone; A4 landscape, fit to the
page width, header rows repeated on every printed page. Sheet «Программы» lists the programmes behind the figures
(written in XlsxWriter's ``constant_memory`` mode, row by row, so 100,000 rows stay small in memory); sheet
«Разрезы» gives the breakdowns with shares in percent and a chart.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

import xlsxwriter

MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)

ADDRESSEE = (
    "Кому представляется: отдел организации социального обслуживания граждан пожилого возраста и инвалидов "
    "Депсоцразвития Югры"
)
SENDER = (
    "Представляют: комплексные центры социального обслуживания населения ежемесячно до 10 числа месяца, "
    "следующего за отчётным, в электронном виде (на бумажном носителе не представляется)"
)
TITLE = "Отчёт"
SUBTITLE = "по организации деятельности социального сопровождения граждан, находящихся в трудной жизненной ситуации"
COLUMNS = (
    ("№ п/п", 6),
    ("Наименование бюджетного учреждения Ханты-Мансийского автономного округа – Югры", 30),
    ("Выявленная потребность в социальном сопровождении граждан, находящихся в трудной жизненной ситуации", 18),
    ("Количество граждан, зачисленных на социальное сопровождение", 16),
    ("Краткая информация о проведённых мероприятиях по преодолению гражданином трудной жизненной ситуации", 45),
    ("Результат от социального сопровождения на определённом этапе", 40),
    ("Примечание", 24),
)
HEADER_ROW = 6  # zero-based: the column titles; the next row numbers the columns 1…7
PROGRAMME_COLUMNS = (
    ("Учреждение", 24),
    ("№ программы", 14),
    ("Гражданин", 28),
    ("Категория", 26),
    ("Начало", 11),
    ("Окончание", 11),
    ("Статус", 14),
    ("Этап", 6),
    ("Причина снятия", 30),
    ("Выполнено мероприятий", 12),
)


@dataclass(frozen=True)
class CentreRow:
    name: str
    need: int
    enrolled: int
    measures_info: str = ""
    result_info: str = ""
    note: str = ""


class ProgrammeRow(NamedTuple):
    """A line of sheet «Программы»; a tuple, as a detail sheet may have 100,000 of them."""

    centre: str
    number: str
    citizen: str
    category: str
    start: date
    end: date
    status: str
    stage: int
    closure: str
    measures_done: int


@dataclass(frozen=True)
class Breakdown:
    title: str
    rows: list[tuple[str, int]]
    chart: bool = False


@dataclass
class MonthlyReportData:
    as_of: date
    rows: list[CentreRow]
    preparer: str = ""
    phone: str = ""
    programmes: Iterable[ProgrammeRow] = ()
    breakdowns: list[Breakdown] = field(default_factory=list)


def as_of_text(day: date) -> str:
    """«31» октября 2026 г. — the form's "по состоянию на" date."""
    return f"«{day.day:02d}» {MONTHS_GENITIVE[day.month - 1]} {day.year} г."


def build_monthly_workbook(data: MonthlyReportData) -> bytes:
    """The report as XLSX bytes."""
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"constant_memory": True})
    formats = _formats(workbook)
    _report_sheet(workbook, formats, data)
    _programmes_sheet(workbook, formats, data.programmes)
    if data.breakdowns:
        _breakdowns_sheet(workbook, formats, data.breakdowns)
    workbook.close()
    return output.getvalue()


def row_height(texts, widths, *, bold: bool = False) -> float:
    """Points for a row of wrapped text: XlsxWriter cannot measure text, and LibreOffice keeps the stored height.

    About 1.1 characters of Times 11 per unit of column width (bold: 1.0), 15 points a line.
    """
    per_unit = 0.75 if bold else 1.0
    lines = 1
    for text, width in zip(texts, widths, strict=False):
        capacity = max(int(width * per_unit), 1)
        needed = sum(max(1, -(-len(part) // capacity)) for part in str(text).split("\n")) if text else 1
        lines = max(lines, needed)
    return 15 * lines + 3


def _formats(workbook) -> dict:
    base = {"font_name": "Times New Roman", "font_size": 11, "valign": "top"}
    cell = {**base, "border": 1, "text_wrap": True}
    return {
        "block": workbook.add_format({**base, "text_wrap": True}),
        "title": workbook.add_format({**base, "bold": True, "font_size": 14, "align": "center"}),
        "subtitle": workbook.add_format({**base, "bold": True, "align": "center", "text_wrap": True}),
        "header": workbook.add_format({**cell, "bold": True, "align": "center", "valign": "vcenter"}),
        "number_header": workbook.add_format({**cell, "align": "center", "italic": True}),
        "cell": workbook.add_format(cell),
        "int": workbook.add_format({**cell, "align": "center"}),
        "date": workbook.add_format({**cell, "num_format": "dd.mm.yyyy", "align": "center"}),
        "total": workbook.add_format({**cell, "bold": True}),
        "total_int": workbook.add_format({**cell, "bold": True, "align": "center"}),
        "percent": workbook.add_format({**cell, "num_format": "0.0%", "align": "center"}),
        "section": workbook.add_format({**base, "bold": True, "font_size": 12}),
    }


def _report_sheet(workbook, f: dict, data: MonthlyReportData) -> None:
    sheet = workbook.add_worksheet("Отчёт")
    for col, (_, width) in enumerate(COLUMNS):
        sheet.set_column(col, col, width)
    last = len(COLUMNS) - 1
    sheet.set_row(0, 60)
    sheet.merge_range(0, 0, 0, 2, ADDRESSEE, f["block"])
    sheet.merge_range(0, 4, 0, last, SENDER, f["block"])
    sheet.merge_range(2, 0, 2, last, TITLE, f["title"])
    sheet.set_row(3, 30)
    sheet.merge_range(3, 0, 3, last, SUBTITLE, f["subtitle"])
    sheet.merge_range(4, 0, 4, last, f"по состоянию на {as_of_text(data.as_of)}", f["subtitle"])
    sheet.set_row(HEADER_ROW, row_height([t for t, _ in COLUMNS], [w for _, w in COLUMNS], bold=True))
    for col, (title, _) in enumerate(COLUMNS):
        sheet.write(HEADER_ROW, col, title, f["header"])
    for col in range(len(COLUMNS)):
        sheet.write_number(HEADER_ROW + 1, col, col + 1, f["number_header"])
    row = HEADER_ROW + 2
    for index, centre in enumerate(data.rows, start=1):
        texts = (centre.name, "", "", centre.measures_info, centre.result_info, centre.note)
        sheet.set_row(row, row_height(texts, [width for _, width in COLUMNS[1:]]))
        sheet.write(row, 0, f"{index}.", f["int"])
        sheet.write(row, 1, centre.name, f["cell"])
        sheet.write_number(row, 2, centre.need, f["int"])
        sheet.write_number(row, 3, centre.enrolled, f["int"])
        sheet.write(row, 4, centre.measures_info, f["cell"])
        sheet.write(row, 5, centre.result_info, f["cell"])
        sheet.write(row, 6, centre.note, f["cell"])
        row += 1
    if len(data.rows) > 1:
        first, end = HEADER_ROW + 3, row  # 1-based Excel rows of the data
        sheet.write(row, 0, "", f["total"])
        sheet.write(row, 1, "Итого", f["total"])
        sheet.write_formula(row, 2, f"=SUM(C{first}:C{end})", f["total_int"], sum(r.need for r in data.rows))
        sheet.write_formula(row, 3, f"=SUM(D{first}:D{end})", f["total_int"], sum(r.enrolled for r in data.rows))
        for col in (4, 5, 6):
            sheet.write(row, col, "", f["total"])
        row += 1
    row += 1
    preparer = ", ".join(part for part in (data.preparer, f"тел. {data.phone}" if data.phone else "") if part)
    sheet.merge_range(row, 0, row, 3, f"Ф.И.О. исполнителя, тел.: {preparer or '_____'}", f["block"])
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    sheet.fit_to_pages(1, 0)  # the page width, as many pages down as needed
    sheet.repeat_rows(HEADER_ROW, HEADER_ROW + 1)
    sheet.set_footer("&CСтраница &P из &N")


def _programmes_sheet(workbook, f: dict, programmes: Iterable[ProgrammeRow]) -> None:
    """The detail, row by row with the typed ``write_*`` calls: ``write()`` would guess each cell's type (and take a
    text beginning with "=" for a formula). An empty text is a formatted blank cell, as ``write()`` makes it."""
    sheet = workbook.add_worksheet("Программы")
    for col, (title, width) in enumerate(PROGRAMME_COLUMNS):
        sheet.set_column(col, col, width)
        sheet.write(0, col, title, f["header"])
    cell, day, integer = f["cell"], f["date"], f["int"]
    string, blank, datetime_, numeric = sheet.write_string, sheet.write_blank, sheet.write_datetime, sheet.write_number
    row = 1
    for centre, number, citizen, category, start, end, status, stage, closure, measures_done in programmes:
        (string if centre else blank)(row, 0, centre, cell)
        (string if number else blank)(row, 1, number, cell)
        (string if citizen else blank)(row, 2, citizen, cell)
        (string if category else blank)(row, 3, category, cell)
        datetime_(row, 4, start, day)
        datetime_(row, 5, end, day)
        (string if status else blank)(row, 6, status, cell)
        numeric(row, 7, stage, integer)
        (string if closure else blank)(row, 8, closure, cell)
        numeric(row, 9, measures_done, integer)
        row += 1
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(row - 1, 1), len(PROGRAMME_COLUMNS) - 1)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)


def _breakdowns_sheet(workbook, f: dict, breakdowns: list[Breakdown]) -> None:
    sheet = workbook.add_worksheet("Разрезы")
    sheet.set_column(0, 0, 50)
    sheet.set_column(1, 2, 14)
    row = 0
    for breakdown in breakdowns:
        sheet.write(row, 0, breakdown.title, f["section"])
        row += 1
        sheet.write(row, 0, "Показатель", f["header"])
        sheet.write(row, 1, "Количество", f["header"])
        sheet.write(row, 2, "Доля", f["header"])
        first = row + 1
        total = sum(count for _, count in breakdown.rows)
        for label, count in breakdown.rows:
            row += 1
            sheet.write(row, 0, label, f["cell"])
            sheet.write_number(row, 1, count, f["int"])
            sheet.write_number(row, 2, count / total if total else 0, f["percent"])
        row += 1
        sheet.write(row, 0, "Всего", f["total"])
        sheet.write_number(row, 1, total, f["total_int"])
        sheet.write_number(row, 2, 1 if total else 0, f["percent"])
        if breakdown.chart and breakdown.rows:
            chart = workbook.add_chart({"type": "pie"})
            chart.add_series(
                {
                    "name": breakdown.title,
                    "categories": ["Разрезы", first, 0, row - 1, 0],
                    "values": ["Разрезы", first, 1, row - 1, 1],
                    "data_labels": {"percentage": True},
                }
            )
            chart.set_title({"name": breakdown.title})
            sheet.insert_chart(first - 1, 4, chart, {"x_scale": 1.1, "y_scale": 1.1})
            row = max(row, first + 16)  # room for the chart before the next table
        row += 3
    sheet.set_portrait()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
