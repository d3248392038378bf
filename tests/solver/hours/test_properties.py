"""Property tests: whatever the solver returns on random tiny posts, the checker agrees."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solver.hours.problem import (
    HoursProblem,
    NeighbourClosure,
    NoticePolicy,
    PublishedHours,
)

from .builders import TR_ZONE, arrivals, flow, local, office, problem, solve_and_check
from .strategies import enforcements, linked, random_office, windows_on_the_day


@st.composite
def tiny_posts(draw) -> HoursProblem:  # type: ignore[no-untyped-def]
    customs = draw(random_office("customs-BG", "BG", "Europe/Sofia"))
    offices = [customs]
    if draw(st.booleans()):
        partner = draw(random_office("customs-TR", "TR", TR_ZONE))
        offices = draw(linked(customs, partner, shares=[0, 25, 50], overlaps=[0, 60, 120]))
    if draw(st.booleans()):
        # A 24/7 office is a constant: the post is then solved in parts.
        offices.append(office("police-BG", always_open=True, officer_hour_cost=draw(st.integers(0, 5))))
    flows = []
    if draw(st.booleans()):
        start = draw(st.integers(0, 80))
        trucks = draw(st.lists(st.integers(0, 6), min_size=1, max_size=8))
        checking = draw(st.lists(st.sampled_from([o.id for o in offices]), min_size=1, max_size=3,
                                 unique=True))
        dependency = draw(st.one_of(st.none(), enforcements)) if len(checking) > 1 else None
        flows.append(flow(*checking, throughput=draw(st.sampled_from([4, 10, 40])),
                          arriving=arrivals(local("00:00") + timedelta(minutes=15 * start), trucks),
                          waiting_cost=draw(st.integers(0, 60)),
                          max_wait_minutes=draw(st.sampled_from([None, 120, 240])),
                          max_wait=draw(enforcements),
                          lead_office_id=checking[0] if dependency is not None else None,
                          dependency=dependency))
    extra: dict[str, object] = {}
    if draw(st.booleans()):
        published = draw(windows_on_the_day("Europe/Sofia", "published"))
        # A window drawn late in the day may run past midnight: the range covers it.
        start, end = local("00:00"), local("00:00", day=2)
        extra["published"] = (PublishedHours(office_id="customs-BG", start=start, end=end,
                                             windows=published[:1]),)
        extra["notice"] = NoticePolicy(now=local("00:00", day=-1) + timedelta(hours=draw(st.integers(0, 30))),
                                       notice_hours=draw(st.sampled_from([0, 12, 48])),
                                       enforcement=draw(enforcements))
    if any(o.side == "TR" for o in offices) and draw(st.booleans()):
        (closed,) = draw(windows_on_the_day(TR_ZONE, "closure", (1, 1)))
        extra["neighbour_closures"] = (NeighbourClosure(side="TR", start=closed.start, end=closed.end,
                                                        label="announced closure",
                                                        enforcement=draw(enforcements)),)
    return problem(*offices, flows=flows, days=draw(st.integers(1, 2)), **extra)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_posts())
def test_whatever_the_solver_returns_the_checker_agrees(post: HoursProblem) -> None:
    solution, report = solve_and_check(post, time_limit=5)
    assert solution.status in ("optimal", "feasible", "infeasible")
    if solution.status == "infeasible":
        assert solution.explanation
        assert solution.windows == ()
        return
    assert report.errors == ()
    assert solution.objective is not None
    assert abs(solution.objective - report.objective) < 1e-6
    if solution.status == "optimal":
        assert solution.best_bound is not None
        assert abs(solution.best_bound - solution.objective) < 1e-6
