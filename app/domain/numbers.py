"""Register numbers as a centre keeps them: «12/2026» in the journal of appeals, «ПСС-12/2026» for programmes, a
count restarting each year. The console proposes the next free one on a new record; the user may change it."""

from __future__ import annotations

import re
from collections.abc import Iterable

PROGRAMME_PREFIX = "ПСС-"


def register_number(prefix: str, n: int, year: int) -> str:
    return f"{prefix}{n}/{year}"


def next_free(existing: Iterable[str | None], prefix: str, year: int) -> str:
    """One more than the highest «<prefix><n>/<year>» of the year (numbers written otherwise are left alone)."""
    pattern = re.compile(rf"{re.escape(prefix)}(\d+)/{year}", re.IGNORECASE)
    taken = [int(found.group(1)) for number in existing if number and (found := pattern.fullmatch(number.strip()))]
    return register_number(prefix, max(taken, default=0) + 1, year)
