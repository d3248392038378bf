"""Local descriptions to UTC facts: shift instants across DST, night work, interval demand."""

from __future__ import annotations

from datetime import UTC, date, datetime

from solver.roster.prepare import instance, interval_cover, is_night_work, night_minutes
from solver.roster.problem import Office

from .conftest import template

SOFIA = Office(id="ka", name="Kapitan Andreevo", zone="Europe/Sofia", zone_side="BG")


def test_a_night_shift_is_an_hour_shorter_when_clocks_go_forward():
    night = template("night", 22, 8, night=True, office=SOFIA)
    usual = instance(night, SOFIA, date(2025, 3, 22))
    short = instance(night, SOFIA, date(2025, 3, 29))
    long = instance(night, SOFIA, date(2025, 10, 25))
    assert (usual.minutes, short.minutes, long.minutes) == (480, 420, 540)
    assert short.start == datetime(2025, 3, 29, 20, 0, tzinfo=UTC)


def test_night_work_follows_the_three_hour_rule():
    assert night_minutes(22 * 60, 480) == 480
    assert night_minutes(14 * 60, 480) == 0
    assert night_minutes(18 * 60, 720) == 8 * 60
    assert is_night_work(20 * 60, 300) is True   # 20:00-01:00: three hours of night
    assert is_night_work(19 * 60, 300) is False  # 19:00-00:00: two


def test_interval_demand_is_cut_in_utc_and_read_on_the_local_clock():
    demand = interval_cover(SOFIA, None, date(2025, 3, 30), 1,
                            lambda day, minute: 1 if minute == 2 * 60 or minute == 4 * 60 else 0)
    # On 30 March 2025 Sofia has no 03:00-04:00: 23 hours, 46 intervals; 02:00 and 04:00 exist.
    assert [d.start for d in demand] == [datetime(2025, 3, 30, 0, 0, tzinfo=UTC),
                                         datetime(2025, 3, 30, 1, 0, tzinfo=UTC)]
