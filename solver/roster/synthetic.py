"""A synthetic post of the Rusumo shape, for tests and benchmarks until the real sample is wired.

Rusumo (Rwanda/Tanzania) is a one-stop border post: traffic entering each country is cleared
in that country's control zone, where the exit country's officers work as adjoining-state
officers. The two sides are an hour apart (Africa/Kigali UTC+2, Africa/Dar_es_Salaam UTC+3)
and keep different holidays (Eid al-Adha falls on 6 June 2025 in Rwanda, 7 June in Tanzania).

The post has twenty agencies (customs and immigration 24/7 on both sides, specialists on day
hours), about two hundred officers, 8-hour and 12-hour templates, an exit desk in the other
country's zone staffed by accredited officers, demand per 30-minute interval from a daily
traffic profile, leave, requests, a week of history, and rules resolved per country the way
the service layer resolves them. Everything is derived from ``seed``, so a benchmark can be
repeated exactly.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

import holidays as holiday_calendars

from solver.roster.prepare import (
    absence_for_days,
    interval_cover,
    is_night_work,
    make_shifts,
    past_shift,
)
from solver.roster.problem import (
    Absence,
    Agency,
    AverageHours,
    FairSpread,
    Holiday,
    IntervalCover,
    Limit,
    MinutesWindow,
    Office,
    Officer,
    OfficerRules,
    Overtime,
    PastShift,
    RosterProblem,
    ShiftRequest,
    ShiftTemplate,
    Succession,
    TemplateLimit,
)
from solver.rules import Enforcement

SIDES = {"RW": "Africa/Kigali", "TZ": "Africa/Dar_es_Salaam"}
OTHER = {"RW": "TZ", "TZ": "RW"}
UNDER_WEIGHT = 1000
FAIRNESS_WEIGHT = 20
HISTORY_DAYS = 7


@dataclass(frozen=True, slots=True)
class AgencyShape:
    """How one agency works: 24/7 or day hours, its size and the demand it serves."""

    key: str
    name: str
    side: str
    officers: int
    around_the_clock: bool
    twelve_hours: bool = False
    skill: str | None = None
    exit_desk: bool = False


AGENCIES: tuple[AgencyShape, ...] = (
    AgencyShape("rra", "Customs RW (RRA)", "RW", 24, True, skill="scanner", exit_desk=True),
    AgencyShape("dgie", "Immigration RW (DGIE)", "RW", 20, True, twelve_hours=True,
                exit_desk=True),
    AgencyShape("rab-plant", "Plant health RW (RAB)", "RW", 7, False, skill="lab"),
    AgencyShape("rab-vet", "Veterinary RW (RAB)", "RW", 6, False),
    AgencyShape("rsb", "Standards RW (RSB)", "RW", 6, False),
    AgencyShape("rfda", "Food and drugs RW (FDA)", "RW", 6, False),
    AgencyShape("rnp", "Police RW", "RW", 8, False),
    AgencyShape("rw-health", "Port health RW", "RW", 6, False),
    AgencyShape("tra", "Customs TZ (TRA)", "TZ", 24, True, skill="scanner", exit_desk=True),
    AgencyShape("tz-imm", "Immigration TZ", "TZ", 20, True, twelve_hours=True,
                exit_desk=True),
    AgencyShape("tbs", "Standards TZ (TBS)", "TZ", 6, False),
    AgencyShape("tmda", "Medicines TZ (TMDA)", "TZ", 6, False),
    AgencyShape("wma", "Weights and measures TZ (WMA)", "TZ", 5, False),
    AgencyShape("tasac", "Shipping TZ (TASAC)", "TZ", 5, False),
    AgencyShape("livestock", "Livestock and fisheries TZ", "TZ", 6, False, skill="lab"),
    AgencyShape("tz-health", "Port health TZ", "TZ", 6, False),
    AgencyShape("forest", "Forest TZ (TFS)", "TZ", 5, False),
    AgencyShape("taec", "Atomic energy TZ (TAEC)", "TZ", 5, False),
    AgencyShape("tz-agri", "Plant health TZ", "TZ", 6, False),
    AgencyShape("tz-police", "Police TZ", "TZ", 8, False),
)

FIRST_NAMES = ("Amani", "Baraka", "Chausiku", "Dalila", "Eliya", "Faraja", "Gasana", "Hawa",
               "Imani", "Jabiri", "Kagame", "Lulu", "Mugisha", "Neema", "Olivier", "Pendo",
               "Rehema", "Sefu", "Tumaini", "Uwase", "Vumilia", "Wanjiru", "Yusufu", "Zawadi")


def rusumo_like(seed: int = 1, start: date = date(2025, 6, 2), days: int = 28,
                agencies: tuple[AgencyShape, ...] = AGENCIES) -> RosterProblem:
    """The synthetic post; ``start`` should be a Monday."""
    rng = random.Random(seed)
    builder = _PostBuilder(rng, start, days)
    for shape in agencies:
        builder.add_agency(shape)
    return builder.problem(f"Rusumo (synthetic, seed {seed})")


class _PostBuilder:
    def __init__(self, rng: random.Random, start: date, days: int) -> None:
        self.rng = rng
        self.start = start
        self.days = days
        self.agencies: list[Agency] = []
        self.offices: list[Office] = []
        self.templates: list[ShiftTemplate] = []
        self.officers: list[Officer] = []
        self.covers: list[IntervalCover] = []
        self.absences: list[Absence] = []
        self.requests: list[ShiftRequest] = []
        self.history: list[PastShift] = []
        self.fairness: list[FairSpread] = []
        self.holidays = _holidays(start, days)

    def problem(self, name: str) -> RosterProblem:
        return RosterProblem(
            name=name, start=self.start, days=self.days, agencies=tuple(self.agencies),
            offices=tuple(self.offices), templates=tuple(self.templates),
            shifts=make_shifts(self.templates, self.offices, self.start, self.days),
            officers=tuple(self.officers), interval_cover=tuple(self.covers),
            absences=tuple(self.absences), requests=tuple(self.requests),
            history=tuple(self.history), history_days=HISTORY_DAYS,
            holidays=self.holidays, fair_spread=tuple(self.fairness))

    def add_agency(self, shape: AgencyShape) -> None:
        agency = Agency(id=shape.key, name=shape.name, side=shape.side)
        self.agencies.append(agency)
        home = Office(id=f"{shape.key}-office", name=f"{shape.name} office",
                      zone=SIDES[shape.side], zone_side=shape.side)
        self.offices.append(home)
        templates = self._home_templates(shape, home)
        desk: ShiftTemplate | None = None
        if shape.exit_desk:
            other = OTHER[shape.side]
            desk_office = Office(id=f"{shape.key}-exit-desk",
                                 name=f"{shape.name} exit desk ({other} zone)",
                                 zone=SIDES[other], zone_side=other)
            self.offices.append(desk_office)
            desk = _template(f"{shape.key}-desk", "Exit desk", agency, desk_office, 6 * 60,
                             12 * 60)
            templates.append(desk)
            self.covers += interval_cover(desk_office, None, self.start, self.days,
                                          lambda _d, m: 1 if 7 * 60 <= m < 17 * 60 else 0,
                                          under=Enforcement.soft(UNDER_WEIGHT))
        self.templates += templates
        self.covers += self._home_demand(shape, home)
        staff = [self._officer(shape, agency, number, desk is not None)
                 for number in range(shape.officers)]
        self.officers += staff
        self._personal_facts(shape, staff, templates, home)
        if shape.around_the_clock:
            for measure in ("nights", "weekends", "holidays"):
                self.fairness.append(FairSpread(
                    name=f"{shape.name} {measure}", officer_ids=tuple(o.id for o in staff),
                    measure=measure, enforcement=Enforcement.soft(FAIRNESS_WEIGHT),
                    allowed_spread=1))

    def _home_templates(self, shape: AgencyShape, office: Office) -> list[ShiftTemplate]:
        agency = Agency(id=shape.key, name=shape.name, side=shape.side)
        if not shape.around_the_clock:
            weekdays = _template(f"{shape.key}-day", "Day", agency, office, 8 * 60, 9 * 60,
                                 weekdays=frozenset(range(5)))
            saturday = _template(f"{shape.key}-sat", "Saturday morning", agency, office,
                                 8 * 60, 5 * 60, weekdays=frozenset({5}))
            return [weekdays, saturday]
        if shape.twelve_hours:
            return [_template(f"{shape.key}-d12", "Day (12 h)", agency, office, 6 * 60, 720),
                    _template(f"{shape.key}-n12", "Night (12 h)", agency, office, 18 * 60, 720)]
        return [_template(f"{shape.key}-e", "Early", agency, office, 6 * 60, 480),
                _template(f"{shape.key}-l", "Late", agency, office, 14 * 60, 480),
                _template(f"{shape.key}-n", "Night", agency, office, 22 * 60, 480)]

    def _home_demand(self, shape: AgencyShape, office: Office) -> list[IntervalCover]:
        """Demand sized to the staff: about 85 % of contract hours go to the counters."""
        under = Enforcement.soft(UNDER_WEIGHT)
        weekend_dip = 1 if self.rng.random() < 0.5 else 0
        if shape.around_the_clock:
            base = max(2, round(shape.officers / 6))

            def traffic(day: date, minute: int) -> int:
                hour = minute // 60
                if hour < 5 or hour >= 22:
                    need = base - 1
                elif 9 <= hour < 17:
                    need = base + 1
                else:
                    need = base
                return max(1, need - (weekend_dip if day.weekday() >= 5 else 0))

            demand = interval_cover(office, None, self.start, self.days, traffic, under=under)
            if shape.skill:
                demand += interval_cover(
                    office, shape.skill, self.start, self.days,
                    lambda day, minute: 1 if 8 * 60 <= minute < 16 * 60 and day.weekday() < 6
                    else 0, under=under)
            return list(demand)
        weekday_need = max(1, round(shape.officers * 0.6))
        saturday_need = max(1, shape.officers // 3)

        def office_hours(day: date, minute: int) -> int:
            if day.weekday() < 5 and 8 * 60 <= minute < 17 * 60:
                return weekday_need + (1 if 10 * 60 <= minute < 15 * 60 else 0)
            if day.weekday() == 5 and 8 * 60 <= minute < 13 * 60:
                return saturday_need
            return 0

        demand = interval_cover(office, None, self.start, self.days, office_hours, under=under)
        if shape.skill:
            demand += interval_cover(office, shape.skill, self.start, self.days,
                                     lambda day, minute: 1 if day.weekday() < 5
                                     and 9 * 60 <= minute < 12 * 60 else 0, under=under)
        return list(demand)

    def _officer(self, shape: AgencyShape, agency: Agency, number: int,
                 has_desk: bool) -> Officer:
        name = f"{FIRST_NAMES[number % len(FIRST_NAMES)]} {shape.key.upper()}-{number + 1:02d}"
        skills = frozenset({shape.skill}) if shape.skill and number % 3 == 0 else frozenset()
        accredited = frozenset({OTHER[shape.side]}) if has_desk and number % 2 == 0 \
            else frozenset()
        return Officer(id=f"{shape.key}-{number + 1:02d}", name=name, agency_id=agency.id,
                       side=shape.side, zone=SIDES[shape.side], skills=skills,
                       accredited_sides=accredited, rules=self._rules(shape, number))

    def _rules(self, shape: AgencyShape, number: int) -> OfficerRules:
        """Country defaults, agency overrides (24/7 work), officer overrides (part-time).

        The rule set mirrors what the service resolves for the real post: daily and weekly
        rest, six days in a row at most, 45 h a week on average over four weeks and 56 h in
        any one week, four nights in a row, no nights for officers exempt from night work,
        and overtime paid per minute beyond the contract.
        """
        part_time = number % 7 == 6
        night_exempt = number % 9 == 8
        contract = (24 if part_time else 40) * 60
        weeks = []
        for offset in range(0, self.days, 7):
            first = self.start + timedelta(days=offset)
            length = min(7, self.days - offset)
            weeks.append(MinutesWindow(first_day=first,
                                       last_day=first + timedelta(days=length - 1),
                                       max_minutes=Limit(value=round(45 * 60 * 1.25 * length
                                                                     / 7))))
        successions: tuple[Succession, ...] = ()
        exempt: tuple[TemplateLimit, ...] = ()
        if shape.around_the_clock:
            night = f"{shape.key}-n12" if shape.twelve_hours else f"{shape.key}-n"
            if night_exempt:
                exempt = (TemplateLimit(template_id=night, limit=Limit(value=0)),)
            if not shape.twelve_hours:
                successions = (Succession(first_template=f"{shape.key}-n",
                                          second_template=f"{shape.key}-l",
                                          enforcement=Enforcement.soft(50)),)
        return OfficerRules(
            min_rest_minutes=Limit(value=(11 if shape.side == "RW" else 12) * 60),
            forbidden_successions=successions,
            max_shifts_per_template=exempt,
            working_time=tuple(weeks),
            max_consecutive_days=Limit(value=6),
            weekly_rest_minutes=Limit(value=24 * 60),
            average_hours=AverageHours(max_minutes_per_week=45 * 60, reference_days=28),
            max_consecutive_nights=Limit(value=4),
            overtime=Overtime(regular_minutes_per_week=contract,
                              enforcement=Enforcement.soft(1)),
        )

    def _personal_facts(self, shape: AgencyShape, staff: list[Officer],
                        templates: list[ShiftTemplate], home: Office) -> None:
        rng = self.rng
        horizon = [self.start + timedelta(days=d) for d in range(self.days)]
        home_templates = [t for t in templates if t.office_id == home.id]
        for officer in staff:
            if rng.random() < 0.15:
                first = rng.randrange(self.days - 3)
                length = rng.randint(2, 6)
                self.absences.append(absence_for_days(
                    officer, horizon[first], horizon[min(first + length, self.days - 1)]))
            for _ in range(rng.randint(0, 3)):
                day = rng.choice(horizon)
                if rng.random() < 0.6:
                    self.requests.append(ShiftRequest(officer_id=officer.id, day=day,
                                                      kind="off",
                                                      enforcement=Enforcement.soft(3)))
                else:
                    wanted = rng.choice(home_templates)
                    if day.weekday() in wanted.weekdays:
                        self.requests.append(ShiftRequest(
                            officer_id=officer.id, day=day, kind="on", template_id=wanted.id,
                            enforcement=Enforcement.soft(2)))
            self._history_of(officer, home_templates, home)

    def _history_of(self, officer: Officer, templates: list[ShiftTemplate],
                    office: Office) -> None:
        """A plausible last week: five days on, two off, on a template of the agency."""
        offset = self.rng.randrange(7)
        template = self.rng.choice(templates)
        for back in range(1, HISTORY_DAYS + 1):
            day = self.start - timedelta(days=back)
            if (back + offset) % 7 < 5 and day.weekday() in template.weekdays:
                self.history.append(past_shift(officer.id, template, office, day))


def _template(ident: str, name: str, agency: Agency, office: Office, start_minute: int,
              length: int, *, weekdays: frozenset[int] = frozenset(range(7))) -> ShiftTemplate:
    return ShiftTemplate(id=ident, name=name, agency_id=agency.id, office_id=office.id,
                         start_minute=start_minute, length_minutes=length,
                         night=is_night_work(start_minute, length), weekdays=weekdays)


def _holidays(start: date, days: int) -> tuple[Holiday, ...]:
    found = []
    end = start + timedelta(days=days - 1)
    for side in SIDES:
        calendar = holiday_calendars.country_holidays(side, years=range(start.year, end.year + 1))
        for day, name in sorted(calendar.items()):
            if start - timedelta(days=HISTORY_DAYS) <= day <= end:
                found.append(Holiday(side=side, day=day, name=name))
    return tuple(found)
