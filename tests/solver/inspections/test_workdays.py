"""The working-day calculator behind notice periods, against the checker's own measure."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from solver.inspections import add_working_days
from solver.inspections.checker import working_time_between

SOFIA = "Europe/Sofia"
MON_FRI = frozenset({5, 6})


def sofia(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A Sofia wall-clock time as a UTC instant."""
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(SOFIA)).astimezone(UTC)


def test_add_working_days_friday_afternoon_runs_out_monday_afternoon() -> None:
    friday = sofia(2025, 1, 17, 15)
    assert add_working_days(friday, 1, zone=SOFIA, weekend_days=MON_FRI, holidays=()) == sofia(
        2025, 1, 20, 15
    )


def test_add_working_days_from_a_saturday_counts_from_monday_midnight() -> None:
    saturday = sofia(2025, 1, 18, 10)
    assert add_working_days(saturday, 1, zone=SOFIA, weekend_days=MON_FRI, holidays=()) == sofia(
        2025, 1, 21, 0
    )


def test_add_working_days_skips_the_sides_own_holidays() -> None:
    friday = sofia(2025, 2, 28, 9)
    liberation_day = date(2025, 3, 3)  # a Monday, a holiday in Bulgaria only
    found = add_working_days(friday, 1, zone=SOFIA, weekend_days=MON_FRI, holidays={liberation_day})
    assert found == sofia(2025, 3, 4, 9)


def test_add_working_days_uses_the_agencys_weekend() -> None:
    # Fri-Sat weekend (Jordan, Egypt): a Thursday notice runs out on Sunday.
    thursday = datetime(2025, 1, 16, 8, tzinfo=UTC)
    found = add_working_days(thursday, 1, zone="Asia/Amman", weekend_days={4, 5}, holidays=())
    assert found == datetime(2025, 1, 19, 8, tzinfo=UTC)


def test_add_working_days_counts_a_dst_day_as_one_day() -> None:
    # Sunday 30 March 2025 has 23 hours in Sofia; Saturday 09:00 + 1 working day with a
    # Mon-Fri week is Monday 09:00 wall clock, whatever the clock did on Sunday.
    friday = sofia(2025, 3, 28, 9)
    assert add_working_days(friday, 1, zone=SOFIA, weekend_days=MON_FRI, holidays=()) == sofia(
        2025, 3, 31, 9
    )
    every_day = add_working_days(sofia(2025, 3, 29, 9), 1, zone=SOFIA, weekend_days=(), holidays=())
    assert every_day == sofia(2025, 3, 30, 9)
    assert every_day - sofia(2025, 3, 29, 9) == timedelta(hours=23)


def test_add_working_days_zero_is_the_notification_itself() -> None:
    moment = sofia(2025, 1, 18, 10)
    assert add_working_days(moment, 0, zone=SOFIA, weekend_days=MON_FRI, holidays=()) == moment


@settings(max_examples=60, deadline=None)
@given(
    start=st.datetimes(
        min_value=datetime(2024, 1, 1), max_value=datetime(2026, 12, 31), timezones=st.just(UTC)
    ),
    days=st.integers(min_value=1, max_value=5),
    weekend=st.sampled_from([frozenset({5, 6}), frozenset({4, 5}), frozenset({6}), frozenset()]),
    zone=st.sampled_from(["Europe/Sofia", "Europe/Istanbul", "Africa/Kigali", "America/Tijuana"]),
)
def test_add_working_days_deadline_is_the_first_moment_the_measure_reaches_the_period(
    start: datetime, days: int, weekend: frozenset[int], zone: str
) -> None:
    holidays = {date(2025, 1, 1), date(2025, 12, 25), date(2024, 5, 1)}
    deadline = add_working_days(start, days, zone=zone, weekend_days=weekend, holidays=holidays)
    assert working_time_between(start, deadline, zone, weekend, frozenset(holidays)) >= timedelta(
        days=days
    )
    just_before = deadline - timedelta(minutes=1)
    assert just_before < start or working_time_between(
        start, just_before, zone, weekend, frozenset(holidays)
    ) < timedelta(days=days)
