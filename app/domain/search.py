"""How a typed search finds a record, as Russians type: pure text rules, no SQL.

Every searchable record keeps a *search key*: its words folded (lower case, «ё» read as «е», spaces collapsed), so
that the database compares folded text with folded text and an index can serve it (``app.models.search`` holds the
SQL side). A typed query becomes *tokens*; a record matches when every token occurs somewhere in its key, in any
order: «жуков конст» and «Константин Жуков» both find «Жуков Константин Петрович». Each token may have a few
spellings (alternatives), any of which may match: a SNILS typed with or without its separators, a date typed
``дд.мм.гггг`` or ``гггг-мм-дд``.

The citizen's key is ``фамилия имя отчество дд.мм.гггг <the SNILS's 11 digits>``: the surname comes first, so a key
that starts with the token and a space is an exact surname match, ranked first.
"""

from __future__ import annotations

import re
from datetime import date

MAX_QUERY = 100  # characters of a query that count: enough for a full name, a date and a SNILS
MIN_DIGITS = 3  # a number typed with separators is also read as its bare digits from this length on

_SPACES = re.compile(r"\s+")
_NUMBER = re.compile(r"[\d\s\-]+")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def fold(text: object) -> str:
    """Lower case, «ё» as «е», one space between words: the form in which keys are stored and queries compared."""
    if text is None:
        return ""
    return _SPACES.sub(" ", str(text).lower().replace("ё", "е")).strip()


def join_key(*parts: object) -> str:
    """A search key from a record's words (empty parts skipped)."""
    return fold(" ".join(str(p) for p in parts if p not in (None, "")))


def date_words(value: date | None) -> str:
    """A date as it is typed into a search: ``дд.мм.гггг``."""
    return value.strftime("%d.%m.%Y") if value else ""


def digits(text: str | None) -> str:
    return "".join(ch for ch in (text or "") if ch.isdigit())


def citizen_key(
    surname: str | None,
    first_name: str | None,
    patronymic: str | None,
    birth_date: date | None,
    snils: str | None,
) -> str:
    """``фамилия имя отчество дд.мм.гггг 11223344595``: any part of the name, the birth date, the SNILS's digits."""
    return join_key(surname, first_name, patronymic, date_words(birth_date), digits(snils))


def tokens(query: str | None) -> list[tuple[str, ...]]:
    """The tokens of a typed query, each a tuple of spellings of which one must occur in the key.

    A query made only of digits, spaces and hyphens is one number (a SNILS «112-233-445 95», a journal number):
    its bare digits, or the number as typed. Otherwise every word is a token; a date typed ``гггг-мм-дд`` is also
    read as ``дд.мм.гггг`` and a hyphenated number also as its digits.
    """
    text = fold((query or "")[:MAX_QUERY])
    if not text:
        return []
    if _NUMBER.fullmatch(text) and len(digits(text)) >= MIN_DIGITS and not _ISO.fullmatch(text):
        return [_unique(digits(text), text)]
    result = []
    for word in text.split(" "):
        spellings = [word]
        iso = _ISO.fullmatch(word)
        if iso:
            year, month, day = iso.groups()
            spellings.append(f"{int(day):02d}.{int(month):02d}.{year}")
        elif "-" in word and _NUMBER.fullmatch(word) and len(digits(word)) >= MIN_DIGITS:
            spellings.append(digits(word))
        result.append(_unique(*spellings))
    return result


def _unique(*spellings: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s for s in spellings if s))


def rank(key: str, query: str | None) -> int:
    """0 when the key's first word is the query's first token (an exact surname), 1 when it starts with it, 2
    otherwise: the order in which matches are offered. The SQL side computes the same (``app.models.search``)."""
    found = tokens(query)
    if not found:
        return 2
    first = found[0][0]
    if key == first or key.startswith(first + " "):
        return 0
    return 1 if key.startswith(first) else 2


def matches(key: str, query: str | None) -> bool:
    """Whether a key matches a query (the rule the SQL side writes as ``LIKE``s)."""
    return all(any(spelling in key for spelling in token) for token in tokens(query))
