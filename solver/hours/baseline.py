"""The uncoordinated baseline: every office keeps its own side's regular hours.

Each office opens exactly its regular hours of each local day (holiday and date-ranged hours
included) and its mandatory windows, in its own zone and calendar, with no regard for the
other side, the traffic or the other agencies. Evaluated by the checker, it is what the
planned hours are compared with.
"""

from __future__ import annotations

import itertools
from typing import Literal

from solver.hours.checker import CheckReport, evaluate
from solver.hours.present import merge, windows_from_states
from solver.hours.problem import SLOT_MINUTES, HoursProblem, Office, OpeningWindow
from solver.hours.variables import open_throughout
from solver.ids import Groups


def regular_hours_plan(problem: HoursProblem) -> tuple[OpeningWindow, ...]:
    windows = []
    for office in problem.offices:
        intervals = [(w.start, w.end) for w in problem.regular_windows[office.id]]
        intervals += [(w.start, w.end) for w in office.mandatory]
        if office.always_open:
            intervals.append((problem.grid_start, problem.plan_end))
        for start, end in merge(intervals):
            start, end = max(start, problem.grid_start), min(end, problem.plan_end)
            if start < end:
                windows.append(OpeningWindow(office_id=office.id, start=start, end=end))
    return tuple(windows)


Alignment = Literal["widen", "narrow"]
Hours = Literal["reference", "longest"]


def aligned_reference(
    problem: HoursProblem, *, how: Alignment = "widen", hours: Hours = "reference"
) -> dict[str, tuple[bool, ...]]:
    """Each office's reference hours over the plan (or, with ``hours="longest"``, every hour
    no hard rule closes), aligned so that counterparts bound to open together (joint
    controls, or a hard daily overlap) are open at the same times: widened, open whenever
    either of them is; or narrowed, open only when both are, so that whatever closes one of
    them closes the other too.

    The reference alone often breaks those rules: two sides keep different holidays and
    clocks. Widening keeps them, and everything that closes an office (never-open windows, a
    neighbour's closure) still closes it. It is where the search starts and, where it keeps
    every hard rule, the plan to fall back on. Narrowing keeps them too and opens no office
    longer than its own hours, so it is what a plan kept to a staff-hour budget falls back on
    (an office open 24/7 by a hard rule stays open and narrows nothing).
    """
    by_id = {office.id: office for office in problem.offices}
    linked = Groups(office.id for office in problem.offices)
    for office in problem.offices:
        partner = office.counterpart_id
        bound = office.joint_controls or (office.correlation is not None and office.correlation.overlap.hard)
        if partner in by_id and bound:
            linked.join((office.id, partner))
    root = linked.find
    slots = problem.plan_slots
    fixed = {office.id for office in problem.offices if open_throughout(problem, office)}
    opened: dict[str, list[bool]] = {}
    for office in problem.offices:
        if how != "widen" and office.id in fixed:
            continue
        reference = problem.reference_open[office.id][:slots] if hours == "reference" else (True,) * slots
        row = opened.get(root(office.id))
        if row is None:
            opened[root(office.id)] = list(reference)
        else:
            combine = (lambda a, b: a or b) if how == "widen" else (lambda a, b: a and b)
            row[:] = [combine(a, b) for a, b in zip(row, reference, strict=True)]
    shortest: dict[str, int] = {}
    for office in problem.offices:
        slots_needed = -(-office.blocks.min_fragment_minutes // SLOT_MINUTES)
        shortest[root(office.id)] = max(shortest.get(root(office.id), 1), slots_needed)
    for key, row in opened.items():
        # Aligning leaves short gaps (one side's lunch hour inside the other's opening) and
        # short runs; a fragment rule forbids both. Widening fills the gaps first, narrowing
        # drops the runs first, so each moves the hours the way it means to.
        for value in (False, True) if how == "widen" else (True, False):
            _fill_short_runs(row, value=value, shortest=shortest[key])
    closed = {office.id: closed_slots(problem, office) for office in problem.offices}
    # Offices that open and close together share their closures (one side's holiday closes
    # its juxtaposed counterpart too), so the rule that binds them still holds; narrowed
    # hours are only those both can open.
    def shares_closures(office: Office) -> bool:
        return office.joint_controls or (how == "narrow" and office.id not in fixed)

    shared: dict[str, set[int]] = {}
    for office in problem.offices:
        if shares_closures(office):
            shared.setdefault(root(office.id), set()).update(closed[office.id])
    result = {}
    for office in problem.offices:
        if office.id in fixed and how != "widen":
            result[office.id] = tuple(problem.reference_open[office.id][:slots])
            continue
        row = list(opened[root(office.id)])
        for slot in closed[office.id] | (shared.get(root(office.id), set()) if shares_closures(office) else set()):
            if slot < slots:
                row[slot] = False
        if how != "widen":
            # Closures cut narrowed runs shorter still: what is left below a block's minimum
            # length closes too (closing never breaks a budget).
            block = -(-max(office.blocks.min_block_minutes, office.blocks.min_fragment_minutes) // SLOT_MINUTES)
            _fill_short_runs(row, value=True, shortest=block)
            for window in office.mandatory:
                for slot in problem.slot_range(window.start, window.end):
                    if slot < slots:
                        row[slot] = True
        result[office.id] = tuple(row)
    return result


def legal_references(problem: HoursProblem) -> list[tuple[dict[str, tuple[bool, ...]], CheckReport]]:
    """The aligned hours, the offices' own and the longest, that keep every hard rule, with the
    checker's report on each, cheapest first.

    The longest hours are there because an office's own hours are often far too short for
    its traffic: on the Kapitan Andreevo sample plant health's own hours cost 249 M in
    waiting, the longest 5.9 M, and a search that has not found its first plan in its share
    of the time falls back on the cheaper of them."""
    candidates = []
    seen: list[dict[str, tuple[bool, ...]]] = []
    for hours, how in itertools.product(("reference", "longest"), ("widen", "narrow")):
        rows = aligned_reference(problem, how=how, hours=hours)
        if rows in seen:
            continue
        seen.append(rows)
        report = evaluate(problem, windows_from_states(problem, rows))
        if not report.errors:
            candidates.append((rows, report))
    return sorted(candidates, key=lambda candidate: candidate[1].objective)


def fallback_reference(problem: HoursProblem) -> tuple[dict[str, tuple[bool, ...]], CheckReport]:
    """The reference hours to start from and fall back on, with the checker's report on them:
    the cheapest aligned reference that keeps every hard rule, else the widened one (where
    the search must find its own way)."""
    legal = legal_references(problem)
    if legal:
        return legal[0]
    widened = aligned_reference(problem)
    return widened, evaluate(problem, windows_from_states(problem, widened))


def _fill_short_runs(row: list[bool], *, value: bool, shortest: int) -> None:
    """Flip runs of ``value`` shorter than ``shortest`` slots that lie between two runs of the
    other value (a run touching either end of the plan may continue beyond it)."""
    slot = 0
    while slot < len(row):
        end = slot
        while end < len(row) and row[end] == row[slot]:
            end += 1
        if row[slot] == value and 0 < slot and end < len(row) and end - slot < shortest:
            row[slot:end] = [not value] * (end - slot)
        slot = end


def closed_slots(problem: HoursProblem, office: Office) -> set[int]:
    """The slots a hard rule keeps ``office`` closed: its hard holiday or weekend closures,
    its never-open windows, and the neighbour's announced closures."""
    closed: set[int] = set()
    for rule, day_type in ((office.closed_on_holidays, "holiday"), (office.closed_on_weekends, "weekend")):
        if rule is not None and rule.hard:
            for day in problem.office_days[office.id]:
                if day.day_type == day_type:
                    closed.update(range(day.first_slot, day.end_slot))
    for window in office.never_open:
        closed.update(problem.slot_range(window.start, window.end))
    for closure in problem.neighbour_closures:
        if closure.applies_to(office):
            allowed: set[int] = set()
            for window in closure.open_windows:
                allowed.update(problem.slot_range(window.start, window.end))
            closed.update(set(problem.slot_range(closure.start, closure.end)) - allowed)
    return closed
