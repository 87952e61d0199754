"""Date inputs as Russians write them, in every form: ``дд.мм.гггг`` typed or pasted (ISO accepted too), shown back
as ``дд.мм.гггг``, with the date picker in the user's language (Russian: Monday first, from the picker's own
locale file shipped in ``app/static``). A date that does not parse is refused at the field with how to write it,
and what was typed stays in the field.

``ConsoleModelView`` gives every date column of every model this field (``date_field``); the plain WTForms of the
case page, the extension and the report use it directly. ``MonthField`` is the report's month: ``мм.гггг``.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import Field
from wtforms.validators import InputRequired, Optional
from wtforms.widgets import html_params

from app.domain.dates import format_date, format_month, parse_date, parse_month

DATE_ERROR = _l("Enter the date in the form dd.mm.yyyy.")
MONTH_ERROR = _l("Enter the month in the form mm.yyyy.")


class DateWidget:
    """A text input with the picker's calendar button; ``console.js`` starts the picker in the page's language."""

    css_class = "console-date"
    placeholder = _l("dd.mm.yyyy")

    def __call__(self, field, **kwargs) -> Markup:
        kwargs.setdefault("id", field.id)
        kwargs.setdefault("name", field.name)
        classes = kwargs.pop("class", "") or kwargs.pop("class_", "")
        kwargs["class"] = " ".join(dict.fromkeys(["form-control", *classes.split()]))
        attrs = html_params(
            type="text",
            value=field._value(),
            inputmode="numeric",
            autocomplete="off",
            placeholder=str(self.placeholder),
            **{k: v for k, v in kwargs.items() if k != "type"},
        )
        return Markup(
            f'<div class="input-group {self.css_class}">'
            f"<input {attrs}>"
            '<span class="input-group-addon" aria-hidden="true"><i class="fa fa-calendar"></i></span>'
            "</div>"
        )


class MonthWidget(DateWidget):
    css_class = "console-month"
    placeholder = _l("mm.yyyy")


class DateField(Field):
    """A date typed ``дд.мм.гггг`` (or ISO); ``data`` is a ``date`` or ``None``; a wrong text is kept and refused."""

    widget = DateWidget()
    parse = staticmethod(parse_date)
    show = staticmethod(format_date)
    error = DATE_ERROR

    def process_formdata(self, valuelist) -> None:
        if not valuelist:
            return
        text = (valuelist[0] or "").strip()
        self.data = self.parse(text) if text else None
        if text and self.data is None:
            raise ValueError(str(self.error))

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return self.show(self.data) if self.data else ""

    def post_validate(self, form, validation_stopped: bool) -> None:
        """A date that did not parse says how to write a date, not only that the field is required."""
        if self.raw_data and (self.raw_data[0] or "").strip() and self.data is None:
            self.errors = [str(self.error)]


class MonthField(DateField):
    """The first day of a month typed ``мм.гггг``."""

    widget = MonthWidget()
    parse = staticmethod(parse_month)
    show = staticmethod(format_month)
    error = MONTH_ERROR


def date_field(label, required: bool, validators=(), description=None, month: bool = False) -> DateField:
    """The field of a date column: required or optional, with the column's rules."""
    first = [InputRequired()] if required else [Optional()]
    cls = MonthField if month else DateField
    return cls(label, validators=[*first, *validators], description=description or "")
