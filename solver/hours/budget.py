"""Sharing a staff-hour budget among the parts of a post by what officer-hours buy in each.

A budget links every office, and a month of a busy post left whole is too big to search. So
the solver plans each part of the post without the budget first (``solver.hours.decompose``).
If that plan keeps the budget it is the plan, and optimal where every part is. Otherwise each
part has two plans that keep its hard rules: its *lean* plan, the aligned reference hours
with the fewest officer-hours (``solver.hours.baseline.legal_references``), and its *free*
plan. Every part starts from the one of the two with fewer officer-hours. What the budget
leaves over goes to the parts in order of what each officer-hour saves there (the cost its
richer plan saves over its leaner one, per officer-hour it adds): a part whose richer plan
fits in what is left gets it; the first that does not is searched again within its lean
officer-hours plus what is left, and what that search leaves unused passes on to the next.
That search starts from a *blend* (``blend``): the lean hours plus the free plan's extra runs
of opening that clear the most waiting per officer-hour. CP-SAT alone barely moves under a
budget (every improvement must close hours in one place to open them in another); the blend
makes those trades on the queues the checker replays.

Why not in proportion: the budget buys most where waiting is dearest. On the Kapitan Andreevo
sample every truck needs the Bulgarian transport inspectors, whose office the baseline opens
60 % of the time; shares in proportion to each part's reference hours kept that office at its
own hours and the post at 0.91 of the baseline's waiting (``docs/benchmarks.md``).

The free plan proves a bound: the budget only removes plans, so the sum of the parts' free
bounds bounds the budgeted optimum too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from solver.hours.baseline import closed_slots, legal_references
from solver.hours.checker import CheckReport, evaluate
from solver.hours.present import windows_from_states
from solver.hours.problem import SLOT_MINUTES, HoursProblem
from solver.ids import Groups

Plan = TypeVar("Plan")


@dataclass(frozen=True, slots=True)
class Option(Generic[Plan]):
    """A plan of one part that keeps every hard rule, its officer-slots (officers times
    quarter hours open, the part's own offices only) and its cost."""

    plan: Plan
    officer_slots: int
    cost: float


def officer_slots(problem: HoursProblem, states: Mapping[str, tuple[bool, ...]], offices: frozenset[str]) -> int:
    crews = {office.id: office.crew for office in problem.offices}
    return sum(crews[office_id] * sum(states[office_id][: problem.plan_slots]) for office_id in offices)


def leanest_reference(
    problem: HoursProblem, offices: frozenset[str]
) -> Option[tuple[dict[str, tuple[bool, ...]], CheckReport]] | None:
    """The aligned reference hours that keep every hard rule with the fewest officer-hours,
    cheapest among equals, with the checker's report; ``None`` when none keeps every hard
    rule."""
    options = [
        Option(plan=(rows, report), officer_slots=officer_slots(problem, rows, offices), cost=report.objective)
        for rows, report in legal_references(problem)
    ]
    return min(options, key=lambda option: (option.officer_slots, option.cost), default=None)


@dataclass(frozen=True, slots=True)
class Choice(Generic[Plan]):
    """A part's two plans: ``lean`` uses fewer officer-hours, ``rich`` (if any) costs less."""

    lean: Option[Plan]
    rich: Option[Plan] | None

    @property
    def saving_per_officer_slot(self) -> float:
        if self.rich is None:
            return 0.0
        return (self.lean.cost - self.rich.cost) / max(self.rich.officer_slots - self.lean.officer_slots, 1)


def choice(first: Option[Plan], second: Option[Plan] | None) -> Choice[Plan]:
    """The two plans ordered by officer-hours; a plan that costs more for as many or more
    officer-hours is no choice."""
    if second is None:
        return Choice(lean=first, rich=None)
    lean, rich = sorted((first, second), key=lambda option: (option.officer_slots, option.cost))
    return Choice(lean=lean, rich=rich if rich.cost < lean.cost else None)


Rows = dict[str, tuple[bool, ...]]


def blend(
    problem: HoursProblem, offices: frozenset[str], lean: Rows, rich: Rows, allowed: int, *, rounds: int = 4
) -> list[Rows]:
    """Plans between ``lean`` and ``rich``: the lean one plus the richer one's extra runs of
    opening that clear the most waiting per officer-slot, within ``allowed`` officer-slots.
    The runs are added in ``rounds``, each worth an equal part of the spare officer-hours and
    valued on the queues the plan so far leaves (the checker's replay): opening at the end of
    a night's closure clears the trucks queued all night, not just those arriving then.
    Each truck cleared is worth the wait until the office would next open.
    Returns the plan after each round, the fullest first (the caller keeps the first that
    keeps every hard rule).

    Counterparts bound to open together (joint controls, a hard daily overlap) move
    together.
    """
    crews = {office.id: office.crew for office in problem.offices}
    linked = Groups(sorted(offices))
    for office in problem.offices:
        bound = office.joint_controls or (office.correlation is not None and office.correlation.overlap.hard)
        if bound and office.id in offices and office.counterpart_id in offices:
            linked.join((office.id, office.counterpart_id))
    # A run: slots where some office of a linked group opens in the rich plan and not in the
    # lean one; adding it opens each office of the group where the rich plan does, so that
    # counterparts bound to open together stay together.
    runs: list[tuple[list[str], int, int, int]] = []  # offices, first slot, end slot, cost
    for members in linked.groups():
        group = sorted(members)
        extra = [any(rich[o][slot] and not lean[o][slot] for o in group) for slot in range(problem.plan_slots)]
        slot = 0
        while slot < problem.plan_slots:
            if not extra[slot]:
                slot += 1
                continue
            end = slot
            while end < problem.plan_slots and extra[end]:
                end += 1
            cost = sum(crews[o] * sum(1 for s in range(slot, end) if rich[o][s] and not lean[o][s]) for o in group)
            runs.append((group, slot, end, cost))
            slot = end
    rows = {office_id: list(lean[office_id]) for office_id in offices}
    spare = allowed - officer_slots(problem, lean, offices)
    plans: list[Rows] = []
    for round_number in range(rounds):
        if not runs or spare <= 0:
            break
        states = {office.id: _row_of(rows, office.id, problem) for office in problem.offices}
        replays = evaluate(problem, windows_from_states(problem, states)).replays
        value = {office_id: [0] * problem.plan_slots for office_id in offices}
        for flow in problem.flows:
            backlog, arrivals = replays[flow.id].backlog, problem.arrivals_centi[flow.id]
            capacity = problem.capacity_centi[flow.id]
            gates = [check.office_id for check in flow.checks]
            for check in flow.checks:
                if check.office_id not in value:
                    continue
                others = [states[g] for g in gates if g != check.office_id]
                row = value[check.office_id]
                wait = _until_open(states[check.office_id])
                for slot in range(problem.plan_slots):
                    if all(other[slot] for other in others):
                        waiting = (backlog[slot - 1] if slot else 0) + arrivals[slot]
                        # What clearing them now saves: the wait until the office next opens.
                        row[slot] += min(waiting, capacity) * wait[slot] * flow.waiting_cost_per_truck_hour
        ranked = sorted(
            runs,
            key=lambda run: -sum(value[o][s] for o in run[0] for s in range(run[1], run[2])) / run[3],
        )
        # Until the last round, some is kept back for the breaks the new runs leave to mend.
        left = rounds - round_number
        budget = spare if left == 1 else spare * 4 // 5 // left
        taken = []
        for run in ranked:
            if run[3] <= budget:
                taken.append(run)
                budget -= run[3]
                spare -= run[3]
        if not taken:
            continue
        for members, start, end, _ in taken:
            for office_id in members:
                for slot in range(start, end):
                    rows[office_id][slot] = rows[office_id][slot] or rich[office_id][slot]
            _close_gaps(problem, members, rows, lean)
        runs = [run for run in runs if run not in taken]
        spare = allowed - officer_slots(problem, rows, offices)
        if spare < 0:
            break
        plans.append({office_id: tuple(row) for office_id, row in rows.items()})
    return plans[::-1]


def _until_open(row: tuple[bool, ...]) -> list[int]:
    """Per slot, how many slots until the office is next open after it (to the plan's end
    and one more if it never is)."""
    until, next_open = [0] * len(row), len(row) + 1
    for slot in range(len(row) - 1, -1, -1):
        until[slot] = next_open - slot
        if row[slot]:
            next_open = slot
    return until


def _close_gaps(
    problem: HoursProblem, members: list[str], rows: dict[str, list[bool]], lean: Rows
) -> None:
    """Mend the shape the added runs left, in every office of a linked group alike: open the
    closed breaks that are too short, and on a day that starts more blocks than it may, open
    its shortest break, or where a hard rule keeps that closed, close again its shortest block
    that the lean plan did not open."""
    by_id = {office.id: office for office in problem.offices}
    forbidden = set().union(*(closed_slots(problem, by_id[office_id]) for office_id in members))
    for _ in range(problem.plan_slots):  # each pass mends one thing; bounded all the same
        mend = _first_flaw(problem, by_id, members, rows, lean, forbidden)
        if mend is None:
            return
        (start, end), value = mend
        for member in members:
            rows[member][start:end] = [value] * (end - start)


def _first_flaw(
    problem: HoursProblem,
    by_id: dict,
    members: list[str],
    rows: dict[str, list[bool]],
    lean: Rows,
    forbidden: set[int],
) -> tuple[tuple[int, int], bool] | None:
    """The first mend needed: slots [start, end) and the state to give them."""
    for office_id in members:
        office, row = by_id[office_id], rows[office_id]
        gaps = _gaps(row)
        fillable = [gap for gap in gaps if not forbidden.intersection(range(*gap))]
        shortest = -(-office.blocks.min_fragment_minutes // SLOT_MINUTES)
        for gap in fillable:
            if gap[1] - gap[0] < shortest:
                return gap, True
        for day in problem.office_days[office_id]:
            blocks = [
                block for block in _gaps([not state for state in row], edges=True)
                if day.first_slot <= block[0] < day.end_slot and (block[0] == 0 or not row[block[0] - 1])
            ]
            if len(blocks) <= office.blocks.max_blocks_per_day:
                continue
            inside = [gap for gap in fillable if day.first_slot <= gap[1] < day.end_slot]
            if inside:
                return min(inside, key=lambda gap: gap[1] - gap[0]), True
            added = [block for block in blocks
                     if not any(lean[member][slot] for member in members for slot in range(*block))]
            if added:
                return min(added, key=lambda block: block[1] - block[0]), False
    return None


def _gaps(row: list[bool], *, edges: bool = False) -> list[tuple[int, int]]:
    """Closed runs between two open ones (with ``edges``, also those at either end), as
    [start, end) slots."""
    gaps, slot = [], 0
    while slot < len(row):
        if row[slot]:
            slot += 1
            continue
        end = slot
        while end < len(row) and not row[end]:
            end += 1
        if edges or (slot > 0 and end < len(row)):
            gaps.append((slot, end))
        slot = end
    return gaps


def _row_of(rows: dict[str, list[bool]], office_id: str, problem: HoursProblem) -> tuple[bool, ...]:
    """An office's row in the plan being blended; offices outside the part are open 24/7."""
    return tuple(rows[office_id]) if office_id in rows else (True,) * problem.plan_slots


Search = Callable[[int, int], "Option[Plan] | None"]


def allocate(choices: Sequence[Choice[Plan]], available: int, search: Search[Plan]) -> list[Option[Plan]] | None:
    """Each part's plan within ``available`` officer-slots in all; ``None`` when even the
    lean plans need more.

    ``search(index, allowed)`` searches part ``index`` again within ``allowed`` officer-slots
    and returns its plan, or ``None`` if it found none within them.
    """
    chosen = [part.lean for part in choices]
    spare = available - sum(option.officer_slots for option in chosen)
    if spare < 0:
        return None
    order = sorted(
        (index for index, part in enumerate(choices) if part.rich is not None),
        key=lambda index: -choices[index].saving_per_officer_slot,
    )
    for index in order:
        part = choices[index]
        assert part.rich is not None
        extra = part.rich.officer_slots - part.lean.officer_slots
        if extra <= spare:
            chosen[index] = part.rich
            spare -= extra
            continue
        if spare <= 0:
            break
        found = search(index, part.lean.officer_slots + spare)
        if found is not None and found.cost < part.lean.cost and found.officer_slots <= part.lean.officer_slots + spare:
            chosen[index] = found
            spare -= found.officer_slots - part.lean.officer_slots
    return chosen
