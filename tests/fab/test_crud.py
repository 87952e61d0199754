"""Every entity of the console can be created, shown, edited and deleted through its HTML form by the admin.

One ``Case`` per CRUD view the app registers (``app.fab.registry.model_views``): how to fill its add form
(relationship fields take the related id, choice fields the code, dates ``YYYY-MM-DD``), which value the show page
must display, and which field the edit changes. The system's own records (audit log, reminders) are read-only
and tested apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from flask import current_app
from sqlalchemy import func, select

from app.extensions import db
from app.fab.registry import model_views
from app.models import (
    Appeal,
    AppealDocument,
    AuditEntry,
    Category,
    Centre,
    Circumstance,
    Citizen,
    Committee,
    CommitteeDecision,
    CommitteeMember,
    Consent,
    HouseholdMember,
    Measure,
    MonthlyReport,
    Organisation,
    Programme,
    Reminder,
    StaffProfile,
    Territory,
    Unit,
)
from app.models.policy import policy_of
from app.platform.clock import today as regional_today
from tests import factories


@dataclass
class Case:
    """How to drive one view's forms.

    ``form(world)`` returns the add form's data (it may create the related rows it needs); ``key`` finds the
    created row; ``shown`` must appear on its show page; ``edit`` is merged into the form data for the edit and
    ``edited`` is what the row holds afterwards.
    """

    view: str
    model: type
    form: Callable[[factories.World], dict[str, str]]
    key: dict[str, object]
    shown: str
    edit: dict[str, str]
    edited: dict[str, object]
    check: Callable[[object, factories.World], None] | None = None

    def __str__(self) -> str:
        return self.view


def _citizen(world):
    return factories.citizen(world.centre_a)


def _programme(world):
    return factories.programme(_citizen(world), specialist=world.users["specialist"])


def _check_citizen(row, world):
    assert row.snils == "112-233-445 95"  # normalised by the SNILS rule
    assert [c.id for c in row.circumstances] == [world.circumstance.id]
    assert row.category_id == world.category.id
    assert row.centre_id == world.centre_a.id


def _check_measure(row, world):
    assert [o.name for o in row.organisations] == ["Поликлиника Тест-Север"]
    assert row.programme.number.startswith("П-")


def _staff_user(world):
    sm = current_app.appbuilder.sm
    user = sm.add_user("newcomer", "Новый", "Сотрудник", "newcomer@example.org", sm.find_role("Specialist"), "x-Pass-1")
    assert user
    return user


CASES = [
    Case(
        view="territoryview",
        model=Territory,
        form=lambda w: {"name": "Территория Тест-Север"},
        key={"name": "Территория Тест-Север"},
        shown="Территория Тест-Север",
        edit={"name": "Территория Тест-Юг"},
        edited={"name": "Территория Тест-Юг"},
    ),
    Case(
        view="centreview",
        model=Centre,
        form=lambda w: {
            "name": "КЦСОН Тест-Полярный",
            "short_name": "Полярный",
            "territory": str(w.territory_a.id),
            "address": "ул. Ленина, 1",
            "phone": "+7 3462 22-33-44",
            "email": "polar@example.org",
            "director_name": "Петрова Анна Сергеевна",
        },
        key={"name": "КЦСОН Тест-Полярный"},
        shown="Петрова Анна Сергеевна",
        edit={"director_name": "Смирнова Ольга Ивановна", "territory": "{territory_b}"},
        edited={"director_name": "Смирнова Ольга Ивановна"},
    ),
    Case(
        view="unitview",
        model=Unit,
        form=lambda w: {"centre": str(w.centre_a.id), "name": "Отделение Тест-консультативное"},
        key={"name": "Отделение Тест-консультативное"},
        shown="Отделение Тест-консультативное",
        edit={"name": "Отделение Тест-срочное"},
        edited={"name": "Отделение Тест-срочное"},
    ),
    Case(
        view="organisationview",
        model=Organisation,
        form=lambda w: {"name": "Поликлиника Тест-5", "kind": "health", "territory": str(w.territory_a.id)},
        key={"name": "Поликлиника Тест-5"},
        shown="Поликлиника Тест-5",
        edit={"kind": "police"},
        edited={"kind": "police"},
    ),
    Case(
        view="categoryview",
        model=Category,
        form=lambda w: {"name": "Выпускники детских домов Тест", "sort_order": "3"},
        key={"name": "Выпускники детских домов Тест"},
        shown="Выпускники детских домов Тест",
        edit={"sort_order": "7"},
        edited={"sort_order": 7},
    ),
    Case(
        view="circumstanceview",
        model=Circumstance,
        form=lambda w: {"name": "Отсутствие работы Тест", "sort_order": "2"},
        key={"name": "Отсутствие работы Тест"},
        shown="Отсутствие работы Тест",
        edit={"name": "Отсутствие средств к существованию Тест"},
        edited={"name": "Отсутствие средств к существованию Тест"},
    ),
    Case(
        view="citizenview",
        model=Citizen,
        form=lambda w: {
            "surname": "Тестова",
            "first_name": "Мария",
            "patronymic": "Петровна",
            "birth_date": "1960-05-04",
            "sex": "female",
            "snils": "11223344595",
            "address": "г. Сургут, ул. Мира, 5",
            "phone": "+7 912 345-67-89",
            "category": str(w.category.id),
            "disability_group": "group_2",
            "work_limitation": "none",
            "family_status": "single",
            "circumstances": str(w.circumstance.id),
            "centre": str(w.centre_a.id),
        },
        key={"surname": "Тестова"},
        shown="г. Сургут, ул. Мира, 5",
        edit={"address": "г. Сургут, ул. Мира, 7"},
        edited={"address": "г. Сургут, ул. Мира, 7", "birth_date": date(1960, 5, 4)},
        check=_check_citizen,
    ),
    Case(
        view="householdmemberview",
        model=HouseholdMember,
        form=lambda w: {
            "citizen": str(_citizen(w).id),
            "relation": "сын",
            "full_name": "Тестов Пётр Иванович",
            "birth_date": "1990-01-01",
            "work_or_study": "ООО Тест-Ромашка",
        },
        key={"full_name": "Тестов Пётр Иванович"},
        shown="ООО Тест-Ромашка",
        edit={"work_or_study": "СурГУ Тест"},
        edited={"work_or_study": "СурГУ Тест"},
    ),
    Case(
        view="consentview",
        model=Consent,
        form=lambda w: {"citizen": str(_citizen(w).id), "signed_on": "2025-09-02", "scope": "Данные о здоровье Тест"},
        key={"scope": "Данные о здоровье Тест"},
        shown="Данные о здоровье Тест",
        edit={"revoked_on": "2025-10-01"},
        edited={"revoked_on": date(2025, 10, 1), "signed_on": date(2025, 9, 2)},
    ),
    Case(
        view="appealview",
        model=Appeal,
        form=lambda w: {
            "centre": str(w.centre_a.id),
            "journal_number": "77-Т",
            "appeal_date": "2025-01-15",
            "citizen": str(_citizen(w).id),
            "channel": "application",
            "reason": "Утрата работы Тест",
            "problems": "Нет средств к существованию",
            "decision": "pending",
        },
        key={"journal_number": "77-Т"},
        shown="Утрата работы Тест",
        edit={"decision": "enrolled"},
        edited={"decision": "enrolled"},
    ),
    Case(
        view="appealdocumentview",
        model=AppealDocument,
        form=lambda w: {
            "appeal": str(factories.appeal(_citizen(w), with_documents=False).id),
            "kind": "need_assessment",
            "document_date": "2025-01-16",
            "note": "Акт Тест-17",
        },
        key={"note": "Акт Тест-17"},
        shown="Акт Тест-17",
        edit={"note": "Акт Тест-18"},
        edited={"note": "Акт Тест-18", "kind": "need_assessment"},
    ),
    Case(
        view="programmeview",
        model=Programme,
        form=lambda w: {
            "number": "П-Тест-1",
            "citizen": str(_citizen(w).id),
            "centre": str(w.centre_a.id),
            "specialist": str(w.users["specialist"].id),
            "start_date": "2025-02-01",
            "end_date": "2025-07-31",
            "goals": "Трудоустройство Тест",
        },
        key={"number": "П-Тест-1"},
        shown="Трудоустройство Тест",
        edit={"goals": "Постоянная работа Тест", "end_date": "2025-07-15"},
        edited={"goals": "Постоянная работа Тест", "end_date": date(2025, 7, 15), "status": "draft"},
    ),
    Case(
        view="measureview",
        model=Measure,
        form=lambda w: {
            "programme": str(_programme(w).id),
            "title": "Консультация юриста Тест",
            "kind": "legal",
            "organisations": str(factories.organisation(w.territory_a, name="Поликлиника Тест-Север").id),
            "participants_text": "Юрист центра",
            "due_date": (regional_today() + timedelta(days=10)).isoformat(),  # within the programme's term
            "status": "planned",
        },
        key={"title": "Консультация юриста Тест"},
        shown="Консультация юриста Тест",
        edit={
            "status": "done",
            "done_on": (regional_today() - timedelta(days=2)).isoformat(),
            "result_note": "Иск подан Тест",
        },
        edited={"status": "done", "done_on": regional_today() - timedelta(days=2), "result_note": "Иск подан Тест"},
        check=_check_measure,
    ),
    Case(
        view="committeeview",
        model=Committee,
        form=lambda w: {
            "kind": "extension_commission",
            "name": "Комиссия Тест по продлению",
            "centre": str(w.centre_a.id),
            "order_number": "15-о",
            "order_date": "2025-01-10",
        },
        key={"name": "Комиссия Тест по продлению"},
        shown="Комиссия Тест по продлению",
        edit={"order_number": "16-о"},
        edited={"order_number": "16-о", "order_date": date(2025, 1, 10)},
    ),
    Case(
        view="committeememberview",
        model=CommitteeMember,
        form=lambda w: {
            "committee": str(factories.committee(w.centre_a).id),
            "full_name": "Сидорова Ольга Тест",
            "role": "chair",
            "position": "заместитель директора",
            "organisation": str(factories.organisation(w.territory_a).id),
        },
        key={"full_name": "Сидорова Ольга Тест"},
        shown="Сидорова Ольга Тест",
        edit={"role": "secretary"},
        edited={"role": "secretary"},
    ),
    Case(
        view="decisionview",
        model=CommitteeDecision,
        form=lambda w: {
            "committee": str(factories.committee(w.centre_a).id),
            "programme": str(_programme(w).id),
            "meeting_date": "2025-07-20",
            "protocol_number": "3-Тест",
            "decision": "approve_measures",  # an extension extends the programme: see test_casework.py
            "reason": "Желание гражданина Тест",
        },
        key={"protocol_number": "3-Тест"},
        shown="Желание гражданина Тест",
        edit={"protocol_number": "4-Тест"},
        edited={"protocol_number": "4-Тест", "decision": "approve_measures"},
    ),
    Case(
        view="monthlyreportview",
        model=MonthlyReport,
        form=lambda w: {
            "centre": str(w.centre_a.id),
            "month": "2025-06-01",
            "preparer_name": "Иванова Тест Петровна",
            "preparer_phone": "+7 3462 11-22-33",
        },
        key={"preparer_name": "Иванова Тест Петровна"},
        shown="Иванова Тест Петровна",
        edit={"result_info": "Два гражданина трудоустроены", "note": "Без замечаний"},  # figures come from the data
        edited={"result_info": "Два гражданина трудоустроены", "month": date(2025, 6, 1), "status": "draft"},
    ),
    Case(
        view="staffprofileview",
        model=StaffProfile,
        form=lambda w: {
            "user": str(_staff_user(w).id),
            "centre": str(w.centre_a.id),
            "position": "специалист по социальной работе Тест",
            "phone": "+7 3462 55-66-77",
        },
        key={"position": "специалист по социальной работе Тест"},
        shown="специалист по социальной работе Тест",
        edit={"phone": "+7 3462 55-66-78"},
        edited={"phone": "+7 3462 55-66-78"},
    ),
]


def _fill(data: dict[str, str], world) -> dict[str, str]:
    placeholders = {"{territory_b}": str(world.territory_b.id)}
    return {name: placeholders.get(value, value) for name, value in data.items()}


def _row(model, key):
    db.session.expire_all()
    return db.session.scalars(select(model).filter_by(**key)).one_or_none()


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_every_registered_entity_view_has_a_crud_case():
    """A view added to the menu without a case here would go untested: keep the list complete."""
    views = model_views(current_app.appbuilder)
    # records written by the case page (ticks, control events) or by the system (audit, reminders) are read-only
    registered = {type(view).__name__.lower() for view in views if not policy_of(view.datamodel.obj).read_only}
    assert registered == {case.view for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_operator_creates_shows_edits_and_deletes(case: Case, world, login):
    """The admin for reference data, centre A's director for case data (the admin sees no case data)."""
    client = login(factories.operator_for_view(case.view))
    data = case.form(world)
    before = _count(case.model)

    response = client.post(f"/{case.view}/add", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    row = _row(case.model, case.key)
    assert row is not None, f"{case.view}: the add form did not create the row"
    assert _count(case.model) == before + 1
    if case.check:
        case.check(row, world)
    pk = row.id

    response = client.get(f"/{case.view}/show/{pk}")
    assert response.status_code == 200
    assert case.shown in response.get_data(as_text=True)

    response = client.get(f"/{case.view}/edit/{pk}")
    assert response.status_code == 200
    response = client.post(f"/{case.view}/edit/{pk}", data={**data, **_fill(case.edit, world)})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    row = db.session.get(case.model, pk, populate_existing=True)
    for name, expected in case.edited.items():
        assert getattr(row, name) == expected, name

    response = client.post(f"/{case.view}/delete/{pk}")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(case.model, pk) is None, f"{case.view}: the row survived the delete"
    assert _count(case.model) == before


def test_delete_by_get_is_refused_while_csrf_protection_is_installed(world, login):
    """FAB 5.3 deletes on POST only when CSRFProtect is installed: a link or an image tag cannot delete a row."""
    client = login("admin")
    category_id = world.category.id
    response = client.get(f"/categoryview/delete/{category_id}")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Category, category_id) is not None


def test_delete_of_a_missing_row_is_404(world, login):
    client = login("admin")
    assert client.post("/categoryview/delete/999999").status_code == 404


def _audit_entry(world) -> AuditEntry:
    return factories.add(
        AuditEntry(
            user_id=world.users["director"].id,
            username="director",
            remote_addr="10.0.0.7",
            action="view",
            object_type="Citizen",
            object_id=4242,
            centre_id=world.centre_a.id,
            changes={"surname": ["Иванов", "Петров"]},
        )
    )


def _reminder(world) -> Reminder:
    programme = _programme(world)
    return factories.add(
        Reminder(
            recipient_id=world.users["specialist"].id,
            kind="interim_due",
            subject_key=f"programme:{programme.id}",
            programme_id=programme.id,
            centre_id=world.centre_a.id,
            due_date=regional_today() + timedelta(days=3),
            created_at=datetime.now(),
        )
    )


READ_ONLY_CASES = [
    pytest.param("auditentryview", AuditEntry, _audit_entry, "10.0.0.7", "department", id="audit log"),
    pytest.param("reminderview", Reminder, _reminder, "specialist", "specialist", id="reminders"),
]


def _refused(response) -> bool:
    if response.status_code in (403, 404, 405):
        return True
    return response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize(("view", "model", "make", "shown", "reader"), READ_ONLY_CASES)
def test_read_only_views_list_and_show_but_refuse_changes(view, model, make, shown, reader, world, login):
    """The audit log is append-only evidence of who read or changed personal data (152-ФЗ), and reminders are
    written by the scan job from the rules: neither may be added, edited or deleted by hand, even by the admin
    (``base_permissions`` holds only ``can_list`` and ``can_show``)."""
    row = make(world)
    client = login(reader)
    before = _count(model)

    response = client.get(f"/{view}/list/")
    assert response.status_code == 200
    assert f"/{view}/show/{row.id}" in response.get_data(as_text=True)
    response = client.get(f"/{view}/show/{row.id}")
    assert response.status_code == 200
    assert shown in response.get_data(as_text=True)

    assert _refused(client.get(f"/{view}/add"))
    assert _refused(client.post(f"/{view}/add", data={"username": "intruder", "kind": "report_warning"}))
    assert _refused(client.post(f"/{view}/edit/{row.id}", data={"username": "intruder", "kind": "report_warning"}))
    assert _refused(client.post(f"/{view}/delete/{row.id}"))

    db.session.expire_all()
    assert _count(model) == before
    assert db.session.get(model, row.id) is not None
