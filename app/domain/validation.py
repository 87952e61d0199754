"""Field rules shared by the forms and the API: SNILS, phone, dates in order."""

from __future__ import annotations

import re
from datetime import date

from app.domain.errors import RuleViolation

_PHONE_DIGITS = re.compile(r"\d")


def snils_checksum(digits: str) -> int:
    """Control number of a SNILS: weighted sum of the 9 digits, reduced mod 101 (100 and 101 give 00)."""
    total = sum(int(d) * (9 - i) for i, d in enumerate(digits[:9]))
    if total < 100:
        return total
    if total in (100, 101):
        return 0
    total %= 101
    return 0 if total == 100 else total


def normalize_snils(value: str | None) -> str | None:
    """Return ``XXX-XXX-XXX YY`` or ``None`` for an empty value; raise on a wrong SNILS."""
    if value is None or not value.strip():
        return None
    digits = "".join(ch for ch in value if ch.isdigit())
    if len(digits) != 11 or len(re.sub(r"[\d\s-]", "", value)) > 0:
        raise RuleViolation("snils_format", "snils")
    if snils_checksum(digits) != int(digits[9:]):
        raise RuleViolation("snils_checksum", "snils")
    return f"{digits[0:3]}-{digits[3:6]}-{digits[6:9]} {digits[9:]}"


def normalize_phone(value: str | None) -> str | None:
    """Russian phone numbers: 10 digits after +7/8, or a 5–7 digit local number; kept as typed."""
    if value is None or not value.strip():
        return None
    if re.search(r"[^\d\s()+\-]", value):
        raise RuleViolation("phone_format", "phone")
    digits = "".join(_PHONE_DIGITS.findall(value))
    if len(digits) == 11 and digits[0] in "78":
        return " ".join(value.split())
    if 5 <= len(digits) <= 7 and not value.strip().startswith("+"):
        return value.strip()
    raise RuleViolation("phone_format", "phone")


def check_past(value: date | None, today: date, field: str) -> None:
    """Birth dates and signatures cannot be in the future."""
    if value is not None and value > today:
        raise RuleViolation("date_in_future", field)


def check_not_before(start: date | None, end: date | None, field: str, code: str = "date_before_start") -> None:
    """An end (or revocation, or completion) cannot come before its start; ``code`` says which pair it is."""
    if start is not None and end is not None and end < start:
        raise RuleViolation(code, field)


def check_birth_date(value: date | None, today: date) -> None:
    check_past(value, today, "birth_date")
    if value is not None and value.year < 1900:
        raise RuleViolation("date_too_old", "birth_date")
