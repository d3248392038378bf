"""The independent checker: every hard rule and the whole objective, recomputed in plain Python.

It reads the problem dataclasses and a set of assignments and nothing of the model (no
OR-Tools, no ``constraints``, no ``model`` or ``solve``), so a bug in the model cannot hide
itself here. Rule semantics are those documented in ``docs/rostering.md``; the names come from
``names`` so that the checker's findings line up with the solver's costs. Run after every
solve in tests, and on rosters edited by hand.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from solver.roster import names
from solver.roster.problem import (
    FairSpread,
    Limit,
    Officer,
    RosterProblem,
    RosterSolution,
    Shift,
)
from solver.rules import Enforcement, Violation
from solver.timeutil import local_to_utc, utc_to_local

UNKNOWN_ASSIGNMENT = "Assignments"


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckReport:
    """What a roster breaks (hard) and what it pays (soft), recomputed independently."""

    hard_violations: tuple[Violation, ...]
    costs: tuple[Violation, ...]
    objective: int

    @property
    def feasible(self) -> bool:
        return not self.hard_violations

    @property
    def errors(self) -> tuple[str, ...]:
        """The broken hard rules in users' words, as every engine's checker reports them."""
        return tuple(violation.message for violation in self.hard_violations)

    def cost_by_rule(self) -> dict[str, int]:
        totals: dict[str, int] = defaultdict(int)
        for cost in self.costs:
            totals[cost.rule] += int(cost.cost)
        return dict(totals)


def check(problem: RosterProblem, solution: RosterSolution) -> CheckReport:
    return check_assignments(problem, solution.assigned_pairs())


def check_assignments(problem: RosterProblem,
                      assignments: Iterable[tuple[str, str]]) -> CheckReport:
    """Check the roster given as (officer id, shift id) pairs."""
    audit = _Audit(problem)
    audit.run(frozenset(assignments))
    return CheckReport(hard_violations=tuple(audit.hard), costs=tuple(audit.costs),
                       objective=sum(int(c.cost) for c in audit.costs))


@dataclass(frozen=True, slots=True)
class _Worked:
    """A shift an officer worked: assigned in the horizon, or in the history."""

    start: datetime
    end: datetime
    day: date
    template_id: str
    night: bool
    minutes: int
    in_horizon: bool


@dataclass(slots=True)
class _Audit:
    problem: RosterProblem
    hard: list[Violation] = field(default_factory=list)
    costs: list[Violation] = field(default_factory=list)
    shifts_of: dict[str, list[Shift]] = field(default_factory=dict)
    staff_on: dict[str, list[Officer]] = field(default_factory=dict)
    worked_of: dict[str, list[_Worked]] = field(default_factory=dict)

    # -- recording --

    def breach(self, enforcement: Enforcement, rule: str, subject: str, amount: int,
               message: str, day: date | None = None) -> None:
        """A rule broken by ``amount`` units: a hard violation, or its soft cost."""
        if amount <= 0:
            return
        if enforcement.hard:
            self.hard.append(Violation(rule=rule, subject=subject, message=message, day=day,
                                       amount=amount))
        else:
            self.costs.append(Violation(rule=rule, subject=subject, message=message, day=day,
                                        amount=amount, cost=amount * enforcement.weight))

    def over(self, limit: Limit | None, value: int, rule: str, subject: str, message: str,
             day: date | None = None) -> None:
        if limit is not None:
            self.breach(limit.enforcement, rule, subject, value - limit.value, message, day)

    # -- the audit --

    def run(self, assignments: frozenset[tuple[str, str]]) -> None:
        problem = self.problem
        officers = {o.id: o for o in problem.officers}
        shifts = {s.id: s for s in problem.shifts}
        for officer in problem.officers:
            self.shifts_of[officer.id] = []
        for officer_id, shift_id in sorted(assignments):
            officer = officers.get(officer_id)
            shift = shifts.get(shift_id)
            if officer is None or shift is None or shift.agency_id != officer.agency_id:
                self.hard.append(Violation(
                    rule=UNKNOWN_ASSIGNMENT, subject=officer_id,
                    message=f"{officer_id} cannot be assigned to {shift_id}"))
                continue
            self.shifts_of[officer_id].append(shift)
            self.staff_on.setdefault(shift_id, []).append(officer)
        for officer in problem.officers:
            mine = sorted(self.shifts_of[officer.id], key=lambda s: (s.start, s.id))
            self.shifts_of[officer.id] = mine
            worked = [_Worked(start=s.start, end=s.end, day=s.day, template_id=s.template_id,
                              night=s.night, minutes=s.minutes, in_horizon=True) for s in mine]
            worked += [_Worked(start=p.start, end=p.end, day=p.day, template_id=p.template_id,
                               night=p.night, minutes=p.minutes, in_horizon=False)
                       for p in problem.history if p.officer_id == officer.id]
            self.worked_of[officer.id] = sorted(worked, key=lambda w: (w.start, w.end))
        for officer in problem.officers:
            self.officer_rules(officer)
        self.leave()
        self.pins(assignments)
        self.requests()
        self.fair_spread()
        self.published(assignments)
        self.shift_cover()
        self.interval_cover()

    def officer_rules(self, officer: Officer) -> None:
        rules = officer.rules
        name = officer.name
        mine = self.shifts_of[officer.id]
        worked = self.worked_of[officer.id]
        by_day: dict[date, list[Shift]] = defaultdict(list)
        for shift in mine:
            by_day[shift.day].append(shift)

        for day, todays in by_day.items():
            self.breach(rules.one_shift_per_day, names.ONE_SHIFT_PER_DAY, name,
                        len(todays) - 1, f"{name} works {len(todays)} shifts on {day}", day)
        for i, first in enumerate(worked):
            for second in worked[i + 1:]:
                if second.start >= first.end:
                    break
                if first.in_horizon or second.in_horizon:
                    self.hard.append(Violation(
                        rule=names.NO_OVERLAP, subject=name, day=second.day, amount=1,
                        message=f"{name} works two shifts at once on {second.day}"))

        if rules.min_rest_minutes is not None and rules.min_rest_minutes.value > 0:
            rest = timedelta(minutes=rules.min_rest_minutes.value)
            for first, second in _later_pairs(worked, rest):
                if second.in_horizon and first.end <= second.start < first.end + rest:
                    self.breach(rules.min_rest_minutes.enforcement, names.MIN_REST, name, 1,
                                f"{name} rests too little before the shift of {second.day}",
                                second.day)

        next_day = timedelta(days=1)
        for first, second in _later_pairs(worked, timedelta(days=3)):
            if not second.in_horizon or second.day - first.day != next_day:
                continue
            for rule in rules.forbidden_successions:
                if (first.template_id, second.template_id) == (rule.first_template,
                                                              rule.second_template):
                    self.breach(rule.enforcement, names.SUCCESSIONS, name, 1,
                                f"{name} works {rule.second_template} right after "
                                f"{rule.first_template} on {second.day}", second.day)

        for entry in rules.max_shifts_per_template:
            count = sum(1 for s in mine if s.template_id == entry.template_id)
            self.over(entry.limit, count, names.SHIFT_TYPE_LIMITS, name,
                      f"{name} works {count} {entry.template_id} shifts")

        for window in rules.working_time:
            minutes = sum(w.minutes for w in worked if window.contains(w.day))
            if window.min_minutes is not None:
                self.breach(window.min_minutes.enforcement, names.WORKING_TIME, name,
                            window.min_minutes.value - minutes,
                            f"{name} works {minutes} minutes from {window.first_day}",
                            window.first_day)
            self.over(window.max_minutes, minutes, names.WORKING_TIME, name,
                      f"{name} works {minutes} minutes from {window.first_day}",
                      window.first_day)

        worked_days = {self.index(w.day) for w in worked}
        night_days = {self.index(w.day) for w in worked if w.night}
        self.max_run(rules.max_consecutive_days, worked_days, names.MAX_CONSECUTIVE_DAYS, name)
        self.min_run(rules.min_consecutive_days, worked_days, True,
                     names.MIN_CONSECUTIVE_DAYS, name)
        self.min_run(rules.min_consecutive_days_off, worked_days, False, names.MIN_DAYS_OFF,
                     name)
        self.max_run(rules.max_consecutive_nights, night_days, names.MAX_CONSECUTIVE_NIGHTS,
                     name)

        if rules.max_weekends is not None:
            count = sum(1 for group in self.weekend_groups(officer)
                        if any(i in worked_days for i in group))
            self.over(rules.max_weekends, count, names.WEEKENDS, name,
                      f"{name} works {count} weekends")

        if rules.weekly_rest_minutes is not None and rules.weekly_rest_minutes.value > 0:
            self.weekly_rest(officer, worked)

        if rules.average_hours is not None:
            rule = rules.average_hours
            known = self.problem.days + self.problem.history_days
            first_known = -self.problem.history_days
            if known <= rule.reference_days:
                windows = [(first_known, self.problem.days - 1,
                            rule.max_minutes_per_week * known // 7)]
            else:
                windows = [(s, s + rule.reference_days - 1,
                            rule.max_minutes_per_week * rule.reference_days // 7)
                           for s in range(first_known,
                                          self.problem.days - rule.reference_days + 1)]
            for first, last, cap in windows:
                minutes = sum(w.minutes for w in worked if first <= self.index(w.day) <= last)
                self.breach(rule.enforcement, names.AVERAGE_HOURS, name, minutes - cap,
                            f"{name} works {minutes} minutes in {first}..{last}",
                            self.day(last))

        nights = [s for s in mine if s.night]
        self.over(rules.max_night_shifts, len(nights), names.MAX_NIGHTS, name,
                  f"{name} works {len(nights)} night shifts")
        if rules.max_night_shift_minutes is not None:
            for shift in nights:
                if shift.minutes > rules.max_night_shift_minutes.value:
                    self.breach(rules.max_night_shift_minutes.enforcement,
                                names.NIGHT_SHIFT_LENGTH, name, 1,
                                f"{name} works a {shift.minutes}-minute night", shift.day)

        allowed_sides = officer.accredited_sides | {officer.side}
        for shift in mine:
            if not shift.required_skills <= officer.skills:
                self.breach(rules.skills, names.SKILLS, name, 1,
                            f"{name} lacks a skill for {shift.id}", shift.day)
            if shift.zone_side not in allowed_sides:
                self.breach(rules.accreditation, names.ACCREDITATION, name, 1,
                            f"{name} is not accredited for {shift.zone_side}", shift.day)

        if rules.overtime is not None:
            regular_week = rules.overtime.regular_minutes_per_week
            for first in range(0, self.problem.days, 7):
                last = min(first + 6, self.problem.days - 1)
                regular = regular_week * (last - first + 1) // 7
                minutes = sum(s.minutes for s in mine if first <= self.index(s.day) <= last)
                self.breach(rules.overtime.enforcement, names.OVERTIME, name, minutes - regular,
                            f"{name} works {minutes} minutes in the week of {self.day(first)}",
                            self.day(first))

    # -- day-sequence rules --

    def index(self, day: date) -> int:
        return (day - self.problem.start).days

    def day(self, index: int) -> date:
        return self.problem.start + timedelta(days=index)

    def max_run(self, limit: Limit | None, days: set[int], rule: str, name: str) -> None:
        """Every window of limit + 1 known days reaching into the horizon, all worked, is one
        unit over."""
        if limit is None:
            return
        first = -self.problem.history_days
        for start in range(first, self.problem.days - limit.value):
            end = start + limit.value
            if end >= 0 and all(d in days for d in range(start, end + 1)):
                self.breach(limit.enforcement, rule, name, 1,
                            f"{name}: more than {limit.value} in a row up to {self.day(end)}",
                            self.day(end))

    def min_run(self, limit: Limit | None, worked_days: set[int], of_work: bool, rule: str,
                name: str) -> None:
        """Runs whose day before is known and whose day after is in the horizon are judged."""
        if limit is None or limit.value <= 1:
            return
        first = -self.problem.history_days
        last = self.problem.days - 1
        on = [(d in worked_days) == of_work for d in range(first, last + 1)]
        index = 0
        while index < len(on):
            if not on[index]:
                index += 1
                continue
            end = index
            while end < len(on) and on[end]:
                end += 1
            length = end - index
            judged = index > 0 and end <= len(on) - 1 and first + end >= 0
            if judged and length < limit.value:
                self.breach(limit.enforcement, rule, name, limit.value - length,
                            f"{name}: a run of {length} from {self.day(first + index)}",
                            self.day(first + index))
            index = end

    def weekend_groups(self, officer: Officer) -> list[list[int]]:
        groups: list[list[int]] = []
        current: list[int] = []
        for index in range(-self.problem.history_days, self.problem.days):
            if self.day(index).weekday() in officer.rules.weekend_days:
                current.append(index)
            else:
                if current:
                    groups.append(current)
                current = []
        if current:
            groups.append(current)
        return [g for g in groups if g[-1] >= 0]

    def weekly_rest(self, officer: Officer, worked: list[_Worked]) -> None:
        limit = officer.rules.weekly_rest_minutes
        assert limit is not None
        rest = timedelta(minutes=limit.value)
        monday = self.problem.start - timedelta(days=self.problem.start.weekday())
        horizon_end = local_to_utc(self.problem.end_day + timedelta(days=1), 0, officer.zone)
        while True:
            week_start = local_to_utc(monday, 0, officer.zone)
            if week_start >= horizon_end:
                return
            week_end = local_to_utc(monday + timedelta(days=7), 0, officer.zone)
            moments = [week_start] + [w.end for w in worked if week_start <= w.end < week_end]
            rested = any(not any(w.start < m + rest and w.end > m for w in worked)
                         for m in moments)
            if not rested:
                self.breach(limit.enforcement, names.WEEKLY_REST, officer.name, 1,
                            f"{officer.name} has no weekly rest in the week of {monday}", monday)
            monday += timedelta(days=7)

    # -- rules over several officers or facts --

    def leave(self) -> None:
        for absence in self.problem.absences:
            officer = self.problem.officer(absence.officer_id)
            for shift in self.shifts_of[officer.id]:
                if shift.start < absence.end and shift.end > absence.start:
                    self.breach(officer.rules.leave, names.LEAVE, officer.name, 1,
                                f"{officer.name} works {shift.id} during {absence.reason}",
                                shift.day)

    def pins(self, assignments: frozenset[tuple[str, str]]) -> None:
        for pin in self.problem.pins:
            officer = self.problem.officer(pin.officer_id)
            if ((officer.id, pin.shift_id) in assignments) != pin.assigned:
                self.breach(pin.enforcement, names.PINS, officer.name, 1,
                            f"{officer.name} breaks the pin on {pin.shift_id}",
                            self.problem.shift(pin.shift_id).day)

    def requests(self) -> None:
        for request in self.problem.requests:
            officer = self.problem.officer(request.officer_id)
            matching = [s for s in self.shifts_of[officer.id] if s.day == request.day
                        and request.template_id in (None, s.template_id)]
            broken = not matching if request.kind == "on" else bool(matching)
            self.breach(request.enforcement, names.REQUESTS, officer.name, int(broken),
                        f"{officer.name}'s {request.kind}-request for {request.day} is not met",
                        request.day)

    def fair_spread(self) -> None:
        for group in self.problem.fair_spread:
            counts = [self.fair_count(group, self.problem.officer(o)) for o in group.officer_ids]
            spread = max(counts) - min(counts)
            self.breach(group.enforcement, names.FAIR_SPREAD, group.name,
                        spread - group.allowed_spread,
                        f"{group.name}: {group.measure} range from {min(counts)} to "
                        f"{max(counts)}")

    def fair_count(self, group: FairSpread, officer: Officer) -> int:
        count = 0
        for shift in self.shifts_of[officer.id]:
            if group.measure == "nights":
                count += shift.night
            elif group.measure == "weekends":
                count += shift.day.weekday() in officer.rules.weekend_days
            else:
                count += self.problem.is_holiday_for(officer, shift.day)
        return count

    def published(self, assignments: frozenset[tuple[str, str]]) -> None:
        published = self.problem.published
        if published is None:
            return
        for officer in self.problem.officers:
            for shift in self.problem.shifts:
                if shift.agency_id != officer.agency_id or not published.covers(shift.day):
                    continue
                pair = (officer.id, shift.id)
                if (pair in assignments) != (pair in published.assignments):
                    self.breach(published.change, names.PUBLISHED_CHANGES, officer.name, 1,
                                f"{officer.name}'s {shift.id} changed", shift.day)

    def covered_by(self, shift: Shift, skill: str | None) -> int:
        return sum(1 for officer in self.staff_on.get(shift.id, ())
                   if skill is None or skill in officer.skills)

    def demand(self, required: int, staffed: int, under: Enforcement, over_weight: int,
               subject: str, day: date, what: str) -> None:
        self.breach(under, names.COVER_UNDER, subject, required - staffed,
                    f"{subject}: {staffed} of {required} needed {what}", day)
        if over_weight > 0:
            self.breach(Enforcement.soft(over_weight), names.COVER_OVER, subject,
                        staffed - required, f"{subject}: {staffed} for {required} {what}", day)

    def shift_cover(self) -> None:
        for cover in self.problem.shift_cover:
            shift = self.problem.shift(cover.shift_id)
            staffed = self.covered_by(shift, cover.skill)
            subject = (f"{self.problem.agency(shift.agency_id).name}, "
                       f"{self.problem.template(shift.template_id).name}")
            self.demand(cover.required, staffed, cover.under, cover.over_weight, subject,
                        shift.day, f"on {shift.id}")

    def interval_cover(self) -> None:
        at_office: dict[str, list[Shift]] = defaultdict(list)
        for shift in self.problem.shifts:
            at_office[shift.office_id].append(shift)
        for interval in self.problem.interval_cover:
            office = self.problem.office(interval.office_id)
            staffed = sum(self.covered_by(shift, interval.skill)
                          for shift in at_office[office.id]
                          if shift.start <= interval.start and shift.end >= interval.end)
            local = utc_to_local(interval.start, office.zone)
            self.demand(interval.required, staffed, interval.under, interval.over_weight,
                        office.name, local.date(), f"at {local:%H:%M}")


def _later_pairs(worked: list[_Worked], reach: timedelta) -> Iterable[tuple[_Worked, _Worked]]:
    """Pairs (a, b) of worked shifts, b starting after a and less than ``reach`` after a ends."""
    for i, first in enumerate(worked):
        for second in worked[i + 1:]:
            if second.start >= first.end + reach:
                break
            yield first, second
