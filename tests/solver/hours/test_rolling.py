"""A plan improved a few days at a time (``solver.hours.rolling``): each window is planned
again with the trucks still waiting when it starts, and the checker keeps only what costs less."""

from __future__ import annotations

from datetime import timedelta

from solver.hours import evaluate
from solver.hours.baseline import aligned_reference
from solver.hours.present import windows_from_states
from solver.hours.problem import StaffingCapacity
from solver.hours.rolling import _window_problem, improve_by_days
from solver.rules import HARD

from .builders import (
    DAY,
    arrivals,
    config,
    flow,
    local,
    office,
    problem,
    solve_optimally,
    window,
)

DAYS = 14


def fortnight(**fields: object):  # type: ignore[no-untyped-def]
    """Plant health over two weeks: trucks at 08:00-12:00 and 18:00-20:00 every day, the
    office closed every evening from 16:00, so each evening's trucks wait into the night."""
    evenings = tuple(window("16:00-24:00", day=day, label="evening") for day in range(-1, DAYS))
    traffic = tuple(
        count
        for day in range(DAYS)
        for start, slots in (("08:00", 16), ("18:00", 8))
        for count in arrivals(local(start, day=day), [4.0] * slots)
    )
    return problem(
        office("phyto-BG", officer_hour_cost=10, never_open=evenings, **fields),
        days=DAYS,
        flows=[flow("phyto-BG", arriving=traffic, throughput=20)],
    )


def improved(post, seconds: float = 60):  # type: ignore[no-untyped-def]
    start = aligned_reference(post, hours="longest")
    report = evaluate(post, windows_from_states(post, start))
    assert report.errors == ()
    rows, better = improve_by_days(post, start, report, config(), seconds)
    assert better == evaluate(post, windows_from_states(post, rows))
    assert better.errors == ()
    return rows, better, report


def test_two_days_at_a_time_reach_the_best_plan_of_the_whole_fortnight() -> None:
    # The windows can: each evening's queue is fixed by the closure, and each window sees
    # the trucks the evening before it left waiting, so it opens at midnight to clear them
    # (for two hours, not the hour and three quarters its own model would allow there).
    post = fortnight()
    rows, better, start = improved(post)
    best, _ = solve_optimally(post, time_limit=60)
    assert better.objective < start.objective
    assert better.objective == best.objective
    wednesday_midnight = post.office_days["phyto-BG"][1].first_slot
    assert rows["phyto-BG"][wednesday_midnight]


def test_a_window_starts_with_the_trucks_still_waiting_and_what_is_left_of_the_weekly_limit() -> None:
    # Kept to 08:00-12:00, 64 trucks a morning fill the four hours but for 16; with each
    # evening's 32 that makes 48 still waiting when Thursday (day 2) starts. Forty hours a
    # week, of which the other five days of the week use four each: 20 are left for two days.
    post = fortnight(regular="08:00-12:00",
                     staffing=StaffingCapacity(max_open_minutes_per_week=40 * 60, enforcement=HARD))
    start = aligned_reference(post)
    report = evaluate(post, windows_from_states(post, start))
    assert report.errors == ()
    thursday = _window_problem(post, start, report, first=2, days=2)
    assert (thursday.first_day, thursday.days) == (DAY + timedelta(days=2), 2)
    assert thursday.flows[0].initial_backlog_trucks == 48
    assert thursday.office("phyto-BG").staffing.max_open_minutes_per_week == 20 * 60
    # The first window of the plan starts with the plan's own queue (none here).
    assert _window_problem(post, start, report, first=0, days=2).flows[0].initial_backlog_trucks == 0
    rows, better = improve_by_days(post, start, report, config(), 5)
    assert better.errors == () and better.objective < report.objective
