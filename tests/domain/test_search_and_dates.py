"""The pure rules of the Russian search (folding, tokens, ranking) and of dates as Russians write them."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain import dates, numbers, search


def test_fold_reads_yo_as_ye_and_ignores_case_and_spaces():
    assert search.fold("  ФЁДОРОВ   Семён ") == "федоров семен"
    assert search.fold(None) == ""


def test_the_citizens_key_holds_the_name_the_birth_date_and_the_snils_digits():
    key = search.citizen_key("Фёдоров", "Семён", "Ильич", date(1961, 4, 12), "112-233-445 95")
    assert key == "федоров семен ильич 12.04.1961 11223344595"


@pytest.mark.parametrize(
    "query",
    [
        "федоров",  # lower case, е for ё
        "ФЕДОРОВ",
        "доров",  # any part of the surname
        "семен федоров",  # «Имя Фамилия»
        "Федоров Семён",  # «Фамилия Имя»
        "ильич",
        "12.04.1961",  # the birth date as typed
        "1961-04-12",  # or in ISO
        "112-233-445 95",  # the SNILS with its separators
        "11223344595",  # or without
        "233-445",
    ],
)
def test_a_citizen_is_found_as_russians_type(query):
    key = search.citizen_key("Фёдоров", "Семён", "Ильич", date(1961, 4, 12), "112-233-445 95")
    assert search.matches(key, query)


@pytest.mark.parametrize("query", ["петров", "федоров петр", "13.04.1961", "112-233-445 96"])
def test_others_are_not_found(query):
    key = search.citizen_key("Фёдоров", "Семён", "Ильич", date(1961, 4, 12), "112-233-445 95")
    assert not search.matches(key, query)


def test_numbers_are_found_by_any_part():
    assert search.matches(search.fold("ПСС-12/2026"), "псс")
    assert search.matches(search.fold("ПСС-12/2026"), "12/2026")
    assert search.matches(search.fold("Ж-77"), "77")


def test_an_exact_surname_ranks_before_a_longer_one_and_a_part():
    query = "Федоров"
    ranks = {
        name: search.rank(search.fold(name), query) for name in ("Федоров Иван", "Федоровская Анна", "Афедоров Ян")
    }
    assert ranks == {"Федоров Иван": 0, "Федоровская Анна": 1, "Афедоров Ян": 2}


def test_an_empty_query_has_no_tokens():
    assert search.tokens("   ") == []
    assert search.matches("anything", "") is True


@given(st.text(min_size=1, max_size=30))
def test_a_key_always_matches_its_own_words(text):
    key = search.fold(text)
    assert search.matches(key, text)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12.04.1961", date(1961, 4, 12)),
        ("1.4.1961", date(1961, 4, 1)),
        ("12/04/1961", date(1961, 4, 12)),
        ("12-04-1961", date(1961, 4, 12)),
        ("12 04 1961", date(1961, 4, 12)),
        ("12041961", date(1961, 4, 12)),
        (" 1961-04-12 ", date(1961, 4, 12)),
    ],
)
def test_dates_are_read_day_first_or_iso(typed, expected):
    assert dates.parse_date(typed) == expected


@pytest.mark.parametrize("typed", ["", "31.02.2020", "12.04.61", "17-08-13", "апрель", "2020-13-01"])
def test_what_is_not_a_date_is_none(typed):
    assert dates.parse_date(typed) is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("10.2026", date(2026, 10, 1)), ("2026-10", date(2026, 10, 1)), ("15.10.2026", date(2026, 10, 1))],
)
def test_a_month_is_read_as_mm_yyyy(typed, expected):
    assert dates.parse_month(typed) == expected


@pytest.mark.parametrize("typed", ["13.2026", "10.26", "", "октябрь"])
def test_what_is_not_a_month_is_none(typed):
    assert dates.parse_month(typed) is None


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_a_date_shown_reads_back(day):
    assert dates.parse_date(dates.format_date(day)) == day
    assert dates.parse_month(dates.format_month(day)) == day.replace(day=1)


def test_the_next_free_number_counts_within_the_year_and_prefix():
    taken = ["ПСС-1/2026", "ПСС-7/2026", "ПСС-9/2025", "12/2026", None, "особый"]
    assert numbers.next_free(taken, "ПСС-", 2026) == "ПСС-8/2026"
    assert numbers.next_free(taken, "", 2026) == "13/2026"
    assert numbers.next_free([], "ПСС-", 2027) == "ПСС-1/2027"
