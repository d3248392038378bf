"""Changes to published hours need notice: refused inside the notice period when hard, paid
per hour changed when soft, never in the past; every change lists the notice it gives."""

from __future__ import annotations

from solver.hours import names
from solver.hours.problem import NoticePolicy, PublishedHours
from solver.rules import HARD, Enforcement

from .builders import (
    local,
    named,
    office,
    opened,
    problem,
    solve_infeasible,
    solve_optimally,
    span,
    window,
)

# Monday 13 January, 09:00 in Sofia (07:00 UTC): the published window of Tuesday 08:00-16:00
# begins 23 hours later.
NOW = local("09:00", day=-1)
PUBLISHED_WINDOW = "Tue 14 Jan 2025 08:00-16:00 EET"


def published_day() -> PublishedHours:
    start, end = span("00:00-24:00")
    return PublishedHours(office_id="customs-BG", start=start, end=end,
                          windows=(window("08:00-16:00", label="published"),))


def post(customs, *, notice_hours: int = 48, enforcement=HARD, now=NOW):  # type: ignore[no-untyped-def]
    return problem(customs, published=(published_day(),),
                   notice=NoticePolicy(now=now, notice_hours=notice_hours, enforcement=enforcement))


def test_hard_notice_keeps_published_hours_that_cost_staff() -> None:
    customs = office("customs-BG", officer_hour_cost=10)
    solution, report = solve_optimally(post(customs))
    assert opened(solution, "customs-BG") == [span("08:00-16:00")]
    assert solution.changes == () and report.changes == ()
    assert report.objective == 80


def test_closing_a_published_window_inside_the_notice_period_is_refused() -> None:
    customs = office("customs-BG", never_open=(window("12:00-14:00", label="power cut"),))
    solution = solve_infeasible(post(customs))
    lines = named(solution.explanation, names.NOTICE)
    assert lines and lines[0].subject == "Customs BG"
    assert f"published window {PUBLISHED_WINDOW}" in lines[0].message
    assert "would give 23 h notice; the post requires 48 h" in lines[0].message
    assert named(solution.explanation, names.NEVER_OPEN)


def test_soft_notice_pays_per_hour_changed_and_lists_the_change() -> None:
    customs = office("customs-BG", never_open=(window("12:00-14:00", label="power cut"),))
    solution, report = solve_optimally(post(customs, enforcement=Enforcement.soft(50)))
    assert opened(solution, "customs-BG") == [span("08:00-12:00"), span("14:00-16:00")]
    assert report.costs == {names.NOTICE: 100}
    (cost,) = solution.costs
    assert cost.amount == 2
    assert f"published window {PUBLISHED_WINDOW}" in cost.message
    assert "23 h notice (the post requires 48 h)" in cost.message
    (change,) = solution.changes
    assert change == report.changes[0]
    assert (change.kind, change.start, change.end) == ("closes", local("12:00"), local("14:00"))
    assert change.notice_hours == 27 and change.within_notice
    assert change.message == ("Customs BG now closes Tue 14 Jan 2025 12:00-14:00 EET: 27 h notice "
                              "(inside the 48 h notice period)")


def test_opening_inside_a_published_closure_is_paid_too() -> None:
    customs = office("customs-BG", mandatory=(window("17:00-19:00", label="evening convoy"),))
    solution, report = solve_optimally(post(customs, enforcement=Enforcement.soft(7)))
    assert report.costs == {names.NOTICE: 14}
    assert "published closure" in solution.costs[0].message
    assert [(c.kind, c.start, c.end) for c in solution.changes] == [
        ("opens", local("17:00"), local("19:00"))
    ]


def test_beyond_the_notice_period_published_hours_change_freely() -> None:
    # Twelve hours' notice ends on Monday at 21:00 in Sofia, before the published window.
    customs = office("customs-BG", officer_hour_cost=10)
    solution, report = solve_optimally(post(customs, notice_hours=12))
    assert opened(solution, "customs-BG") == []
    assert report.objective == 0
    (change,) = solution.changes
    assert (change.kind, change.notice_hours, change.within_notice) == ("closes", 23, False)
    assert "the post requires 12 h" in change.message


def test_the_notice_period_ending_inside_a_published_window_frees_its_rest() -> None:
    # From Monday 12:00, 24 hours' notice ends on Tuesday at 12:00: the morning stays.
    customs = office("customs-BG", officer_hour_cost=10)
    solution, report = solve_optimally(post(customs, notice_hours=24, now=local("12:00", day=-1)))
    assert opened(solution, "customs-BG") == [span("08:00-12:00")]
    assert report.objective == 40
    (change,) = solution.changes
    assert (change.start, change.end, change.within_notice) == (local("12:00"), local("16:00"), False)


def test_published_hours_in_the_past_never_change() -> None:
    customs = office("customs-BG", never_open=(window("09:00-11:00"),))
    solution = solve_infeasible(post(customs, now=local("12:00"), enforcement=Enforcement.soft(1)))
    lines = named(solution.explanation, names.PAST)
    assert lines and lines[0].subject == "Customs BG"
    assert "already in the past" in lines[0].message
