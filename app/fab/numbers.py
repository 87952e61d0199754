"""The next free register number of a centre and year (``app.domain.numbers``), proposed on a new record's form."""

from __future__ import annotations

from sqlalchemy import select

from app.domain.numbers import next_free
from app.extensions import db
from app.models import Centre
from app.platform.clock import today
from app.security.scope import current_scope


def the_users_centre() -> int | None:
    """The centre a user works in, when it is exactly one (a director, specialist or registrar)."""
    centres = current_scope().centre_ids
    return next(iter(centres)) if centres is not None and len(centres) == 1 else None


def propose_number(model: type, column: str, prefix: str = "", centre_id: int | None = None) -> str | None:
    """The next free number of ``model.<column>`` in the user's centre this year, or ``None`` without one centre."""
    centre_id = centre_id or the_users_centre()
    if centre_id is None:
        return None
    year = today().year
    numbers = getattr(model, column)
    existing = db.session.scalars(
        select(numbers).where(model.centre_id == centre_id, numbers.like(f"{prefix}%/{year}"))
    ).all()
    return next_free(existing, prefix, year)


def prefill_register(form, model: type, column: str, prefix: str = "") -> None:
    """Propose the next free number (and the user's centre) on an empty add form."""
    centre_id = the_users_centre()
    if centre_id is None:
        return
    if column in form and not form[column].data:
        form[column].data = propose_number(model, column, prefix, centre_id)
    if "centre" in form and not form["centre"].data:
        form["centre"].data = db.session.get(Centre, centre_id)
