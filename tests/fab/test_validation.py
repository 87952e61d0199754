"""Bad input never breaks a form: the form comes back (400, not a redirect, never a 500) with the error by the
field, the user's other input kept, and nothing written. Plus unit tests of the field rules themselves.

The error texts are the app's own rule messages (``app.platform.labels.RULE_MESSAGES``) rendered through the same Babel
catalogue as the page, so these tests hold while the Russian catalogue is being written.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from app.domain.errors import RuleViolation
from app.domain.validation import normalize_phone, normalize_snils, snils_checksum
from app.extensions import db
from app.models import Citizen, Consent, Programme
from app.platform.clock import today as regional_today
from app.platform.labels import rule_message
from tests import factories


def _field_errors(html: str, field: str) -> list[str]:
    """The error texts FAB renders in the ``alert-danger`` block that follows the field's input."""
    start = html.find(f'id="{field}"')
    assert start != -1, f"field {field} is not in the form"
    end = html.find("<label", start)
    block = html[start : end if end != -1 else len(html)]
    found = re.search(r'<div class="alert alert-danger">(.*?)</div>', block, re.S)
    return [" ".join(found.group(1).split())] if found else []


def _message(app, code: str) -> str:
    """The rule message as the page renders it (same locale, same catalogue, HTML-escaped)."""
    with app.test_request_context("/"):
        return str(escape(rule_message(RuleViolation(code))))


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def _citizen_form(world, **changes) -> dict[str, str]:
    data = {
        "surname": "Уникальнова",
        "first_name": "Зинаида",
        "patronymic": "Петровна",
        "birth_date": "1958-11-23",
        "sex": "female",
        "snils": "112-233-445 95",
        "address": "г. Нягань, ул. Сибирская, 12",
        "phone": "+7 912 345-67-89",
        "category": str(world.category.id),
        "disability_group": "none",
        "work_limitation": "none",
        "family_status": "single",
        "circumstances": str(world.circumstance.id),
        "centre": str(world.centre_a.id),
    }
    data.update(changes)
    return data


def _assert_form_refused(response, field: str, kept: str, message: str | None = None) -> None:
    """The form is shown again (no redirect, no 500) with an error by ``field`` and the other input kept."""
    assert response.status_code == 400, response.status_code  # the same form again, refused
    html = response.get_data(as_text=True)
    errors = _field_errors(html, field)
    assert errors, f"no error shown by {field}"
    if message is not None:
        assert message in errors[0], errors
    assert kept in html, f"the user's input {kept!r} was lost"


def test_the_citizen_form_accepts_the_valid_input_used_below(world, login):
    """Guards the cases below: each one changes a single field of an otherwise valid form."""
    response = login("director").post("/citizenview/add", data=_citizen_form(world))
    assert response.status_code == 302
    assert _count(Citizen) == 1


CITIZEN_CASES = [
    pytest.param("snils", "112-233-445 96", "snils_checksum", id="SNILS with a wrong check number"),
    pytest.param("snils", "112-233-44A 95", "snils_format", id="SNILS with letters"),
    pytest.param("phone", "+7 912 ABC-67-89", "phone_format", id="phone with letters"),
    pytest.param("representative_phone", "звоните после 18", "phone_format", id="representative phone as text"),
    pytest.param("birth_date", (regional_today() + timedelta(days=1)).isoformat(), "date_in_future", id="future birth"),
    pytest.param("birth_date", "1850-01-01", "date_too_old", id="birth before 1900"),
    pytest.param("birth_date", "23.11.58", None, id="birth date with a two-digit year"),
    pytest.param("surname", "", None, id="missing surname"),
    pytest.param("centre", "999999", None, id="non-existent centre id"),
    pytest.param("category", "999999", None, id="non-existent category id"),
    pytest.param("sex", "bogus", None, id="unknown choice code"),
]


@pytest.mark.parametrize(("field", "value", "code"), CITIZEN_CASES)
def test_citizen_form_refuses_bad_input(field, value, code, app, world, login):
    client = login("director")
    data = _citizen_form(world, **{field: value})
    kept = "г. Нягань, ул. Сибирская, 12"

    response = client.post("/citizenview/add", data=data)

    _assert_form_refused(response, field, kept, _message(app, code) if code else None)
    assert _count(Citizen) == 0


def test_family_status_other_needs_a_description(app, world, login):
    """«иное» is only meaningful with its text (programme form §1); the HTML form says so by the text field."""
    client = login("director")
    data = _citizen_form(world, family_status="other", family_status_other="")

    response = client.post("/citizenview/add", data=data)

    _assert_form_refused(response, "family_status_other", "Уникальнова", _message(app, "family_status_other"))
    assert _count(Citizen) == 0

    data["family_status_other"] = "проживает с опекуном"
    assert client.post("/citizenview/add", data=data).status_code == 302
    assert db.session.scalars(select(Citizen)).one().family_status_other == "проживает с опекуном"


def test_a_snils_already_registered_is_refused(world, login):
    """SNILS is unique when given: FAB's ``Unique`` validator answers in the form instead of an IntegrityError."""
    factories.citizen(world.centre_b, snils="112-233-445 95")
    client = login("director")

    response = client.post("/citizenview/add", data=_citizen_form(world, snils="11223344595"))

    _assert_form_refused(response, "snils", "Уникальнова")
    assert _count(Citizen) == 1


def test_an_edit_with_bad_input_changes_nothing(app, world, login):
    citizen = factories.citizen(world.centre_a, snils="087-654-303 00", phone="+7 900 000-00-00")
    client = login("director")
    data = _citizen_form(world, surname=citizen.surname, snils="087-654-303 01", phone="+7 900 111-11-11")

    response = client.post(f"/citizenview/edit/{citizen.id}", data=data)

    _assert_form_refused(response, "snils", "+7 900 111-11-11", _message(app, "snils_checksum"))
    db.session.expire_all()
    assert db.session.get(Citizen, citizen.id).snils == "087-654-303 00"
    assert db.session.get(Citizen, citizen.id).phone == "+7 900 000-00-00"


def test_programme_cannot_end_before_it_starts(app, world, login):
    citizen = factories.citizen(world.centre_a)
    client = login("director")
    data = {
        "number": "П-Проверка-1",
        "citizen": str(citizen.id),
        "centre": str(world.centre_a.id),
        "start_date": "2025-03-01",
        "end_date": "2025-02-28",
        "goals": "Цель Проверка",
    }

    response = client.post("/programmeview/add", data=data)

    _assert_form_refused(response, "end_date", "П-Проверка-1", _message(app, "date_before_start"))
    assert _count(Programme) == 0


def test_consent_cannot_be_revoked_before_it_was_signed(app, world, login):
    citizen = factories.citizen(world.centre_a)
    client = login("director")
    data = {
        "citizen": str(citizen.id),
        "signed_on": "2025-09-10",
        "scope": "Данные Проверка о здоровье",
        "revoked_on": "2025-09-01",
    }

    response = client.post("/consentview/add", data=data)

    _assert_form_refused(response, "revoked_on", "Данные Проверка о здоровье", _message(app, "revoked_before_signed"))
    assert _count(Consent) == 0


# --- the field rules of app/domain/validation.py -------------------------------------------------------------


@pytest.mark.parametrize(
    ("digits", "expected"),
    [
        ("112233445", 95),  # weighted sum 196 > 101: 196 mod 101
        ("000000000", 0),  # sum below 100 is the check number itself
        ("000000011", 3),
        ("000586006", 0),  # sum exactly 100
        ("000902766", 0),  # sum exactly 101
        ("007998190", 0),  # sum 201: mod 101 gives 100, written 00
        ("000197975", 24),  # sum 125
    ],
)
def test_snils_checksum(digits, expected):
    assert snils_checksum(digits) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("112-233-445 95", "112-233-445 95"),
        ("11223344595", "112-233-445 95"),
        (" 112 233 445 95 ", "112-233-445 95"),
        ("087-654-303 00", "087-654-303 00"),
        (None, None),
        ("", None),
        ("   ", None),
    ],
)
def test_normalize_snils_accepts_and_formats(value, expected):
    assert normalize_snils(value) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("112-233-445 96", "snils_checksum"),
        ("112-233-445 00", "snils_checksum"),
        ("112-233-445 9", "snils_format"),  # 10 digits
        ("112-233-445 955", "snils_format"),  # 12 digits
        ("112-233-44A 95", "snils_format"),
        ("112.233.445 95", "snils_format"),
        ("СНИЛС 112-233-445 95", "snils_format"),
    ],
)
def test_normalize_snils_rejects(value, code):
    with pytest.raises(RuleViolation) as raised:
        normalize_snils(value)
    assert raised.value.code == code
    assert raised.value.field == "snils"


@pytest.mark.parametrize("value", factories.VALID_SNILS)
def test_the_factories_snils_examples_are_valid(value):
    assert normalize_snils(value) == value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("+7 912 345-67-89", "+7 912 345-67-89"),
        ("+7 (3462) 22-33-44", "+7 (3462) 22-33-44"),
        ("8 912 345 67 89", "8 912 345 67 89"),
        ("  +7  912   345-67-89 ", "+7 912 345-67-89"),
        ("89123456789", "89123456789"),
        ("22-33-44", "22-33-44"),
        ("12345", "12345"),
        (None, None),
        ("", None),
    ],
)
def test_normalize_phone_accepts(value, expected):
    assert normalize_phone(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "+7 912 ABC-67-89",
        "телефон 22-33-44",
        "+1 212 555 01 01",  # 11 digits, not a Russian number
        "+7 912 345-67-8",  # 10 digits
        "+7 912 345-67-890",  # 12 digits
        "1234",  # too short for a local number
        "+22-33-44",  # a local number has no country code
    ],
)
def test_normalize_phone_rejects(value):
    with pytest.raises(RuleViolation) as raised:
        normalize_phone(value)
    assert raised.value.code == "phone_format"
