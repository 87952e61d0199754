"""Centre scoping: a specialist of centre B sees and changes nothing of centre A.

Covers the four leaks FAB's ``base_filters`` leave open (dropdowns, API writes with
foreign ids, actions with forged row ids, master/detail pages) plus list, show,
edit, delete and the API reads.
"""

from __future__ import annotations

from datetime import date

import pytest

from app.extensions import db
from app.models import Citizen, Measure, Programme
from tests import factories


@pytest.fixture
def case_a(world):
    """A citizen of centre A with an active programme and a measure."""
    citizen = factories.citizen(world.centre_a, surname="Секретова")
    programme = factories.programme(citizen, specialist=world.users["specialist"], number="A-1")
    measure = factories.measure(programme, title="Мероприятие центра А")
    return citizen, programme, measure


def test_list_hides_other_centres_citizens(case_a, login):
    html = login("specialist_b").get("/citizenview/list/").get_data(as_text=True)
    assert "Секретова" not in html
    html = login("specialist").get("/citizenview/list/").get_data(as_text=True)
    assert "Секретова" in html


@pytest.mark.parametrize(
    "url",
    [
        "/citizenview/show/{c}",
        "/citizenview/edit/{c}",
        "/programmeview/show/{p}",
        "/programmeview/edit/{p}",
        "/measureview/show/{m}",
        "/measureview/edit/{m}",
    ],
)
def test_show_and_edit_of_other_centre_are_not_found(case_a, login, url):
    citizen, programme, measure = case_a
    response = login("specialist_b").get(url.format(c=citizen.id, p=programme.id, m=measure.id))
    assert response.status_code in (302, 404)
    assert "Секретова" not in response.get_data(as_text=True)


def test_edit_post_and_delete_of_other_centre_change_nothing(case_a, login):
    citizen, programme, _ = case_a
    client = login("specialist_b")
    client.post(f"/citizenview/edit/{citizen.id}", data={"surname": "Взломанная", "first_name": "X"})
    client.post(f"/citizenview/delete/{citizen.id}")
    client.get(f"/citizenview/delete/{citizen.id}")
    db.session.expire_all()
    assert db.session.get(Citizen, citizen.id).surname == "Секретова"


def test_dropdowns_offer_only_own_centre(case_a, world, login):
    citizen, programme, _ = case_a
    html = login("specialist_b").get("/programmeview/add").get_data(as_text=True)
    assert "Секретова" not in html
    assert world.centre_a.short_name not in html
    html = login("specialist_b").get("/measureview/add").get_data(as_text=True)
    assert "A-1" not in html


def test_form_post_with_foreign_id_is_refused(case_a, login):
    _, programme, _ = case_a
    client = login("specialist_b")
    client.post(
        "/measureview/add",
        data={
            "programme": programme.id,
            "title": "Чужое",
            "kind": "legal",
            "due_date": "2026-12-01",
            "status": "planned",
        },
    )
    assert db.session.query(Measure).filter_by(title="Чужое").count() == 0


def test_api_reads_and_writes_with_foreign_ids(case_a, world, client, api_token):
    citizen, programme, measure = case_a
    headers = api_token("specialist_b")
    listing = client.get("/api/v1/citizen/", headers=headers).json
    assert all(row["id"] != citizen.id for row in listing["result"])
    assert client.get(f"/api/v1/citizen/{citizen.id}", headers=headers).status_code == 404
    assert client.get(f"/api/v1/measure/{measure.id}", headers=headers).status_code == 404
    created = client.post(
        "/api/v1/measure/",
        headers=headers,
        json={"programme": programme.id, "title": "Чужое", "kind": "legal", "due_date": "2026-12-01"},
    )
    assert created.status_code == 400, created.json
    moved = client.post(
        "/api/v1/citizen/",
        headers=headers,
        json={
            "surname": "Новый",
            "first_name": "Гражданин",
            "birth_date": "1960-01-01",
            "centre": world.centre_a.id,
            "disability_group": "none",
            "work_limitation": "none",
        },
    )
    assert moved.status_code == 400, moved.json
    put = client.put(f"/api/v1/citizen/{citizen.id}", headers=headers, json={"surname": "Взломанная"})
    assert put.status_code == 404
    assert client.delete(f"/api/v1/programme/{programme.id}", headers=headers).status_code in (403, 404)
    db.session.expire_all()
    assert db.session.get(Citizen, citizen.id).surname == "Секретова"
    assert db.session.query(Measure).filter_by(title="Чужое").count() == 0
    assert db.session.get(Programme, programme.id) is not None


def test_bulk_action_with_forged_row_ids_is_refused(case_a, login):
    _, _, measure = case_a
    response = login("specialist_b").post(
        "/measureview/action_post", data={"action": "muldelete", "rowid": [str(measure.id)]}
    )
    assert response.status_code == 404
    assert db.session.get(Measure, measure.id) is not None


def test_master_detail_related_lists_stay_scoped(case_a, world, login):
    citizen, _, _ = case_a
    own = factories.citizen(world.centre_b, surname="Своя")
    html = login("specialist_b").get(f"/citizenview/show/{own.id}").get_data(as_text=True)
    assert "A-1" not in html
    response = login("specialist_b").get(f"/citizenview/show/{citizen.id}")
    assert "A-1" not in response.get_data(as_text=True)


def test_lookup_dropdowns_search_only_the_users_centres(world, login, client):
    """Long lists are searched through /lookup/<name>: the same scope as every other read."""
    mine = factories.citizen(world.centre_a, surname="Орлова")
    theirs = factories.citizen(world.centre_b, surname="Орлов")
    factories.programme(theirs, number="Б-1")
    specialist = login("specialist")
    found = specialist.get("/lookup/citizen?q=орл").json
    assert [r["id"] for r in found["results"]] == [mine.id] and found["pagination"] == {"more": False}
    assert specialist.get("/lookup/programme?q=Б-1").json["results"] == []
    assert specialist.get("/lookup/nothing").status_code == 404
    assert login("admin").get("/lookup/citizen?q=О").status_code == 403  # the admin sees no case data
    client.get("/logout/")
    assert client.get("/lookup/citizen").status_code == 401


def test_forms_never_render_a_whole_table_into_a_dropdown(world, login):
    for _ in range(30):
        factories.citizen(world.centre_a, surname="Многоточиев")
    page = login("director").get("/programmeview/add").get_data(as_text=True)
    assert page.count("Многоточиев") == 0 and 'data-ajax--url="/lookup/citizen"' in page


def test_every_form_chooses_case_records_by_search(app):
    """Citizens' records and their cases grow with the years (a centre's programmes, appeals, decisions): every
    add and edit form of every view chooses such a related record through a lookup, never from a dropdown of all of
    them. Reference lists (categories, centres, staff, committees) may be dropdowns; a read-only journal (written by
    a case page's actions) has no form anybody may open."""
    from app.fab.lookups import LOOKUPS

    appbuilder = app.appbuilder
    checked, dropdowns = 0, []
    for view in appbuilder.baseviews:
        datamodel = getattr(view, "datamodel", None)
        columns = set(getattr(view, "add_columns", None) or ()) | set(getattr(view, "edit_columns", None) or ())
        if datamodel is None or not columns or not hasattr(view, "lookups"):
            continue
        if getattr(getattr(datamodel.obj, "__policy__", None), "read_only", False):
            continue
        for column in sorted(columns):
            if not datamodel.is_relation(column):
                continue
            checked += 1
            related = datamodel.get_related_model(column)
            if getattr(getattr(related, "__policy__", None), "case_data", False) and column not in view.lookups:
                dropdowns.append(f"{type(view).__name__}.{column} → {related.__name__}")
            elif column in view.lookups:
                assert LOOKUPS[view.lookups[column]].model is related, (type(view).__name__, column)
    assert checked > 5 and dropdowns == [], dropdowns


def test_a_measures_approving_decision_is_found_by_its_programme(world, case_a, login):
    """The measure form's decision: the approvals of measures in the user's centres, found by the programme's
    number; the form itself renders only the chosen one."""
    from app.models import Committee, CommitteeDecision

    group = factories.add(Committee(kind="working_group", name="МРГ", territory=world.territory_a))

    def decision(programme, kind="approve_measures", number="7"):
        return factories.add(
            CommitteeDecision(
                committee=group, programme=programme, meeting_date=date(2026, 3, 2), protocol_number=number,
                decision=kind,
            )
        )  # fmt: skip

    _, case, measure = case_a
    approving, _ = decision(case), decision(case, kind="close", number="8")
    other = factories.programme(factories.citizen(world.centre_b), number="Б-77")
    decision(other, number="9")
    measure.decision = approving
    db.session.commit()
    specialist = login("specialist")
    found = specialist.get("/lookup/committee_decision", query_string={"q": case.number}).json["results"]
    assert found == [{"id": approving.id, "text": f"№ 7 от 02.03.2026 — № {case.number}"}]
    assert specialist.get("/lookup/committee_decision", query_string={"q": "Б-77"}).json["results"] == []
    page = specialist.get(f"/measureview/edit/{measure.id}").get_data(as_text=True)
    assert 'data-ajax--url="/lookup/committee_decision"' in page and "№ 8 от" not in page


def test_a_programme_a_specialist_creates_without_choosing_is_their_own(world, login):
    from datetime import date

    from app.models import Programme

    citizen = factories.citizen(world.centre_a)
    response = login("specialist").post(
        "/programmeview/add",
        data={
            "number": "СВОЯ-1",
            "citizen": citizen.id,
            "centre": world.centre_a.id,
            "specialist": "",
            "start_date": "2026-03-01",
            "end_date": "2026-08-31",
        },
    )
    assert response.status_code == 302
    programme = db.session.scalar(db.select(Programme).where(Programme.number == "СВОЯ-1"))
    assert programme.specialist_id == world.users["specialist"].id and programme.start_date == date(2026, 3, 1)


def test_a_related_filter_in_the_url_is_read_through_the_scope(world, login):
    """Related lists take their parent from the session; a parent typed into a URL still goes through the scope."""
    theirs = factories.citizen(world.centre_b, surname="Чужая")
    factories.programme(theirs, number="Б-2")
    page = login("director").get(f"/programmeview/list/?_flt_0_citizen={theirs.id}").get_data(as_text=True)
    assert "Б-2" not in page and "Чужая" not in page


def test_a_measure_belongs_to_its_programmes_centre_however_it_is_saved(case_a, world, login, client, api_token):
    """A measure carries its programme's centre (its scope reads that column): set on every save, by the form, the
    API or the workflow, and following a programme moved to another centre."""
    citizen, programme, measure = case_a
    other = factories.programme(factories.citizen(world.centre_b), number="B-1")
    assert measure.centre_id == world.centre_a.id
    created = client.post(
        "/api/v1/measure/",
        headers=api_token("director"),
        json={"programme": programme.id, "title": "Через API", "kind": "legal", "due_date": "2026-12-01"},
    )
    assert created.status_code == 201, created.json

    measure.programme = other  # moved to a programme of centre B
    db.session.commit()
    assert db.session.get(Measure, measure.id).centre_id == world.centre_b.id
    programme.centre = world.centre_b
    db.session.commit()
    db.session.expire_all()
    assert {m.centre_id for m in db.session.query(Measure).filter_by(programme_id=programme.id)} == {world.centre_b.id}
    assert "Через API" not in login("director").get("/measureview/list/").get_data(as_text=True)
    assert "Через API" in login("specialist_b").get("/measureview/list/").get_data(as_text=True)
