"""The decision variables of a roster model, and the named penalty terms rules return.

``RosterVars`` creates one Boolean per (officer, shift) the officer's agency staffs and derives
the per-day literals (works that day, works a night that day) on demand, so constraint modules
never do index arithmetic. In explanation mode every hard rule is switched on by a named
literal per rule and scope (``guard``), which lets CP-SAT name a small set of rules, officers and
days that cannot all hold.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from ortools.sat.python import cp_model

from solver.roster.problem import Officer, PastShift, RosterProblem, Shift
from solver.rules import Enforcement, Violation

Literal = cp_model.IntVar
# The shifts an officer's agency staffs, by start time (the pairs a rule could allow at all).
Candidates = Callable[[Officer], Sequence[Shift]]
# A day of an officer: a literal over the horizon, 0 or 1 for a known day of history, None
# for a day nobody knows about (before the history).
DayState = cp_model.IntVar | int | None


@dataclass(frozen=True, slots=True)
class Penalty:
    """A soft rule's cost term: ``weight`` per unit of ``amount`` (an expression of the model).

    ``message`` is formatted with ``{amount}`` once the value is known, e.g.
    ``"Amani works {amount} shifts beyond the 5 allowed in a row"``.
    """

    rule: str
    subject: str
    day: date | None
    amount: cp_model.LinearExprT
    weight: int
    message: str

    def violation(self, value: int) -> Violation:
        return Violation(rule=self.rule, subject=self.subject, day=self.day, amount=value,
                         cost=value * self.weight, message=self.message.format(amount=value))


@dataclass(frozen=True, slots=True)
class Guard:
    """What an explanation literal switches on: one rule for one scope (officer, demand...).

    ``message`` is a sentence on its own. ``topic`` is the same statement without the
    officer's name and the days, so that explanations can group alike findings: a verb phrase
    in the singular for officers ("is on leave"), the need itself for demand ("4 officers with
    the scanner skill are needed on the Night shift").
    """

    rule: str
    subject: str
    message: str
    days: tuple[date, ...] = ()
    officer_ids: tuple[str, ...] = ()
    topic: str = ""


@dataclass(slots=True)
class RosterVars:
    """The model's variables, created for ``problem`` inside ``model``."""

    model: cp_model.CpModel
    problem: RosterProblem
    explain: bool = False
    excluded: frozenset[tuple[str, str]] = frozenset()
    x: dict[tuple[str, str], Literal] = field(default_factory=dict)
    guards: dict[tuple[str, str], tuple[Literal, Guard]] = field(default_factory=dict)
    _shifts_of: dict[str, list[Shift]] = field(default_factory=dict)
    _starts_of: dict[str, list] = field(default_factory=dict)
    _on_day: dict[tuple[str, int], list[Shift]] = field(default_factory=dict)
    _history_of: dict[str, list[PastShift]] = field(default_factory=dict)
    _staff: dict[str, list[Officer]] = field(default_factory=dict)
    _by_template: dict[tuple[str, int], dict[str, list[Literal]]] = field(default_factory=dict)
    _templates_of: dict[str, dict[str, list[Literal]]] = field(default_factory=dict)
    _works: dict[tuple[str, int], Literal] = field(default_factory=dict)
    _nights: dict[tuple[str, int], Literal] = field(default_factory=dict)
    _false: Literal | None = None

    def __post_init__(self) -> None:
        by_agency: dict[str, list[Shift]] = defaultdict(list)
        for shift in self.problem.shifts:
            by_agency[shift.agency_id].append(shift)
        for shifts in by_agency.values():
            shifts.sort(key=lambda s: (s.start, s.end, s.id))
        on_day: dict[tuple[str, int], list[Shift]] = defaultdict(list)
        for officer in self.problem.officers:
            self._staff.setdefault(officer.agency_id, []).append(officer)
            mine = [s for s in by_agency.get(officer.agency_id, [])
                    if (officer.id, s.id) not in self.excluded]
            self._shifts_of[officer.id] = mine
            self._starts_of[officer.id] = [shift.start for shift in mine]
            for shift in mine:
                # Unnamed: the key of ``x`` names it, and naming a million variables of a
                # year-long roster costs seconds.
                self.x[officer.id, shift.id] = self.model.new_bool_var("")
                on_day[officer.id, self.problem.day_index(shift.day)].append(shift)
        self._on_day = dict(on_day)
        history: dict[str, list[PastShift]] = defaultdict(list)
        for past in self.problem.history:
            history[past.officer_id].append(past)
        for entries in history.values():
            entries.sort(key=lambda p: p.start)
        self._history_of = dict(history)

    # -- shifts and literals --

    def shifts_of(self, officer_id: str) -> list[Shift]:
        """The shifts the officer could work (their agency's, less those a hard rule rules
        out unconditionally), by start time."""
        return self._shifts_of[officer_id]

    def shifts_starting(self, officer_id: str, lower, upper) -> list[Shift]:  # type: ignore[no-untyped-def]
        """The officer's shifts starting in [lower, upper)."""
        starts = self._starts_of[officer_id]
        shifts = self._shifts_of[officer_id]
        return shifts[bisect.bisect_left(starts, lower):bisect.bisect_left(starts, upper)]

    def on_day(self, officer_id: str, day_index: int) -> list[Shift]:
        return self._on_day.get((officer_id, day_index), [])

    def on_day_by_template(self, officer_id: str, day_index: int) -> dict[str, list[Literal]]:
        """The officer's literals of a day, by shift template."""
        key = (officer_id, day_index)
        if key not in self._by_template:
            grouped: dict[str, list[Literal]] = defaultdict(list)
            for shift in self.on_day(officer_id, day_index):
                grouped[shift.template_id].append(self.x[officer_id, shift.id])
            self._by_template[key] = dict(grouped)
        return self._by_template[key]

    def of_template(self, officer_id: str, template_id: str) -> list[Literal]:
        """The officer's literals of one shift template over the horizon."""
        if officer_id not in self._templates_of:
            grouped: dict[str, list[Literal]] = defaultdict(list)
            for shift in self.shifts_of(officer_id):
                grouped[shift.template_id].append(self.x[officer_id, shift.id])
            self._templates_of[officer_id] = dict(grouped)
        return self._templates_of[officer_id].get(template_id, [])

    def history_of(self, officer_id: str) -> list[PastShift]:
        return self._history_of.get(officer_id, [])

    def staff_of(self, agency_id: str) -> list[Officer]:
        """The agency's officers, in problem order."""
        return self._staff.get(agency_id, [])

    def has(self, officer_id: str, shift_id: str) -> bool:
        """Whether the pair is in the model (hard rules may have left it out)."""
        return (officer_id, shift_id) in self.x

    def var(self, officer_id: str, shift_id: str) -> Literal:
        return self.x[officer_id, shift_id]

    def false(self) -> Literal:
        if self._false is None:
            self._false = self.model.new_constant(0)
        return self._false

    def works(self, officer_id: str, day_index: int) -> Literal:
        """True when the officer works any shift on that horizon day."""
        return self._day_literal(self._works, officer_id, day_index,
                                 self.on_day(officer_id, day_index), "works")

    def works_night(self, officer_id: str, day_index: int) -> Literal:
        nights = [s for s in self.on_day(officer_id, day_index) if s.night]
        return self._day_literal(self._nights, officer_id, day_index, nights, "night")

    def _day_literal(self, cache: dict[tuple[str, int], Literal], officer_id: str,
                     day_index: int, shifts: Sequence[Shift], label: str) -> Literal:
        key = (officer_id, day_index)
        if key in cache:
            return cache[key]
        members = [self.x[officer_id, s.id] for s in shifts]
        name = f"{officer_id} {label} day {day_index}"
        if len(members) > 1 and self.one_a_day_is_hard(officer_id):
            # With one shift a day held hard, the day's literal is the sum itself: a linear
            # equality the LP relaxation sees, where the clauses of any_of are invisible.
            literal = self.model.new_bool_var(name)
            self.model.add(literal == total(members))
        else:
            literal = self.any_of(members, name)
        cache[key] = literal
        return literal

    def one_a_day_is_hard(self, officer_id: str) -> bool:
        """Whether one shift a day holds unconditionally, so that stronger encodings apply."""
        return not self.explain and self.problem.officer(officer_id).rules.one_shift_per_day.hard

    def any_of(self, literals: Sequence[Literal], name: str) -> Literal:
        """A literal true exactly when one of ``literals`` is (false for none)."""
        if not literals:
            return self.false()
        if len(literals) == 1:
            return literals[0]
        either = self.model.new_bool_var(name)
        for literal in literals:
            self.model.add_implication(literal, either)
        self.model.add_bool_or(literals).only_enforce_if(either)
        return either

    def day_states(self, officer: Officer, *, nights: bool = False) -> tuple[int, list[DayState]]:
        """The officer's days from the first known day of history to the horizon's end.

        Returns ``(first_index, states)``: ``states[i]`` is day ``first_index + i``. History
        days are 0/1 constants, horizon days literals.
        """
        first = -self.problem.history_days
        worked = {self.problem.day_index(p.day) for p in self.history_of(officer.id)
                  if p.night or not nights}
        states: list[DayState] = [1 if index in worked else 0 for index in range(first, 0)]
        pick = self.works_night if nights else self.works
        states.extend(pick(officer.id, index) for index in range(self.problem.days))
        return first, states

    # -- explanation guards --

    def guard(self, rule: str, scope: str, guard: Guard | None = None) -> list[Literal]:
        """Enforcement literals for a hard rule's scope: none normally, one when explaining."""
        if not self.explain:
            return []
        key = (rule, scope)
        if key not in self.guards:
            literal = self.model.new_bool_var(f"enable {rule}: {scope}")
            self.guards[key] = (literal, guard or Guard(rule=rule, subject=scope,
                                                        message=f"{rule}: {scope}"))
        return [self.guards[key][0]]

    def forbid(self, literals: Iterable[Literal], rule: str, scope: str,
               guard: Guard | None = None) -> None:
        """Hard: none of ``literals`` may be true."""
        negated = [~lit for lit in literals]
        if negated:
            self.model.add_bool_and(negated).only_enforce_if(self.guard(rule, scope, guard))

    def forbid_together(self, literals: Sequence[Literal], rule: str, scope: str,
                        guard: Guard | None = None) -> None:
        """Hard: ``literals`` are not all true at once (a pair of shifts, for instance)."""
        self.model.add_bool_or([~lit for lit in literals]).only_enforce_if(
            self.guard(rule, scope, guard))


def total(literals: Sequence[cp_model.LinearExprT]) -> cp_model.LinearExprT:
    """The sum of ``literals`` as one linear expression (far cheaper than Python's ``sum``)."""
    return cp_model.LinearExpr.sum(list(literals)) if literals else 0


def minutes_worked(v: RosterVars, officer_id: str, shifts: Sequence[Shift]) -> cp_model.LinearExprT:
    """Working minutes of ``shifts`` as one weighted sum of the officer's literals."""
    if not shifts:
        return 0
    return cp_model.LinearExpr.weighted_sum([v.var(officer_id, s.id) for s in shifts],
                                            [s.minutes for s in shifts])


def day_of(problem: RosterProblem, index: int) -> date:
    return problem.start + timedelta(days=index)


def penalty_or_constraint(
    model: cp_model.CpModel,
    v: RosterVars,
    *,
    excess: cp_model.LinearExprT,
    upper: int,
    enforcement: Enforcement,
    rule: str,
    scope: str,
    subject: str,
    day: date | None,
    message: str,
    guard: Guard | None = None,
) -> list[Penalty]:
    """``excess <= 0`` held hard, or the positive part of ``excess`` paid per unit when soft.

    ``upper`` bounds the excess (its largest possible value), which keeps the penalty
    variable's domain tight.
    """
    if upper <= 0:
        return []
    if isinstance(excess, int):
        return _constant_excess(model, v, excess, enforcement, rule, scope, subject, day,
                                message, guard)
    if enforcement.hard:
        model.add(excess <= 0).only_enforce_if(v.guard(rule, scope, guard))
        return []
    amount = model.new_int_var(0, upper, f"{rule}: {scope}")
    model.add(amount >= excess)
    return [Penalty(rule, subject, day, amount, enforcement.weight, message)]


def _constant_excess(model: cp_model.CpModel, v: RosterVars, excess: int,
                     enforcement: Enforcement, rule: str, scope: str, subject: str,
                     day: date | None, message: str, guard: Guard | None) -> list[Penalty]:
    """A rule whose excess no decision can change: nothing to do, a fixed cost, or no roster."""
    if excess <= 0:
        return []
    if enforcement.hard:
        model.add_bool_or([]).only_enforce_if(v.guard(rule, scope, guard))
        return []
    return [Penalty(rule, subject, day, excess, enforcement.weight, message)]
