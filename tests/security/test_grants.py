"""Four eyes over access to case data, and the audit of every change of users, roles and permissions.

The administrator gives roles; a role that opens case data takes effect only when a second person confirms it: the
centre's director for the centre's staff, a department user for directors, territories and the department. Never the
administrator, never the user concerned, never whoever asked.
"""

from __future__ import annotations

from flask import current_app
from flask_appbuilder.security.sqla.models import Group, Role, User
from sqlalchemy import select

from app.domain import roles
from app.domain.choices import GrantStatus
from app.extensions import db
from app.models import AccessGrant, AuditEntry, StaffProfile
from tests import factories

REFUSED = (302, 403)  # FAB's answer to a signed-in user without the permission


def _role(name: str) -> Role:
    return db.session.scalar(select(Role).where(Role.name == name))


def _grants(username: str) -> list[AccessGrant]:
    user = db.session.scalar(select(User).where(User.username == username))
    return list(db.session.scalars(select(AccessGrant).where(AccessGrant.user_id == user.id).order_by(AccessGrant.id)))


def _pending(username: str) -> AccessGrant:
    (grant,) = [g for g in _grants(username) if g.status == GrantStatus.PENDING]
    return grant


def _admin_creates(login, world, username: str, role: str, centre=None, territory=None):
    """The administrator's two forms: the user with its role, then its staff profile."""
    admin = login("admin")
    created = admin.post(
        "/users/add",
        data={
            "first_name": "Новый",
            "last_name": "Сотрудник",
            "username": username,
            "active": "y",
            "email": f"{username}@example.org",
            "roles": str(_role(role).id),
            "password": factories.PASSWORD,
            "conf_password": factories.PASSWORD,
        },
    )
    assert created.status_code == 302, created.get_data(as_text=True)[:2000]
    user = db.session.scalar(select(User).where(User.username == username))
    profile = {"user": str(user.id), "position": "специалист"}
    if centre is not None:
        profile["centre"] = str(centre.id)
    if territory is not None:
        profile["territory"] = str(territory.id)
    assert admin.post("/staffprofileview/add", data=profile).status_code == 302
    return user


def _confirm(client, grant: AccessGrant):
    return client.post(f"/accessgrantview/confirm/{grant.id}", data={"note": "приказ о приёме"})


def test_a_new_specialist_works_once_the_centres_director_confirms(world, login):
    citizen = factories.citizen(world.centre_a, surname="Подопечная")
    _admin_creates(login, world, "newcomer", roles.SPECIALIST, centre=world.centre_a)
    grant = _pending("newcomer")
    assert grant.roles == "Specialist" and grant.centre_id == world.centre_a.id
    assert grant.requested_by_id == world.users["admin"].id

    newcomer = login("newcomer")
    assert newcomer.get("/citizenview/list/").status_code in REFUSED  # no access until confirmed
    assert "специалист по социальному сопровождению» ожидает подтверждения" in newcomer.get("/").get_data(as_text=True)
    assert newcomer.get(f"/api/v1/citizen/{citizen.id}").status_code in (401, 403)

    assert _confirm(login("admin"), grant).status_code == 302  # the administrator never confirms
    director_b = factories.user("director_b", roles.DIRECTOR, centre=world.centre_b)
    assert director_b and _confirm(login("director_b"), grant).status_code == 404  # another centre's: not shown
    assert _confirm(login("newcomer"), grant).status_code in REFUSED  # nor the user concerned
    db.session.expire_all()
    assert db.session.get(AccessGrant, grant.id).status == GrantStatus.PENDING

    page = login("director").get(f"/accessgrantview/show/{grant.id}").get_data(as_text=True)
    assert "Подтвердить доступ" in page
    assert _confirm(login("director"), grant).status_code == 302
    db.session.expire_all()
    confirmed = db.session.get(AccessGrant, grant.id)
    assert confirmed.status == GrantStatus.CONFIRMED and confirmed.decided_by_id == world.users["director"].id
    assert "Подопечная" in login("newcomer").get("/citizenview/list/").get_data(as_text=True)
    assert "ожидает подтверждения" not in login("newcomer").get("/").get_data(as_text=True)
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "grant_confirmed")).username == "director"


def test_the_administrator_cannot_give_itself_case_data(world, login):
    """It may hold the Department role only when another department user confirms it."""
    factories.citizen(world.centre_a, surname="Скрытова")
    admin_user = db.session.get(User, world.users["admin"].id)
    admin_user.roles.append(_role(roles.DEPARTMENT))
    db.session.commit()
    grant = _pending("admin")
    admin = login("admin")
    assert "Скрытова" not in admin.get("/citizenview/list/").get_data(as_text=True)
    assert _confirm(admin, grant).status_code == 302
    db.session.expire_all()
    assert db.session.get(AccessGrant, grant.id).status == GrantStatus.PENDING
    assert _confirm(login("director"), grant).status_code == 404  # a director does not even see it
    db.session.expire_all()
    assert db.session.get(AccessGrant, grant.id).status == GrantStatus.PENDING
    assert _confirm(login("department"), grant).status_code == 302
    assert "Скрытова" in login("admin").get("/citizenview/list/").get_data(as_text=True)


def test_directors_and_territories_are_confirmed_by_the_department(world, login):
    _admin_creates(login, world, "new_director", roles.DIRECTOR, centre=world.centre_a)
    grant = _pending("new_director")
    _confirm(login("director"), grant)
    _confirm(login("territory"), grant)
    db.session.expire_all()
    assert db.session.get(AccessGrant, grant.id).status == GrantStatus.PENDING
    _confirm(login("department"), grant)
    db.session.expire_all()
    assert db.session.get(AccessGrant, grant.id).status == GrantStatus.CONFIRMED


def test_moving_to_another_centre_waits_for_that_centres_director(world, login):
    factories.citizen(world.centre_b, surname="Бетова")
    profile = db.session.scalar(select(StaffProfile).where(StaffProfile.user_id == world.users["specialist"].id))
    profile.centre = world.centre_b
    db.session.commit()
    moved = login("specialist")
    assert moved.get("/citizenview/list/").status_code in REFUSED
    grant = _pending("specialist")
    assert _confirm(login("director"), grant).status_code == 404  # not even shown to the old centre's director
    db.session.expire_all()
    assert db.session.get(AccessGrant, grant.id).status == GrantStatus.PENDING
    factories.user("director_b", roles.DIRECTOR, centre=world.centre_b)
    _confirm(login("director_b"), grant)
    assert "Бетова" in login("specialist").get("/citizenview/list/").get_data(as_text=True)


def test_taking_a_role_away_takes_effect_at_once_and_giving_one_waits(world, login):
    journal, programmes = 'href="/appealview/list/"', 'href="/programmeview/list/"'
    menu = login("registrar").get("/").get_data(as_text=True)  # the menu of the registrar's roles, kept
    assert journal in menu and programmes not in menu
    registrar = db.session.get(User, world.users["registrar"].id)
    registrar.roles = [_role(roles.SPECIALIST)]
    db.session.commit()
    assert login("registrar").get("/programmeview/list/").status_code in REFUSED  # Specialist waits
    assert login("registrar").get("/appealview/list/").status_code in REFUSED  # Registrar is gone
    assert _pending("registrar").roles == "Specialist"
    menu = login("registrar").get("/").get_data(as_text=True)  # the menu follows the roles that count, at once
    assert journal not in menu and programmes not in menu
    assert _confirm(login("director"), _pending("registrar")).status_code == 302
    assert programmes in login("registrar").get("/").get_data(as_text=True)


def test_a_password_set_by_the_administrator_waits_for_a_confirmation(world, login):
    admin = login("admin")
    user = world.users["specialist"]
    reset = admin.post(
        f"/resetpassword/form?pk={user.id}",
        data={"password": "Весна-в-Югре-2026", "conf_password": "Весна-в-Югре-2026"},
    )
    assert reset.status_code == 302
    specialist = login("specialist", "Весна-в-Югре-2026")
    assert specialist.get("/citizenview/list/").status_code in REFUSED
    grant = _pending("specialist")
    assert grant.reason == "password_reset"
    _confirm(login("director"), grant)
    assert login("specialist", "Весна-в-Югре-2026").get("/citizenview/list/").status_code == 200


def test_deactivation_drops_the_grant_and_a_reactivated_account_waits(world, login):
    user = db.session.get(User, world.users["specialist"].id)
    user.active = False
    db.session.commit()
    user.active = True
    db.session.commit()
    assert login("specialist").get("/citizenview/list/").status_code in REFUSED
    assert _pending("specialist").reason == "reactivated"


def test_a_group_that_carries_a_case_role_asks_for_a_grant_too(world, login):
    newcomer = factories.user("grouped", roles.ADMIN, centre=world.centre_a)
    group = Group(name="Отдел", label="Отдел", roles=[_role(roles.DIRECTOR)], users=[newcomer])
    db.session.add(group)
    db.session.commit()
    assert login("grouped").get("/programmeview/list/").status_code in REFUSED
    assert _pending("grouped").roles == "Director"


def test_the_first_department_user_is_confirmed_on_the_server_once(app, login):
    sm = app.appbuilder.sm
    first = sm.add_user(
        "first_dept", "Первый", "Пользователь", "first@example.org", sm.find_role(roles.DEPARTMENT), factories.PASSWORD
    )
    runner = app.test_cli_runner()
    result = runner.invoke(args=["access", "confirm-first-department", "first_dept"])
    assert result.exit_code == 0, result.output
    assert [g.status for g in _grants("first_dept")][-1] == GrantStatus.CONFIRMED
    assert login("first_dept").get("/citizenview/list/").status_code == 200
    sm.add_user(
        "second_dept",
        "Второй",
        "Пользователь",
        "second@example.org",
        sm.find_role(roles.DEPARTMENT),
        factories.PASSWORD,
    )
    again = runner.invoke(args=["access", "confirm-first-department", "second_dept"])
    assert again.exit_code != 0 and "уже есть" in again.output
    assert first is not None


def test_every_change_of_users_roles_and_permissions_is_audited(world, login):
    admin = login("admin")
    user = world.users["registrar"]
    form = {
        "first_name": "Test",
        "last_name": "registrar",
        "username": "registrar",
        "active": "y",
        "email": "registrar@example.org",
        "roles": [str(_role(roles.REGISTRAR).id), str(_role(roles.SPECIALIST).id)],
    }
    assert admin.post(f"/users/edit/{user.id}", data=form).status_code == 302
    entry = db.session.scalar(
        select(AuditEntry)
        .where(AuditEntry.object_type == "ab_user", AuditEntry.action == "update")
        .order_by(AuditEntry.id.desc())
    )
    assert entry.username == "admin" and entry.object_id == user.id
    assert entry.changes["roles"] == [["Registrar"], ["Registrar", "Specialist"]]

    role = Role(name="Наблюдатель")
    db.session.add(role)
    db.session.commit()
    created = db.session.scalar(
        select(AuditEntry)
        .where(AuditEntry.object_type == "ab_role", AuditEntry.action == "create")
        .order_by(AuditEntry.id.desc())
    )
    assert created.changes["name"] == [None, "Наблюдатель"]
    permission = current_app.appbuilder.sm.add_permission_view_menu("can_list", "CitizenView")
    role.permissions.append(permission)
    db.session.commit()
    granted = db.session.scalar(
        select(AuditEntry)
        .where(AuditEntry.object_type == "ab_role", AuditEntry.action == "update")
        .order_by(AuditEntry.id.desc())
    )
    assert granted.changes["permissions"] == [[], [str(permission)]]
    assert (
        admin.post(
            f"/resetpassword/form?pk={user.id}",
            data={"password": "Весна-в-Югре-2026", "conf_password": "Весна-в-Югре-2026"},
        ).status_code
        == 302
    )
    password = db.session.scalar(
        select(AuditEntry).where(AuditEntry.object_type == "ab_user").order_by(AuditEntry.id.desc())
    )
    assert password.changes["password"] == ["…", "changed"]  # never the hash


def test_the_requests_page_shows_each_decider_their_own(world, login):
    factories.user("pending_a", roles.SPECIALIST, centre=world.centre_a, confirmed=False)
    factories.user("pending_b", roles.SPECIALIST, centre=world.centre_b, confirmed=False)
    director = login("director").get("/accessgrantview/list/").get_data(as_text=True)
    assert "pending_a" in director and "pending_b" not in director
    everything = login("admin").get("/accessgrantview/list/").get_data(as_text=True)
    assert "pending_a" in everything and "pending_b" in everything
    assert login("specialist").get("/accessgrantview/list/").status_code in REFUSED
