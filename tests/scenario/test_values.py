"""The small text formats people type: written out and read back, a value is the same."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.services.scenario.spec import Window
from app.services.scenario.values import format_days, format_window, parse_days, parse_window


@st.composite
def windows(draw: st.DrawFn) -> Window:
    start = draw(st.integers(0, 1439))
    end = draw(st.integers(start + 1, start + 1440))
    return Window(start, end)


@given(windows())
def test_a_window_reads_back_as_written(window):
    assert parse_window(format_window(window)) == window


@given(st.sets(st.integers(0, 6), min_size=1))
def test_days_read_back_as_written(days):
    assert parse_days(format_days(tuple(sorted(days)))) == tuple(sorted(days))


@pytest.mark.parametrize(("text", "minutes"), [("22:00-06:00+1", (1320, 1800)), ("18:00-24:00", (1080, 1440)), ("00:00-24:00", (0, 1440)), (" 7:30 - 12:00 ", (450, 720))])
def test_windows_past_midnight_and_to_the_end_of_the_day(text, minutes):
    assert parse_window(text) == Window(*minutes)


@pytest.mark.parametrize("text", ["17:00-08:00", "24:00-06:00+1", "06:00-07:00+1", "7-12", "08:60-09:00", "25:00-26:00"])
def test_impossible_windows_are_refused(text):
    with pytest.raises(ValueError):
        parse_window(text)
