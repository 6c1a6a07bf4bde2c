"""Stored timestamps: one UTC form, written and read back exactly."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from storage.clock import from_iso, to_iso


def test_a_timestamp_reads_back_as_the_same_utc_moment() -> None:
    caracas = dt.datetime(2026, 1, 31, 23, 59, 58, 999_999, tzinfo=ZoneInfo("America/Caracas"))
    stamp = to_iso(caracas)
    assert stamp == "2026-02-01T03:59:58Z"
    back = from_iso(stamp)
    assert back == caracas.replace(microsecond=0) and back.utcoffset() == dt.timedelta(0)


@pytest.mark.parametrize(
    "text",
    ["2026-02-01", "2026-02-01T03:59:58", "2026-02-01T03:59:58+00:00", "2026-02-01 03:59:58Z", ""],
    ids=["date only", "no zone", "offset instead of Z", "space for T", "empty"],
)
def test_any_other_form_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        from_iso(text)
