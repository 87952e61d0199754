"""Annex 3 of order 425-р: the monthly report on social accompaniment, with its detail and breakdown sheets.

Sheet «Отчёт» reproduces the form: the addressee block (with the department's e-mail) and the sender block, the title
"по состоянию на «…»", the seven columns, one row per centre (a consolidated report has a total row), the preparer's
name and phone («Ф.И.О. исполнителя, тел.»); A4 landscape, fit to the page width, header rows repeated on every
printed page. Sheet «Программы» lists the programmes behind the figures (written in XlsxWriter's ``constant_memory``
mode, row by row, so 100,000 rows stay small in memory); sheet «Разрезы» gives the breakdowns, each a table with
shares in percent and a labelled bar chart below it, on A4 portrait pages that never cut a table or a chart.

Every text a user typed (a centre's name, the edited texts, the preparer, a category) is written as a string: a text
that begins with «=» stays text, never a formula (``strings_to_formulas`` off and the typed ``write_*`` calls).
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

import xlsxwriter

from reports.times_metrics import cell_lines, line_height

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
BLANK = "_____"
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
    """A breakdown's rows (label, count). With ``base`` the shares are counted out of it (citizens in accompaniment:
    a citizen may be in several circumstances, so the shares may add up to more than 100 %), else out of the sum."""

    title: str
    rows: list[tuple[str, int]]
    chart: bool = False
    base: int | None = None
    base_label: str = ""
    note: str = ""


@dataclass
class MonthlyReportData:
    as_of: date
    rows: list[CentreRow]
    preparer: str = ""
    phone: str = ""
    programmes: Iterable[ProgrammeRow] = ()
    breakdowns: list[Breakdown] = field(default_factory=list)
    addressee_email: str = ""  # the department's address (DEPARTMENT_EMAIL)
    # called once the programme list is written, before the other sheets: a list streamed from the database may
    # gather the figures of the rows and breakdowns as it passes, and this fills them in
    complete: Callable[[MonthlyReportData], None] | None = None


def addressee(email: str) -> str:
    """The addressee block as the form has it, ending with the department's e-mail (a line to fill when unknown)."""
    return f"{ADDRESSEE}\nE-mail: {email or BLANK}"


def preparer_line(name: str, phone: str) -> str:
    """«Ф.И.О. исполнителя, тел. Петрова Анна Алексеевна, +7 (3462) 52-11-12», or the line to fill."""
    filled = ", ".join(part for part in (name.strip(), phone.strip()) if part)
    return f"Ф.И.О. исполнителя, тел. {filled or BLANK}"


def as_of_text(day: date) -> str:
    """«31» октября 2026 г. — the form's "по состоянию на" date."""
    return f"«{day.day:02d}» {MONTHS_GENITIVE[day.month - 1]} {day.year} г."


def build_monthly_workbook(data: MonthlyReportData) -> bytes:
    """The report as XLSX bytes. The programme list is written before the form's sheet (``constant_memory`` keeps
    each sheet apart, in any order), so that the figures may be gathered from it as it streams (``complete``)."""
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        output,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "default_format_properties": {"font_name": "Times New Roman", "font_size": 11},
        },
    )
    formats = _formats(workbook)
    report = workbook.add_worksheet("Отчёт")  # the sheets in their order; the detail is written first
    try:
        _programmes_sheet(workbook.add_worksheet("Программы"), formats, data.programmes)
    finally:  # a stream of rows stopped by an error lets go of its database connection now, not when collected
        close = getattr(data.programmes, "close", None)
        if close is not None:
            close()
    if data.complete is not None:
        data.complete(data)
    _report_sheet(report, formats, data)
    if data.breakdowns:
        _breakdowns_sheet(workbook, formats, data.breakdowns)
    workbook.close()
    return output.getvalue()


def row_height(texts, widths, *, bold: bool = False, size: int = 11) -> float:
    """Points for a row of wrapped text: XlsxWriter cannot measure text, and LibreOffice keeps the stored height.
    Measured in Times (``reports.times_metrics``), a few points of margin."""
    lines = max((cell_lines(text, width, size, bold) for text, width in zip(texts, widths, strict=False)), default=1)
    return lines * line_height(size) + 3


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
        "section": workbook.add_format({**base, "bold": True, "font_size": 12, "text_wrap": True}),
        "note": workbook.add_format({**base, "italic": True, "font_size": 10, "text_wrap": True}),
    }


def _report_sheet(sheet, f: dict, data: MonthlyReportData) -> None:
    for col, (_, width) in enumerate(COLUMNS):
        sheet.set_column(col, col, width)
    last = len(COLUMNS) - 1
    block = addressee(data.addressee_email)
    left, right = sum(w for _, w in COLUMNS[:3]), sum(w for _, w in COLUMNS[4:])
    sheet.set_row(0, max(60, row_height([block, SENDER], [left, right])))
    _merged_text(sheet, 0, 0, 2, block, f["block"])
    _merged_text(sheet, 0, 4, last, SENDER, f["block"])
    _merged_text(sheet, 2, 0, last, TITLE, f["title"])
    sheet.set_row(3, 30)
    _merged_text(sheet, 3, 0, last, SUBTITLE, f["subtitle"])
    _merged_text(sheet, 4, 0, last, f"по состоянию на {as_of_text(data.as_of)}", f["subtitle"])
    sheet.set_row(HEADER_ROW, row_height([t for t, _ in COLUMNS], [w for _, w in COLUMNS], bold=True))
    for col, (title, _) in enumerate(COLUMNS):
        sheet.write_string(HEADER_ROW, col, title, f["header"])
    for col in range(len(COLUMNS)):
        sheet.write_number(HEADER_ROW + 1, col, col + 1, f["number_header"])
    row = HEADER_ROW + 2
    for index, centre in enumerate(data.rows, start=1):
        texts = (centre.name, "", "", centre.measures_info, centre.result_info, centre.note)
        sheet.set_row(row, row_height(texts, [width for _, width in COLUMNS[1:]]))
        sheet.write_string(row, 0, f"{index}.", f["int"])
        sheet.write_string(row, 1, centre.name, f["cell"])
        sheet.write_number(row, 2, centre.need, f["int"])
        sheet.write_number(row, 3, centre.enrolled, f["int"])
        sheet.write_string(row, 4, centre.measures_info, f["cell"])
        sheet.write_string(row, 5, centre.result_info, f["cell"])
        sheet.write_string(row, 6, centre.note, f["cell"])
        row += 1
    if len(data.rows) > 1:
        first, end = HEADER_ROW + 3, row  # 1-based Excel rows of the data
        sheet.write_blank(row, 0, None, f["total"])
        sheet.write_string(row, 1, "Итого", f["total"])
        sheet.write_formula(row, 2, f"=SUM(C{first}:C{end})", f["total_int"], sum(r.need for r in data.rows))
        sheet.write_formula(row, 3, f"=SUM(D{first}:D{end})", f["total_int"], sum(r.enrolled for r in data.rows))
        for col in (4, 5, 6):
            sheet.write_blank(row, col, None, f["total"])
        row += 1
    row += 1
    _merged_text(sheet, row, 0, 3, preparer_line(data.preparer, data.phone), f["block"])
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    sheet.fit_to_pages(1, 0)  # the page width, as many pages down as needed
    sheet.repeat_rows(HEADER_ROW, HEADER_ROW + 1)
    sheet.set_footer("&CСтраница &P из &N")


def _merged_text(sheet, row: int, first: int, last: int, text: str, fmt) -> None:
    """A text across columns ``first``…``last``, written as a string."""
    sheet.merge_range(row, first, row, last, "", fmt)
    sheet.write_string(row, first, text, fmt)


def _programmes_sheet(sheet, f: dict, programmes: Iterable[ProgrammeRow]) -> None:
    """The detail, row by row with the typed ``write_*`` calls: ``write()`` would guess each cell's type (and take a
    text beginning with "=" for a formula). An empty text is a formatted blank cell, as ``write()`` makes it."""
    for col, (title, width) in enumerate(PROGRAMME_COLUMNS):
        sheet.set_column(col, col, width)
        sheet.write_string(0, col, title, f["header"])
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


BREAKDOWN_COLUMNS = (("Показатель", 58), ("Количество", 13), ("Доля", 11))
CHART_LABEL = ("Подпись на диаграмме", 40)  # beside the printed table: a long label cut short for the chart
CHART_LABEL_LENGTH = 48
BREAKDOWN_PAGE = (841.9 - 72 * 1.0) - 20  # points of an A4 portrait page between 0.5 in margins, less a strip
BAR = 18  # points per bar of a chart
CHART_EXTRA = 70  # points of a chart's title and axis


def _breakdowns_sheet(workbook, f: dict, breakdowns: list[Breakdown]) -> None:
    """Each breakdown: its title, a table (label, count, share) with the total, a note, and a bar chart below with
    the labels and the values on the bars; a breakdown that does not fit the rest of a page starts the next one."""
    sheet = workbook.add_worksheet("Разрезы")
    widths = [width for _, width in BREAKDOWN_COLUMNS]
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    label_col = len(BREAKDOWN_COLUMNS)
    sheet.set_column(label_col, label_col, CHART_LABEL[1])
    row, used, breaks = 0, 0.0, []
    for breakdown in breakdowns:
        total = sum(count for _, count in breakdown.rows)
        base = breakdown.base if breakdown.base is not None else total
        heights = [row_height([breakdown.title], [sum(widths)], bold=True, size=12)]
        heights += [row_height([t for t, _ in BREAKDOWN_COLUMNS], widths, bold=True)]
        heights += [row_height([label], [widths[0]]) for label, _ in breakdown.rows]
        heights += [row_height([breakdown.base_label or "Всего"], [widths[0]], bold=True)]
        if breakdown.note:
            heights.append(row_height([breakdown.note], [sum(widths)], size=10))
        chart_height = BAR * len(breakdown.rows) + CHART_EXTRA if breakdown.chart and breakdown.rows else 0
        block = sum(heights) + chart_height + 24
        if used and used + block > BREAKDOWN_PAGE:
            breaks.append(row)
            used = 0.0
        heights_iter = iter(heights)
        sheet.set_row(row, next(heights_iter))
        _merged_text(sheet, row, 0, 2, breakdown.title, f["section"])
        row += 1
        sheet.set_row(row, next(heights_iter))
        for col, (title, _) in enumerate(BREAKDOWN_COLUMNS):
            sheet.write_string(row, col, title, f["header"])
        if chart_height:
            sheet.write_string(row, label_col, CHART_LABEL[0], f["note"])
        first = row + 1
        for label, count in breakdown.rows:
            row += 1
            sheet.set_row(row, next(heights_iter))
            sheet.write_string(row, 0, label, f["cell"])
            if chart_height:
                sheet.write_string(row, label_col, _short(label), f["note"])
            sheet.write_number(row, 1, count, f["int"])
            sheet.write_number(row, 2, count / base if base else 0, f["percent"])
        row += 1
        sheet.set_row(row, next(heights_iter))
        sheet.write_string(row, 0, breakdown.base_label or "Всего", f["total"])
        sheet.write_number(row, 1, base, f["total_int"])
        sheet.write_number(row, 2, 1 if base else 0, f["percent"])
        if breakdown.note:
            row += 1
            sheet.set_row(row, next(heights_iter))
            _merged_text(sheet, row, 0, 2, breakdown.note, f["note"])
        if chart_height:
            last = first + len(breakdown.rows) - 1
            chart = workbook.add_chart({"type": "bar"})
            chart.add_series(
                {
                    "name": breakdown.title,
                    "categories": ["Разрезы", first, label_col, last, label_col],
                    "values": ["Разрезы", first, 1, last, 1],
                    "data_labels": {"value": True, "position": "outside_end"},
                    "fill": {"color": "#4F81BD"},
                    "gap": 60,
                }
            )
            chart.set_title({"name": breakdown.title, "name_font": {"size": 10, "bold": True}})
            chart.set_legend({"none": True})
            largest = max(count for _, count in breakdown.rows)
            # the value axis from 0 with room for the largest bar's label
            chart.set_x_axis(
                {"num_font": {"size": 8}, "major_gridlines": {"visible": True}, "min": 0, "max": _axis_max(largest)}
            )
            # the category axis: every label, in the table's order from the top
            chart.set_y_axis({"reverse": True, "num_font": {"size": 8}, "interval_unit": 1})
            chart.set_size({"width": 560, "height": int(chart_height * 4 / 3)})  # within the printed columns
            row += 2
            sheet.insert_chart(row, 0, chart, {"x_offset": 4, "y_offset": 0, "object_position": 3})
            for _ in range(int(chart_height / 15) + 1):  # the rows the chart covers, 15 points each
                sheet.set_row(row, 15)
                row += 1
        row += 2
        used += block
    sheet.set_portrait()
    sheet.set_paper(9)
    sheet.set_margins(left=0.6, right=0.4, top=0.5, bottom=0.5)
    sheet.print_area(0, 0, max(row, 1), len(BREAKDOWN_COLUMNS) - 1)
    sheet.fit_to_pages(1, 0)
    if breaks:
        sheet.set_h_pagebreaks(breaks)


def _axis_max(largest: int) -> int:
    """A round top for a value axis, a little above the largest value: a multiple of a step of 1, 2 or 5 times a
    power of ten that leaves at most ten steps."""
    target = max(largest * 1.15, largest + 1)
    power = 1
    while True:
        for step in (power, 2 * power, 5 * power):
            if target / step <= 10:
                return math.ceil(target / step) * step
        power *= 10


def _short(label: str) -> str:
    """A label cut at a word for a chart's axis: «Наличие внутрисемейного конфликта, в том числе…»."""
    if len(label) <= CHART_LABEL_LENGTH:
        return label
    return label[:CHART_LABEL_LENGTH].rsplit(" ", 1)[0].rstrip(",;:") + "…"
