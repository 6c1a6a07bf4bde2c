"""Receipt codes, cédulas and dates as families type them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from domain.cedula import CedulaProblem, display_cedula, normalise_cedula, parse_cedula
from domain.dates import DateProblem, local_today, parse_past_date
from domain.receipts import format_receipt, new_receipt_code, normalise_receipt

MONDAY = dt.date(2026, 1, 12)


def test_new_receipt_codes_are_sixteen_random_digits() -> None:
    codes = {new_receipt_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(code) == 16 and code.isdigit() for code in codes)


def test_receipt_codes_are_shown_in_groups_of_four() -> None:
    assert format_receipt("8306194755210638") == "8306 1947 5521 0638"


@pytest.mark.parametrize(
    "typed",
    [
        "8306 1947 5521 0638",
        "8306-1947-5521-0638",
        " 8306194755210638 ",
        "8306\u00a01947 5521-0638",
    ],
)
def test_receipt_codes_are_accepted_with_spaces_or_dashes(typed: str) -> None:
    assert normalise_receipt(typed) == "8306194755210638"


@pytest.mark.parametrize("typed", ["8306 1947 5521", "8306 1947 5521 06381", "abcd", "", "²" * 16])
def test_anything_else_is_not_a_receipt_code(typed: str) -> None:
    assert normalise_receipt(typed) is None


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("V-12.345.678", "V12345678"),
        ("v 12345678", "V12345678"),
        ("E-81234567", "E81234567"),
        ("12.345.678", "V12345678"),
        ("123456", "V123456"),
        ("V-123.456.789", "V123456789"),
    ],
)
def test_cedulas_are_normalised(typed: str, normalised: str) -> None:
    assert normalise_cedula(typed) == normalised


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("", CedulaProblem.EMPTY),
        ("V-12345", CedulaProblem.TOO_SHORT),
        ("1234567890", CedulaProblem.TOO_LONG),
        ("J-12345678", CedulaProblem.BAD_LETTER),
        ("doce millones", CedulaProblem.NOT_A_NUMBER),
    ],
)
def test_invalid_cedulas_say_why(typed: str, problem: CedulaProblem) -> None:
    assert parse_cedula(typed).problem is problem


def test_cedulas_are_displayed_as_on_the_card() -> None:
    assert display_cedula("V12345678") == "V-12.345.678"
    assert display_cedula("E123456") == "E-123.456"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("hoy", MONDAY),
        ("Today", MONDAY),
        ("ayer", dt.date(2026, 1, 11)),
        ("anteayer", dt.date(2026, 1, 10)),
        ("the day before yesterday", dt.date(2026, 1, 10)),
        ("el viernes", dt.date(2026, 1, 9)),
        ("Miércoles", dt.date(2026, 1, 7)),
        ("last sunday", dt.date(2026, 1, 11)),
        ("lunes", dt.date(2026, 1, 5)),
        ("15/12/2025", dt.date(2025, 12, 15)),
        ("5/1/26", dt.date(2026, 1, 5)),
        ("05-01-2026", dt.date(2026, 1, 5)),
        ("2025-12-31", dt.date(2025, 12, 31)),
        ("20/12", dt.date(2025, 12, 20)),
    ],
)
def test_dates_are_read_day_first_and_in_words(typed: str, expected: dt.date) -> None:
    assert parse_past_date(typed, MONDAY).value == expected


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("13/01/2026", DateProblem.FUTURE),
        ("31/12/2013", DateProblem.TOO_OLD),
        ("30/02/2024", DateProblem.IMPOSSIBLE),
        ("15/13/2025", DateProblem.IMPOSSIBLE),
        ("mañana", DateProblem.UNREADABLE),
        ("  ", DateProblem.EMPTY),
    ],
)
def test_bad_dates_say_why(typed: str, problem: DateProblem) -> None:
    assert parse_past_date(typed, MONDAY).problem is problem


def test_today_is_the_families_today_not_utc() -> None:
    late_evening_in_caracas = dt.datetime(2026, 1, 13, 2, 30, tzinfo=dt.UTC)
    assert local_today(late_evening_in_caracas, ZoneInfo("America/Caracas")) == MONDAY
