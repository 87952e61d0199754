"""The role matrix: every role × every view and API resource × every action, against the declaration.

The views and APIs are discovered from the app (a new one is covered without editing this file), and the
expectations come from their models' declarations (``__policy__``), so the matrix cannot drift from what is
deployed. Permission is checked before a row is looked up, so ids that do
not exist tell "allowed" (404, or a form error) from "denied" (redirect / 401 / 403)
without any data. Row-level limits (which centre) are tested in test_scope.py.
"""

from __future__ import annotations

import pytest
from flask import current_app
from flask_appbuilder.api import ModelRestApi

from app.domain import roles
from app.fab.registry import model_views
from app.models import MonthlyReport, Programme
from app.models.policy import policy_of
from app.security.roles import allowed, level, serves
from tests import factories

MISSING = 999999
USERS = {
    roles.ADMIN: "admin",
    roles.DEPARTMENT: "department",
    roles.TERRITORY: "territory",
    roles.DIRECTOR: "director",
    roles.SPECIALIST: "specialist",
    roles.REGISTRAR: "registrar",
    roles.PARTNER: "partner",
}

# action → (FAB permission, method, path template, statuses meaning "allowed")
VIEW_ACTIONS = {
    "list": ("can_list", "GET", "/{v}/list/", {200}),
    "show": ("can_show", "GET", f"/{{v}}/show/{MISSING}", {404}),
    "add": ("can_add", "GET", "/{v}/add", {200}),
    "edit": ("can_edit", "GET", f"/{{v}}/edit/{MISSING}", {404}),
    "delete": ("can_delete", "POST", f"/{{v}}/delete/{MISSING}", {404}),
}
API_ACTIONS = {
    "list": ("can_get", "GET", "/api/v1/{a}/", {200}),
    "show": ("can_get", "GET", f"/api/v1/{{a}}/{MISSING}", {404}),
    "add": ("can_post", "POST", "/api/v1/{a}/", {400, 422}),
    "edit": ("can_put", "PUT", f"/api/v1/{{a}}/{MISSING}", {404}),
    "delete": ("can_delete", "DELETE", f"/api/v1/{{a}}/{MISSING}", {404}),
}
READ_ONLY_VIEW_PERMISSIONS = {"can_list", "can_show"}
# Exports: (model, FAB permission, method, path, statuses meaning "allowed")
EXPORTS = [
    (MonthlyReport, "can_show", "GET", f"/monthlyreportview/download/{MISSING}", {404}),
    (MonthlyReport, "can_list", "POST", "/monthlyreportview/consolidated", {200}),
    (Programme, "can_show", "GET", f"/case/{MISSING}/form.xlsx", {404}),
    (Programme, "can_show", "GET", f"/case/{MISSING}/print", {404}),
]


def _views():
    return model_views(current_app.appbuilder)


def _apis():
    return [api for api in current_app.appbuilder.baseviews if isinstance(api, ModelRestApi)]


def _expected(model: type, role: str, permission: str, surface=None) -> bool:
    if policy_of(model).read_only and permission not in READ_ONLY_VIEW_PERMISSIONS:
        return False
    if surface is not None and not serves(surface, role):
        return False  # a centre's view is not a partner's, nor a partner's page a centre's
    return allowed(model, role, permission)


@pytest.mark.parametrize("role", list(USERS))
def test_console_views_follow_the_declaration(role, world, login):
    client = login(USERS[role])
    wrong = []
    for registered in _views():
        view, model = type(registered).__name__.lower(), registered.datamodel.obj
        for action, (permission, method, path, ok) in VIEW_ACTIONS.items():
            response = client.open(path.format(v=view), method=method)
            got = response.status_code in ok
            if got != _expected(model, role, permission, registered):
                wrong.append(f"{role} {action} {view}: {response.status_code}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", list(USERS))
def test_api_resources_follow_the_declaration(role, world, client, api_token):
    headers = api_token(USERS[role])
    wrong = []
    for api in _apis():
        model, name = api.datamodel.obj, api.resource_name
        for action, (permission, method, path, ok) in API_ACTIONS.items():
            response = client.open(path.format(a=name), method=method, headers=headers, json={})
            got = response.status_code in ok
            if got != _expected(model, role, permission, api):
                wrong.append(f"{role} {action} api/{name}: {response.status_code}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", list(USERS))
def test_exports_follow_the_declaration(role, world, login):
    client = login(USERS[role])
    wrong = []
    for model, permission, method, path, ok in EXPORTS:
        response = client.open(path, method=method, data={"month": "2026-03"})
        if (response.status_code in ok) != _expected(model, role, permission):
            wrong.append(f"{role} export {path}: {response.status_code}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", list(USERS))
def test_each_role_sees_only_the_menus_it_can_use(role, world, login):
    html = login(USERS[role]).get("/").get_data(as_text=True)
    for view in _views():
        link = f'href="/{type(view).__name__.lower()}/list/"'
        shown = level(view.datamodel.obj, role) is not None and serves(view, role)
        assert (link in html) == shown, f"{role}: menu entry of {view}"


def test_a_user_without_a_centre_sees_no_case_data(world, login):
    factories.user("drifter", roles.SPECIALIST)  # a specialist nobody attached to a centre
    citizen = factories.citizen(world.centre_a, surname="Невидимова")
    client = login("drifter")
    assert "Невидимова" not in client.get("/citizenview/list/").get_data(as_text=True)
    assert client.get(f"/citizenview/show/{citizen.id}").status_code == 404


def test_roles_sync_is_idempotent(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["roles", "sync"])
    second = runner.invoke(args=["roles", "sync"])
    assert first.exit_code == 0 and second.exit_code == 0
    assert "none (all present)" in second.output


def test_matrix_size():
    """Printed in the closing note: roles × (views × actions + APIs × actions + exports)."""
    size = len(USERS) * (len(_views()) * len(VIEW_ACTIONS) + len(_apis()) * len(API_ACTIONS) + len(EXPORTS))
    assert size == 7 * (24 * 5 + 7 * 5 + 4)
