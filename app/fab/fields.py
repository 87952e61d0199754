"""One set of input rules for forms and the API.

Field rules normalise or reject a single value; order rules compare two dates of
the same record. WTForms validators (HTML forms keep the user's input and show the
error by the field) and the API's ``pre_add``/``pre_update`` both call these.
"""

from __future__ import annotations

from collections.abc import Callable

from wtforms.validators import StopValidation, ValidationError

from app.domain import validation as rules
from app.domain.errors import RuleViolation
from app.platform.clock import today
from app.platform.labels import rule_message

FieldRule = Callable[[object], object]


def _past(field: str) -> FieldRule:
    def check(value):
        rules.check_past(value, today(), field)
        return value

    return check


def _birth(value):
    rules.check_birth_date(value, today())
    return value


# column name → rule returning the normalised value
FIELD_RULES: dict[str, FieldRule] = {
    "snils": rules.normalize_snils,
    "phone": rules.normalize_phone,
    "representative_phone": rules.normalize_phone,
    "preparer_phone": rules.normalize_phone,
    "birth_date": _birth,
    "appeal_date": _past("appeal_date"),
    "signed_on": _past("signed_on"),
    "document_date": _past("document_date"),
    "done_on": _past("done_on"),
    "held_on": _past("held_on"),
    "revoked_on": _past("revoked_on"),
    "meeting_date": _past("meeting_date"),
}

# (later column, earlier column, the rule's code): the later may not precede the earlier
ORDER_RULES: tuple[tuple[str, str, str], ...] = (
    ("end_date", "start_date", "date_before_start"),
    ("revoked_on", "signed_on", "revoked_before_signed"),
    ("closed_on", "start_date", "date_before_start"),
    ("extend_to", "meeting_date", "extend_to_before_meeting"),
)

# (column, controlling column, value, rule code): the column must be filled when the controlling one has the value
REQUIRED_WHEN: tuple[tuple[str, str, str, str], ...] = (
    ("family_status_other", "family_status", "other", "family_status_other"),
)


def clean_item(item: object) -> None:
    """Normalise and check a model instance in place; raise ``RuleViolation``."""
    for name, rule in FIELD_RULES.items():
        if hasattr(item, name):
            value = getattr(item, name)
            normalised = rule(value)
            if normalised != value:
                setattr(item, name, normalised)
    for later, earlier, code in ORDER_RULES:
        if hasattr(item, later) and hasattr(item, earlier):
            rules.check_not_before(getattr(item, earlier), getattr(item, later), later, code)
    for name, other, value, code in REQUIRED_WHEN:
        if hasattr(item, name) and getattr(item, other, None) == value and not _filled(getattr(item, name)):
            raise RuleViolation(code, name)


def _filled(value: object) -> bool:
    return value is not None and str(value).strip() != ""


class FieldRuleValidator:
    """WTForms adapter: runs a field rule and keeps its normalised value."""

    def __init__(self, name: str) -> None:
        self.rule = FIELD_RULES[name]

    def __call__(self, form, field) -> None:
        try:
            field.data = self.rule(field.data)
        except RuleViolation as violation:
            raise StopValidation(rule_message(violation)) from None


class NotBefore:
    """WTForms adapter for an order rule: this date not before ``other``."""

    def __init__(self, other: str, code: str = "date_before_start") -> None:
        self.other = other
        self.code = code

    def __call__(self, form, field) -> None:
        other = form._fields.get(self.other)
        if other is None:
            return
        try:
            rules.check_not_before(other.data, field.data, field.name, self.code)
        except RuleViolation as violation:
            raise ValidationError(rule_message(violation)) from None


class RequiredWhen:
    """WTForms adapter for a conditional requirement: this field is needed when ``other`` holds ``value``.

    It must run before FAB's ``Optional`` (which stops the chain on an empty field): FAB appends its own
    validators after the ones of ``validators_columns``, so this one comes first.
    """

    def __init__(self, other: str, value: str, code: str) -> None:
        self.other = other
        self.value = value
        self.code = code

    def __call__(self, form, field) -> None:
        other = form._fields.get(self.other)
        if other is None or other.data != self.value or _filled(field.data):
            return
        raise StopValidation(rule_message(RuleViolation(self.code, field.name)))


def form_validators(columns: list[str]) -> dict[str, list]:
    """Validators for the columns a form shows."""
    result: dict[str, list] = {}
    for name, other, value, code in REQUIRED_WHEN:
        if name in columns and other in columns:
            result.setdefault(name, []).append(RequiredWhen(other, value, code))
    for name in columns:
        if name in FIELD_RULES:
            result.setdefault(name, []).append(FieldRuleValidator(name))
    for later, earlier, code in ORDER_RULES:
        if later in columns and earlier in columns:
            result.setdefault(later, []).append(NotBefore(earlier, code))
    return result
