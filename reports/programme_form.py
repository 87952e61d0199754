"""Annex 2 of order 425-р: the programme of social accompaniment, ready to print and sign (A4 portrait).

``ProgrammeFormData`` is the one description of a filled form; the console fills it once (``app.casework``) and
every output is built from it: the workbook here, the Word document (``reports.programme_docx``) and the browser's
print view. The texts of the form (§1 … §6, the family statuses, the lines to sign) are the order's, through the
helpers below, so the three outputs say the same.

What the form asks and how it is printed:

* §1 lists **all seven family statuses** and underlines the chosen one («нужное подчеркнуть»); «иное (указать)»
  carries the text; where a legal representative acts for the citizen, the representative's name, relation and
  phone follow, and the citizen's signature line becomes the representative's;
* §3 lists the measures that are not cancelled;
* §4 prints the term and the extension line, which stays a line to fill by hand («с «___» ________ 20__ г. по …,
  кол-во месяцев: ___») until the commission extends the programme;
* §6 gives the recommendations on ruled lines (at least four, as the order's blank form has);
* a typical programme (up to eight measures, ordinary texts) fits one A4 page; a longer one breaks between rows,
  never inside one, with the table's header repeated on the next page and no heading left alone at a page's foot.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass, field
from datetime import date

import xlsxwriter

from reports.monthly import as_of_text
from reports.times_metrics import POINTS_PER_UNIT, cell_lines, fragments_lines, line_height

# --- the order's wording -------------------------------------------------------------------------------------------

TITLE = "Программа социального сопровождения гражданина"
SECTIONS = (
    "1. Сведения о гражданине, находящемся в трудной жизненной ситуации",
    "2. Информация об обращении гражданина к специалисту по социальному сопровождению",
    "3. Перечень мероприятий, направленный на преодоление трудной жизненной ситуации гражданина",
    "4. Срок социального сопровождения гражданина",
    "5. Результаты социального сопровождения",
    "6. Рекомендации гражданину",
)
FAMILY_LABEL = "Семейный статус (нужное подчеркнуть):"
FAMILY_STATUSES = (  # in the order of the form, which is the order of app.domain.choices.FamilyStatus
    "одинокий",
    "одиноко проживающий",
    "одинокая супружеская пара",
    "одиноко проживающая супружеская пара",
    "проживает в семье близких родственников",
    "проживает в семье родственников",
    "иное (указать)",
)
APPEAL_HEADERS = ("Дата обращения", "Причина обращения", "Основные проблемы гражданина, требующие решения")
MEASURE_HEADERS = ("Рекомендованные мероприятия", "Участники мероприятия", "Срок реализации")
RESULT_HEADERS = (
    "Итоги и анализ результатов от проведённых мероприятий",
    "Сведения со слов самого гражданина от социального сопровождения",
    "Примечание",
)
EXTENSION_LABEL = "продление социального сопровождения на период:"
BLANK_PERIOD = "с «__» _____ 20__ г. по «__» _____ 20__ г., кол-во месяцев: ___"
DIRECTOR = "Директор комплексного центра социального обслуживания населения"
SPECIALIST = "Специалист по социальному сопровождению"
CITIZEN = "Гражданин"
REPRESENTATIVE = "Законный представитель гражданина"
BLANK_NAME = "____________________"
FIELD_BLANK = "________________"
# The tables on a grid of eight equal columns (the page's width): how many each column of a table takes.
GRID = 8
APPEAL_SPANS = (1, 3, 4)
MEASURE_SPANS = (3, 4, 1)
RESULT_SPANS = (3, 3, 2)
SIGNATURE_SPANS = (4, 2, 2)  # who signs, the line for the signature, «/ name /»
RULED_LINES = 4  # §6 of the blank form
RULE_WIDTH = 95  # characters of Times 11 on a ruled line of the page's width


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


@dataclass(frozen=True)
class Representative:
    """The legal representative who acts for the citizen (a parent of a child, a guardian)."""

    name: str
    relation: str = ""
    phone: str = ""


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
    family_status: int | None  # index into FAMILY_STATUSES, None when not recorded
    start: date
    end: date  # the end of the original term; an extension is printed on its own line
    months: int
    extension: tuple[date, date, int] | None = None  # from, to, months
    family_status_other: str = ""
    representative: Representative | None = None
    minor: bool = False  # a child signs nothing: the line is the legal representative's even if none is recorded
    appeals: list[AppealLine] = field(default_factory=list)
    measures: list[MeasureLine] = field(default_factory=list)  # not cancelled, in the order of their due dates
    results: str = ""
    citizen_words: str = ""
    note: str = ""
    recommendations: str = ""
    director: str = ""
    specialist: str = ""
    citizen: str = ""  # who signs for the citizen: the citizen, or the representative


# --- the form's lines, shared by every output ---------------------------------------------------------------------


def d(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def title(data: ProgrammeFormData) -> str:
    return f"{TITLE} № {data.number}"


def citizen_lines(data: ProgrammeFormData) -> list[list[tuple[str, str]]]:
    """§1 but the family status, as lines of (label, value): the short fields two to a line, so the form keeps to
    one page."""
    return [
        [("Ф.И.О.", data.full_name)],
        [("Дата рождения", d(data.birth_date)), ("Контактный телефон", data.phone)],
        [("Адрес (место) проживания", data.address)],
        [("Категория гражданина", data.category)],
        [
            ("Группа инвалидности", data.disability),
            ("Степень ограничения к трудовой деятельности", data.work_limitation),
        ],
    ]


def field_text(label: str, value: str) -> str:
    return f"{label}: {value or FIELD_BLANK}"


def family_statuses(data: ProgrammeFormData) -> list[tuple[str, bool]]:
    """The seven statuses of §1 as (text, underlined); «иное (указать)» carries the text or a line to fill."""
    parts = []
    for index, label in enumerate(FAMILY_STATUSES):
        if index == len(FAMILY_STATUSES) - 1:
            other = data.family_status_other.strip() if data.family_status == index else ""
            label = f"{label} {other or '________'}"
        parts.append((label, index == data.family_status))
    return parts


def representative_line(data: ProgrammeFormData) -> str:
    """«Законный представитель: Ф.И.О. (кем приходится), тел. …», where one acts for the citizen."""
    rep = data.representative
    if rep is None:
        return ""
    line = f"Законный представитель: {rep.name}"
    if rep.relation:
        line += f" ({rep.relation})"
    return f"{line}, тел. {rep.phone}" if rep.phone else line


def term_line(data: ProgrammeFormData) -> str:
    return f"с {as_of_text(data.start)} по {as_of_text(data.end)}, кол-во месяцев: {data.months}"


def extension_line(data: ProgrammeFormData) -> str:
    """The extension's period when the commission has extended the programme, else the line to fill by hand."""
    if data.extension is None:
        return BLANK_PERIOD
    start, end, months = data.extension
    return f"с {as_of_text(start)} по {as_of_text(end)}, кол-во месяцев: {months}"


def measure_rows(data: ProgrammeFormData) -> list[tuple[str, str, str]]:
    return [(m.title, m.participants, d(m.due)) for m in data.measures] or [("", "", "")]


def appeal_rows(data: ProgrammeFormData) -> list[tuple[str, str, str]]:
    return [(d(a.on), a.reason, a.problems) for a in data.appeals] or [("", "", "")]


def result_row(data: ProgrammeFormData) -> tuple[str, str, str]:
    return (data.results, data.citizen_words, data.note)


def ruled_lines(text: str, width: int = RULE_WIDTH, minimum: int = RULED_LINES) -> list[str]:
    """§6: the recommendations cut into lines of the page's width, then empty ruled lines up to ``minimum``."""
    lines: list[str] = []
    for paragraph in (text or "").splitlines():
        lines.extend(textwrap.wrap(paragraph, width) or [""])
    while lines and not lines[-1]:
        lines.pop()
    return lines + [""] * max(0, minimum - len(lines))


def signatures(data: ProgrammeFormData) -> list[tuple[str, str]]:
    """The lines to sign (who, name): the director, the specialist, the citizen or the representative."""
    signer = CITIZEN
    if data.representative is not None or data.minor:
        relation = data.representative.relation if data.representative and data.representative.relation else ""
        signer = f"{REPRESENTATIVE} ({relation})" if relation else REPRESENTATIVE
    return [(DIRECTOR, data.director), (SPECIALIST, data.specialist), (signer, data.citizen)]


def form_lines(data: ProgrammeFormData) -> dict:
    """Every line of the form, worded as above, for a template (the browser's print view)."""
    return {
        "title": title(data),
        "sections": SECTIONS,
        "fields": citizen_lines(data),
        "family_label": FAMILY_LABEL,
        "family": family_statuses(data),
        "representative": representative_line(data),
        "appeal_headers": APPEAL_HEADERS,
        "appeal_spans": APPEAL_SPANS,
        "measure_spans": MEASURE_SPANS,
        "result_spans": RESULT_SPANS,
        "grid": GRID,
        "appeals": appeal_rows(data),
        "measure_headers": MEASURE_HEADERS,
        "measures": measure_rows(data),
        "term": term_line(data),
        "extension_label": EXTENSION_LABEL,
        "extension": extension_line(data),
        "result_headers": RESULT_HEADERS,
        "result": result_row(data),
        "ruled": ruled_lines(data.recommendations),
        "signatures": signatures(data),
        "blank_name": BLANK_NAME,
        "field_blank": FIELD_BLANK,
    }


# --- the workbook ----------------------------------------------------------------------------------------------------

UNIT = 11.5  # column width of one grid column; eight of them fill A4 portrait's printable width
SCALE = 95  # printed at 95 %: Times 11 and 10 come out as 10.5 and 9.5, as in the Word document
MARGINS = {"left": 0.75, "right": 0.35, "top": 0.5, "bottom": 0.5}  # inches
# points of the sheet a page holds at that scale, less a safety strip
PAGE_BODY = (841.9 - 72 * (MARGINS["top"] + MARGINS["bottom"])) * 100 / SCALE - 6


def height(cells, size: int = 11, bold: bool = False) -> float:
    """Points for a row whose cells are (text, units wide), measured in Times (``reports.times_metrics``)."""
    return max(cell_lines(text, units, size, bold) for text, units in cells) * line_height(size) + 2


@dataclass
class _Row:
    """One row of the sheet: what to write and how tall it is, whether it must share a page with the next row."""

    write: object  # callable(sheet, row, formats)
    height: float
    table: tuple | None = None  # a table's row: (write its header, the header's height), repeated after a break
    keep_with_next: bool = False


def _columns(spans) -> list[tuple[int, int]]:
    """First and last grid column of each table column."""
    out, first = [], 0
    for span in spans:
        out.append((first, first + span - 1))
        first += span
    return out


def _cell(sheet, row: int, first: int, last: int, text: str, fmt) -> None:
    """A string (never a formula, whatever it begins with) across grid columns ``first``…``last``."""
    if last > first:
        sheet.merge_range(row, first, row, last, "", fmt)
    sheet.write_string(row, first, text, fmt)


def build_programme_workbook(data: ProgrammeFormData) -> bytes:
    """The form as XLSX bytes: A4 portrait at 95 %, Times New Roman, rows paginated here (a spreadsheet cannot keep a
    heading with its table or repeat a table's header of its own), every user text written as a string."""
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        output,
        {
            "strings_to_formulas": False,
            "strings_to_urls": False,
            # column widths are measured in the default font's digits: Times makes them the same wherever it runs
            "default_format_properties": {"font_name": "Times New Roman", "font_size": 11},
        },
    )
    sheet = workbook.add_worksheet("Программа")
    base = {"font_name": "Times New Roman", "font_size": 11, "valign": "top", "text_wrap": True}
    small = {**base, "font_size": 10}
    f = {
        "centre": workbook.add_format({**small, "align": "center"}),
        "title": workbook.add_format({**base, "bold": True, "font_size": 12, "align": "center"}),
        "section": workbook.add_format({**base, "bold": True}),
        "text": workbook.add_format(base),
        "filled": workbook.add_format({**base, "underline": 1}),
        "chosen": workbook.add_format({**base, "underline": 1, "bold": True}),
        "header": workbook.add_format({**small, "bold": True, "border": 1, "align": "center", "valign": "vcenter"}),
        "cell": workbook.add_format({**small, "border": 1}),
        "ruled": workbook.add_format({**base, "bottom": 1}),
        "sign": workbook.add_format({**base, "bottom": 1, "valign": "bottom"}),
        "sign_text": workbook.add_format({**base, "valign": "bottom"}),
    }
    sheet.set_column(0, GRID - 1, UNIT)
    full = GRID * UNIT
    rows: list[_Row] = []

    def line(text: str, fmt: str = "text", *, size: int = 11, keep: bool = False) -> None:
        bold = fmt in ("title", "section")
        rows.append(
            _Row(
                lambda s, r, f_: _cell(s, r, 0, GRID - 1, text, f_[fmt]),
                height([(text, full)], size, bold),
                keep_with_next=keep,
            )
        )

    def rich(parts: list[tuple[str, str]], keep: bool = False) -> None:
        """A line of fragments (text, format name), e.g. a label and its underlined value."""
        parts = [(text, fmt) for text, fmt in parts if text]

        def write(s, r, f_):
            s.merge_range(r, 0, r, GRID - 1, "", f_["text"])
            if len(parts) == 1:
                s.write_string(r, 0, parts[0][0], f_[parts[0][1]])
                return
            fragments = [item for text, fmt in parts for item in (f_[fmt], text)]
            s.write_rich_string(r, 0, *fragments, f_["text"])

        lines = fragments_lines([(text, fmt == "chosen") for text, fmt in parts], full * POINTS_PER_UNIT - 6, 11)
        rows.append(_Row(write, lines * line_height(11) + 2, keep_with_next=keep))

    def blank(points: float = 5) -> None:
        rows.append(_Row(lambda s, r, f_: None, points))

    def table(headers, values, spans) -> None:
        columns = _columns(spans)

        def write_header(s, r, f_):
            for (first, last), text in zip(columns, headers, strict=True):
                _cell(s, r, first, last, text, f_["header"])

        header_height = height([(t, n * UNIT) for t, n in zip(headers, spans, strict=True)], 10, True)
        rows.append(_Row(write_header, header_height, keep_with_next=True))
        for cells in values:

            def write(s, r, f_, cells=cells):
                for (first, last), text in zip(columns, cells, strict=True):
                    _cell(s, r, first, last, text, f_["cell"])

            cells_height = height([(t, n * UNIT) for t, n in zip(cells, spans, strict=True)], 10)
            rows.append(_Row(write, cells_height, table=(write_header, header_height)))

    line(data.centre, "centre", size=10)
    line(title(data), "title", size=12)
    blank(4)
    line(SECTIONS[0], "section", keep=True)
    for fields in citizen_lines(data):
        parts: list[tuple[str, str]] = []
        for n, (label, value) in enumerate(fields):
            parts.append((("; " if n else "") + f"{label}: ", "text"))
            parts.append((value or FIELD_BLANK, "filled" if value else "text"))
        rich(parts)
    family: list[tuple[str, str]] = [(f"{FAMILY_LABEL} ", "text")]
    statuses = family_statuses(data)
    for n, (text, chosen) in enumerate(statuses):
        family += [(text, "chosen" if chosen else "text"), (", " if n < len(statuses) - 1 else "", "text")]
    rich(family)
    if data.representative is not None:
        line(representative_line(data))
    line(SECTIONS[1], "section", keep=True)
    table(APPEAL_HEADERS, appeal_rows(data), APPEAL_SPANS)
    line(SECTIONS[2], "section", keep=True)
    table(MEASURE_HEADERS, measure_rows(data), MEASURE_SPANS)
    line(SECTIONS[3], "section", keep=True)
    line(term_line(data), keep=True)
    line(f"{EXTENSION_LABEL} {extension_line(data)}")
    line(SECTIONS[4], "section", keep=True)
    table(RESULT_HEADERS, [result_row(data)], RESULT_SPANS)
    line(SECTIONS[5], "section", keep=True)
    ruled = ruled_lines(data.recommendations)
    for n, text in enumerate(ruled):
        line(text, "ruled", keep=n == 0)
    blank(3)
    signers = signatures(data)
    (who_first, who_last), (line_first, line_last), (name_first, name_last) = _columns(SIGNATURE_SPANS)
    for n, (who, name) in enumerate(signers):

        def write(s, r, f_, who=who, name=name):
            _cell(s, r, who_first, who_last, who, f_["sign_text"])
            _cell(s, r, line_first, line_last, "", f_["sign"])
            _cell(s, r, name_first, name_last, f"/ {name or BLANK_NAME} /", f_["sign_text"])

        signer_height = max(22.0, height([(who, SIGNATURE_SPANS[0] * UNIT)]) + 5)
        rows.append(_Row(write, signer_height, keep_with_next=n < len(signers) - 1))  # the signatures stay together

    breaks = _paginate(sheet, f, rows)
    sheet.set_portrait()
    sheet.set_paper(9)
    sheet.set_margins(**MARGINS)
    sheet.set_print_scale(SCALE)
    if breaks:
        sheet.set_h_pagebreaks(breaks)
        sheet.set_footer("&CСтраница &P из &N")
    workbook.close()
    return output.getvalue()


def _paginate(sheet, formats: dict, rows: list[_Row]) -> list[int]:
    """Write the rows, breaking pages between rows: a row that does not fit starts the next page, a table's header is
    written again above its continued rows, and a row that keeps with the next one goes along with it."""
    breaks: list[int] = []
    used = 0.0
    out = 0  # the sheet's next row
    index = 0
    while index < len(rows):
        # the run of rows that must share a page: a heading with what follows, a header with its first row
        end = index
        while end < len(rows) - 1 and rows[end].keep_with_next:
            end += 1
        run = rows[index : end + 1]
        needed = sum(r.height for r in run)
        if used and used + needed > PAGE_BODY:
            breaks.append(out)
            used = 0.0
            if run[0].table is not None:  # a continued table: its header again
                write_header, header_height = run[0].table
                write_header(sheet, out, formats)
                sheet.set_row(out, header_height)
                out += 1
                used += header_height
        for row in run:
            row.write(sheet, out, formats)
            sheet.set_row(out, row.height)
            used += row.height
            out += 1
        index = end + 1
    return breaks
