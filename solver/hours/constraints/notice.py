"""Changes to published hours need notice: published hours that begin within the post's
notice period from now may not change (hard) or cost per office-hour changed (soft), and
published hours already in the past never change. The solution lists every change with the
notice it gives; the explanation of a refused change names the published window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ortools.sat.python import cp_model

from solver.hours import names
from solver.hours.constraints.common import fix_slots, plan_range, slots_in_wrong_state
from solver.hours.penalties import Penalty, per_hour
from solver.hours.present import clock_label
from solver.hours.problem import HoursProblem, PublishedHours
from solver.hours.variables import HardRule, HoursVars

NAME = "Changes to published hours need notice"


@dataclass(frozen=True, slots=True)
class _Segment:
    """A run of published slots with one state, all in the past or all inside the notice."""

    slots: tuple[int, ...]
    open_: bool
    past: bool


def add_notice(model: cp_model.CpModel, problem: HoursProblem, vars: HoursVars) -> list[Penalty]:
    policy = problem.notice
    if policy is None:
        return []
    penalties: list[Penalty] = []
    for entry in problem.published:
        office = problem.office(entry.office_id)
        for segment in _segments(problem, entry, policy.now, policy.deadline):
            start = problem.slot_start(segment.slots[0])
            end = problem.slot_start(segment.slots[-1] + 1)
            what = ("published window " if segment.open_ else "published closure ") + clock_label(
                start, end, office.zone
            )
            notice = (start - policy.now).total_seconds() / 3600
            if segment.past:
                fix_slots(model, vars, office, segment.slots, open_=segment.open_,
                          rule=HardRule(names.PAST, office.name, None,
                                        f"{office.name}: the {what} is already in the past"))
            elif policy.enforcement.hard:
                fix_slots(model, vars, office, segment.slots, open_=segment.open_,
                          rule=HardRule(names.NOTICE, office.name, None,
                                        f"{office.name}: changing the {what} would give "
                                        f"{notice:g} h notice; the post requires "
                                        f"{policy.notice_hours} h"))
            else:
                penalties.append(
                    per_hour(names.NOTICE, office.name, None,
                             slots_in_wrong_state(vars, office, segment.slots, open_=segment.open_),
                             policy.enforcement.weight,
                             f"changes the {what} with {notice:g} h notice "
                             f"(the post requires {policy.notice_hours} h)",
                             unit="hours changed")
                )
    return penalties


def _segments(
    problem: HoursProblem, entry: PublishedHours, now: datetime, deadline: datetime
) -> list[_Segment]:
    opened = {slot for w in entry.windows for slot in plan_range(problem, w.start, w.end)}
    segments: list[_Segment] = []
    current: list[int] = []
    key: tuple[bool, bool] | None = None
    for slot in plan_range(problem, entry.start, entry.end):
        start = problem.slot_start(slot)
        if start >= deadline:
            break
        slot_key = (slot in opened, start < now)
        if slot_key != key and current:
            segments.append(_Segment(tuple(current), *key))
            current = []
        key = slot_key
        current.append(slot)
    if current and key is not None:
        segments.append(_Segment(tuple(current), *key))
    return segments
