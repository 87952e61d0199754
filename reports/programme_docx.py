"""Annex 2 of order 425-р as a Word document (DOCX) the centre can edit before signing.

Built from the same ``ProgrammeFormData`` and the same lines of the form as the workbook and the print view
(``reports.programme_form``). A4 portrait, Times New Roman 11 (LibreOffice substitutes the metric-compatible
Liberation Serif where Times is not installed, so a page holds the same text); headings keep with what follows,
table rows never split, and the header row of each table repeats on every page the table reaches.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from reports.programme_form import (
    APPEAL_HEADERS,
    APPEAL_SPANS,
    BLANK_NAME,
    EXTENSION_LABEL,
    FAMILY_LABEL,
    FIELD_BLANK,
    GRID,
    MEASURE_HEADERS,
    MEASURE_SPANS,
    RESULT_HEADERS,
    RESULT_SPANS,
    SECTIONS,
    SIGNATURE_SPANS,
    ProgrammeFormData,
    appeal_rows,
    citizen_lines,
    extension_line,
    family_statuses,
    measure_rows,
    representative_line,
    result_row,
    ruled_lines,
    signatures,
    term_line,
    title,
)

FONT = "Times New Roman"
FALLBACK = "Liberation Serif"  # metrically compatible: the same line breaks where Times is missing
SIZE = Pt(10.5)
TABLE_SIZE = Pt(10)
TEXT_WIDTH_MM = 180  # A4 less 20 mm on the left (binding) and 10 mm on the right


def widths(spans) -> list:
    """The columns of a table on the form's grid of six (``reports.programme_form.GRID``), in millimetres."""
    return [Mm(TEXT_WIDTH_MM * span / GRID) for span in spans]


def build_programme_docx(data: ProgrammeFormData) -> bytes:
    document = Document()
    _page(document)
    _styles(document)

    _paragraph(document, data.centre, size=Pt(10), align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, title(data), bold=True, size=Pt(12), align=WD_ALIGN_PARAGRAPH.CENTER, after=Pt(4))

    _heading(document, SECTIONS[0])
    for fields in citizen_lines(data):
        paragraph = _paragraph(document)
        for n, (label, value) in enumerate(fields):
            _run(paragraph, ("; " if n else "") + f"{label}: ")
            _run(paragraph, value or FIELD_BLANK, underline=bool(value))
    family = _paragraph(document, f"{FAMILY_LABEL} ")
    statuses = family_statuses(data)
    for n, (text, chosen) in enumerate(statuses):
        _run(family, text, underline=chosen, bold=chosen)
        if n < len(statuses) - 1:
            _run(family, ", ")
    if data.representative is not None:
        _paragraph(document, representative_line(data))

    _heading(document, SECTIONS[1])
    _table(document, APPEAL_HEADERS, appeal_rows(data), APPEAL_SPANS)
    _heading(document, SECTIONS[2])
    _table(document, MEASURE_HEADERS, measure_rows(data), MEASURE_SPANS)

    _heading(document, SECTIONS[3])
    _paragraph(document, term_line(data), keep_with_next=True)
    _paragraph(document, f"{EXTENSION_LABEL} {extension_line(data)}")

    _heading(document, SECTIONS[4])
    _table(document, RESULT_HEADERS, [result_row(data)], RESULT_SPANS)

    _heading(document, SECTIONS[5])
    _ruled(document, ruled_lines(data.recommendations))

    _signatures(document, data)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- page and styles -----------------------------------------------------------------------------------------------


def _page(document) -> None:
    section = document.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)
    section.top_margin = section.bottom_margin = Mm(12)
    section.left_margin, section.right_margin = Mm(20), Mm(10)
    section.header_distance = section.footer_distance = Mm(8)


def _styles(document) -> None:
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = SIZE
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), FONT)
    spacing = normal.paragraph_format
    spacing.space_before = spacing.space_after = Pt(0)
    spacing.line_spacing = 1.0
    _declare_fallback(document)


def _declare_fallback(document) -> None:
    """Name the metric-compatible substitute in the font table (``w:altName``), for programs that read it."""
    for part in document.part.package.iter_parts():
        if part.partname.endswith("/fontTable.xml"):
            declared = f'<w:font w:name="{FONT}">'.encode()
            if declared in part.blob and b"w:altName" not in part.blob:
                part._blob = part.blob.replace(declared, declared + f'<w:altName w:val="{FALLBACK}"/>'.encode(), 1)


# --- building blocks -----------------------------------------------------------------------------------------------


def _run(paragraph, text: str, *, bold: bool = False, underline: bool = False, size=None):
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.underline = underline or None
    if size is not None:
        run.font.size = size
    return run


def _paragraph(
    container, text: str = "", *, bold=False, size=None, align=None, after=None, keep_with_next=False, underline=False
):
    paragraph = container.add_paragraph()
    if text:
        _run(paragraph, text, bold=bold, size=size, underline=underline)
    if align is not None:
        paragraph.alignment = align
    if after is not None:
        paragraph.paragraph_format.space_after = after
    if keep_with_next:
        paragraph.paragraph_format.keep_with_next = True
    return paragraph


def _heading(document, text: str) -> None:
    """A section's title: bold, a little space above, never the last line of a page."""
    paragraph = _paragraph(document, text, bold=True, keep_with_next=True)
    paragraph.paragraph_format.space_before = Pt(3)
    paragraph.paragraph_format.space_after = Pt(1)


def _table(document, headers, rows, spans) -> None:
    columns = widths(spans)
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fix_widths(table, columns)
    header = table.rows[0]
    _row_flags(header, header=True)
    for cell, text, width in zip(header.cells, headers, columns, strict=True):
        cell.width = width
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = True  # the header stays with the first row
        _run(paragraph, text, bold=True, size=TABLE_SIZE)
    for values in rows:
        row = table.add_row()
        _row_flags(row)
        for cell, text, width in zip(row.cells, values, columns, strict=True):
            cell.width = width
            lines = str(text).split("\n")
            _run(cell.paragraphs[0], lines[0], size=TABLE_SIZE)
            for more in lines[1:]:
                _run(cell.add_paragraph(), more, size=TABLE_SIZE)


def _fix_widths(table, columns) -> None:
    """Fixed column widths, in the grid that word processors lay a table out by."""
    table.autofit = False
    for column, width in zip(table.columns, columns, strict=True):
        column.width = width
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)


def _row_flags(row, header: bool = False) -> None:
    """A row never splits across pages; a header row repeats on every page the table reaches."""
    properties = row._tr.get_or_add_trPr()
    cant_split = OxmlElement("w:cantSplit")
    properties.append(cant_split)
    if header:
        repeat = OxmlElement("w:tblHeader")
        properties.append(repeat)


def _ruled(document, lines: list[str]) -> None:
    """§6 on ruled lines, as the blank form has: a table of one column whose rows have a rule under them (rules
    under consecutive paragraphs would merge into one); the first two lines keep with the heading."""
    table = document.add_table(rows=0, cols=1)
    _fix_widths(table, [Mm(TEXT_WIDTH_MM)])
    for n, text in enumerate(lines):
        row = table.add_row()
        _row_flags(row)
        cell = row.cells[0]
        cell.width = Mm(TEXT_WIDTH_MM)
        _border(cell, "bottom")
        paragraph = cell.paragraphs[0]
        paragraph.paragraph_format.space_before = Pt(3)
        paragraph.paragraph_format.keep_with_next = n == 0
        paragraph.add_run(text or "\u00a0")


def _signatures(document, data: ProgrammeFormData) -> None:
    """Who signs, a line for the signature, and «/ Фамилия И. О. /»; the rows stay together on one page."""
    _paragraph(document, "", after=Pt(2))
    signers = signatures(data)
    columns = widths(SIGNATURE_SPANS)
    table = document.add_table(rows=0, cols=3)
    _fix_widths(table, columns)
    for n, (who, name) in enumerate(signers):
        row = table.add_row()
        _row_flags(row)
        for cell, width in zip(row.cells, columns, strict=True):
            cell.width = width
        row.cells[0].paragraphs[0].add_run(who)
        _border(row.cells[1], "bottom")
        row.cells[2].paragraphs[0].add_run(f"/ {name or BLANK_NAME} /")
        for cell in row.cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_before = Pt(6)
            paragraph.paragraph_format.keep_with_next = n < len(signers) - 1


def _border(cell, side: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    line = OxmlElement(f"w:{side}")
    for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
        line.set(qn(key), value)
    borders.append(line)
    properties.append(borders)
