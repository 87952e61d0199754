"""«Мероприятия организации»: a partner's list of the organisation's measures and the page of one, where the partner
reports «в работе», «выполнено» (date and result) or «не может быть выполнено» (reason). Plain forms, no
JavaScript needed; tables become labelled rows on a phone (375 px)."""

from __future__ import annotations

from flask import abort, redirect, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app.domain.choices import MeasureStatus
from app.domain.partners import PARTNER_STATUSES
from app.extensions import db
from app.fab import pipeline
from app.fab.actions import run_action
from app.fab.dates import DateField
from app.fab.interface import ScopedInterface
from app.fab.registry import ACCOMPANIMENT, Menu
from app.models import Measure
from app.partners import queries
from app.platform.clock import today
from app.platform.labels import COLUMN_LABELS, choices_for
from app.reminders import request_scan
from app.security.scope import current_scope, restrict


class ReportForm(FlaskForm):
    status = SelectField(
        COLUMN_LABELS["status"],
        choices=[(code, label) for code, label in choices_for(MeasureStatus) if code in PARTNER_STATUSES],
        validators=[InputRequired()],
    )
    done_on = DateField(COLUMN_LABELS["done_on"], validators=[Optional()])
    result_note = TextAreaField(
        _l("Result, or why the measure cannot be done"), validators=[Optional(), Length(max=4000)]
    )


class PartnerMeasuresView(BaseView):
    """The partner's page. Its rows are the measure's partner scope (``app.security.scope.partner_clause``)."""

    route_base = "/partner/measures"
    class_permission_name = "PartnerMeasureView"
    default_view = "list"
    datamodel = ScopedInterface(Measure)  # the records behind the page, for the roles' table
    partners = "only"
    menu = Menu("Organisation measures", _l("Organisation measures"), "fa-handshake", ACCOMPANIMENT)

    @expose("/")
    @has_access
    @permission_name("list")
    def list(self):
        scope = current_scope()
        if not scope.partner:
            abort(404)
        day = today()
        measures = queries.organisation_measures(scope, day)
        return self.render_template(
            "partners/measures.html",
            title=_("Organisation measures"),
            organisation=queries.organisation_name(scope),
            measures=measures,
            today=day,
        )

    @expose("/<int:pk>", methods=["GET", "POST"])
    @has_access
    @permission_name("edit")
    def show(self, pk: int):
        scope = current_scope()
        if not scope.partner:
            abort(404)
        day = today()
        item = queries.organisation_measure(scope, day, pk)
        if item is None:
            abort(404)
        form = ReportForm(
            status=item.status if item.status in PARTNER_STATUSES else MeasureStatus.IN_PROGRESS.value,
            done_on=item.done_on,
            result_note=item.result_note,
        )
        if item.reportable and form.validate_on_submit():
            fields = {"status": form.status, "done_on": form.done_on, "result_note": form.result_note}

            def report() -> None:
                measure = db.session.scalar(restrict(select(Measure).where(Measure.id == pk), Measure, scope))
                if measure is None:
                    abort(404)
                measure.status = form.status.data
                measure.done_on = form.done_on.data if form.status.data != MeasureStatus.IN_PROGRESS else None
                measure.result_note = (form.result_note.data or "").strip() or None
                pipeline.save(measure)

            if run_action(report, _("The report is saved."), fields, then=request_scan):
                return redirect(url_for(".list"))
        return self.render_template(
            "partners/measure.html",
            title=item.title,
            item=item,
            form=form,
            organisation=queries.organisation_name(scope),
        ), (400 if form.errors else 200)
