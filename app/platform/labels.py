"""Every user-visible label of the domain, in one place, through Babel.

Column labels are shared by all views (a column called ``surname`` reads the same
everywhere); choice labels name each code of ``app.domain.choices``; rule messages
turn a ``RuleViolation`` code into a sentence.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.domain import choices as c
from app.platform.messages import WORKFLOW_MESSAGES

COLUMN_LABELS = {
    "id": _l("ID"),
    "name": _l("Name"),
    "short_name": _l("Short name"),
    "territory": _l("Territory"),
    "centre": _l("Centre"),
    "unit": _l("Unit"),
    "units": _l("Units"),
    "address": _l("Address"),
    "phone": _l("Phone"),
    "email": _l("E-mail"),
    "director_name": _l("Director"),
    "kind": _l("Kind"),
    "sort_order": _l("Order"),
    "user": _l("User"),
    "roles": _l("Roles"),
    "requested_by": _l("Requested by"),
    "requested_at": _l("Requested"),
    "decided_by": _l("Decided by"),
    "decided_at": _l("Decided"),
    "position": _l("Position"),
    "surname": _l("Surname"),
    "first_name": _l("First name"),
    "patronymic": _l("Patronymic"),
    "full_name": _l("Full name"),
    "birth_date": _l("Date of birth"),
    "sex": _l("Sex"),
    "snils": _l("SNILS"),
    "category": _l("Category"),
    "disability_group": _l("Disability group"),
    "work_limitation": _l("Limitation of ability to work"),
    "family_status": _l("Family status"),
    "family_status_other": _l("Family status (other)"),
    "circumstances": _l("Circumstances of need"),
    "representative_name": _l("Legal representative"),
    "representative_relation": _l("Representative's relation"),
    "representative_phone": _l("Representative's phone"),
    "created_at": _l("Created"),
    "citizen": _l("Citizen"),
    "relation": _l("Relation"),
    "work_or_study": _l("Place of work or study"),
    "signed_on": _l("Date signed"),
    "scope": _l("Scope of consent"),
    "file": _l("File"),
    "scan": _l("Attached file"),
    "revoked_on": _l("Date revoked"),
    "valid_until": _l("Valid until"),
    "in_centre": _l("Processing in the centre"),
    "to_working_group": _l("Transfer to the members of the territory's interagency working group"),
    "with_phone": _l("Transfer includes the phone"),
    "ippsu_number": _l("Number of the individual programme of social services (IPPSU)"),
    "ippsu_date": _l("Date of the individual programme of social services (IPPSU)"),
    "reported_by": _l("Reported by"),
    "reported_at": _l("Reported at"),
    "measures": _l("Measures"),
    "journal_number": _l("Journal number"),
    "appeal_date": _l("Date of appeal"),
    "channel": _l("How the appeal came"),
    "reason": _l("Reason"),
    "problems": _l("Main problems requiring a solution"),
    "decision": _l("Decision"),
    "documents": _l("Documents"),
    "appeal": _l("Appeal"),
    "document_date": _l("Document date"),
    "note": _l("Note"),
    "number": _l("Number"),
    "specialist": _l("Responsible specialist"),
    "start_date": _l("Start date"),
    "end_date": _l("End date"),
    "status": _l("Status"),
    "stage": _l("Stage"),
    "goals": _l("Goals"),
    "results_analysis": _l("Analysis of results"),
    "citizen_words": _l("Citizen's own words on the result"),
    "recommendations": _l("Recommendations to the citizen"),
    "closed_on": _l("Closure date"),
    "activated_on": _l("Activation date"),
    "extension_period": _l("Term extended"),
    "started_at": _l("Started"),
    "finished_at": _l("Finished"),
    "detail": _l("Details"),
    "auto_closed": _l("Closed automatically"),
    "notified_at": _l("Sent by e-mail"),
    "outcomes": _l("Criteria of the result"),
    "closure_reason": _l("Closure reason"),
    "director_signature": _l("Director (signature)"),
    "specialist_signature": _l("Specialist (signature)"),
    "citizen_signature": _l("Citizen (signature)"),
    "programme": _l("Programme"),
    "title": _l("Recommended measure"),
    "participants_text": _l("Participants (other)"),
    "organisations": _l("Participating organisations"),
    "due_date": _l("Due date"),
    "done_on": _l("Done on"),
    "result_note": _l("Result"),
    "order_number": _l("Order number"),
    "order_date": _l("Order date"),
    "members": _l("Members"),
    "committee": _l("Committee"),
    "organisation": _l("Organisation"),
    "role": _l("Role"),
    "meeting_date": _l("Meeting date"),
    "protocol_number": _l("Protocol number"),
    "extend_to": _l("Extend to"),
    "item": _l("Item"),
    "done_by": _l("Done by"),
    "held_on": _l("Held on"),
    "findings": _l("Findings"),
    "recorded_by": _l("Recorded by"),
    "recipient": _l("Recipient"),
    "measure": _l("Measure"),
    "read_at": _l("Read"),
    "closed_at": _l("Closed"),
    "at": _l("When"),
    "username": _l("User"),
    "remote_addr": _l("Address"),
    "action": _l("Action"),
    "object_type": _l("Object"),
    "object_id": _l("Object ID"),
    "changes": _l("Changes"),
    "month": _l("Month"),
    "need_count": _l("Identified need"),
    "enrolled_count": _l("Number enrolled"),
    "measures_info": _l("Brief information on measures"),
    "result_info": _l("Result at the current stage"),
    "preparer_name": _l("Prepared by"),
    "preparer_phone": _l("Preparer's phone"),
    "submitted_at": _l("Submitted"),
    "submitted_by": _l("Submitted by"),
    "age": _l("Age"),
    "term": _l("Term"),
}

# What the audit log names: a table (and the exports' subjects) by the record's name in the user's language
MODEL_LABELS = {
    "appeal": _l("Appeal"),
    "appeal_document": _l("Document of an appeal"),
    "audit_entry": _l("Audit entry"),
    "territory": _l("Territory"),
    "centre": _l("Centre"),
    "unit": _l("Unit"),
    "organisation": _l("Organisation"),
    "staff_profile": _l("Staff profile"),
    "citizen": _l("Citizen"),
    "household_member": _l("Household member"),
    "consent": _l("Consent"),
    "committee": _l("Committee"),
    "committee_member": _l("Committee member"),
    "committee_decision": _l("Committee decision"),
    "job_run": _l("Background job"),
    "programme": _l("Programme"),
    "programme_outcome": _l("Criterion of the result"),
    "measure": _l("Measure"),
    "measure_report": _l("Partner's report on a measure"),
    "checklist_item": _l("Checklist item"),
    "control_event": _l("Control event"),
    "category": _l("Category"),
    "circumstance": _l("Circumstance of need"),
    "reminder": _l("Reminder"),
    "monthly_report": _l("Monthly report"),
    "consolidated_report": _l("Consolidated report"),
    "ab_user": _l("User"),
    "ab_role": _l("Role"),
    "ab_group": _l("Group of users"),
    "ab_permission_view": _l("Permission"),
    "access_grant": _l("Access to citizens' data"),
    "account_state": _l("Sign-in state of an account"),
}


def describe_changes(changes: dict | None) -> str:
    """An audit entry's changes in words: «Фамилия: Иванов → Петров; Дата рождения: — → 12.04.1961»."""

    def shown(value) -> str:
        if value is None or value == "":
            return "—"
        if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
            return f"{value[8:10]}.{value[5:7]}.{value[0:4]}"  # a date as the log stored it (ISO)
        return str(value)

    parts = []
    for name, values in (changes or {}).items():
        label = COLUMN_LABELS.get(name.removesuffix("_id"), name)
        old, new = values if isinstance(values, list | tuple) and len(values) == 2 else (None, values)
        parts.append(f"{label}: {shown(old)} → {shown(new)}")
    return "; ".join(parts)


def model_label(name: str | None) -> str:
    """A table's (or an export's) name as the audit log shows it; an unknown one as it is."""
    return "" if name is None else str(MODEL_LABELS.get(name, name))


_CHOICE_PAIRS = (
    (c.Sex.MALE, _l("male")),
    (c.Sex.FEMALE, _l("female")),
    (c.DisabilityGroup.NONE, _l("no disability")),
    (c.DisabilityGroup.GROUP_1, _l("group I")),
    (c.DisabilityGroup.GROUP_2, _l("group II")),
    (c.DisabilityGroup.GROUP_3, _l("group III")),
    (c.DisabilityGroup.CHILD, _l("disabled child")),
    (c.WorkLimitation.NONE, _l("none")),
    (c.WorkLimitation.DEGREE_1, _l("degree I")),
    (c.WorkLimitation.DEGREE_2, _l("degree II")),
    (c.WorkLimitation.DEGREE_3, _l("degree III")),
    (c.FamilyStatus.SINGLE, _l("single")),
    (c.FamilyStatus.LIVING_ALONE, _l("living alone")),
    (c.FamilyStatus.SINGLE_COUPLE, _l("single married couple")),
    (c.FamilyStatus.COUPLE_LIVING_ALONE, _l("married couple living alone")),
    (c.FamilyStatus.CLOSE_RELATIVES, _l("lives with close relatives")),
    (c.FamilyStatus.RELATIVES, _l("lives with relatives")),
    (c.FamilyStatus.OTHER, _l("other")),
    (c.OrganisationKind.HEALTH, _l("health care")),
    (c.OrganisationKind.EDUCATION, _l("education")),
    (c.OrganisationKind.EMPLOYMENT, _l("employment")),
    (c.OrganisationKind.CULTURE_SPORT, _l("culture and sport")),
    (c.OrganisationKind.POLICE, _l("police")),
    (c.OrganisationKind.SOCIAL_SERVICE, _l("social service")),
    (c.OrganisationKind.NGO, _l("non-profit organisation")),
    (c.OrganisationKind.OTHER, _l("other")),
    (c.AppealChannel.APPLICATION, _l("own application")),
    (c.AppealChannel.IDENTIFIED, _l("identified by a specialist")),
    (c.AppealChannel.REFERRAL, _l("referral by an agency")),
    (c.AppealDecision.PENDING, _l("pending")),
    (c.AppealDecision.ENROLLED, _l("enrolled")),
    (c.AppealDecision.REFUSED, _l("refused")),
    (c.AppealDecision.REDIRECTED, _l("redirected")),
    (c.DocumentKind.APPLICATION, _l("application for social service")),
    (c.DocumentKind.NEED_ASSESSMENT, _l("act of assessment of individual need")),
    (c.DocumentKind.LIVING_CONDITIONS, _l("act of examination of living conditions")),
    (c.ProgrammeStatus.DRAFT, _l("draft")),
    (c.ProgrammeStatus.ACTIVE, _l("active")),
    (c.ProgrammeStatus.EXTENDED, _l("extended")),
    (c.ProgrammeStatus.COMPLETED, _l("completed")),
    (c.ProgrammeStatus.TERMINATED, _l("terminated")),
    (c.ClosureReason.RESOLVED, _l("situation resolved")),
    (c.ClosureReason.MOVED, _l("moved out of the territory")),
    (c.ClosureReason.REFUSED, _l("citizen refused")),
    (c.ClosureReason.DEATH, _l("death")),
    (c.ClosureReason.TERM_ENDED, _l("term ended without resolution")),
    (c.ClosureReason.CONSENT_REVOKED, _l("consent revoked")),
    (c.ClosureReason.OTHER, _l("other")),
    (c.OutcomeCriterion.DEPENDENCE_OVERCOME, _l("dependence overcome, long remission")),
    (c.OutcomeCriterion.PARENTAL_DUTIES, _l("parental duties fulfilled")),
    (c.OutcomeCriterion.STABLE_INCOME, _l("stable sufficient income, expenses planned")),
    (c.OutcomeCriterion.EMPLOYMENT, _l("permanent employment")),
    (c.OutcomeCriterion.FAMILY_SUPPORT, _l("support within and outside the family")),
    (c.OutcomeCriterion.EMOTIONAL_STATE, _l("stable emotional state")),
    (c.MeasureKind.SOCIAL_DOMESTIC, _l("social-environmental and social-domestic adaptation")),
    (c.MeasureKind.SOCIAL_PEDAGOGICAL, _l("social-pedagogical rehabilitation")),
    (c.MeasureKind.SOCIAL_PSYCHOLOGICAL, _l("social-psychological rehabilitation")),
    (c.MeasureKind.SOCIAL_CULTURAL, _l("social-cultural rehabilitation")),
    (c.MeasureKind.HEALTH_IMPROVING, _l("health-improving measures")),
    (c.MeasureKind.SPORT, _l("physical culture and sport")),
    (c.MeasureKind.MEDICAL, _l("medical help")),
    (c.MeasureKind.PSYCHOLOGICAL, _l("psychological help")),
    (c.MeasureKind.PEDAGOGICAL, _l("pedagogical help")),
    (c.MeasureKind.LEGAL, _l("legal help")),
    (c.MeasureKind.SOCIAL, _l("social help")),
    (c.MeasureStatus.PLANNED, _l("planned")),
    (c.MeasureStatus.IN_PROGRESS, _l("in progress")),
    (c.MeasureStatus.DONE, _l("done")),
    (c.MeasureStatus.CANCELLED, _l("cancelled")),
    (c.MeasureStatus.CANNOT_BE_DONE, _l("cannot be done")),
    (c.CommitteeKind.EXTENSION_COMMISSION, _l("extension commission")),
    (c.CommitteeKind.WORKING_GROUP, _l("interagency working group")),
    (c.MemberRole.CHAIR, _l("chair")),
    (c.MemberRole.SECRETARY, _l("secretary")),
    (c.MemberRole.MEMBER, _l("member")),
    (c.DecisionKind.EXTEND, _l("extend the programme")),
    (c.DecisionKind.APPROVE_MEASURES, _l("approve measures")),
    (c.DecisionKind.CLOSE, _l("close the programme")),
    (c.ControlKind.INTERIM, _l("interim assessment")),
    (c.ControlKind.MONITORING, _l("monitoring inspection")),
    (c.ControlDecision.CONTINUE, _l("continue")),
    (c.ControlDecision.CHANGE, _l("change the programme")),
    (c.ControlDecision.EXTEND, _l("extend")),
    (c.ControlDecision.COMPLETE, _l("complete")),
    (c.ReportStatus.DRAFT, _l("draft")),
    (c.ReportStatus.SUBMITTED, _l("submitted")),
    (c.ReportStatus.REOPENED, _l("reopened")),
    (c.AuditAction.VIEW, _l("view")),
    (c.AuditAction.CREATE, _l("create")),
    (c.AuditAction.UPDATE, _l("update")),
    (c.AuditAction.DELETE, _l("delete")),
    (c.AuditAction.EXPORT, _l("export")),
    (c.AuditAction.LOGIN, _l("login")),
    (c.AuditAction.LOGIN_FAILED, _l("failed login")),
    (c.AuditAction.LOGOUT, _l("logout")),
    (c.AuditAction.SEARCH, _l("search")),
    (c.AuditAction.GRANT_CONFIRMED, _l("access confirmed")),
    (c.AuditAction.GRANT_REFUSED, _l("access refused")),
    (c.GrantStatus.PENDING, _l("awaiting confirmation")),
    (c.GrantStatus.CONFIRMED, _l("confirmed")),
    (c.GrantStatus.REFUSED, _l("refused")),
    (c.GrantStatus.SUPERSEDED, _l("superseded")),
    (c.GrantReason.ROLES, _l("roles or place of work changed")),
    (c.GrantReason.REACTIVATED, _l("account activated again")),
    (c.GrantReason.PASSWORD_RESET, _l("password set by another user")),
    (c.GrantReason.FIRST_DEPARTMENT, _l("first department user, confirmed on the server")),
    (c.ReminderKind.INTERIM_DUE, _l("interim assessment due")),
    (c.ReminderKind.INTERIM_OVERDUE, _l("interim assessment overdue")),
    (c.ReminderKind.MONITORING_DUE, _l("monitoring inspection due")),
    (c.ReminderKind.MONITORING_OVERDUE, _l("monitoring inspection overdue")),
    (c.ReminderKind.PROGRAMME_ENDED, _l("programme term ended")),
    (c.ReminderKind.MEASURE_DUE, _l("measure due")),
    (c.ReminderKind.MEASURE_OVERDUE, _l("measure overdue")),
    (c.ReminderKind.ESCALATION, _l("overdue for more than 7 days")),
    (c.ReminderKind.EXTENSION_LIMIT, _l("extension reaches the 12-month limit")),
    (c.ReminderKind.REPORT_WARNING, _l("monthly report not yet submitted")),
    (c.ReminderKind.REPORT_OVERDUE, _l("monthly report overdue")),
    (c.ReminderKind.PARTNER_REPORTED, _l("a partner organisation reported on a measure")),
    (c.JobStatus.RUNNING, _l("running")),
    (c.JobStatus.DONE, _l("done")),
    (c.JobStatus.FAILED, _l("failed")),
    (c.JobStatus.ENQUEUE_FAILED, _l("not queued: Redis unreachable")),
)

# the declared roles (app.domain.roles) as people call them
ROLE_LABELS = {
    "Admin": _l("administrator"),
    "Department": _l("department"),
    "Territory": _l("territory (social protection administration)"),
    "Director": _l("director of a centre"),
    "Specialist": _l("specialist in social accompaniment"),
    "Registrar": _l("registrar of appeals"),
    "Partner": _l("partner organisation of the working group"),
}


def role_labels(names: str) -> str:
    """ "Director,Specialist" as people read it."""
    return ", ".join(str(ROLE_LABELS.get(name, name)) for name in (names or "").split(",") if name)


# enum class → {code: label}; codes repeat across enums ("other", "draft"), so key by class.
CHOICE_LABELS: dict[type, dict[str, object]] = {}
for _member, _label in _CHOICE_PAIRS:
    CHOICE_LABELS.setdefault(type(_member), {})[_member.value] = _label

RULE_MESSAGES = {
    # refusals of a request as a whole (the API's one error shape)
    "not_found": _l("No such record."),
    "invalid": _l("The request is not correct."),
    "not_signed_in": _l("Sign in first."),
    "forbidden": _l("You have no access to this."),
    "method_not_allowed": _l("This method is not allowed here."),
    "too_large": _l("The request is too large."),
    "too_many_attempts": _l("Too many attempts in a short time. Wait a few minutes and try again."),
    "server_error": _l("The server could not answer the request. The error is logged."),
    "invalid_text": _l("The text contains characters that cannot be stored (a NUL byte or broken Unicode)."),
    "out_of_range": _l("The number is out of range."),
    "invalid_json": _l("The request body is not valid JSON."),
    "invalid_body": _l("The request body must be a JSON object."),
    "too_deep": _l("The request body is nested too deeply."),
    "invalid_page": _l("The page number or the page size is not valid."),
    "wrong_type": _l("The value has the wrong type: an id is a whole number, several ids are a list of them."),
    "required": _l("This field is required."),
    "snils_format": _l("SNILS must have 11 digits: XXX-XXX-XXX YY."),
    "snils_checksum": _l("SNILS check number does not match: please check the number."),
    "snils_taken": _l("A citizen with this SNILS is already registered."),
    "phone_format": _l("Phone must be a Russian number: +7 XXX XXX-XX-XX or a local number."),
    "date_too_old": _l("The date is too far in the past."),
    "family_status_other": _l("Describe the family status when «other» is chosen."),
    "wrong_centre": _l("The record belongs to another centre or is outside your access."),
    "snils_taken_elsewhere": _l(
        "A citizen with this SNILS is already registered by %(centre)s. Contact that centre before registering."
    ),
    "citizen_has_history": _l(
        "The citizen has appeals or programmes: the record cannot be deleted, the case history is kept."
    ),
    "programme_has_history": _l("An activated programme cannot be deleted: terminate it with a reason instead."),
    "grant_second_person": _l(
        "Access is confirmed by a second person: not by the user it opens access to, nor by whoever asked for it."
    ),
    "grant_not_by_admin": _l("An administrator does not confirm access to case data."),
    "grant_confirmer_role": _l("This access is confirmed by a user with the role «%(role)s»."),
    "grant_other_centre": _l("A director confirms access to the data of his or her own centre only."),
    "partner_not_member": _l(
        "A partner's access is confirmed only for an organisation that sits in its territory's interagency working "
        "group: add its representative to the working group first."
    ),
    "grant_not_pending": _l("This request has already been decided."),
    "first_department_exists": _l(
        "A department user with confirmed access exists: further department users are confirmed by them."
    ),
    "appeal_has_programme": _l(
        "The appeal is the ground of an activated programme: it cannot be deleted, the case history is kept."
    ),
    "stale_version": _l(
        "Another user has saved this record after you opened it. Reload the page and make your changes again."
    ),
    "not_responsible": _l("Only the responsible specialist or the director may change this programme."),
    "specialist_other_centre": _l("The responsible specialist must work in the programme's centre."),
    "centre_mismatch": _l("The citizen, the appeal, the programme and the centre must belong to one centre."),
    "report_submitted": _l("The report is submitted and frozen: only the department can reopen it for corrections."),
    "report_month_in_future": _l("A report cannot be prepared for a month that has not begun."),
    "report_month_not_over": _l("The report can be submitted once the reporting month is over."),
    "report_not_submitted": _l("Only a submitted report can be reopened."),
    "revoked_before_signed": _l("The consent cannot be revoked before the date it was signed."),
    "extend_to_before_meeting": _l("The new end date cannot be earlier than the commission's meeting."),
    "reopen_reason_required": _l("Say why the report is reopened."),
    "reopen_department_only": _l("Only the department reopens a submitted report."),
    "partner_field": _l("A partner organisation reports only the status, the date done and the result of a measure."),
    "partner_measure_closed": _l("The measure is already closed: there is nothing more to report."),
    "partner_status": _l("Report «in progress», «done» or «cannot be done»."),
    "partner_result_required": _l("Describe the result of the measure."),
    "partner_reason_required": _l("Say why the measure cannot be done."),
    "partner_no_date_in_progress": _l("A measure in progress has no date it was done."),
    "decision_not_approving": _l(
        "Measures are approved by a decision «approve measures» of the working group on the same programme."
    ),
    "file_empty": _l("The file is empty (0 bytes): choose the scan again."),
    "file_too_large": _l(
        "The file is larger than %(limit)s MB (it has %(size)s MB): scan it with a lower resolution or in black and "
        "white, or split it."
    ),
    "file_type_refused": _l(
        "The file is not a PDF, JPEG, PNG, TIFF, DOC, DOCX or ODT document: its content is checked, not its name."
    ),
}


# The workflow rules' messages (app/platform/messages.py) win over the generic ones of the same code.
RULE_MESSAGES.update(WORKFLOW_MESSAGES)


def choice_label(enum_cls: type, value: str | None) -> str:
    """Label of a stored code of ``enum_cls``; unknown codes are shown as they are."""
    if value is None:
        return ""
    return str(CHOICE_LABELS[enum_cls].get(value, value))


def choices_for(enum_cls: type) -> list[tuple[str, object]]:
    return [(m.value, CHOICE_LABELS[enum_cls][m.value]) for m in enum_cls]


def format_period(period) -> str:
    """ "с 15.07.2026 по 14.01.2027", as the programme form writes a period."""
    start, end = period
    return str(_l("from %(start)s to %(end)s", start=start.strftime("%d.%m.%Y"), end=end.strftime("%d.%m.%Y")))


def rule_message(violation) -> str:
    message = RULE_MESSAGES.get(violation.code)
    return str(message) % violation.params if message is not None else violation.code
