"""The programme form of annex 2, filled from a programme: one data function for every output of the form (the
XLSX workbook, the DOCX document, the browser's print view), so that they cannot print different things.

Decisions where the order is silent:

* a cancelled measure is not part of the programme any more and is not printed (the card keeps it);
* where a legal representative is recorded on the citizen's card, he or she acts for the citizen: §1 names the
  representative and the last line to sign is the representative's, with the representative's name; a citizen under
  18 on the programme's start never signs for himself, even when no representative is recorded yet (the line is left
  for the representative's name to be written by hand).
"""

from __future__ import annotations

from flask_babel import force_locale

from app.domain.choices import DisabilityGroup, FamilyStatus, MeasureStatus, WorkLimitation
from app.models import Programme
from app.platform.labels import choice_label
from reports.programme_form import AppealLine, MeasureLine, ProgrammeFormData, Representative

ADULT_AGE = 18
_FAMILY_ORDER = [status.value for status in FamilyStatus]  # the order of the form's seven statuses


def short_name(full_name: str) -> str:
    """«Иванова Мария Петровна» → «Иванова М. П.», as a signature's decoding is written."""
    surname, *names = full_name.split()
    return " ".join([surname, *(f"{name[0]}." for name in names)]) if full_name.strip() else ""


def age_on(born, day) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def programme_form_data(programme: Programme) -> ProgrammeFormData:
    """Citizen, appeal, measures, term and extension (``rules.term_lines``), results, signatures."""
    citizen = programme.citizen
    appeal = programme.appeal
    term = programme.term
    representative = None
    if (citizen.representative_name or "").strip():
        representative = Representative(
            citizen.representative_name.strip(),
            (citizen.representative_relation or "").strip(),
            citizen.representative_phone or "",
        )
    minor = citizen.birth_date is not None and age_on(citizen.birth_date, programme.start_date) < ADULT_AGE
    signer = programme.citizen_signature or ""
    if representative is not None:
        signer = short_name(representative.name)
    elif minor:
        signer = ""
    with force_locale("ru"):  # the form is the order's, in Russian whatever the interface language
        disability = choice_label(DisabilityGroup, citizen.disability_group)
        work_limitation = choice_label(WorkLimitation, citizen.work_limitation)
    return ProgrammeFormData(
        centre=programme.centre.name,
        number=programme.number,
        full_name=citizen.full_name,
        birth_date=citizen.birth_date,
        address=citizen.address or "",
        phone=citizen.phone or "",
        category=citizen.category.name if citizen.category else "",
        disability=disability,
        work_limitation=work_limitation,
        family_status=_FAMILY_ORDER.index(citizen.family_status) if citizen.family_status in _FAMILY_ORDER else None,
        family_status_other=citizen.family_status_other or "",
        representative=representative,
        minor=minor,
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
            if m.status != MeasureStatus.CANCELLED
        ],
        results=programme.results_analysis or "",
        citizen_words=programme.citizen_words or "",
        note=programme.note or "",
        recommendations=programme.recommendations or "",
        director=programme.director_signature or "",
        specialist=programme.specialist_signature or "",
        citizen=signer,
    )
