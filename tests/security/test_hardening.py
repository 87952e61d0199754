"""Hardening: CSRF, login rate limits (form and API), lockout, password policy, headers,
optimistic locking, case history that cannot be deleted, responsibility within a centre."""

from __future__ import annotations

import re

import pytest
from flask_appbuilder.exceptions import PasswordComplexityValidationError

from app import create_app
from app.extensions import db
from app.models import Citizen, Programme
from app.security.manager import password_policy
from tests import factories
from tests.conftest import _test_config


@pytest.fixture(scope="module")
def strict_app(app, tmp_path_factory):
    """A second app sharing the test database, with CSRF and rate limits on as in production."""
    config = _test_config(tmp_path_factory)
    config.SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
    config.WTF_CSRF_ENABLED = True
    config.RATELIMIT_ENABLED = True
    config.AUTH_RATE_LIMIT = "3 per minute"
    return create_app(config)


def test_post_without_csrf_token_is_refused(world, strict_app):
    with strict_app.app_context():
        client = strict_app.test_client()
        response = client.post("/login/", data={"username": "director", "password": factories.PASSWORD})
        assert response.status_code == 400


def _csrf_token(client) -> str:
    html = client.get("/login/", environ_base={"REMOTE_ADDR": "10.0.0.9"}).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def test_form_login_is_rate_limited(world, strict_app):
    with strict_app.app_context():
        client = strict_app.test_client()
        token = _csrf_token(client)
        codes = [
            client.post(
                "/login/",
                data={"username": "x", "password": "y", "csrf_token": token},
                environ_base={"REMOTE_ADDR": "10.0.0.1"},
            ).status_code
            for _ in range(4)
        ]
        assert codes == [302, 302, 302, 429]


def test_api_login_is_rate_limited(world, strict_app):
    with strict_app.app_context():
        client = strict_app.test_client()
        body = {"username": "director", "password": "wrong-password-1", "provider": "db"}
        codes = [
            client.post("/api/v1/security/login", json=body, environ_base={"REMOTE_ADDR": "10.0.0.2"}).status_code
            for _ in range(4)
        ]
        assert codes[:3] == [401, 401, 401] and codes[3] == 429


def test_account_is_locked_after_repeated_failures(world, client, app):
    for _ in range(app.config["LOGIN_LOCKOUT_THRESHOLD"]):
        client.post("/login/", data={"username": "director", "password": "wrong-password-1"})
    response = client.post("/login/", data={"username": "director", "password": factories.PASSWORD})
    assert "/login/" in response.headers.get("Location", "")
    assert client.get("/citizenview/list/").status_code == 302  # still signed out


@pytest.mark.parametrize("password", ["short1", "aaaaaaaaa1", "1234567890", "password123", "Qwerty12345"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(PasswordComplexityValidationError):
        password_policy(password)


def test_good_password_passes():
    password_policy("Социальная-2026")


def test_security_headers(client):
    headers = client.get("/login/").headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_session_cookie_is_http_only(world, login, app):
    client = login("director")
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"


def _programme_form(programme, **changes):
    data = {
        "number": programme.number,
        "citizen": programme.citizen_id,
        "centre": programme.centre_id,
        "specialist": programme.specialist_id or "",
        "start_date": programme.start_date.isoformat(),
        "end_date": programme.end_date.isoformat(),
        "version": programme.version,
    }
    data.update(changes)
    return data


def test_second_save_of_a_stale_form_is_refused(world, login):
    citizen = factories.citizen(world.centre_a)
    programme = factories.programme(citizen, specialist=world.users["specialist"], goals="исходная")
    stale = _programme_form(programme)
    client = login("director")
    assert client.post(f"/programmeview/edit/{programme.id}", data={**stale, "goals": "первая"}).status_code == 302
    response = client.post(
        f"/programmeview/edit/{programme.id}", data={**stale, "goals": "вторая"}, follow_redirects=True
    )
    db.session.expire_all()
    assert db.session.get(Programme, programme.id).goals == "первая"
    assert "Reload the page" in response.get_data(as_text=True) or "Обновите" in response.get_data(as_text=True)


def test_api_put_with_stale_version_is_refused(world, client, api_token):
    citizen = factories.citizen(world.centre_a)
    programme = factories.programme(citizen, specialist=world.users["specialist"])
    headers = api_token("director")
    first = client.put(
        f"/api/v1/programme/{programme.id}", headers=headers, json={"goals": "первая", "version": programme.version}
    )
    assert first.status_code == 200, first.json
    second = client.put(f"/api/v1/programme/{programme.id}", headers=headers, json={"goals": "вторая", "version": 1})
    assert second.status_code == 409
    assert (second.json["rule"], second.json["field"]) == ("stale_version", "version")
    db.session.expire_all()
    assert db.session.get(Programme, programme.id).goals == "первая"


def test_citizen_with_programmes_cannot_be_deleted(world, login, client, api_token):
    citizen = factories.citizen(world.centre_a)
    factories.programme(citizen)
    response = login("director").post(f"/citizenview/delete/{citizen.id}", follow_redirects=True)
    assert response.status_code == 200
    api = client.delete(f"/api/v1/citizen/{citizen.id}", headers=api_token("director"))
    assert api.status_code == 400
    db.session.expire_all()
    assert db.session.get(Citizen, citizen.id) is not None


def test_specialist_edits_only_own_programmes(world, login):
    colleague = factories.user("colleague", "Specialist", centre=world.centre_a)
    citizen = factories.citizen(world.centre_a)
    theirs = factories.programme(citizen, specialist=colleague, goals="чужая")
    mine = factories.programme(citizen, specialist=world.users["specialist"], goals="моя")
    client = login("specialist")
    assert client.get(f"/programmeview/show/{theirs.id}").status_code == 200  # read-only for others
    client.post(f"/programmeview/edit/{theirs.id}", data=_programme_form(theirs, goals="изменена"))
    client.post(f"/programmeview/edit/{mine.id}", data=_programme_form(mine, goals="изменена"))
    # and may not hand the own programme to somebody else
    db.session.expire_all()
    mine = db.session.get(Programme, mine.id)
    client.post(f"/programmeview/edit/{mine.id}", data=_programme_form(mine, specialist=colleague.id))
    db.session.expire_all()
    assert db.session.get(Programme, theirs.id).goals == "чужая"
    assert db.session.get(Programme, mine.id).goals == "изменена"
    assert db.session.get(Programme, mine.id).specialist_id == world.users["specialist"].id


def test_director_reassigns_a_programme_within_the_centre(world, login):
    colleague = factories.user("colleague", "Specialist", centre=world.centre_a)
    citizen = factories.citizen(world.centre_a)
    programme = factories.programme(citizen, specialist=world.users["specialist"])
    client = login("director")
    assert (
        client.post(
            f"/programmeview/edit/{programme.id}", data=_programme_form(programme, specialist=colleague.id)
        ).status_code
        == 302
    )
    client.post(
        f"/programmeview/edit/{programme.id}",
        data=_programme_form(db.session.get(Programme, programme.id), specialist=world.users["specialist_b"].id),
    )
    db.session.expire_all()
    assert db.session.get(Programme, programme.id).specialist_id == colleague.id
