"""The programme form of annex 2 as the order prints it, the same in the Word document, the workbook and the print view:
read back with python-docx and openpyxl, and rendered by LibreOffice (one page for every demo programme; a long one
breaks between rows with its table's header repeated)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from datetime import date, timedelta

import openpyxl
import pytest
from docx import Document

from app.casework.programme_form import programme_form_data
from app.extensions import db
from app.models import Programme
from reports.programme_docx import build_programme_docx
from reports.programme_form import FAMILY_STATUSES, SECTIONS, MeasureLine, build_programme_workbook
from tests import factories

START = date(2026, 3, 1)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def child_case(world):
    """A nine-year-old whose mother acts for him, on an extended programme with one measure cancelled."""
    case = factories.draft_case(world, START)
    citizen = case.citizen
    citizen.birth_date = date(2017, 9, 30)
    citizen.family_status = "close_relatives"
    citizen.representative_name = "Полякова Наталья Михайловна"
    citizen.representative_relation = "мать"
    citizen.representative_phone = "+7 (904) 556-70-73"
    case.status, case.activated_on = "extended", START
    case.extended_from, case.end_date = case.end_date, date(2027, 2, 28)
    case.citizen_signature = "Поляков Ю. И."  # what was typed; the mother signs
    db.session.commit()
    factories.measure(case, title="Занятия адаптивной физкультурой", participants_text="Инструктор", due_date=START)
    factories.measure(case, title="Отменённая поездка", status="cancelled", due_date=START + timedelta(days=5))
    return case


def docx_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def sheet_text(sheet) -> str:
    return "\n".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)


def underlined_statuses_docx(document) -> list[str]:
    family = next(p for p in document.paragraphs if p.text.startswith("Семейный статус (нужное подчеркнуть)"))
    assert all(status.split(" (")[0] in family.text for status in FAMILY_STATUSES)  # all seven are printed
    return [run.text for run in family.runs if run.underline]


def underlined_statuses_xlsx(content: bytes) -> list[str]:
    sheet = openpyxl.load_workbook(io.BytesIO(content), rich_text=True).active
    cell = next(c for row in sheet.iter_rows() for c in row if str(c.value).startswith("Семейный статус"))
    assert all(status.split(" (")[0] in str(cell.value) for status in FAMILY_STATUSES)
    return [block.text for block in cell.value if not isinstance(block, str) and block.font.u]


def test_the_docx_and_the_workbook_print_what_annex_2_asks(world, child_case, login):
    client = login("specialist")
    response = client.get(f"/case/{child_case.id}/form.docx")
    assert response.status_code == 200 and response.mimetype == DOCX
    assert (
        "filename*=UTF-8''%D0%9F%D1%80%D0%BE%D0%B3%D1%80%D0%B0%D0%BC%D0%BC%D0%B0"
        in response.headers["Content-Disposition"]
    )
    document = Document(io.BytesIO(response.data))
    text = docx_text(document)
    workbook = client.get(f"/case/{child_case.id}/form.xlsx").data
    sheet = openpyxl.load_workbook(io.BytesIO(workbook)).active
    cells = sheet_text(sheet)
    for printed in (text, cells):
        assert "Законный представитель: Полякова Наталья Михайловна (мать), тел. +7 (904) 556-70-73" in printed
        assert "Законный представитель гражданина (мать)" in printed and "/ Полякова Н. М. /" in printed
        assert "\nГражданин\n" not in f"\n{printed}\n"  # the child signs nothing
        assert "Занятия адаптивной физкультурой" in printed and "Отменённая поездка" not in printed
        assert (
            "продление социального сопровождения на период: с «01» сентября 2026 г. по «28» февраля 2027 г." in printed
        )
    assert underlined_statuses_docx(document) == ["проживает в семье близких родственников"]
    assert underlined_statuses_xlsx(workbook) == ["проживает в семье близких родственников"]
    fonts = {style.font.name for style in document.styles if getattr(style, "font", None) and style.font.name}
    assert "Times New Roman" in fonts
    header_rows = [t.rows[0]._tr for t in document.tables[:3]]
    assert all(row.xpath("./w:trPr/w:tblHeader") for row in header_rows)  # repeated on every page


def test_an_adult_without_extension_signs_and_the_extension_line_stays_to_fill(world, login):
    case = factories.draft_case(world, START)
    case.citizen.family_status, case.citizen.family_status_other = "other", "снимает комнату"
    case.citizen_signature = "Иванов И. И."
    db.session.commit()
    data = programme_form_data(db.session.get(Programme, case.id))
    for text in (docx_text(Document(io.BytesIO(build_programme_docx(data)))), sheet_text(_sheet(data))):
        assert "продление социального сопровождения на период: с «__» _____ 20__ г. по «__» _____ 20__ г., " in text
        assert "кол-во месяцев: ___" in text
        assert "Гражданин" in text and "/ Иванов И. И. /" in text and "Законный представитель" not in text
    assert underlined_statuses_docx(Document(io.BytesIO(build_programme_docx(data)))) == [
        "иное (указать) снимает комнату"
    ]
    page = login("specialist").get(f"/case/{case.id}/print").get_data(as_text=True)
    assert '<span class="chosen">иное (указать) снимает комнату</span>' in page
    assert 'onclick="window.print()"' in page and f'href="/case/{case.id}"' in page  # print, and the way back
    assert page.count('class="ruled"') == 4  # §6: ruled lines to write on


def test_a_minor_without_a_recorded_representative_still_does_not_sign(world):
    case = factories.draft_case(world, START)
    case.citizen.birth_date = date(2016, 5, 1)
    case.citizen_signature = "Петров П. П."
    db.session.commit()
    data = programme_form_data(db.session.get(Programme, case.id))
    assert data.minor and data.citizen == ""
    assert "Законный представитель гражданина\n" in sheet_text(_sheet(data)) + "\n"


def _sheet(data):
    return openpyxl.load_workbook(io.BytesIO(build_programme_workbook(data))).active


@pytest.mark.one_pass  # LibreOffice's pages of the same documents, whichever database held the data
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by `make system-deps`")
def test_every_demo_programme_prints_on_one_page_and_a_long_one_breaks_cleanly(app, tmp_path):
    from app.demo.data import load_demo

    load_demo(factories.PASSWORD, reset=True)
    programmes = db.session.scalars(db.select(Programme).order_by(Programme.id)).all()
    assert len(programmes) == 44
    for programme in programmes:
        data = programme_form_data(programme)
        (tmp_path / f"p{programme.id}-d.docx").write_bytes(build_programme_docx(data))
        (tmp_path / f"p{programme.id}-x.xlsx").write_bytes(build_programme_workbook(data))
    # a typical programme of eight measures of ordinary length, and a long one of thirty with long texts
    typical = programme_form_data(programmes[1])
    typical.measures = [
        MeasureLine(f"Консультация специалиста по вопросу № {n}", "Специалист КЦСОН", START) for n in range(8)
    ]
    long = programme_form_data(programmes[1])
    long.measures = [
        MeasureLine(f"Мероприятие {n}: содействие в оформлении мер социальной поддержки", "Отдел опеки, КЦСОН", START)
        for n in range(30)
    ]
    long.results = "Итоги и анализ. " * 120
    for name, data in (("typical", typical), ("long", long)):
        (tmp_path / f"{name}-d.docx").write_bytes(build_programme_docx(data))
        (tmp_path / f"{name}-x.xlsx").write_bytes(build_programme_workbook(data))
    sources = sorted(tmp_path.glob("*-[dx].*"))
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), *map(str, sources)],
        check=True,
        capture_output=True,
        timeout=600,
        env={"HOME": str(tmp_path), "PATH": os.environ.get("PATH", "/usr/bin:/bin")},
    )
    pages = {source.stem: _pages(tmp_path / f"{source.stem}.pdf") for source in sources}
    assert {name: count for name, count in pages.items() if not name.startswith("long")} == {
        name: 1 for name in pages if not name.startswith("long")
    }
    for kind in ("d", "x"):  # the long one: more pages, each continuing the measures under their header again
        count = pages[f"long-{kind}"]
        assert count >= 3
        texts = [_page_text(tmp_path / f"long-{kind}.pdf", n) for n in range(1, count + 1)]
        for text in texts[1:]:
            row, section = text.find("Мероприятие "), text.find("3. Перечень")
            if row != -1 and (section == -1 or section > row):  # the table goes on from the page before
                assert 0 <= text.find("Рекомендованные") < row
        for text in texts[:-1]:  # no heading is left alone at a page's foot
            lines = [line.strip() for line in text.splitlines() if line.strip() and "Страница" not in line]
            assert not any(section.endswith(lines[-1]) for section in SECTIONS)
        assert "Директор комплексного центра" in texts[-1]


def _pages(pdf) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def _page_text(pdf, page: int) -> str:
    return subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
