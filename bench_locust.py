"""The simulated users of ``python bench.py --load`` (Locust, headless): specialists, directors and the department of
the benchmark's region doing what they do all day, against the console served by gunicorn.

* a specialist opens My cases and a case, ticks an item of the stage checklist, marks a measure done, looks at the
  measures and citizens lists and searches a citizen by surname;
* a director looks at the dashboard, My cases of the centre, a case, the lists (citizens by category), searches,
  and opens the month's report;
* the department looks at the region's dashboard, the board of who submitted, the region's lists and My cases.

Each simulated user signs in once (the form, with its CSRF token), then works with a pause of one to three seconds
between clicks (faster than a person reads a page). Whom to play and which cases and measures are theirs is read
from the database once at the start (``BENCH_DATABASE_URL``). Writes go to the copy of the data set that
``bench.py --load`` serves and drops afterwards.
"""

from __future__ import annotations

import os
import random
import re
from datetime import date

import psycopg
from locust import HttpUser, between, events, task

PASSWORD = "bench-Password-2026"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
TICK = re.compile(r'action="/case/\d+/tick".*?name="csrf_token" value="([^"]+)".*?name="item" value="([^"]+)"', re.S)
SURNAMES = ["Иванов", "Петров", "Сидоров", "Кузнецов", "Смирнов", "Попов", "Лебедев", "Козлов", "Новиков", "Морозов"]
CASES: dict[str, dict] = {}  # username → {"programmes": [...], "measures": [...], "report": id or None}


@events.test_start.add_listener
def read_the_region(environment, **kwargs) -> None:
    """Each specialist's open programmes and their planned measures, each director's report of the month."""
    with psycopg.connect(os.environ["BENCH_DATABASE_URL"]) as conn:
        for username, programme, measure in conn.execute(
            "SELECT u.username, p.id, min(m.id) FROM programme p JOIN ab_user u ON u.id = p.specialist_id "
            "LEFT JOIN measure m ON m.programme_id = p.id AND m.status = 'planned' "
            "WHERE p.status IN ('active', 'extended') GROUP BY u.username, p.id"
        ):
            mine = CASES.setdefault(username, {"programmes": [], "measures": [], "report": None})
            mine["programmes"].append(programme)
            if measure is not None:
                mine["measures"].append(measure)
        for username, report in conn.execute(
            "SELECT u.username, max(r.id) FROM ab_user u JOIN staff_profile s ON s.user_id = u.id "
            "LEFT JOIN monthly_report r ON r.centre_id = s.centre_id WHERE u.username LIKE 'director%' "
            "GROUP BY u.username"
        ):
            CASES[username] = {"programmes": [], "measures": [], "report": report}


class ConsoleUser(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    usernames: list[str] = []

    def on_start(self) -> None:
        self.username = random.choice(self.usernames)
        self.csrf: str | None = None
        self.mine = CASES.get(self.username, {"programmes": [], "measures": [], "report": None})
        form = self.client.get("/login/", name="login")
        self.client.post(
            "/login/",
            data={"username": self.username, "password": PASSWORD, "csrf_token": CSRF.search(form.text).group(1)},
            name="login",
        )

    def case_id(self) -> int | None:
        if self.mine["programmes"]:
            return random.choice(self.mine["programmes"])
        found = re.findall(r'href="/case/(\d+)"', self.client.get("/case/mine", name="My cases").text)
        return int(random.choice(found)) if found else None

    def open_case(self) -> None:
        pk = self.case_id()
        if pk is not None:
            self.client.get(f"/case/{pk}", name="case page")

    def search(self) -> None:
        self.client.get(f"/citizenview/list/?_flt_2_surname={random.choice(SURNAMES)}", name="search: citizens")


class Specialist(ConsoleUser):
    weight = 6
    usernames = [f"specialist{c}{b}" for c in range(1, 51) for b in ("", "b")]

    @task(3)
    def my_cases(self) -> None:
        self.client.get("/case/mine", name="My cases")

    @task(4)
    def case_page(self) -> None:
        self.open_case()

    @task(1)
    def tick(self) -> None:
        pk = self.case_id()
        if pk is None:
            return
        found = TICK.search(self.client.get(f"/case/{pk}", name="case page").text)
        if found:  # the first item not yet ticked of an open stage
            token, item = found.groups()
            self.client.post(
                f"/case/{pk}/tick",
                data={"csrf_token": token, "item": item, "done_on": date.today().isoformat()},
                name="tick",
            )

    @task(1)
    def measure_done(self) -> None:
        if not self.mine["measures"]:
            return
        if self.csrf is None:  # the session's token, as the console's pages carry it (a cookie API write needs it)
            pk = self.case_id()
            found = CSRF.search(self.client.get(f"/case/{pk}", name="case page").text) if pk else None
            self.csrf = found.group(1) if found else ""
        measure = random.choice(self.mine["measures"])
        self.client.put(
            f"/api/v1/measure/{measure}",
            json={"status": "done", "done_on": date.today().isoformat()},
            headers={"X-CSRFToken": self.csrf},
            name="measure done",
        )

    @task(2)
    def lists(self) -> None:
        self.client.get(random.choice(["/measureview/list/", "/citizenview/list/"]), name="lists")

    @task(1)
    def search_citizen(self) -> None:
        self.search()


class Director(ConsoleUser):
    weight = 3
    usernames = [f"director{c}" for c in range(1, 51)]

    @task(3)
    def dashboard(self) -> None:
        self.client.get("/", name="dashboard")

    @task(2)
    def my_cases(self) -> None:
        self.client.get("/case/mine", name="My cases")

    @task(2)
    def case_page(self) -> None:
        self.open_case()

    @task(2)
    def lists(self) -> None:
        path = random.choice(
            ["/programmeview/list/", "/citizenview/list/?_oc_CitizenView=category&_od_CitizenView=asc"]
        )
        self.client.get(path, name="lists")

    @task(1)
    def search_citizen(self) -> None:
        self.search()

    @task(1)
    def report(self) -> None:
        report = self.mine["report"]
        if report is not None:
            self.client.get(f"/monthlyreportview/show/{report}", name="report draft")
        else:
            self.client.get("/monthlyreportview/list/", name="report draft")


class Department(ConsoleUser):
    weight = 1
    usernames = ["department"]

    @task(3)
    def dashboard(self) -> None:
        self.client.get("/", name="dashboard")

    @task(2)
    def board(self) -> None:
        self.client.get("/monthlyreportview/board", name="report board")

    @task(2)
    def lists(self) -> None:
        path = random.choice(["/measureview/list/", "/programmeview/list/", "/citizenview/list/"])
        self.client.get(path, name="lists")

    @task(1)
    def my_cases(self) -> None:
        self.client.get("/case/mine", name="My cases")

    @task(1)
    def search_citizen(self) -> None:
        self.search()
