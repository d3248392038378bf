"""Make openings keep the block rules: a plan of a relaxation that left them out becomes a
start for the search (``solver.hours.solve``).

The closure bound's programme (``solver.hours.closure_bound``) decides every office's states
without the block rules, and its solution at good multipliers is often cheap and nearly a
plan: a third block on some days, a half-hour opening to clear a queue. Per office and local
day, in this order: breaks shorter than the shortest allowed are opened (so two blocks become
one); blocks shorter than the shortest allowed are closed, or lengthened where a hard rule
keeps them open; while a day has more blocks than allowed, the shortest break that may open is
opened, else the shortest block that may close is closed. Only whole runs change, so every
office still changes state only where its decision step begins. The checker decides whether
the result keeps every hard rule; the caller keeps it only then.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from solver.hours.problem import SLOT_MINUTES, HoursProblem, Office
from solver.hours.variables import open_throughout


def keep_block_rules(
    problem: HoursProblem,
    states: Mapping[str, tuple[bool, ...]],
    must_open: Mapping[str, frozenset[int]],
    must_close: Mapping[str, frozenset[int]],
    *,
    lengthen: bool,
) -> dict[str, tuple[bool, ...]]:
    """``states`` with each deciding office's runs mended; ``must_open``/``must_close``: per
    office, the plan slots a hard rule keeps open (closed). With ``lengthen``, a block too short
    is lengthened rather than closed where both are allowed. Counterparts bound to a daily
    overlap open together first, over whole runs of the one open longer that day."""
    rows = {office_id: list(row) for office_id, row in states.items()}
    deciding = {office.id for office in problem.offices
                if office.id in rows and not open_throughout(problem, office)}
    nothing: frozenset[int] = frozenset()
    _overlap(problem, rows, deciding, must_close)
    for office in problem.offices:
        if office.id in deciding:
            rows[office.id] = _mend(problem, office, rows[office.id], must_open.get(office.id, nothing),
                                    must_close.get(office.id, nothing), lengthen)
    return {office_id: tuple(row) for office_id, row in rows.items()}


def _overlap(problem: HoursProblem, rows: dict[str, list[bool]], deciding: set[str],
             must_close: Mapping[str, frozenset[int]]) -> None:
    for first, second in problem.counterpart_pairs():
        rule = first.correlation or second.correlation
        if rule is None or not rule.overlap.hard or not rule.min_overlap_minutes:
            continue
        if not {first.id, second.id} <= deciding:
            continue
        a, b = rows[first.id], rows[second.id]
        for day in problem.office_days[first.id]:
            slots = list(range(day.first_slot, day.end_slot))
            needed = min(rule.min_overlap_minutes // SLOT_MINUTES, len(slots))
            together = sum(1 for slot in slots if a[slot] and b[slot])
            if together >= needed or not any(a[slot] or b[slot] for slot in slots):
                continue
            longer, shorter, office = (a, b, second) if sum(a[s] for s in slots) >= sum(b[s] for s in slots) \
                else (b, a, first)
            closed = must_close.get(office.id, frozenset())
            widest = sorted(_runs([longer[slot] for slot in slots], True), key=lambda run: run[0] - run[1])
            for start, end in widest:
                if together >= needed:
                    break
                for slot in slots[start:end]:
                    if not shorter[slot] and slot not in closed:
                        shorter[slot] = True
                        together += 1


def runs(row: list[bool]) -> list[tuple[int, int, bool]]:
    """(first, end, state) of each maximal run of one state."""
    found, first = [], 0
    for slot in range(1, len(row) + 1):
        if slot == len(row) or row[slot] != row[first]:
            found.append((first, slot, row[first]))
            first = slot
    return found


def _runs(row: list[bool], value: bool) -> list[tuple[int, int]]:
    """Maximal runs [first, end) of ``value``."""
    return [(first, end) for first, end, state in runs(row) if state == value]


def _mend(problem: HoursProblem, office: Office, row: list[bool], must_open: frozenset[int],
          must_close: frozenset[int], lengthen: bool) -> list[bool]:
    rules = office.blocks
    shortest_break = rules.min_fragment_minutes // SLOT_MINUTES
    shortest_block = rules.min_block_minutes // SLOT_MINUTES

    def may_set(first: int, end: int, value: bool) -> bool:
        forbidden = must_close if value else must_open
        return not any(slot in forbidden for slot in range(first, end))

    # Breaks too short, between two blocks: open them.
    for first, end in _runs(row, False):
        if 0 < first and end < len(row) and end - first < shortest_break and may_set(first, end, True):
            row[first:end] = [True] * (end - first)
        # Blocks too short: lengthened (a short opening may clear a queue) or closed.
    for first, end in _runs(row, True):
        if end - first >= shortest_block or first == 0 or end == len(row):
            continue
        longer = min(len(row), first + shortest_block)
        earlier = max(0, end - shortest_block)
        if not lengthen and may_set(first, end, False):
            row[first:end] = [False] * (end - first)
        elif may_set(end, longer, True):
            row[end:longer] = [True] * (longer - end)
        elif may_set(earlier, first, True):
            row[earlier:first] = [True] * (first - earlier)
        elif may_set(first, end, False):
            row[first:end] = [False] * (end - first)
    # Too many blocks on a day: join two across the shortest break, else drop the shortest.
    day_of = [day.day for day in problem.office_days[office.id] for _ in range(day.first_slot, day.end_slot)]
    while True:
        blocks_now = _runs(row, True)
        counts: dict[object, int] = defaultdict(int)
        for first, _ in blocks_now:
            if first > 0:
                counts[day_of[first]] += 1
        crowded = next((day for day, count in counts.items() if count > rules.max_blocks_per_day), None)
        if crowded is None:
            return row
        on_day = [index for index, (first, _) in enumerate(blocks_now) if first > 0 and day_of[first] == crowded]
        breaks = sorted(
            (blocks_now[index][0] - blocks_now[index - 1][1], blocks_now[index - 1][1], blocks_now[index][0])
            for index in on_day
            if index > 0 and may_set(blocks_now[index - 1][1], blocks_now[index][0], True)
        )
        if breaks:
            _, first, end = breaks[0]
            row[first:end] = [True] * (end - first)
            continue
        closable = sorted((blocks_now[index][1] - blocks_now[index][0], *blocks_now[index]) for index in on_day
                          if may_set(*blocks_now[index], False))
        if not closable:
            return row
        _, first, end = closable[0]
        row[first:end] = [False] * (end - first)
