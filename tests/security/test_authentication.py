"""Signing in, sessions and tokens: lockout, one answer for every failure, limits on failures (Redis or not), the end
of sessions and tokens, CSRF on cookie-authenticated API writes, the password policy, caching, redirects."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import redis
from flask_appbuilder.security.sqla.models import Role, User

from app import create_app
from app.extensions import db
from app.models import AccountState, AuditEntry, Reminder
from app.security import manager as security_manager
from tests import factories
from tests.conftest import RequestIsolatingClient, _test_config


def _strict_app(app, tmp_path_factory, **config):
    """A second app on the test database with CSRF and the sign-in limits on, as in production."""
    settings = _test_config(tmp_path_factory)
    settings.SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
    settings.WTF_CSRF_ENABLED = True
    settings.RATELIMIT_ENABLED = True
    settings.AUTH_RATE_LIMIT = "3 per minute"
    settings.AUTH_ACCOUNT_RATE_LIMIT = "4 per minute"
    for key, value in config.items():
        setattr(settings, key, value)
    strict = create_app(settings)
    strict.test_client_class = RequestIsolatingClient
    return strict


def _token_of(client, path: str = "/login/") -> str:
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def _sign_in(client, username: str, password: str, address: str = "10.1.1.1"):
    token = _token_of(client)
    return client.post(
        "/login/",
        data={"username": username, "password": password, "csrf_token": token},
        environ_base={"REMOTE_ADDR": address},
    )


def _api_login(client, username: str, password: str = factories.PASSWORD, address: str = "127.0.0.1"):
    return client.post(
        "/api/v1/security/login",
        json={"username": username, "password": password, "provider": "db"},
        environ_base={"REMOTE_ADDR": address},
    )


# --- lockout and one answer --------------------------------------------------------------------------------------


def test_an_account_not_edited_for_days_locks_after_five_failures(world, client, app):
    """The lock counts from the failure that locked the account, not from the user record's last change."""
    director = db.session.get(User, world.users["director"].id)
    director.changed_on = datetime.now() - timedelta(days=3)
    db.session.commit()
    for _ in range(app.config["LOGIN_LOCKOUT_THRESHOLD"]):
        assert _api_login(client, "director", "wrong-password-1").status_code == 401
    refused = _api_login(client, "director")  # the right password
    assert refused.status_code == 401
    state = db.session.get(AccountState, director.id)
    until = state.locked_until.replace(tzinfo=state.locked_until.tzinfo or UTC)
    minutes = app.config["LOGIN_LOCKOUT_MINUTES"]
    assert timedelta(minutes=minutes - 1) < until - datetime.now(UTC) <= timedelta(minutes=minutes)
    failures = db.select(AuditEntry).where(AuditEntry.action == "login_failed").order_by(AuditEntry.id)
    reasons = [entry.changes["reason"] for entry in db.session.scalars(failures)]
    assert reasons == ["wrong_password"] * 4 + ["locked_now", "locked"], reasons

    state.locked_until = datetime.now(UTC) - timedelta(seconds=1)  # the lock time is over
    db.session.commit()
    assert _api_login(client, "director").status_code == 200


def test_unknown_wrong_and_locked_accounts_get_the_same_answer_after_the_same_work(world, client, app, monkeypatch):
    """Each failure checks exactly one password hash, with the users' own method: neither the words nor the time
    tell whether the account exists or is locked."""
    checked = []
    original = security_manager.check_password_hash
    monkeypatch.setattr(
        security_manager, "check_password_hash", lambda h, p: checked.append(h.split("$")[0]) or original(h, p)
    )
    locked = world.users["registrar"]
    db.session.add(
        AccountState(user_id=locked.id, session_epoch=0, locked_until=datetime.now(UTC) + timedelta(hours=1))
    )
    db.session.commit()

    answers = {}
    for case, username, password in (
        ("unknown", "nobody-at-all", "wrong-password-1"),
        ("wrong", "specialist", "wrong-password-1"),
        ("locked", "registrar", factories.PASSWORD),
    ):
        checked.clear()
        response = _api_login(client, username, password)
        answers[case] = (response.status_code, response.json)
        assert len(checked) == 1, case
        assert checked[0] == db.session.get(User, world.users["director"].id).password.split("$")[0], case
    assert answers["unknown"] == answers["wrong"] == answers["locked"]
    assert answers["wrong"][0] == 401 and answers["wrong"][1]["rule"] == "invalid_login"

    pages = set()
    for username, password in (
        ("nobody-at-all", "x-wrong-1"),
        ("specialist", "x-wrong-1"),
        ("registrar", factories.PASSWORD),
    ):
        client.get("/logout/")
        response = client.post("/login/", data={"username": username, "password": password}, follow_redirects=True)
        pages.add(re.sub(r'name="csrf_token"[^>]*>', "", response.get_data(as_text=True)))
    assert len(pages) == 1


# --- limits on failures ------------------------------------------------------------------------------------------


def test_failures_are_limited_per_address_and_successes_are_not_counted(world, app, tmp_path_factory):
    strict = _strict_app(app, tmp_path_factory)
    with strict.app_context():
        client = strict.test_client()
        for _ in range(6):  # a centre signing in at nine from one address
            assert _sign_in(client, "director", factories.PASSWORD, "10.2.0.1").status_code == 302
            client.get("/logout/")
        codes = [_sign_in(client, f"nobody{n}", "wrong-password-1", "10.2.0.1").status_code for n in range(4)]
        assert codes == [302, 302, 302, 429]
        page = _sign_in(client, "director", factories.PASSWORD, "10.2.0.1")
        assert page.status_code == 429 and "Слишком много неудачных попыток" in page.get_data(as_text=True)
        assert _sign_in(client, "director", factories.PASSWORD, "10.2.0.2").status_code == 302  # another address


def test_failures_are_limited_per_account_from_any_address(world, app, tmp_path_factory):
    strict = _strict_app(app, tmp_path_factory)
    with strict.app_context():
        client = strict.test_client()
        codes = [_api_login(client, "ghost-account", "wrong-password-1", f"10.3.0.{n}").status_code for n in range(5)]
        assert codes == [401, 401, 401, 401, 429]
        too_many = _api_login(client, "ghost-account", "wrong-password-1", "10.3.1.1")
        assert too_many.json["rule"] == "too_many_attempts"


def test_the_limits_hold_with_redis_down(world, app, tmp_path_factory):
    """Redis unreachable: the failures are counted in the process, and signing in still works."""
    strict = _strict_app(app, tmp_path_factory, REDIS_URL="redis://127.0.0.1:1/0")
    with strict.app_context():
        client = strict.test_client()
        codes = [_api_login(client, "someone", "wrong-password-1", "10.4.0.1").status_code for _ in range(4)]
        assert codes == [401, 401, 401, 429]
        assert _api_login(client, "director", factories.PASSWORD, "10.4.0.2").status_code == 200


def test_the_limits_are_shared_by_the_processes_through_redis(world, app, tmp_path_factory):
    """Two web processes (two apps) on one Redis count the same failures."""
    url = factories.REDIS_URL
    connection = redis.Redis.from_url(url)
    try:
        connection.ping()
    except redis.RedisError:
        pytest.fail(f"Redis at {url} is needed by this test")
    for key in connection.scan_iter("LIMITS*"):
        connection.delete(key)
    first = _strict_app(app, tmp_path_factory, REDIS_URL=url)
    second = _strict_app(app, tmp_path_factory, REDIS_URL=url)
    with first.app_context():
        codes = [_api_login(first.test_client(), "shared", "wrong-1-pass", "10.5.0.1").status_code for _ in range(3)]
    with second.app_context():
        codes.append(_api_login(second.test_client(), "shared", "wrong-1-pass", "10.5.0.1").status_code)
    assert codes == [401, 401, 401, 429]


# --- sessions and tokens end -------------------------------------------------------------------------------------


def _cookie(client, app):
    return client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session")).value


def _replay(app, cookie: str):
    other = app.test_client()
    other.set_cookie(app.config.get("SESSION_COOKIE_NAME", "session"), cookie)
    return other.get("/citizenview/list/").status_code


def _bearer(app, username: str) -> dict:
    """An API token got by a client of its own (the browser's session cookie plays no part in its requests)."""
    token = _api_login(app.test_client(), username).json["access_token"]
    return {"Authorization": f"Bearer {token}"}


def test_signing_out_ends_the_session_and_the_tokens(world, login, app):
    client = app.test_client()
    browser = login("specialist")
    assert browser.get("/citizenview/list/").status_code == 200
    stolen = _cookie(browser, app)
    headers = _bearer(app, "specialist")
    assert client.get("/api/v1/citizen/", headers=headers).status_code == 200
    browser.get("/logout/")
    assert _replay(app, stolen) == 302  # the copied cookie signs nobody in
    assert client.get("/api/v1/citizen/", headers=headers).status_code == 401
    assert db.session.scalars(db.select(AuditEntry.action).where(AuditEntry.action == "logout")).all() == ["logout"]


def test_a_password_change_ends_the_other_sessions_and_tokens(world, login, app):
    client = app.test_client()
    elsewhere = _cookie(login("specialist"), app)
    other_browser = app.test_client()
    other_browser.set_cookie(app.config.get("SESSION_COOKIE_NAME", "session"), elsewhere)
    headers = _bearer(app, "specialist")
    browser = app.test_client()
    assert browser.post("/login/", data={"username": "specialist", "password": factories.PASSWORD}).status_code == 302
    changed = browser.post(
        "/resetmypassword/form", data={"password": "Новый-пароль-2026", "conf_password": "Новый-пароль-2026"}
    )
    assert changed.status_code == 302
    assert browser.get("/citizenview/list/").status_code == 200  # this browser stays signed in
    assert other_browser.get("/citizenview/list/").status_code == 302
    assert client.get("/api/v1/citizen/", headers=headers).status_code == 401
    assert _api_login(client, "specialist", "Новый-пароль-2026").status_code == 200


def test_deactivation_and_a_change_of_roles_end_sessions_and_tokens(world, login, app):
    client = app.test_client()
    for username, change in (
        ("specialist", lambda user: setattr(user, "active", False)),
        (
            "registrar",
            lambda user: user.roles.append(db.session.scalar(db.select(Role).where(Role.name == "Specialist"))),
        ),
    ):
        browser = login(username)
        cookie = _cookie(browser, app)
        headers = _bearer(app, username)
        change(db.session.get(User, world.users[username].id))
        db.session.commit()
        assert _replay(app, cookie) == 302, username
        assert client.get("/api/v1/citizen/", headers=headers).status_code == 401, username


# --- CSRF, passwords, caching, redirects ---------------------------------------------------------------------------


def test_an_api_write_with_the_session_cookie_needs_the_csrf_token(world, app, tmp_path_factory):
    case = factories.draft_case(world, datetime.now().date() - timedelta(days=2))
    other = factories.draft_case(world, datetime.now().date() - timedelta(days=2))
    strict = _strict_app(app, tmp_path_factory, RATELIMIT_ENABLED=False)
    with strict.app_context():
        browser = strict.test_client()
        assert _sign_in(browser, "specialist", factories.PASSWORD).status_code == 302
        forged = browser.post(f"/api/v1/programme/{case.id}/activate", data="{}", content_type="text/plain")
        assert forged.status_code == 400 and forged.json["rule"] == "csrf"
        assert db.session.get(type(case), case.id).status == "draft"
        token = _token_of(browser, "/citizenview/list/")
        allowed = browser.post(f"/api/v1/programme/{case.id}/activate", json={}, headers={"X-CSRFToken": token})
        assert allowed.status_code == 200, allowed.json
        bearer = strict.test_client()
        jwt = _api_login(bearer, "director").json["access_token"]
        done = bearer.post(
            f"/api/v1/programme/{other.id}/activate", json={}, headers={"Authorization": f"Bearer {jwt}"}
        )
        assert done.status_code == 200, done.json  # a bearer token needs no CSRF token


@pytest.mark.parametrize("weak", ["aaaaaaaaa1", "password123", "Qwerty12345", "1234567890", "Специалист1"])
def test_weak_passwords_are_refused_by_the_form(weak, world, login):
    browser = login("specialist")
    response = browser.post("/resetmypassword/form", data={"password": weak, "conf_password": weak})
    assert response.status_code == 200 and "слишком легко подобрать" in response.get_data(as_text=True)
    assert _api_login(browser, "specialist", weak).status_code == 401


def test_pages_and_files_with_personal_data_are_not_stored(world, login):
    citizen = factories.citizen(world.centre_a)
    programme = factories.programme(citizen)
    browser = login("director")
    for url in (f"/citizenview/show/{citizen.id}", f"/case/{programme.id}/form.xlsx", "/api/v1/citizen/", "/"):
        assert browser.get(url).headers["Cache-Control"] == "no-store", url
    assert "no-store" not in (browser.get("/static/appbuilder/css/ab.css").headers.get("Cache-Control") or "")


@pytest.mark.parametrize(
    ("sent", "lands"),
    [
        ("https://evil.example/phish", "/reminders/mine"),
        ("//evil.example", "/reminders/mine"),
        ("/\\evil.example", "/reminders/mine"),
        ("javascript:alert(1)", "/reminders/mine"),
        ("/case/mine", "/case/mine"),
    ],
)
def test_reminders_redirect_only_to_the_consoles_own_pages(sent, lands, world, login):
    programme = factories.programme(factories.citizen(world.centre_a), specialist=world.users["specialist"])
    reminder = factories.add(
        Reminder(
            recipient_id=world.users["specialist"].id,
            kind="interim_due",
            subject_key=f"p{programme.id}",
            programme_id=programme.id,
            due_date=datetime.now().date(),
        )
    )
    response = login("specialist").post(f"/reminders/{reminder.id}/read", data={"next": sent})
    assert response.status_code == 302 and response.headers["Location"] == lands
