"""Forms of the case page's actions: complete, terminate, record a control event.

Plain WTForms (CSRF by Flask-WTF; dates typed дд.мм.гггг with the console's date field, so they work without
JavaScript);
the rules themselves are checked by ``app.casework.workflow``, whose refusal is shown by the field it concerns.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, TextAreaField, widgets
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.domain import rules
from app.domain.choices import ClosureReason, ControlDecision, ControlKind, OutcomeCriterion
from app.fab.dates import DateField
from app.platform.labels import COLUMN_LABELS, choices_for


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes (criteria of the result), usable by keyboard."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class CompleteForm(FlaskForm):
    results_analysis = TextAreaField(COLUMN_LABELS["results_analysis"], validators=[DataRequired()])
    citizen_words = TextAreaField(COLUMN_LABELS["citizen_words"], validators=[Optional()])
    recommendations = TextAreaField(COLUMN_LABELS["recommendations"], validators=[Optional()])
    outcomes = CheckboxesField(COLUMN_LABELS["outcomes"], choices=choices_for(OutcomeCriterion))


class TerminateForm(FlaskForm):
    closure_reason = SelectField(
        COLUMN_LABELS["closure_reason"],
        choices=[("", "—")] + [c for c in choices_for(ClosureReason) if c[0] in rules.TERMINATION_REASONS],
        validators=[InputRequired()],
    )
    note = TextAreaField(_l("What happened"), validators=[Optional(), Length(max=2000)])


class MeasureDoneForm(FlaskForm):
    """«Выполнено» on the case page: the date it was done is required."""

    done_on = DateField(COLUMN_LABELS["done_on"], validators=[InputRequired()])
    result_note = TextAreaField(COLUMN_LABELS["result_note"], validators=[Optional(), Length(max=2000)])


class ControlEventForm(FlaskForm):
    kind = SelectField(COLUMN_LABELS["kind"], choices=choices_for(ControlKind), validators=[InputRequired()])
    held_on = DateField(COLUMN_LABELS["held_on"], validators=[InputRequired()])
    findings = TextAreaField(COLUMN_LABELS["findings"], validators=[Optional()])
    decision = SelectField(
        COLUMN_LABELS["decision"], choices=[("", "—"), *choices_for(ControlDecision)], validators=[InputRequired()]
    )
