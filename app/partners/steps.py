"""The partners' step in the save pipeline (``app.fab.pipeline``): a partner's save of a measure — from the page or
through the API — is a report, checked by ``app.domain.partners.check_partner_report`` and recorded with who, for
which organisation and when (the timeline, the specialist's reminder and the monthly report read it). The scope
step has already refused anything but the partner's own measure and fields (``app.security.scope``)."""

from __future__ import annotations

from flask_appbuilder.security.sqla.models import User

from app.domain.partners import check_partner_report
from app.extensions import db
from app.fab import pipeline
from app.models import Measure, MeasureReport
from app.models.base import stored_value
from app.platform.clock import today
from app.security.scope import current_scope


def record_partner_report(measure: Measure) -> None:
    scope = current_scope()
    if not scope.partner:
        return
    day = today()
    stored = stored_value(measure, "status") or measure.status
    check_partner_report(stored, measure.status, measure.done_on, measure.result_note, day)
    db.session.add(
        MeasureReport(
            measure=measure,
            organisation_id=scope.organisation_id,
            reported_by=db.session.get(User, scope.user_id),
            reported_on=day,
            status=measure.status,
            done_on=measure.done_on,
            note=(measure.result_note or "").strip() or None,
        )
    )


def register() -> None:
    pipeline.on_save(Measure)(record_partner_report)
