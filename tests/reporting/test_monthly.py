"""The monthly report (annex 3) and the programme form (annex 2): figures against an independent count, the workbook
read back with openpyxl, submit/freeze/reopen, the board, the consolidated export (also as a job), PDF page counts."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date, datetime, time

import openpyxl
import pytest
from redis import Redis
from rq import Queue, SimpleWorker
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEntry, MonthlyReport
from app.platform.clock import zone
from app.reporting import exports
from reports.monthly import COLUMNS
from tests import factories
from tests.factories import REDIS_URL

MARCH = date(2026, 3, 1)


def d(month: int, day: int) -> date:
    return date(2026, month, day)


@pytest.fixture
def march(world):
    """Centre A in March 2026, built so that every figure is known in advance (counted in the comments)."""
    a, b = world.centre_a, world.centre_b
    spec = world.users["specialist"]
    c1, c2, c3, c4, c5, c6 = (factories.citizen(a) for _ in range(6))
    factories.appeal(c1, appeal_date=d(2, 10))  # need 1
    factories.appeal(c2, appeal_date=d(3, 5), decision="pending")  # need 2
    factories.appeal(c3, appeal_date=d(3, 6), decision="refused")  # refused: no need
    factories.appeal(c4, appeal_date=date(2025, 12, 1))  # last year: not this year's need
    p1 = factories.programme(c1, spec, start_date=d(2, 15), end_date=d(8, 14), activated_on=d(2, 15))  # enrolled 1
    p2 = factories.programme(c2, spec, start_date=d(3, 10), end_date=d(9, 9), activated_on=d(3, 10))  # enrolled 2
    factories.programme(  # closed in March: not enrolled on 31.03, one closure "refused"
        c5,
        spec,
        start_date=d(1, 10),
        end_date=d(7, 9),
        activated_on=d(1, 10),
        status="terminated",
        closed_on=d(3, 20),
        closure_reason="refused",
    )
    factories.programme(c6, spec, status="draft", start_date=d(3, 1), end_date=d(8, 31))  # a draft counts nowhere
    factories.measure(p1, kind="legal", status="done", due_date=d(3, 5), done_on=d(3, 3))  # March: legal 1
    factories.measure(p1, kind="legal", status="done", due_date=d(3, 20), done_on=d(3, 15))  # March: legal 2
    factories.measure(p2, kind="medical", status="done", due_date=d(3, 25), done_on=d(3, 20))  # March: medical 1
    factories.measure(p2, kind="medical", status="done", due_date=d(4, 5), done_on=d(4, 2))  # April: not counted
    factories.measure(p2, kind="legal", status="planned", due_date=d(3, 30))  # not done
    factories.programme(factories.citizen(b), start_date=d(2, 1), end_date=d(7, 31), activated_on=d(2, 1))
    return {"need": 2, "enrolled": 2, "programmes": 3, "measures": {"юридическая помощь": 2, "медицинская помощь": 1}}


def create_report(client, world) -> MonthlyReport:
    response = client.post(
        "/monthlyreportview/add",
        data={"centre": world.centre_a.id, "month": "2026-03-01", "preparer_name": "Петрова А. А."},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return db.session.scalars(select(MonthlyReport)).one()


def workbook(response) -> openpyxl.Workbook:
    assert response.status_code == 200 and response.mimetype == exports.XLSX
    return openpyxl.load_workbook(io.BytesIO(response.data))


def test_report_figures_match_an_independent_count_and_the_workbook_follows_the_form(world, march, login):
    director = login("director")
    report = create_report(director, world)
    assert (report.need_count, report.enrolled_count, report.status) == (march["need"], march["enrolled"], "draft")
    assert "Проведено мероприятий за месяц: 3." in report.measures_info
    assert "снято с сопровождения за месяц: 1" in report.result_info.lower()
    book = workbook(director.get(f"/monthlyreportview/download/{report.id}"))
    assert book.sheetnames == ["Отчёт", "Программы", "Разрезы"]
    sheet = book["Отчёт"]
    assert sheet["A3"].value == "Отчёт" and sheet["A5"].value == "по состоянию на «31» марта 2026 г."
    assert [sheet.cell(7, col).value for col in range(1, 8)] == [title for title, _ in COLUMNS]
    assert [sheet.cell(8, col).value for col in range(1, 8)] == [1, 2, 3, 4, 5, 6, 7]
    row = [sheet.cell(9, col).value for col in range(1, 5)]
    assert row == ["1.", world.centre_a.name, march["need"], march["enrolled"]]
    assert "Петрова А. А." in sheet["A11"].value
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A1:C1", "E1:G1", "A3:G3", "A4:G4", "A5:G5"} <= merged
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_setup.fitToWidth or 1, sheet.page_setup.fitToHeight) == (1, 0)  # width 1 is the default
    assert sheet.print_title_rows == "$7:$8"
    assert sheet["B9"].alignment.wrap_text and sheet["B9"].border.left.style == "thin"
    programmes = book["Программы"]
    assert programmes.max_row - 1 == march["programmes"]
    breakdowns = book["Разрезы"]
    cells = [[c.value for c in r] for r in breakdowns.iter_rows(max_col=3)]
    start = next(i for i, r in enumerate(cells) if r[0] == "Мероприятия месяца по видам")
    kinds = {r[0]: (r[1], r[2]) for r in cells[start + 2 : start + 4]}
    assert kinds == {"юридическая помощь": (2, pytest.approx(2 / 3)), "медицинская помощь": (1, pytest.approx(1 / 3))}
    assert breakdowns._charts, "a chart of the shares"


def test_the_detail_lists_the_month_s_programmes_with_their_done_measures(world, login):
    """«Программы» for March: in accompaniment on 31.03 or closed in March, by start date; done measures to 31.03."""
    a, spec = world.centre_a, world.users["specialist"]

    def case(surname, start, patronymic="Иванович", **kw):
        person = factories.citizen(a, surname=surname, patronymic=patronymic, category=kw.pop("category", None))
        kw = {"activated_on": start, **kw}
        return factories.programme(person, spec, start_date=start, end_date=d(9, 30), **kw)

    open_ = case("Петров", d(2, 1), patronymic=None, category=world.category)
    factories.measure(open_, status="done", due_date=d(3, 10), done_on=d(3, 10))  # counted
    factories.measure(open_, status="done", due_date=d(2, 10), done_on=d(2, 10))  # counted: done before the end
    factories.measure(open_, status="done", due_date=d(4, 1), done_on=d(4, 1))  # after the report date
    factories.measure(open_, status="planned", due_date=d(3, 20))  # not done
    closed = dict(status="completed", closure_reason="resolved")
    case("Сидоров", d(1, 10), closed_on=d(3, 31), **closed)  # closed on the report date: closed in March
    case("Смирнов", d(1, 11), closed_on=d(3, 1), status="terminated", closure_reason="refused")  # on the 1st
    case("Кузнецов", d(1, 12), closed_on=d(2, 28), **closed)  # closed before March: not listed
    case("Попов", d(1, 13), closed_on=d(4, 1), **closed)  # closed after March: in accompaniment on 31.03
    case("Лебедев", d(4, 1))  # activated after March
    case("Козлов", d(3, 5), status="draft", activated_on=None)  # a draft is nowhere
    unactivated = case("Новиков", d(3, 15), activated_on=None)  # active, no activation date: its start counts
    case("Морозов", d(3, 16), number="=1+1")  # a number is text, whatever it looks like
    factories.programme(factories.citizen(world.centre_b), start_date=d(3, 1), activated_on=d(3, 1))  # centre B
    db.session.commit()

    book = workbook(login("director").get(f"/monthlyreportview/download/{create_report(login('director'), world).id}"))
    rows = [[c.value for c in row] for row in book["Программы"].iter_rows(min_row=2)]
    assert [(r[2], r[6], r[8], r[9]) for r in rows] == [
        ("Сидоров И. И.", "завершена", "разрешение трудной жизненной ситуации", 0),
        ("Смирнов И. И.", "прекращена", "отказ гражданина от сопровождения", 0),
        ("Попов И. И.", "действует", None, 0),  # completed on 01.04: still in accompaniment on 31.03
        ("Петров И.", "действует", None, 2),
        ("Новиков И. И.", "действует", None, 0),
        ("Морозов И. И.", "действует", None, 0),
    ]
    assert {r[0] for r in rows} == {a.short_name} and rows[3][3] == world.category.name and rows[0][3] is None
    assert (rows[4][1], rows[5][1]) == (unactivated.number, "=1+1")
    assert book["Программы"].cell(7, 2).data_type == "s"  # text, not a formula
    cells = [[c.value for c in r] for r in book["Разрезы"].iter_rows(max_col=2)]
    start = next(i for i, r in enumerate(cells) if r[0] == "Снятие с сопровождения за месяц по причинам")
    assert cells[start + 2 : start + 4] == [  # equal counts in the order of the codes (refused, resolved)
        ["отказ гражданина от сопровождения", 1],
        ["разрешение трудной жизненной ситуации", 1],
    ]
    assert (rows[3][4], rows[3][5], rows[3][7]) == (datetime(2026, 2, 1), datetime(2026, 9, 30), 1)


def test_the_consolidated_detail_lists_each_programme_once_centre_by_centre_in_chunks(world, login, monkeypatch):
    """The region's detail is read a few rows at a time (on PostgreSQL a statement per chunk of the ids read first):
    centre by short name, then by start date and id, whatever the chunks; each programme once; the figures gathered
    from the same rows."""
    from app.reporting import monthly

    monkeypatch.setattr(monthly, "_CHUNK", 2)
    a, b = world.centre_a, world.centre_b
    starts = [d(1, 5), d(3, 1), d(2, 7), d(1, 5), d(3, 9), d(2, 1), d(1, 20)]
    made = [
        factories.programme(
            factories.citizen(centre), start_date=start, end_date=d(7, 31), activated_on=start, stage=1 + k % 3
        )
        for k, (centre, start) in enumerate(zip([a, b] * 4, starts, strict=False))
    ]
    db.session.commit()
    expected = sorted(made, key=lambda p: (p.centre.short_name, p.start_date, p.id))
    book = workbook(login("department").post("/monthlyreportview/consolidated", data={"month": "2026-03"}))
    rows = [[c.value for c in row] for row in book["Программы"].iter_rows(min_row=2)]
    assert [(r[0], r[1]) for r in rows] == [(p.centre.short_name, p.number) for p in expected]
    enrolled = {p.centre.name: 0 for p in made}
    for p in made:
        enrolled[p.centre.name] += 1
    sheet = book["Отчёт"]
    assert {sheet.cell(row, 2).value: sheet.cell(row, 4).value for row in (9, 10)} == enrolled


def test_an_export_stopped_by_an_error_in_the_middle_of_its_detail_leaves_the_connection_usable(
    world, march, login, monkeypatch
):
    """On PostgreSQL the detail's next chunk is already sent when the workbook writes a row: a workbook failing there
    lets go of the connection at once, even while something still holds the stream of rows (the next statement of
    the request failed)."""
    import reports.monthly
    from app.models import Programme
    from app.reporting import monthly
    from app.security.scope import Scope

    monkeypatch.setattr(monthly, "_CHUNK", 1)
    held = []
    consolidated_data = monthly.consolidated_data

    def holding(*args):
        held.append(consolidated_data(*args))  # as a traceback or a job's state may hold it
        return held[-1]

    def failing_sheet(sheet, formats, programmes):
        for _ in programmes:  # the first row: the next chunk's statement is on its way
            raise RuntimeError("the disk is full")

    monkeypatch.setattr(monthly, "consolidated_data", holding)
    monkeypatch.setattr(reports.monthly, "_programmes_sheet", failing_sheet)
    with pytest.raises(RuntimeError, match="the disk is full"):
        exports.consolidated_workbook(MARCH, Scope.everything())
    assert held
    db.session.rollback()
    assert db.session.scalar(select(Programme.id).limit(1)) is not None


def test_submit_freezes_the_report_and_only_the_department_reopens_it(world, march, login):
    director = login("director")
    report = create_report(director, world)
    director.post(f"/monthlyreportview/edit/{report.id}", data={"note": "Всё по плану", "measures_info": "Правка"})
    assert director.post(f"/monthlyreportview/submit/{report.id}").status_code == 302
    db.session.expire_all()
    report = db.session.get(MonthlyReport, report.id)
    assert (report.status, report.note, report.measures_info) == ("submitted", "Всё по плану", "Правка")
    before = director.get(f"/monthlyreportview/download/{report.id}").data
    programme = factories.programme(factories.citizen(world.centre_a), start_date=d(3, 2), activated_on=d(3, 2))
    factories.measure(programme, status="done", done_on=d(3, 4), due_date=d(3, 4))
    after = workbook(director.get(f"/monthlyreportview/download/{report.id}"))
    assert after["Отчёт"]["D9"].value == march["enrolled"]  # frozen: the new programme does not count
    assert after["Программы"].max_row - 1 == march["programmes"]
    assert openpyxl.load_workbook(io.BytesIO(before))["Отчёт"]["E9"].value == after["Отчёт"]["E9"].value
    page = director.post(f"/monthlyreportview/edit/{report.id}", data={"note": "Другое"}, follow_redirects=True)
    assert "только Депсоцразвития" in page.get_data(as_text=True)
    director.post(f"/monthlyreportview/reopen/{report.id}", data={"reason": "хочу"})
    db.session.expire_all()
    assert db.session.get(MonthlyReport, report.id).status == "submitted"
    department = login("department")
    department.post(f"/monthlyreportview/reopen/{report.id}", data={"reason": " "})
    db.session.expire_all()
    assert db.session.get(MonthlyReport, report.id).status == "submitted"
    department.post(f"/monthlyreportview/reopen/{report.id}", data={"reason": "Уточнить число зачисленных"})
    db.session.expire_all()
    report = db.session.get(MonthlyReport, report.id)
    assert report.status == "reopened"
    assert [e["action"] for e in report.history] == ["submitted", "reopened"]
    assert report.history[-1]["reason"] == "Уточнить число зачисленных"


def test_a_submitted_reports_programme_list_is_read_by_the_same_scope_as_the_live_one(world, march, login):
    """The frozen «Программы» sheet names citizens and their categories: the admin, who sees no case data, gets the
    report's figures and texts without it; the centre and the department get it whole."""
    director = login("director")
    report = create_report(director, world)
    assert director.post(f"/monthlyreportview/submit/{report.id}").status_code == 302
    for username, rows in (("admin", 0), ("director", march["programmes"]), ("department", march["programmes"])):
        book = workbook(login(username).get(f"/monthlyreportview/download/{report.id}"))
        assert book["Программы"].max_row - 1 == rows, username
        assert book["Отчёт"]["D9"].value == march["enrolled"], username


def test_board_and_the_consolidated_workbook_with_a_row_per_centre(world, march, login):
    director = login("director")
    report = create_report(director, world)
    assert director.post(f"/monthlyreportview/submit/{report.id}").status_code == 302
    db.session.expire_all()
    assert db.session.get(MonthlyReport, report.id).status == "submitted"
    # as if filed on the 9th of April, at four in the afternoon in Yugra: on time
    db.session.get(MonthlyReport, report.id).submitted_at = datetime.combine(d(4, 9), time(16, 0), tzinfo=zone())
    db.session.commit()
    department = login("department")
    board = department.get("/monthlyreportview/board?month=2026-03").get_data(as_text=True)
    assert board.count("в срок") == 1 and board.count("не представлен") == 1
    book = workbook(department.post("/monthlyreportview/consolidated", data={"month": "2026-03"}))
    sheet = book["Отчёт"]
    names = [sheet.cell(row, 2).value for row in (9, 10, 11)]
    assert names == sorted([world.centre_a.name, world.centre_b.name]) + ["Итого"]
    b_row = 9 + names.index(world.centre_b.name)
    assert sheet.cell(b_row, 4).value == 1 and sheet.cell(b_row, 7).value == "Отчёт не представлен."
    assert sheet.cell(11, 3).value == "=SUM(C9:C10)"
    exported = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "export")).all()
    assert [(e.username, e.object_type) for e in exported] == [("department", "consolidated_report")]
    territory = login("territory").get("/monthlyreportview/board?month=2026-03").get_data(as_text=True)
    assert world.centre_a.name in territory and world.centre_b.name not in territory


def test_other_centres_cannot_read_the_report_or_the_programme_form(world, march, login):
    report = create_report(login("director"), world)
    other = login("specialist_b")
    assert other.get(f"/monthlyreportview/download/{report.id}").status_code == 404
    case = factories.draft_case(world, d(3, 1))
    assert other.get(f"/case/{case.id}/form.xlsx").status_code == 404
    assert other.get(f"/case/{case.id}/print").status_code == 404
    book = workbook(other.post("/monthlyreportview/consolidated", data={"month": "2026-03"}))
    assert [book["Отчёт"].cell(9, 2).value] == [world.centre_b.name]  # the user's own centre only


def test_printable_programme_form(world, login):
    case = factories.draft_case(world, d(3, 1))
    factories.measure(case, title="Оформление пособия", participants_text="МФЦ", due_date=d(4, 1))
    client = login("specialist")
    book = workbook(client.get(f"/case/{case.id}/form.xlsx"))
    sheet = book["Программа"]
    values = [c.value for row in sheet.iter_rows() for c in row if c.value]
    assert f"Программа социального сопровождения гражданина № {case.number}" in values
    assert f"Ф.И.О.: {case.citizen.full_name}" in values and "Оформление пособия" in values and "МФЦ" in values
    assert any(str(v).startswith("с «01» марта 2026 г. по «31» августа 2026 г.") for v in values)
    assert "Гражданин" in values
    assert sheet.page_setup.orientation == "portrait" and sheet.page_setup.scale == 95
    page = client.get(f"/case/{case.id}/print").get_data(as_text=True)
    assert "6. Рекомендации гражданину" in page and case.citizen.full_name in page
    assert db.session.scalars(select(AuditEntry).where(AuditEntry.action == "export")).all()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by `make install`")
def test_workbooks_render_to_pdf_with_the_expected_page_counts(world, march, login, tmp_path):
    director = login("director")
    report = create_report(director, world)
    case = factories.draft_case(world, d(3, 1))
    (tmp_path / "report.xlsx").write_bytes(director.get(f"/monthlyreportview/download/{report.id}").data)
    (tmp_path / "programme.xlsx").write_bytes(login("specialist").get(f"/case/{case.id}/form.xlsx").data)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), *tmp_path.glob("*.xlsx")],
        check=True,
        capture_output=True,
        timeout=180,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    pages = {}
    for name in ("report", "programme"):
        info = subprocess.run(["pdfinfo", str(tmp_path / f"{name}.pdf")], capture_output=True, text=True).stdout
        pages[name] = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages == {"report": 3, "programme": 1}  # one page per sheet of the report; the form on one page


def test_cli_writes_the_monthly_report(app, world, march, tmp_path):
    out = tmp_path / "march.xlsx"
    result = app.test_cli_runner().invoke(
        args=["report", "monthly", "--month", "2026-03", "--centre", str(world.centre_a.id), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out)["Отчёт"]
    assert (sheet["C9"].value, sheet["D9"].value) == (march["need"], march["enrolled"])
    bad = app.test_cli_runner().invoke(args=["report", "monthly", "--month", "март", "--out", str(out)])
    assert bad.exit_code != 0 and "YYYY-MM" in bad.output


def test_a_large_consolidated_export_runs_as_a_job_with_progress(app, world, march, login, monkeypatch):
    connection = Redis.from_url(REDIS_URL)
    connection.flushdb()
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_URL)
    monkeypatch.setattr(exports, "SYNC_LIMIT", 0)
    department = login("department")
    response = department.post("/monthlyreportview/consolidated", data={"month": "2026-03"})
    assert response.status_code == 302 and "/monthlyreportview/export/" in response.headers["Location"]
    status_url = response.headers["Location"]
    waiting = department.get(status_url).get_data(as_text=True)
    assert "Книга готовится" in waiting and 'http-equiv="refresh"' in waiting
    SimpleWorker([Queue("default", connection=connection)], connection=connection).work(burst=True)
    done = department.get(status_url).get_data(as_text=True)
    assert "Скачать" in done
    book = workbook(department.get(status_url + "/file"))
    assert book["Отчёт"].cell(11, 2).value == "Итого"
    assert login("director").get(status_url).status_code == 404  # somebody else's export
    connection.flushdb()
