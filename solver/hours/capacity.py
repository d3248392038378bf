"""How much opening an office's officer pool can staff: the derivation behind
``StaffingCapacity``, a pure function of officer counts, contracts and labour rules.

Per week, the pool works ``officers x availability x contract minutes``; every minute open
takes ``crew`` officers, and each shift loses its handover overlap to cover, so

    week = officers x availability x contract x (shift - handover) / shift / crew.

Per local day, at most ``floor(officers x availability / crew)`` crews exist, each officer
works at most one shift in 24 hours, no longer than the longest shift nor than what the daily
rest leaves (24 h - rest), so

    day = min(24 h, crews x (min(longest shift, 24 h - rest) - handover)).

Both are rounded down to the 15-minute grid. These are upper bounds: the roster engine still
decides who works when; they keep the hours engine from promising what no roster can staff.
"""

from __future__ import annotations

import math

from solver.hours.problem import SLOT_MINUTES, StaffingCapacity
from solver.rules import HARD, Enforcement


def staffing_capacity(
    *,
    officers: int,
    crew: int,
    contract_minutes_per_week: int,
    max_shift_minutes: int = 12 * 60,
    min_daily_rest_minutes: int = 11 * 60,
    handover_minutes: int = 0,
    availability: float = 1.0,
    enforcement: Enforcement = HARD,
) -> StaffingCapacity:
    """Upper bounds on open minutes per day and per week an office can staff with ``crew``."""
    if officers < 0 or crew < 1 or contract_minutes_per_week < 0:
        raise ValueError("officers and contract minutes cannot be negative; a crew is at least 1")
    if not 0 <= availability <= 1:
        raise ValueError("availability is a share between 0 and 1")
    longest = min(max_shift_minutes, 1440 - min_daily_rest_minutes)
    if longest <= handover_minutes:
        raise ValueError("a shift must last longer than its handover")
    cover_share = (longest - handover_minutes) / longest
    present = officers * availability
    week = present * contract_minutes_per_week * cover_share / crew
    crews = math.floor(present / crew + 1e-9)
    day = min(1440, crews * (longest - handover_minutes))
    return StaffingCapacity(
        max_open_minutes_per_day=_down(day),
        max_open_minutes_per_week=_down(week),
        enforcement=enforcement,
    )


def _down(minutes: float) -> int:
    return int(minutes // SLOT_MINUTES) * SLOT_MINUTES
