"""Extension commissions, interagency working groups, their members and decisions."""

from __future__ import annotations

from flask import redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.casework import act, action_form_page, load_programme, record_extension
from app.committees.forms import ExtensionForm
from app.domain.choices import CommitteeKind
from app.extensions import db
from app.fab.interface import eager
from app.fab.registry import COMMITTEES, Menu
from app.fab.views import ConsoleModelView
from app.models import Committee, CommitteeDecision, CommitteeMember
from app.platform.clock import today
from app.security.scope import restrict


class CommitteeMemberView(ConsoleModelView):
    datamodel = eager(CommitteeMember, "committee", "organisation")
    menu = Menu("Committee members", _l("Committee members"), "fa-user-tie", COMMITTEES)
    lookups = {"organisation": "organisation"}
    list_title = _l("Committee members")
    list_columns = ["full_name", "role", "position", "organisation", "committee"]
    add_columns = edit_columns = show_columns = ["committee", "full_name", "role", "position", "organisation"]
    search_columns = ["full_name", "role", "committee"]


class DecisionView(ConsoleModelView):
    datamodel = eager(CommitteeDecision, "committee", "programme")
    menu = Menu("Decisions", _l("Decisions"), "fa-gavel", COMMITTEES)
    lookups = {"programme": "programme"}
    list_title = _l("Committee decisions")
    list_columns = ["meeting_date", "protocol_number", "committee", "programme", "decision", "extend_to"]
    add_columns = edit_columns = show_columns = [
        "committee",
        "programme",
        "meeting_date",
        "protocol_number",
        "decision",
        "extend_to",
        "reason",
    ]
    search_columns = ["protocol_number", "decision", "meeting_date"]
    base_order = ("meeting_date", "desc")
    related_views = ["MeasureView"]  # a decision «утвердить мероприятия»: the measures it approved

    @expose("/extend/<int:pk>", methods=["GET", "POST"])
    @has_access
    @permission_name("add")
    def extend(self, pk: int):
        """Record the extension commission's decision on a programme; the programme is extended with it."""
        programme = load_programme(pk)
        form = ExtensionForm()
        commissions = db.session.scalars(
            restrict(
                select(Committee).where(
                    Committee.kind == CommitteeKind.EXTENSION_COMMISSION, Committee.centre_id == programme.centre_id
                ),
                Committee,
            ).order_by(Committee.name)
        ).all()
        form.committee.choices = [(c.id, c.name) for c in commissions]
        if request.method == "POST" and form.validate():
            chosen = next((c for c in commissions if c.id == form.committee.data), None)
            done = act(
                lambda: record_extension(
                    programme,
                    committee=chosen,
                    protocol_number=form.protocol_number.data,
                    meeting_date=form.meeting_date.data,
                    extend_to=form.extend_to.data,
                    reason=form.reason.data,
                    today=today(),
                ),
                _("The decision is recorded and the programme is extended."),
                field_errors={
                    "extend_to": form.extend_to,
                    "meeting_date": form.meeting_date,
                    "committee": form.committee,
                    "protocol_number": form.protocol_number,
                },
            )
            if done:
                return redirect(url_for("CaseView.page", pk=pk))
            programme = load_programme(pk)
        return action_form_page(self, programme, form, _("Extension of the programme"), _("Record the decision"))


class CommitteeView(ConsoleModelView):
    datamodel = eager(Committee, "centre", "territory")
    menu = Menu("Committees list", _l("Commissions and working groups"), "fa-university", COMMITTEES)
    list_title = _l("Commissions and working groups")
    list_columns = ["name", "kind", "centre", "territory", "order_number", "order_date"]
    add_columns = edit_columns = show_columns = [
        "kind",
        "name",
        "centre",
        "territory",
        "order_number",
        "order_date",
    ]
    search_columns = ["name", "kind", "centre", "territory"]
    related_views = ["CommitteeMemberView", "DecisionView"]
