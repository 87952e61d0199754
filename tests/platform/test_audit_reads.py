"""Every read of a citizen's personal data is in the audit log, once per request; searches by SNILS and the
search-as-you-type lists with their term; nothing is deleted silently; FAB's generic file route serves nothing.

The pages are found from the app: every card and edit form of a view over a model of case data (``__policy__``
``case_data``), and the case's own pages.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import current_app
from flask_appbuilder import ModelView
from sqlalchemy import func, select

from app.domain import roles
from app.extensions import db
from app.models import Appeal, AppealDocument, AuditEntry, Citizen, Programme
from app.models.policy import ByRecipient, policy_of
from app.security.roles import PERMISSIONS
from tests import factories
from tests.security import isolation


def _views_over_case_data():
    """Views over case data that a centre's staff read (a reminder is read by its recipient alone: its card is
    audited like the others, and tested with the reminders)."""
    return [
        view
        for view in current_app.appbuilder.baseviews
        if isinstance(view, ModelView)
        and (policy := policy_of(view.datamodel.obj)) is not None
        and policy.case_data
        and not isinstance(policy.rows, ByRecipient)
    ]


def _reads(model: type, pk: int) -> int:
    query = select(func.count(AuditEntry.id)).where(
        AuditEntry.action == "view", AuditEntry.object_type == model.__tablename__, AuditEntry.object_id == pk
    )
    return db.session.scalar(query)


def test_every_card_and_edit_form_of_case_data_is_audited_once(world, login):
    region = isolation.build_region(world)
    department = login("department")
    director = login("director")
    checked = []
    for view in _views_over_case_data():
        model = view.datamodel.obj
        for pk in region.records.get(model, [])[:1]:
            for action, client in (("show", department), ("edit", director)):
                if f"can_{action}" not in view.base_permissions:
                    continue
                before = _reads(model, pk)
                response = client.get(f"{view.route_base}/{action}/{pk}")
                assert response.status_code == 200, f"{view.route_base}/{action}/{pk}"
                assert _reads(model, pk) == before + 1, f"{view.route_base}/{action}/{pk}"
                checked.append(f"{model.__name__}.{action}")
    assert len(checked) >= 12, checked


@pytest.mark.parametrize(
    "path",
    [
        "/case/{pk}",
        "/case/{pk}/print",
        "/case/{pk}/form.xlsx",
        "/api/v1/programme/{pk}",
        "/api/v1/programme/{pk}/timeline",
        "/api/v1/programme/{pk}/checklist",
    ],
)
def test_the_case_pages_and_the_api_are_audited_once(path, world, login, client, api_token):
    programme = factories.programme(factories.citizen(world.centre_a), specialist=world.users["specialist"])
    reader = client if path.startswith("/api/") else login("director")
    headers = api_token("director") if path.startswith("/api/") else {}
    assert reader.get(path.format(pk=programme.id), headers=headers).status_code == 200
    assert _reads(Programme, programme.id) == 1


def test_a_refused_read_is_not_a_read(world, login):
    citizen = factories.citizen(world.centre_b)
    assert login("director").get(f"/citizenview/show/{citizen.id}").status_code == 404
    assert _reads(Citizen, citizen.id) == 0


def test_searches_by_snils_and_lookups_are_audited_with_their_term(world, login, client, api_token):
    citizen = factories.citizen(world.centre_a, surname="Поисковая", snils="112-233-445 95")
    director = login("director")
    assert "Поисковая" in director.get("/citizenview/list/?_flt_0_snils=112-233").get_data(as_text=True)
    director.get("/lookup/citizen?q=Поиск")
    api = client.get(
        "/api/v1/citizen/?q=(filters:!((col:snils,opr:eq,value:'112-233-445 95')))", headers=api_token("director")
    )
    assert api.status_code == 200 and api.json["ids"] == [citizen.id]
    searches = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "search").order_by(AuditEntry.id)).all()
    assert [(s.username, s.changes["field"], s.changes["term"], s.changes["found"]) for s in searches] == [
        ("director", "snils", "112-233", [citizen.id]),
        ("director", "citizen", "Поиск", [citizen.id]),
        ("director", "snils", "112-233-445 95", [citizen.id]),
    ]


def test_deleting_an_appeal_deletes_its_documents_each_with_its_entry(world, login):
    appeal = factories.appeal(factories.citizen(world.centre_a))
    appeal_id, documents = appeal.id, [d.id for d in appeal.documents]
    assert len(documents) == 2
    assert login("director").post(f"/appealview/delete/{appeal_id}").status_code == 302
    db.session.expire_all()
    assert db.session.get(Appeal, appeal_id) is None
    deleted = db.session.scalars(
        select(AuditEntry.object_id).where(AuditEntry.action == "delete", AuditEntry.object_type == "appeal_document")
    ).all()
    assert sorted(deleted) == sorted(documents)


def test_the_appeal_of_an_activated_programme_is_kept(world, login, client, api_token):
    citizen = factories.citizen(world.centre_a)
    appeal = factories.appeal(citizen)
    factories.programme(citizen, appeal=appeal, status="active")
    login("director").post(f"/appealview/delete/{appeal.id}")
    refused = client.delete(f"/api/v1/appeal/{appeal.id}", headers=api_token("director"))
    assert refused.status_code == 400 and refused.json["rule"] == "appeal_has_programme"
    db.session.expire_all()
    assert db.session.get(Appeal, appeal.id) is not None
    assert db.session.scalar(select(func.count(AppealDocument.id)).where(AppealDocument.appeal_id == appeal.id)) == 2


@pytest.mark.parametrize("username", ["admin", "department", "director", "specialist", "registrar"])
def test_the_generic_file_route_serves_nothing_to_anybody(username, world, login, app):
    """FAB's /<view>/download/<stored name> answers 404 on every view, and no role holds a download permission."""
    stored = "0000_sep_scan.pdf"
    Path(app.config["UPLOAD_FOLDER"], stored).write_bytes(b"%PDF scan")
    client = login(username)
    routes = [r for r in app.url_map.iter_rules() if r.rule.endswith("/download/<string:filename>")]
    assert routes  # FAB's own security views still register theirs (the console's views have none)
    for rule in routes:
        assert client.get(rule.rule.replace("<string:filename>", stored)).status_code == 404, rule.rule
    sm = app.appbuilder.sm
    for role in roles.ALL_ROLES:
        for view in app.appbuilder.baseviews:
            assert not sm._has_access_builtin_roles(sm.find_role(role), "can_download", view.class_permission_name)
    assert all("can_download" not in perms for perms in PERMISSIONS.values())
