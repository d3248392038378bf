"""Hypothesis strategies for random tiny posts, shared by the property tests."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import strategies as st

from solver.hours.problem import BlockRules, CorrelationRule, Office, StaffingCapacity, TimeWindow
from solver.rules import HARD, Enforcement

from .builders import local, office, pair

enforcements = st.one_of(st.just(HARD), st.integers(1, 30).map(Enforcement.soft))


@st.composite
def windows_on_the_day(draw, zone: str, label: str, count: tuple[int, int] = (0, 2)):  # type: ignore[no-untyped-def]
    """Zero to two windows of 1-5 hours on the first local day, on the quarter hour."""
    result = []
    for _ in range(draw(st.integers(*count))):
        start = draw(st.integers(0, 80))
        length = draw(st.integers(4, 20))
        begin = local("00:00", zone) + timedelta(minutes=15 * start)
        result.append(TimeWindow(start=begin, end=begin + timedelta(minutes=15 * length), label=label))
    return tuple(result)


@st.composite
def random_office(draw, ident: str, side: str, zone: str):  # type: ignore[no-untyped-def]
    daily = draw(st.one_of(st.none(), st.integers(4, 24).map(lambda hours: hours * 60)))
    return office(
        ident, side,
        mandatory=draw(windows_on_the_day(zone, "must")),
        mandatory_rule=draw(enforcements),
        never_open=draw(windows_on_the_day(zone, "never")),
        never_open_rule=draw(enforcements),
        blocks=BlockRules(
            max_blocks_per_day=draw(st.integers(1, 3)),
            max_blocks=draw(enforcements),
            min_block_minutes=draw(st.sampled_from([60, 120, 180])),
            min_block=draw(enforcements),
            min_fragment=draw(enforcements),
            block_cost=draw(st.integers(0, 20)),
        ),
        staffing=StaffingCapacity(max_open_minutes_per_day=daily, enforcement=draw(enforcements)),
        crew=draw(st.integers(1, 3)),
        officer_hour_cost=draw(st.integers(0, 20)),
        out_of_hours_premium=draw(st.integers(0, 10)),
        step_minutes=draw(st.sampled_from([15, 30, 60])),
    )


@st.composite
def linked(  # type: ignore[no-untyped-def]
    draw, first: Office, second: Office, shares: list[int], overlaps: list[int]
) -> list[Office]:
    """Two offices as counterparts under joint controls, with correlated hours (a share of
    ``shares`` percent, an overlap of ``overlaps`` minutes), or not linked at all."""
    link = draw(st.sampled_from(["joint", "correlated", "none"]))
    if link == "joint":
        return list(pair(first, second, joint_controls=True, joint_controls_rule=draw(enforcements)))
    if link == "correlated":
        rule = CorrelationRule(min_share_percent=draw(st.sampled_from(shares)), share=draw(enforcements),
                               min_overlap_minutes=draw(st.sampled_from(overlaps)), overlap=draw(enforcements))
        return list(pair(first, second, correlation=rule))
    return [first, second]
