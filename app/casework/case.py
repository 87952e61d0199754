"""The case page of a programme and "My cases": the specialist's day, over ``app.casework.workflow``.

The case page shows the three stages of S1 §5.3 with their items, the control events with due dates from the
rules engine, the actions the programme's state allows and the timeline. Every change is a small POST form
(no JavaScript needed) that calls the workflow; a refused action comes back as the rule's message.

Permissions are the programme's (``class_permission_name``): reading the page needs ``can_show``, acting needs
``can_edit``; rows are limited to the user's centres like every other view.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta

from flask import Response, abort, flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from sqlalchemy import Date, bindparam, select
from sqlalchemy.orm import joinedload

from app.casework import caseload, timeline, workflow
from app.casework.forms import CompleteForm, ControlEventForm, MeasureDoneForm, TerminateForm
from app.casework.labels import CHECKLIST_LABELS, DUE_LABELS, STAGE_TITLES, TIMELINE_LABELS
from app.casework.programme_form import programme_form_data
from app.citizens import appeal_documents, document_pack
from app.domain import rules
from app.domain.choices import (
    CHECKLIST,
    CLOSED_STATUSES,
    OPEN_STATUSES,
    AuditAction,
    ControlKind,
    MeasureStatus,
    ProgrammeStatus,
)
from app.domain.dates import parse_date
from app.domain.errors import RuleViolation
from app.extensions import db
from app.fab.actions import get_or_404, run_action
from app.models import ChecklistItem, ControlEvent, Measure, MeasureReport, Programme
from app.platform import audit
from app.platform.clock import today
from app.platform.files import content_disposition
from app.platform.labels import rule_message
from app.reminders import open_reminders_of, request_scan
from app.security.scope import check_responsible, current_scope, gap_list, transfer_gap_names
from reports.programme_docx import build_programme_docx
from reports.programme_form import build_programme_workbook, form_lines

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

PAGE_SIZE = 50
REMINDERS_SHOWN = 10  # the most urgent; the rest on "My reminders"


def load_programme(pk: int) -> Programme:
    """A programme of the user's centres, or 404 (another centre's programme does not exist for the user)."""
    return get_or_404(
        Programme, pk, joinedload(Programme.citizen), joinedload(Programme.specialist), joinedload(Programme.appeal)
    )


def act(action, success: str, field_errors=None) -> bool:
    """A case action: ticks, events and closures open and close reminders, so a scan follows a successful one."""
    return run_action(action, success, field_errors, then=request_scan)


class CaseView(BaseView):
    route_base = "/case"
    class_permission_name = "ProgrammeView"
    default_view = "mine"

    # --- reading ------------------------------------------------------------------------------------------------

    @expose("/mine")
    @has_access
    @permission_name("list")
    def mine(self):
        """A specialist's own open programmes; the director's (and higher) version shows the whole scope."""
        scope = current_scope()
        mine = scope.responsible_only
        day = today()
        total, overdue = caseload.caseload_counts(day, mine=mine, scope=scope)
        pages = (total + PAGE_SIZE - 1) // PAGE_SIZE
        page = min(max(request.args.get("page", 0, type=int), 0), max(pages - 1, 0))
        shown = caseload.open_cases(day, mine=mine, scope=scope, offset=page * PAGE_SIZE, limit=PAGE_SIZE)
        open_reminders = open_reminders_of(scope, limit=REMINDERS_SHOWN)
        return self.render_template(
            "case/mine.html",
            title=_("My cases") if mine else _("Cases of the centre"),
            cases=shown,
            total=total,
            overdue=overdue,
            page=page,
            pages=pages,
            page_links=_page_links(page, pages),
            show_specialist=not mine,
            due_labels=DUE_LABELS,
            today=day,
            reminders=open_reminders,
        )

    @expose("/<int:pk>")
    @has_access
    @permission_name("show")
    def page(self, pk: int):
        programme = load_programme(pk)
        kind = request.args.get("kind")  # "record the monitoring inspection" opens the form with its kind chosen
        chosen = {"kind": kind} if kind in set(ControlKind) else {}
        return self._render_page(programme, ControlEventForm(formdata=None, held_on=today(), **chosen))

    def _render_page(self, programme: Programme, control_form: ControlEventForm, measure_forms: dict | None = None):
        day = today()
        facts = workflow.facts_for(programme, day)
        ticks = {
            t.item: t
            for t in db.session.scalars(
                select(ChecklistItem)
                .where(ChecklistItem.programme_id == programme.id)
                .options(joinedload(ChecklistItem.done_by))
            )
        }
        events = db.session.scalars(
            select(ControlEvent)
            .where(ControlEvent.programme_id == programme.id)
            .options(joinedload(ControlEvent.recorded_by))
            .order_by(ControlEvent.held_on)
        ).all()
        current = rules.current_stage(facts.done_items)
        progress = rules.stage_progress(facts.done_items)
        stages = [
            {
                "number": stage,
                "title": STAGE_TITLES[stage],
                "done": progress[stage][0],
                "total": progress[stage][1],
                "percent": round(100 * progress[stage][0] / progress[stage][1]),
                "rows": [(item, CHECKLIST_LABELS[item], ticks.get(item)) for item in items],
                "open": stage <= current,
            }
            for stage, items in CHECKLIST.items()
        ]
        documents = appeal_documents(programme.appeal_id)
        may_edit = self.appbuilder.sm.has_access("can_edit", "ProgrammeView") and _may_change(programme)
        is_open = programme.status in OPEN_STATUSES
        measures, gaps, reports = _measures_with_gaps_and_reports(programme.id, day)
        measure_forms = measure_forms or {}
        open_measures = {MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS}
        return self.render_template(
            "case/page.html",
            breadcrumbs=case_breadcrumbs(programme),
            title=_("Programme %(number)s", number=programme.number),
            programme=programme,
            facts=facts,
            stages=stages,
            current_stage=current,
            events=events,
            control_dues=_control_dues(facts),
            control_form=control_form,
            may_edit=may_edit and programme.status not in CLOSED_STATUSES,
            may_untick_any=not current_scope().responsible_only,
            user_id=current_scope().user_id,
            is_draft=programme.status == ProgrammeStatus.DRAFT,
            is_open=is_open,
            may_extend=is_open and self.appbuilder.sm.has_access("can_add", "DecisionView"),
            may_add_measure=may_edit and is_open and self.appbuilder.sm.has_access("can_add", "MeasureView"),
            measures=[
                (m, measure_forms.get(m.id) or MeasureDoneForm(formdata=None, done_on=day), m.status in open_measures)
                for m in measures
            ],
            transfer_gaps=gaps,
            blocked=_blocked_actions(programme, facts, day),
            timeline=timeline.timeline(
                programme,
                ticks=list(ticks.values()),
                control_events=events,
                documents=documents,
                measures=measures,
                reports=reports,
            ),
            timeline_labels=TIMELINE_LABELS,
            today=day,
            extension_limit=rules.max_extended_end_date(programme.start_date),
            pack=document_pack(documents=documents),
            # S1 §6.4: completing or extending rests on a monitoring inspection of the current term
            monitoring_missing=is_open
            and rules.monitoring_held_in_term(facts.monitoring_held_on, facts.extended_on) is None,
            monitoring_due=rules.monitoring_due(facts.end_date, facts.start_date),
            monitoring_soon=rules.monitoring_due(facts.end_date, facts.start_date) - day
            <= timedelta(days=rules.DUE_SOON_DAYS),
        )

    @expose("/<int:pk>/form.xlsx")
    @has_access
    @permission_name("show")
    def form_xlsx(self, pk: int):
        """The programme form (annex 2) as a workbook to print and sign."""
        return self._form_download(pk, build_programme_workbook, XLSX, "xlsx")

    @expose("/<int:pk>/form.docx")
    @has_access
    @permission_name("show")
    def form_docx(self, pk: int):
        """The programme form (annex 2) as a document the centre may edit before signing."""
        return self._form_download(pk, build_programme_docx, DOCX, "docx")

    @staticmethod
    def _form_download(pk: int, build, mimetype: str, extension: str) -> Response:
        programme = load_programme(pk)
        content = build(programme_form_data(programme))
        audit.record(AuditAction.EXPORT, programme, changes={"form": extension})
        response = Response(content, mimetype=mimetype)
        name = f"Программа {programme.number}".replace("/", "-")
        response.headers["Content-Disposition"] = content_disposition(f"{name}.{extension}")
        response.headers["Cache-Control"] = "no-store"
        return response

    @expose("/<int:pk>/print")
    @has_access
    @permission_name("show")
    def print_view(self, pk: int):
        """The same form as a page for the browser's print dialog, with a print button and the way back."""
        programme = load_programme(pk)
        audit.record(AuditAction.EXPORT, programme, changes={"form": "print"})
        form = programme_form_data(programme)
        return self.render_template("case/print.html", form=form, lines=form_lines(form), pk=programme.id)

    # --- acting -------------------------------------------------------------------------------------------------

    @expose("/<int:pk>/activate", methods=["POST"])
    @has_access
    @permission_name("edit")
    def activate(self, pk: int):
        programme = load_programme(pk)
        act(lambda: workflow.activate(programme, today()), _("The programme is active."))
        return redirect(url_for(".page", pk=pk))

    @expose("/<int:pk>/tick", methods=["POST"])
    @has_access
    @permission_name("edit")
    def tick(self, pk: int):
        programme = load_programme(pk)
        done_on = _form_date("done_on", default=today())
        if done_on is None:
            flash(_("Enter the date in the form dd.mm.yyyy."), "danger")
        else:
            act(
                lambda: workflow.tick(
                    programme,
                    request.form.get("item", ""),
                    done_on=done_on,
                    note=request.form.get("note"),
                    today=today(),
                ),
                _("The item is ticked."),
            )
        return redirect(url_for(".page", pk=pk, _anchor=f"stage-{programme.stage}"))

    @expose("/<int:pk>/untick", methods=["POST"])
    @has_access
    @permission_name("edit")
    def untick(self, pk: int):
        programme = load_programme(pk)
        act(lambda: workflow.untick(programme, request.form.get("item", "")), _("The tick is removed."))
        return redirect(url_for(".page", pk=pk, _anchor=f"stage-{programme.stage}"))

    @expose("/<int:pk>/control", methods=["POST"])
    @has_access
    @permission_name("edit")
    def control(self, pk: int):
        programme = load_programme(pk)
        form = ControlEventForm()
        if form.validate():
            done = act(
                lambda: workflow.record_control_event(
                    programme,
                    kind=form.kind.data,
                    held_on=form.held_on.data,
                    findings=form.findings.data,
                    decision=form.decision.data,
                    today=today(),
                ),
                _("The control event is recorded."),
                field_errors={"held_on": form.held_on, "decision": form.decision, "kind": form.kind},
            )
            if done:
                return redirect(url_for(".page", pk=pk, _anchor="control"))
        return self._render_page(load_programme(pk), form), 400

    @expose("/<int:pk>/measure/<int:measure_id>/done", methods=["POST"])
    @has_access
    @permission_name("edit")
    def measure_done(self, pk: int, measure_id: int):
        """«Выполнено» for a measure of the programme, from the case page: the date it was done is required."""
        programme = load_programme(pk)
        measure = db.session.scalar(select(Measure).where(Measure.id == measure_id, Measure.programme_id == pk))
        if measure is None:
            abort(404)
        form = MeasureDoneForm()
        if form.validate():
            done = act(
                lambda: workflow.mark_measure_done(
                    programme, measure, done_on=form.done_on.data, result_note=form.result_note.data, today=today()
                ),
                _("The measure is marked done."),
                field_errors={"done_on": form.done_on},
            )
            if done:
                return redirect(url_for(".page", pk=pk, _anchor="measures"))
        return self._render_page(
            load_programme(pk), ControlEventForm(formdata=None, held_on=today()), {measure_id: form}
        ), 400

    @expose("/<int:pk>/complete", methods=["GET", "POST"])
    @has_access
    @permission_name("edit")
    def complete(self, pk: int):
        programme = load_programme(pk)
        form = CompleteForm(obj=programme if request.method == "GET" else None)
        if request.method == "GET":
            form.outcomes.data = [o.criterion for o in programme.outcomes]
        if request.method == "POST" and form.validate():
            done = act(
                lambda: workflow.complete(
                    programme,
                    results_analysis=form.results_analysis.data,
                    citizen_words=form.citizen_words.data,
                    recommendations=form.recommendations.data,
                    outcomes=form.outcomes.data or [],
                    today=today(),
                ),
                _("The programme is completed."),
                field_errors={"results_analysis": form.results_analysis, "outcomes": form.outcomes},
            )
            if done:
                return redirect(url_for(".page", pk=pk))
            programme = load_programme(pk)
        return action_form_page(self, programme, form, _("Complete the programme"), _("Complete"))

    @expose("/<int:pk>/terminate", methods=["GET", "POST"])
    @has_access
    @permission_name("edit")
    def terminate(self, pk: int):
        programme = load_programme(pk)
        form = TerminateForm()
        if request.method == "POST" and form.validate():
            done = act(
                lambda: workflow.terminate(
                    programme, reason=form.closure_reason.data, note=form.note.data, today=today()
                ),
                _("The programme is terminated."),
                field_errors={"closure_reason": form.closure_reason},
            )
            if done:
                return redirect(url_for(".page", pk=pk))
            programme = load_programme(pk)
        return action_form_page(self, programme, form, _("Terminate the programme"), _("Terminate"))


@functools.cache
def _measures_of_programme():
    """The statement of ``_measures_with_gaps_and_reports``, built once: the consent rule's expression takes longer
    to build than the statement takes to run."""
    return (
        select(Measure, transfer_gap_names(Measure.id, bindparam("day", type_=Date)), MeasureReport)
        .outerjoin(MeasureReport, MeasureReport.measure_id == Measure.id)
        .where(Measure.programme_id == bindparam("programme_id"))
        .options(joinedload(MeasureReport.organisation), joinedload(MeasureReport.reported_by))
        .order_by(Measure.due_date, Measure.id, MeasureReport.reported_at)
    )


def _measures_with_gaps_and_reports(programme_id: int, day: date) -> tuple[list, dict[int, list[str]], list]:
    """The programme's measures in due-date order, for each the organisations its citizen's consent does not let the
    data go to («нет согласия на передачу данных в …»), and the partners' reports on them: one statement."""
    rows = db.session.execute(_measures_of_programme(), {"day": day, "programme_id": programme_id}).all()
    measures, gaps, reports = [], {}, []
    for measure, names, report in rows:
        if not measures or measures[-1] is not measure:
            measures.append(measure)
            if names:
                gaps[measure.id] = gap_list(names)
        if report is not None:
            reports.append(report)
    return measures, gaps, reports


def _page_links(page: int, pages: int, around: int = 4) -> list[int | None]:
    """Page numbers to link: the first, the last and those around the current one; None marks a gap. A region's
    sixteen thousand open programmes would otherwise print hundreds of links."""
    wanted = {0, pages - 1, *range(page - around, page + around + 1)}
    links: list[int | None] = []
    for n in sorted(n for n in wanted if 0 <= n < pages):
        if links and links[-1] is not None and n > links[-1] + 1:
            links.append(None)
        links.append(n)
    return links


def case_breadcrumbs(programme: Programme, *more: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    """Programmes › the programme's card › its case page (› an action's form)."""
    case = (_("Case: %(number)s", number=programme.number), url_for("CaseView.page", pk=programme.id) if more else None)
    return [
        (_("Programmes of accompaniment"), url_for("ProgrammeView.list")),
        (str(programme.citizen), url_for("ProgrammeView.show", pk=programme.id)),
        case,
        *more,
    ]


def action_form_page(view: BaseView, programme: Programme, form, title: str, submit: str):
    """The page of an action that needs more than a click (complete, terminate, extend); 400 when refused."""
    status = 400 if request.method == "POST" else 200
    page = view.render_template(
        "case/form.html",
        title=title,
        programme=programme,
        form=form,
        submit=submit,
        breadcrumbs=case_breadcrumbs(programme, (title, None)),
    )
    return page, status


def _may_change(programme: Programme) -> bool:
    """The programme was read through the scope: what is left to ask is responsibility (no query)."""
    scope = current_scope()
    if not scope.case_data:
        return False
    try:
        check_responsible(programme, scope)
    except RuleViolation:
        return False
    return True


def _form_date(name: str, default: date) -> date | None:
    raw = (request.form.get(name) or "").strip()
    return parse_date(raw) if raw else default


def _why_not(check) -> str | None:
    """The rule's message when an action cannot run now (its button is shown disabled with it), else ``None``."""
    try:
        check()
    except RuleViolation as violation:
        return rule_message(violation)
    return None


def _blocked_actions(programme: Programme, facts: rules.ProgrammeFacts, day: date) -> dict[str, str | None]:
    """Why each action of the case page cannot run now, by the same rules the action asks."""
    limit = rules.max_extended_end_date(programme.start_date)
    extend = None
    if not rules.can_extend_further(programme.start_date, programme.end_date):
        extend = rule_message(RuleViolation("extension_too_long", limit=rules.format_date(limit)))
    return {
        "activate": _why_not(lambda: rules.check_activate(facts, day)),
        "complete": _why_not(lambda: rules.check_complete(facts, day)),
        "extend": extend,
    }


def _control_dues(facts: rules.ProgrammeFacts) -> list[dict]:
    """Interim assessment and monitoring inspection: due date from the rules, held date if held."""
    dues = []
    if rules.interim_required(facts.start_date, facts.end_date):
        dues.append(
            {
                "kind": ControlKind.INTERIM,
                "due": rules.interim_due(facts.start_date),
                "held": facts.interim_held_on,
            }
        )
    dues.append(
        {
            "kind": ControlKind.MONITORING,
            "due": rules.monitoring_due(facts.end_date, facts.start_date),
            "held": rules.monitoring_held_in_term(facts.monitoring_held_on, facts.extended_on),
        }
    )
    return dues
