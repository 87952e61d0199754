"""The form of a commission's extension decision (plain WTForms; the rules are the workflow's)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.fab.dates import DateField
from app.platform.labels import COLUMN_LABELS


class ExtensionForm(FlaskForm):
    """The commission's decision; the committee choices are the programme centre's extension commissions."""

    committee = SelectField(COLUMN_LABELS["committee"], coerce=int, validators=[InputRequired()])
    protocol_number = StringField(COLUMN_LABELS["protocol_number"], validators=[DataRequired(), Length(max=50)])
    meeting_date = DateField(COLUMN_LABELS["meeting_date"], validators=[InputRequired()])
    extend_to = DateField(COLUMN_LABELS["extend_to"], validators=[InputRequired()])
    reason = TextAreaField(COLUMN_LABELS["reason"], validators=[Optional()])
