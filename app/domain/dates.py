"""Dates as Russians write them: ``дд.мм.гггг`` typed or pasted, the ISO form accepted too; months as ``мм.гггг``.

Pure parsing: a text in, a ``date`` or ``None`` out. Forms (``app.fab.dates``) keep what was typed when it does not
parse and say how to write it.
"""

from __future__ import annotations

import re
from datetime import date

DATE_FORMAT = "%d.%m.%Y"
MONTH_FORMAT = "%m.%Y"

# 12.04.1961, 12/04/1961, 12-04-1961, 12 04 1961, 1.4.1961; a two-digit year is not accepted (1961 or 2061?)
_DAY_FIRST = re.compile(r"(\d{1,2})\s*[./\-\s]\s*(\d{1,2})\s*[./\-\s]\s*(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DIGITS_ONLY = re.compile(r"(\d{2})(\d{2})(\d{4})")  # 12041961, as typed without separators
_MONTH = re.compile(r"(\d{1,2})\s*[./\-\s]\s*(\d{4})")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?")


def parse_date(text: str | None) -> date | None:
    """``дд.мм.гггг`` (also with ``/``, ``-`` or spaces, or eight digits), or ``гггг-мм-дд``; ``None`` otherwise."""
    value = (text or "").strip()
    for pattern, order in ((_DAY_FIRST, (2, 1, 0)), (_ISO, (0, 1, 2)), (_DIGITS_ONLY, (2, 1, 0))):
        found = pattern.fullmatch(value)
        if found:
            parts = [int(p) for p in found.groups()]
            try:
                return date(parts[order[0]], parts[order[1]], parts[order[2]])
            except ValueError:
                return None
    return None


def parse_month(text: str | None) -> date | None:
    """The first day of a month typed ``мм.гггг`` (or ``гггг-мм``, or a date of that month); ``None`` otherwise."""
    value = (text or "").strip()
    found = _MONTH.fullmatch(value)
    if found:
        month, year = (int(p) for p in found.groups())
    else:
        iso = _ISO_MONTH.fullmatch(value)
        if iso:
            year, month = int(iso.group(1)), int(iso.group(2))
        else:
            day = parse_date(value)
            if day is None:
                return None
            year, month = day.year, day.month
    if not 1 <= month <= 12 or year < 1:
        return None
    return date(year, month, 1)


def format_date(value: date | None) -> str:
    return value.strftime(DATE_FORMAT) if value else ""


def format_month(value: date | None) -> str:
    return value.strftime(MONTH_FORMAT) if value else ""
