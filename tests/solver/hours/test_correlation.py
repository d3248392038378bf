"""Correlated hours of counterpart offices (RKC Standard 3.3): open together for a share of
each one's hours and a minimum overlap a day, per local day of the first office."""

from __future__ import annotations

from datetime import datetime, timedelta

from solver.hours import names
from solver.hours.present import open_together
from solver.hours.problem import CorrelationRule
from solver.rules import Enforcement

from .builders import (
    TR_ZONE,
    named,
    office,
    opened,
    pair,
    problem,
    solve_infeasible,
    solve_optimally,
    span,
    window,
)

# Istanbul's day ends an hour before Sofia's: the Turkish office is kept closed into its
# next day too, or the pair could meet at 23:00 Sofia time.
TURKISH_CLOSURE = (window("00:00-24:00", TR_ZONE, label="system migration"),
                   window("00:00-24:00", TR_ZONE, day=1, label="system migration"))


def counterparts(rule: CorrelationRule, *, bulgarian: dict | None = None,  # type: ignore[no-untyped-def]
                 turkish: dict | None = None):
    bulgarian = bulgarian or {"mandatory": (window("08:00-16:00"),)}
    return pair(
        office("customs-BG", officer_hour_cost=10, **bulgarian),
        office("customs-TR", "TR", officer_hour_cost=10, **(turkish or {})),
        correlation=rule,
    )


def hours_of(intervals: list[tuple[datetime, datetime]] | tuple[tuple[datetime, datetime], ...]) -> float:
    return sum((end - start for start, end in intervals), timedelta()) / timedelta(hours=1)


def test_minimum_overlap_opens_the_counterpart_exactly_that_long() -> None:
    bulgarian, turkish = counterparts(CorrelationRule(min_overlap_minutes=120),
                                      bulgarian={"mandatory": (window("08:00-12:00"),)})
    solution, report = solve_optimally(problem(bulgarian, turkish))
    assert hours_of(opened(solution, "customs-TR")) == 2
    assert hours_of(open_together(solution.windows, "customs-BG", "customs-TR")) == 2
    assert report.objective == 40 + 20


def test_minimum_share_opens_the_counterpart_for_half_the_hours() -> None:
    bulgarian, turkish = counterparts(CorrelationRule(min_share_percent=50))
    solution, report = solve_optimally(problem(bulgarian, turkish))
    together = open_together(solution.windows, "customs-BG", "customs-TR")
    assert hours_of(together) == 4
    assert hours_of(opened(solution, "customs-TR")) == 4
    assert report.objective == 80 + 40


def test_soft_share_pays_per_hour_open_together_missing() -> None:
    # Opening the Turkish office costs more than the 10 an hour missing from the share.
    bulgarian, turkish = pair(
        office("customs-BG", officer_hour_cost=10, mandatory=(window("08:00-16:00"),)),
        office("customs-TR", "TR", officer_hour_cost=100),
        correlation=CorrelationRule(min_share_percent=50, share=Enforcement.soft(10)),
    )
    solution, report = solve_optimally(problem(bulgarian, turkish))
    assert opened(solution, "customs-TR") == []
    assert report.costs == {names.STAFF_HOURS: 80, names.CORRELATION_SHARE: 40}


def test_soft_overlap_pays_for_the_hour_the_closed_counterpart_misses() -> None:
    bulgarian, turkish = counterparts(
        CorrelationRule(min_overlap_minutes=60, overlap=Enforcement.soft(30)),
        bulgarian={"mandatory": (window("08:00-12:00"),)},
        turkish={"never_open": TURKISH_CLOSURE},
    )
    solution, report = solve_optimally(problem(bulgarian, turkish))
    assert report.costs == {names.STAFF_HOURS: 40, names.CORRELATION_OVERLAP: 30}
    assert [c.amount for c in solution.costs if c.rule == names.CORRELATION_OVERLAP] == [1]


def test_hard_overlap_with_a_closed_counterpart_is_infeasible() -> None:
    bulgarian, turkish = counterparts(
        CorrelationRule(min_overlap_minutes=60),
        bulgarian={"mandatory": (window("08:00-12:00"),)},
        turkish={"never_open": TURKISH_CLOSURE},
    )
    solution = solve_infeasible(problem(bulgarian, turkish))
    lines = named(solution.explanation, names.CORRELATION_OVERLAP)
    assert lines and lines[0].subject == "Customs BG / Customs TR"
    assert any("system migration" in line.message for line in solution.explanation)


def test_a_day_neither_office_opens_needs_no_overlap() -> None:
    bulgarian, turkish = counterparts(CorrelationRule(min_overlap_minutes=120),
                                      bulgarian={"mandatory": (window("08:00-12:00", day=1),)})
    solution, report = solve_optimally(problem(bulgarian, turkish, days=2))
    assert opened(solution, "customs-BG") == [span("08:00-12:00", day=1)]
    assert hours_of(opened(solution, "customs-TR")) == 2
    assert all(start >= span("08:00-12:00", day=1)[0] for start, _ in opened(solution, "customs-TR"))
    assert report.objective == 60
