"""Closed code lists of the domain (DOMAIN.md §2–§3).

Stored in the database as short strings; ``StrEnum`` members compare equal to them.
Their Russian/English labels live in ``app.platform.labels`` so this module stays Flask-free.
"""

from __future__ import annotations

from enum import StrEnum


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


class DisabilityGroup(StrEnum):
    NONE = "none"
    GROUP_1 = "group_1"
    GROUP_2 = "group_2"
    GROUP_3 = "group_3"
    CHILD = "child"


class WorkLimitation(StrEnum):
    """Degree of limitation of the ability to work (степень ограничения способности к трудовой деятельности)."""

    NONE = "none"
    DEGREE_1 = "degree_1"
    DEGREE_2 = "degree_2"
    DEGREE_3 = "degree_3"


class FamilyStatus(StrEnum):
    SINGLE = "single"  # одинокий
    LIVING_ALONE = "living_alone"  # одиноко проживающий
    SINGLE_COUPLE = "single_couple"  # одинокая супружеская пара
    COUPLE_LIVING_ALONE = "couple_living_alone"  # одиноко проживающая супружеская пара
    CLOSE_RELATIVES = "close_relatives"  # проживает в семье близких родственников
    RELATIVES = "relatives"  # проживает в семье родственников
    OTHER = "other"  # иное (с пояснением)


class OrganisationKind(StrEnum):
    HEALTH = "health"
    EDUCATION = "education"
    EMPLOYMENT = "employment"
    CULTURE_SPORT = "culture_sport"
    POLICE = "police"
    SOCIAL_SERVICE = "social_service"
    NGO = "ngo"
    OTHER = "other"


class AppealChannel(StrEnum):
    APPLICATION = "application"  # личное заявление
    IDENTIFIED = "identified"  # выявлен специалистом
    REFERRAL = "referral"  # направлен ведомством


class AppealDecision(StrEnum):
    PENDING = "pending"
    ENROLLED = "enrolled"
    REFUSED = "refused"
    REDIRECTED = "redirected"


class DocumentKind(StrEnum):
    APPLICATION = "application"  # заявление о предоставлении социального обслуживания
    NEED_ASSESSMENT = "need_assessment"  # акт оценки индивидуальной потребности
    LIVING_CONDITIONS = "living_conditions"  # акт обследования условий жизнедеятельности


class ProgrammeStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    EXTENDED = "extended"
    COMPLETED = "completed"
    TERMINATED = "terminated"


OPEN_STATUSES = (ProgrammeStatus.ACTIVE, ProgrammeStatus.EXTENDED)
CLOSED_STATUSES = (ProgrammeStatus.COMPLETED, ProgrammeStatus.TERMINATED)


class ClosureReason(StrEnum):
    RESOLVED = "resolved"
    MOVED = "moved"
    REFUSED = "refused"
    DEATH = "death"
    TERM_ENDED = "term_ended"
    CONSENT_REVOKED = "consent_revoked"
    OTHER = "other"


class OutcomeCriterion(StrEnum):
    DEPENDENCE_OVERCOME = "dependence_overcome"
    PARENTAL_DUTIES = "parental_duties"
    STABLE_INCOME = "stable_income"
    EMPLOYMENT = "employment"
    FAMILY_SUPPORT = "family_support"
    EMOTIONAL_STATE = "emotional_state"


class MeasureKind(StrEnum):
    SOCIAL_DOMESTIC = "social_domestic"  # социально-средовая и социально-бытовая адаптация
    SOCIAL_PEDAGOGICAL = "social_pedagogical"
    SOCIAL_PSYCHOLOGICAL = "social_psychological"
    SOCIAL_CULTURAL = "social_cultural"
    HEALTH_IMPROVING = "health_improving"
    SPORT = "sport"
    MEDICAL = "medical"  # иная помощь, не относящаяся к социальным услугам
    PSYCHOLOGICAL = "psychological"
    PEDAGOGICAL = "pedagogical"
    LEGAL = "legal"
    SOCIAL = "social"


class MeasureStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"
    CANNOT_BE_DONE = "cannot_be_done"  # reported by the partner, with the reason


class CommitteeKind(StrEnum):
    EXTENSION_COMMISSION = "extension_commission"
    WORKING_GROUP = "working_group"


class MemberRole(StrEnum):
    CHAIR = "chair"
    SECRETARY = "secretary"
    MEMBER = "member"


class DecisionKind(StrEnum):
    EXTEND = "extend"
    APPROVE_MEASURES = "approve_measures"
    CLOSE = "close"


class ControlKind(StrEnum):
    INTERIM = "interim"  # промежуточная оценка (3 месяца)
    MONITORING = "monitoring"  # мониторинговое социальное инспектирование


class ControlDecision(StrEnum):
    CONTINUE = "continue"
    CHANGE = "change"
    EXTEND = "extend"
    COMPLETE = "complete"


class ReportStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    REOPENED = "reopened"


class AuditAction(StrEnum):
    VIEW = "view"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    EXPORT = "export"
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGOUT = "logout"
    SEARCH = "search"  # a search by an identifier (SNILS) or a search-as-you-type list: the term and what it found
    GRANT_CONFIRMED = "grant_confirmed"
    GRANT_REFUSED = "grant_refused"


class GrantStatus(StrEnum):
    """A request to open case data to a user (four eyes: ``app.domain.roles.check_confirmation``)."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    REFUSED = "refused"
    SUPERSEDED = "superseded"  # a later change of the user's roles or place asked for something else


class GrantReason(StrEnum):
    """Why a grant is asked for."""

    ROLES = "roles"  # a role that opens case data was given, or the user's centre or territory changed
    REACTIVATED = "reactivated"  # a deactivated account was activated again
    PASSWORD_RESET = "password_reset"  # somebody else set the account's password
    FIRST_DEPARTMENT = "first_department"  # the first department user, confirmed on the server (README)


class ReminderKind(StrEnum):
    INTERIM_DUE = "interim_due"
    INTERIM_OVERDUE = "interim_overdue"
    MONITORING_DUE = "monitoring_due"
    MONITORING_OVERDUE = "monitoring_overdue"
    PROGRAMME_ENDED = "programme_ended"
    MEASURE_DUE = "measure_due"
    MEASURE_OVERDUE = "measure_overdue"
    ESCALATION = "escalation"
    EXTENSION_LIMIT = "extension_limit"
    REPORT_WARNING = "report_warning"
    REPORT_OVERDUE = "report_overdue"
    PARTNER_REPORTED = "partner_reported"  # a partner organisation reported on a measure


class JobStatus(StrEnum):
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    ENQUEUE_FAILED = "enqueue_failed"  # Redis unreachable: the job was not queued


# The stage checklist of S1 §5.3: (stage, item code) in order.
CHECKLIST: dict[int, tuple[str, ...]] = {
    1: ("collect_information", "define_problems", "find_resources", "name_difficulties"),
    2: ("develop_measures", "carry_out_measures", "coordinate_control"),
    3: ("analyse_results", "give_recommendations"),
}
