"""The programme form of annex 2, filled from a programme: one data function for every output of the form (the
XLSX workbook, the browser's print view), so that they cannot print different dates."""

from __future__ import annotations

from app.domain.choices import DisabilityGroup, FamilyStatus, WorkLimitation
from app.models import Programme
from app.platform.labels import choice_label
from reports.programme_form import AppealLine, MeasureLine, ProgrammeFormData


def programme_form_data(programme: Programme) -> ProgrammeFormData:
    """Citizen, appeal, measures, term and extension (``rules.term_lines``), results, signatures."""
    citizen = programme.citizen
    appeal = programme.appeal
    family = choice_label(FamilyStatus, citizen.family_status)
    if citizen.family_status_other:
        family = f"{family}: {citizen.family_status_other}"
    term = programme.term
    return ProgrammeFormData(
        centre=programme.centre.name,
        number=programme.number,
        full_name=citizen.full_name,
        birth_date=citizen.birth_date,
        address=citizen.address or "",
        phone=citizen.phone or "",
        category=citizen.category.name if citizen.category else "",
        disability=choice_label(DisabilityGroup, citizen.disability_group),
        work_limitation=choice_label(WorkLimitation, citizen.work_limitation),
        family_status=family,
        start=term.start,
        end=term.end,
        months=term.months,
        extension=term.extension,
        appeals=[AppealLine(appeal.appeal_date, appeal.reason, appeal.problems or "")] if appeal else [],
        measures=[
            MeasureLine(
                m.title,
                ", ".join(filter(None, [*(o.name for o in m.organisations), m.participants_text or ""])),
                m.due_date,
            )
            for m in programme.measures
        ],
        results=programme.results_analysis or "",
        citizen_words=programme.citizen_words or "",
        note=programme.note or "",
        recommendations=programme.recommendations or "",
        director=programme.director_signature or "",
        specialist=programme.specialist_signature or "",
        citizen=programme.citizen_signature or "",
    )
