"""``make bench``: the console at regional scale, page by page, beside the raw-SQL floor of each page.

Builds (once, then reuses) a deterministic data set — 4 territories, 50 centres, 100,000 citizens, 100,000
programmes, 1,000,000 measures — with bulk inserts, then measures with the app built once and an in-process client
logged in as a director and as a department user: median of 7 runs after a warm-up, application SQL statements,
HTML size and peak Python memory of each page, and the same rows fetched with the DB driver alone. Prints a table
and writes it as JSON (``instance/bench-<database>.json``); prints the reminder scan's query plans.

    python bench.py                       # SQLite under instance/bench.db
    DATABASE_URL=postgresql://… python bench.py
"""

from __future__ import annotations

import json
import os
import random
import re
import statistics
import sys
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent
RUNS = 7
PASSWORD = "bench-Password-2026"
N_CENTRES, N_CITIZENS, MEASURES_PER_PROGRAMME = 50, 100_000, 10
CHUNK = 20_000


def _configure() -> str:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{ROOT / 'instance' / 'bench.db'}"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("REMINDER_AUTOSCAN_MINUTES", "0")
    os.environ.setdefault("RATELIMIT_ENABLED", "false")
    (ROOT / "instance").mkdir(exist_ok=True)
    return url


# --- the data set -------------------------------------------------------------------------------------------------


def build_data(db, today: date) -> None:
    """Bulk inserts through SQLAlchemy Core, not ORM objects: about a minute for 1.2 million rows on SQLite."""
    from flask import current_app
    from flask_appbuilder.security.sqla.models import Role, User, assoc_user_role
    from sqlalchemy import insert, select
    from werkzeug.security import generate_password_hash

    from app import models as m
    from app.domain.rules import add_months, term_end
    from app.security import roles

    rng = random.Random(2026)
    sm = current_app.appbuilder.sm
    sm.sync_roles()
    role_id = {r.name: r.id for r in db.session.scalars(select(Role))}
    conn = db.session.connection()
    conn.execute(insert(m.Territory), [{"id": t + 1, "name": f"Территория {t + 1}"} for t in range(4)])
    conn.execute(
        insert(m.Centre),
        [
            {"id": c + 1, "name": f"КЦСОН «Центр {c + 1}»", "short_name": f"Центр {c + 1}", "territory_id": c % 4 + 1}
            for c in range(N_CENTRES)
        ],
    )
    conn.execute(insert(m.Category), [{"id": 1, "name": "Граждане пожилого возраста", "sort_order": 1}])
    password = generate_password_hash(PASSWORD)  # hashed once for every user: hashing is slow on purpose
    users, links, profiles = [], [], []

    def user(uid: int, username: str, role: str, centre: int | None = None, territory: int | None = None) -> None:
        users.append(
            {
                "id": uid,
                "first_name": username,
                "last_name": "Bench",
                "username": username,
                "password": password,
                "active": True,
                "email": f"{username}@bench.local",
            }
        )
        links.append({"user_id": uid, "role_id": role_id[role]})
        profiles.append({"user_id": uid, "centre_id": centre, "territory_id": territory, "position": role})

    user(1, "department", roles.DEPARTMENT)
    for c in range(N_CENTRES):
        user(2 + c * 3, f"director{c + 1}", roles.DIRECTOR, centre=c + 1)
        user(3 + c * 3, f"specialist{c + 1}", roles.SPECIALIST, centre=c + 1)
        user(4 + c * 3, f"specialist{c + 1}b", roles.SPECIALIST, centre=c + 1)
    conn.execute(insert(User), users)
    conn.execute(insert(assoc_user_role), links)
    conn.execute(insert(m.StaffProfile), profiles)

    surnames = ["Иванов", "Петров", "Сидоров", "Кузнецов", "Смирнов", "Попов", "Лебедев", "Козлов", "Новиков"]
    programmes, measures, ticks, events = [], [], [], []
    measure_id = 0
    citizens = []
    for i in range(N_CITIZENS):
        centre = i % N_CENTRES + 1
        citizens.append(
            {
                "id": i + 1,
                "centre_id": centre,
                "surname": f"{rng.choice(surnames)}{i}",
                "first_name": "Анна" if i % 2 else "Иван",
                "patronymic": "Петровна" if i % 2 else "Петрович",
                "birth_date": date(1940, 1, 1) + timedelta(days=rng.randrange(25_000)),
                "category_id": 1,
                "disability_group": "none",
                "work_limitation": "none",
            }
        )
        start = today - timedelta(days=rng.randrange(3 * 365))
        end = term_end(start, 6)
        if end >= today:
            status = "active" if rng.random() < 0.9 else "extended"
        else:
            status = "completed" if rng.random() < 0.7 else "terminated"
        closed = status in ("completed", "terminated")
        programmes.append(
            {
                "id": i + 1,
                "number": f"П-{i + 1}",
                "citizen_id": i + 1,
                "centre_id": centre,
                "specialist_id": 3 + (centre - 1) * 3 + (i // N_CENTRES) % 2,
                "start_date": start,
                "end_date": end,
                "status": status,
                "stage": 3 if closed else rng.choice((1, 2, 3)),
                "activated_on": start,
                "closed_on": end if closed else None,
                "closure_reason": ("resolved" if status == "completed" else "refused") if closed else None,
                "version": 1,
            }
        )
        for k in range(MEASURES_PER_PROGRAMME):
            measure_id += 1
            due = start + timedelta(days=int(k * (end - start).days / MEASURES_PER_PROGRAMME) + 7)
            done = due < today and (closed or rng.random() < 0.9)
            measures.append(
                {
                    "id": measure_id,
                    "programme_id": i + 1,
                    "title": f"Мероприятие {k + 1}: консультация специалиста",
                    "kind": "social",
                    "due_date": due,
                    "status": "done" if done else "planned",
                    "done_on": due if done else None,
                    "version": 1,
                }
            )
        if add_months(start, 3) < today and rng.random() < 0.8:
            events.append({"programme_id": i + 1, "kind": "interim", "held_on": add_months(start, 3)})
        ticks.append(
            {"programme_id": i + 1, "stage": 1, "item": "collect_information", "done_on": start, "done_by_id": None}
        )
    for table, rows in (
        (m.Citizen, citizens),
        (m.Programme, programmes),
        (m.Measure, measures),
        (m.ChecklistItem, ticks),
        (m.ControlEvent, events),
    ):
        for start in range(0, len(rows), CHUNK):
            conn.execute(insert(table), rows[start : start + CHUNK])
    db.session.commit()


# --- measuring ----------------------------------------------------------------------------------------------------


class StatementCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *args) -> None:
        self.count += 1


def measure_page(client, path: str, counter: StatementCounter) -> dict:
    response = client.get(path)  # warm-up
    assert response.status_code == 200, (path, response.status_code, response.get_data(as_text=True)[:300])
    times = []
    runs = RUNS
    for run in range(runs):
        counter.count = 0
        tracemalloc.start()
        started = time.perf_counter()
        response = client.get(path)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        times.append(elapsed)
        statements = counter.count
        if run == 0 and elapsed > 2:
            runs = 3  # a page over its budget many times: three runs tell enough
            break
    return {
        "ms": round(statistics.median(times) * 1000, 1),
        "statements": statements,
        "html_kb": round(len(response.get_data()) / 1024, 1),
        "peak_mb": round(peak / 1024 / 1024, 1),
    }


def measure_callable(func) -> dict:
    func()
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return {"ms": round(statistics.median(times) * 1000, 1)}


def floor(engine, sql: str, params: dict) -> float:
    """The same rows with the DB driver alone: median ms."""
    from sqlalchemy import text

    raw = engine.raw_connection()
    try:
        compiled = text(sql).bindparams(**params).compile(engine, compile_kwargs={"literal_binds": True})
        times = []
        for _ in range(RUNS + 1):
            cursor = raw.cursor()
            started = time.perf_counter()
            cursor.execute(str(compiled))
            cursor.fetchall()
            times.append(time.perf_counter() - started)
            cursor.close()
        return round(statistics.median(times[1:]) * 1000, 1)
    finally:
        raw.close()


PAGES = [
    # (name, user, path, floor SQL)
    (
        "citizens list",
        "director1",
        "/citizenview/list/",
        "SELECT * FROM citizen WHERE centre_id = :c ORDER BY surname LIMIT 25",
    ),
    (
        "citizens list, filtered by surname",
        "director1",
        "/citizenview/list/?_flt_2_surname=Иванов1",
        "SELECT * FROM citizen WHERE centre_id = :c AND surname LIKE 'Иванов1%' ORDER BY surname LIMIT 25",
    ),
    ("citizen show", "director1", "/citizenview/show/{citizen}", "SELECT * FROM citizen WHERE id = :citizen"),
    ("citizen edit", "director1", "/citizenview/edit/{citizen}", "SELECT * FROM citizen WHERE id = :citizen"),
    (
        "programmes list",
        "director1",
        "/programmeview/list/",
        "SELECT p.*, c.surname FROM programme p JOIN citizen c ON c.id = p.citizen_id WHERE p.centre_id = :c "
        "ORDER BY p.start_date DESC LIMIT 25",
    ),
    (
        "programmes list, department",
        "department",
        "/programmeview/list/",
        "SELECT p.*, c.surname FROM programme p JOIN citizen c ON c.id = p.citizen_id "
        "ORDER BY p.start_date DESC LIMIT 25",
    ),
    (
        "programme show",
        "director1",
        "/programmeview/show/{programme}",
        "SELECT * FROM measure WHERE programme_id = :programme",
    ),
    ("programme edit", "director1", "/programmeview/edit/{programme}", "SELECT * FROM programme WHERE id = :programme"),
    (
        "measures list",
        "director1",
        "/measureview/list/",
        "SELECT m.*, p.number FROM measure m JOIN programme p ON p.id = m.programme_id WHERE p.centre_id = :c "
        "ORDER BY m.due_date LIMIT 25",
    ),
    (
        "measures list, department",
        "department",
        "/measureview/list/",
        "SELECT m.*, p.number FROM measure m JOIN programme p ON p.id = m.programme_id ORDER BY m.due_date LIMIT 25",
    ),
    (
        "measures list, filtered by title",
        "director1",
        "/measureview/list/?_flt_2_title=консультация",
        "SELECT m.*, p.number FROM measure m JOIN programme p ON p.id = m.programme_id WHERE p.centre_id = :c "
        "AND m.title LIKE '%консультация%' ORDER BY m.due_date LIMIT 25",
    ),
    ("measure show", "director1", "/measureview/show/{measure}", "SELECT * FROM measure WHERE id = :measure"),
    ("measure edit", "director1", "/measureview/edit/{measure}", "SELECT * FROM measure WHERE id = :measure"),
    (
        "case page (checklist)",
        "director1",
        "/case/{programme}",
        "SELECT * FROM checklist_item WHERE programme_id = :programme",
    ),
    (
        "My cases (director: the centre)",
        "director1",
        "/case/mine",
        "SELECT * FROM programme WHERE centre_id = :c AND status IN ('active', 'extended')",
    ),
    (
        "My cases (specialist)",
        "specialist1",
        "/case/mine",
        "SELECT * FROM programme WHERE specialist_id = :s AND status IN ('active', 'extended')",
    ),
    (
        "API: measures list",
        "director1",
        "/api/v1/measure/",
        "SELECT m.* FROM measure m JOIN programme p ON p.id = m.programme_id WHERE p.centre_id = :c LIMIT 25",
    ),
]


def main() -> None:
    url = _configure()
    sys.path.insert(0, str(ROOT))
    from flask_migrate import upgrade
    from sqlalchemy import event, func, select, text

    from app import create_app, reminders
    from app.extensions import db
    from app.models import Citizen, Measure, Programme
    from app.timeutil import today

    app = create_app()
    app.config["WTF_CSRF_ENABLED"] = False
    dialect = "postgresql" if url.startswith("postgres") else "sqlite"
    results: dict = {"database": dialect, "pages": [], "scan": {}}
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        day = today()
        if not db.session.scalar(select(func.count(Programme.id))):
            started = time.perf_counter()
            build_data(db, day)
            results["data_seconds"] = round(time.perf_counter() - started, 1)
            if dialect == "sqlite":
                db.session.execute(text("ANALYZE"))
            else:
                db.session.commit()
                with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                    conn.execute(text("VACUUM ANALYZE"))
        counts = {
            "citizens": db.session.scalar(select(func.count(Citizen.id))),
            "programmes": db.session.scalar(select(func.count(Programme.id))),
            "measures": db.session.scalar(select(func.count(Measure.id))),
        }
        results["counts"] = counts
        ids = {
            "c": 1,
            "s": 3,
            "citizen": db.session.scalar(select(Citizen.id).where(Citizen.centre_id == 1).limit(1)),
            "programme": db.session.scalar(
                select(Programme.id).where(Programme.centre_id == 1, Programme.status == "active").limit(1)
            ),
        }
        ids["measure"] = db.session.scalar(select(Measure.id).where(Measure.programme_id == ids["programme"]).limit(1))

        # the reminder scan, twice idempotent: the second run writes nothing
        scan = measure_callable(lambda: reminders.scan(day))
        results["scan"] = {**scan, "due": len(reminders.due_reminders(day))}
        results["scan_plans"] = _plans(db, dialect, day)
        engine = db.engine
    counter = StatementCounter()
    event.listen(engine, "before_cursor_execute", counter)
    clients = {}
    for name, username, path, sql in PAGES:
        if username not in clients:
            client = app.test_client()
            response = client.post("/login/", data={"username": username, "password": PASSWORD})
            assert response.status_code == 302, f"login {username}"
            clients[username] = client
        row = measure_page(clients[username], path.format(**ids), counter)
        row.update(
            page=name,
            user=username,
            floor_ms=floor(engine, sql, {k: v for k, v in ids.items() if re.search(rf":{k}\b", sql)}),
        )
        results["pages"].append(row)
        print(f"  {name}: {row['ms']} ms", file=sys.stderr)
    event.remove(engine, "before_cursor_execute", counter)
    out = ROOT / "instance" / f"bench-{dialect}.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2, default=str))
    _print(results)
    print(f"\nwritten to {out}")


def _plans(db, dialect: str, day: date) -> list[str]:
    """The plan of every SELECT the scan runs, captured as it runs them (status lists written in, dates bound)."""
    from sqlalchemy import event

    from app import reminders

    statements: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        reminders.scan(day)
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    prefix = "EXPLAIN QUERY PLAN " if dialect == "sqlite" else "EXPLAIN "
    plans = []
    for sql, parameters in statements:
        rows = db.session.connection().exec_driver_sql(prefix + sql, parameters).all()
        plans.append(" ".join(sql.split())[:200] + "\n    " + "\n    ".join(str(r[-1]) for r in rows))
    return plans


def _print(results: dict) -> None:
    print(
        f"\n{results['database']}: {results['counts']}"
        + (f", data set built in {results['data_seconds']} s" if "data_seconds" in results else "")
    )
    print(f"{'page':40} {'user':12} {'ms':>8} {'floor ms':>9} {'SQL':>4} {'HTML KB':>8} {'peak MB':>8}")
    for row in results["pages"]:
        print(
            f"{row['page']:40} {row['user']:12} {row['ms']:>8} {row['floor_ms']:>9} {row['statements']:>4} "
            f"{row['html_kb']:>8} {row['peak_mb']:>8}"
        )
    scan = results["scan"]
    print(f"{'reminder scan (' + str(scan['due']) + ' due)':40} {'job':12} {scan['ms']:>8}")
    print("\nquery plans of the scan:")
    for plan in results["scan_plans"]:
        print("  " + plan)


if __name__ == "__main__":
    main()
