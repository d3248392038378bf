"""Synthetic scenarios of any size, for scale tests and benchmarks.

Everything is drawn from one seeded ``random.Random``, so the same settings always write
the same scenario. The shapes follow DOMAIN.md: an hourly truck profile with a night
trough, a morning ramp, a day plateau and an evening shoulder (section 5, marked [A]
there); selection rates of a few per cent with about 60 % of inspected trucks selected by
more than one agency (section 4.3); 8 h and 12 h shifts (section 3.4).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from app.services.errors import InputProblem, InvalidInput
from app.services.scenario import spec
from app.services.scenario.write import write_scenario
from solver.timeutil import local_to_utc

# Relative arrivals in each local hour: night trough 00-05, ramp 05-09 with a dip at the
# 08:00 shift change, plateau 09-17, evening shoulder to 22.
_HOURLY_WEIGHT = (14, 11, 9, 9, 11, 20, 35, 52, 46, 62, 64, 63, 60, 61, 63, 62, 58, 50, 42, 36, 30, 24, 20, 17)
HOURLY_SHARE: tuple[float, ...] = tuple(weight / sum(_HOURLY_WEIGHT) for weight in _HOURLY_WEIGHT)

WEEKDAY_FACTOR = (1.05, 1.08, 1.08, 1.06, 1.10, 0.90, 0.73)  # Monday first; sums to 7

FIRST_NAMES = (
    "Amina", "Boris", "Chiara", "Dmitar", "Elif", "Faith", "Georgi", "Hatice", "Ivan", "Jabiri",
    "Kemal", "Lilian", "Maria", "Neema", "Orhan", "Petya", "Rehema", "Selin", "Tomasz", "Uwase",
    "Vesna", "Wanjiru", "Yusuf", "Zainabu", "Aline", "Baraka", "Cem", "Daniela", "Emre", "Fatuma",
)
LAST_NAMES = (
    "Abdallah", "Balogun", "Chanda", "Dimitrova", "Erdem", "Ferreira", "Georgiev", "Hakizimana",
    "Ivanova", "Juma", "Kaya", "Lukwago", "Mwangi", "Nikolov", "Ozturk", "Petrov", "Rukundo",
    "Sahin", "Todorova", "Uwimana", "Vasileva", "Wambura", "Yilmaz", "Zawadi", "Aydin", "Bizimana",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class GeneratorSettings:
    officers: int
    days: int
    trucks_per_day: int
    seed: int = 1
    start: date = date(2026, 1, 5)
    code: str = "synthetic"


@dataclass(frozen=True, slots=True)
class _AgencyPlan:
    suffix: str
    kind: str
    name: str
    share: float
    always_open: bool
    skill: str | None


AGENCY_PLAN: tuple[_AgencyPlan, ...] = (
    _AgencyPlan("CUS", "customs", "Customs", 0.36, True, "scanner"),
    _AgencyPlan("IMM", "immigration", "Immigration / border police", 0.30, True, None),
    _AgencyPlan("PHY", "plant_health", "Plant health (NPPO)", 0.09, False, "phytosanitary"),
    _AgencyPlan("VET", "animal_health", "Veterinary service", 0.09, False, "veterinary"),
    _AgencyPlan("FSA", "food_safety", "Food safety / port health", 0.09, False, "food_sampling"),
    _AgencyPlan("STD", "standards", "Standards bureau", 0.07, False, None),
)
SIDES = (
    spec.SideSpec(code="PL", country="PL", name="Poland", timezone="Europe/Warsaw", holiday_country="PL", holiday_subdivision=None, weekend=(5, 6), labour=spec.LabourSpec()),
    spec.SideSpec(code="UA", country="UA", name="Ukraine", timezone="Europe/Kyiv", holiday_country="UA", holiday_subdivision=None, weekend=(5, 6), labour=spec.LabourSpec(max_weekly_minutes=40 * 60, reference_period_weeks=4)),
)
# Share of each agency's officers posted to its juxtaposed office across the border (exit
# controls there are lighter than entry controls at home) [A].
JUXTAPOSED_SHARE = 0.35
DAY_HOURS = (spec.DayWindows((0, 1, 2, 3, 4), (spec.Window(8 * 60, 17 * 60),)), spec.DayWindows((5,), (spec.Window(8 * 60, 13 * 60),)))
ALWAYS = (spec.DayWindows(tuple(range(7)), (spec.Window(0, 1440),)),)


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def hourly_trucks(per_day: float, weekday: int) -> list[float]:
    """Expected trucks in each local hour of ``weekday`` for a post averaging ``per_day``."""
    return [per_day * WEEKDAY_FACTOR[weekday] * share for share in HOURLY_SHARE]


def synthetic_scenario(settings: GeneratorSettings) -> spec.Scenario:
    rng = random.Random(settings.seed)
    sides = SIDES
    skills = tuple(spec.SkillSpec(code=code, name=code.replace("_", " ").capitalize()) for code in ("scanner", "phytosanitary", "veterinary", "food_sampling", "cites", "document_fraud"))
    agencies, offices, officers = [], [], []
    per_side = [settings.officers // 2, settings.officers - settings.officers // 2]
    for side, headcount in zip(sides, per_side, strict=True):
        other = sides[1] if side is sides[0] else sides[0]
        # One officer per agency first (when there are enough), so every check has someone to make it.
        counts = _apportion(headcount, [plan.share for plan in AGENCY_PLAN], minimum=1)
        for plan, count in zip(AGENCY_PLAN, counts, strict=True):
            agency_code = f"{side.code}-{plan.suffix}"
            agencies.append(spec.AgencySpec(code=agency_code, side=side.code, kind=plan.kind, name=f"{side.name} {plan.name}", lead=plan.kind == "customs", notice_working_days=1 if plan.kind == "animal_health" else 0, derogation_notice_hours=4 if plan.kind == "animal_health" else None, out_of_hours_fee_per_hour=0 if plan.always_open else 40.0, currency="EUR", staff_hour_cost=25.0))
            # A two-facility post: each country hosts the traffic entering it, and the exit
            # country's officers work beside their counterparts in the host's facility.
            for host, facility, counterpart_side, suffix in ((side, "own", other, "OFF"), (other, "juxtaposed", other, "JUX")):
                offices.append(spec.OfficeSpec(
                    code=f"{agency_code}-{suffix}", agency=agency_code, name=f"{side.name} {plan.name} at the {host.name} facility", host_side=host.code,
                    facility=facility, counterpart=f"{counterpart_side.code}-{plan.suffix}-{'JUX' if suffix == 'OFF' else 'OFF'}",
                    joint_controls=plan.always_open, always_open=plan.always_open, on_holidays="open" if plan.always_open else "closed",
                    min_crew=2 if plan.always_open else 1, trucks_per_officer_hour=8.0 if plan.kind == "immigration" else 5.0,
                    hours=ALWAYS if plan.always_open else DAY_HOURS,
                ))
            abroad = round(count * JUXTAPOSED_SHARE)
            for index in range(count):
                code = f"{side.code}{len(officers) + 1:05d}"
                held = tuple(s for s in (plan.skill,) if s and rng.random() < 0.6) + (("document_fraud",) if plan.kind == "immigration" and rng.random() < 0.3 else ())
                # The last of each agency go across, so staff numbers at home stay as they were.
                works_abroad = index >= count - abroad
                officers.append(spec.OfficerSpec(code=code, name=person_name(rng), agency=agency_code, office=f"{agency_code}-{'JUX' if works_abroad else 'OFF'}", skills=held, contract_minutes_per_week=rng.choice((40, 40, 40, 40, 32, 24)) * 60, cross_border=works_abroad or rng.random() < 0.2, night_work=rng.random() > 0.05))
    # Every skill a check needs must be held at every office that inspects, however small the post.
    officers = _ensure_skills(officers, agencies)
    templates = []
    for side in sides:
        always = tuple(a.code for a in agencies if a.side == side.code and a.kind in ("customs", "immigration"))
        daytime = tuple(a.code for a in agencies if a.side == side.code and a.code not in always)
        templates += [
            spec.ShiftTemplateSpec(code=f"{side.code}-E8", side=side.code, name="Early 06-14", start_minute=360, length_minutes=480, night=False, handover_minutes=15, agencies=always),
            spec.ShiftTemplateSpec(code=f"{side.code}-L8", side=side.code, name="Late 14-22", start_minute=840, length_minutes=480, night=False, handover_minutes=15, agencies=always),
            spec.ShiftTemplateSpec(code=f"{side.code}-N8", side=side.code, name="Night 22-06", start_minute=1320, length_minutes=480, night=True, handover_minutes=15, agencies=always),
            spec.ShiftTemplateSpec(code=f"{side.code}-D12", side=side.code, name="Day 07-19", start_minute=420, length_minutes=720, night=False, handover_minutes=30, agencies=always),
            spec.ShiftTemplateSpec(code=f"{side.code}-N12", side=side.code, name="Night 19-07", start_minute=1140, length_minutes=720, night=True, handover_minutes=30, agencies=always),
            spec.ShiftTemplateSpec(code=f"{side.code}-D8", side=side.code, name="Office 08-16", start_minute=480, length_minutes=480, night=False, agencies=daytime, weekdays=(0, 1, 2, 3, 4, 5)),
            spec.ShiftTemplateSpec(code=f"{side.code}-D9", side=side.code, name="Office 08-17", start_minute=480, length_minutes=540, night=False, agencies=daytime, weekdays=(0, 1, 2, 3, 4)),
        ]
    bays = max(2, settings.trucks_per_day // 250)
    resources = []
    for index in range(bays):
        side = sides[index % 2]
        capabilities = (("cold_chain",), ("livestock",), ("scanner",), ("lab", "cold_chain"), ())[index % 5]
        resources.append(spec.ResourceSpec(code=f"BAY-{index + 1:02d}", name=f"Inspection bay {index + 1}", host_side=side.code, kind="pen" if "livestock" in capabilities else "bay", capabilities=capabilities, capacity=1, always_open=index % 5 != 3, hours=() if index % 5 != 3 else DAY_HOURS))
    # Trucks are inspected at the entry side's facility, so each side needs every capability.
    for side in sides:
        for needed in ("cold_chain", "livestock", "scanner", "lab"):
            if not any(needed in r.capabilities and r.host_side == side.code for r in resources):
                resources.append(spec.ResourceSpec(code=f"BAY-{len(resources) + 1:02d}", name=f"Inspection bay {len(resources) + 1}", host_side=side.code, kind="pen" if needed == "livestock" else "bay", capabilities=(needed,), always_open=True))
    classes = (
        spec.PriorityClassSpec(code="live_animals", name="Live animals", rank=0, max_wait_minutes=120, quota=1),
        spec.PriorityClassSpec(code="perishable", name="Perishable goods", rank=1, max_wait_minutes=240, quota=1),
        spec.PriorityClassSpec(code="aeo", name="Authorised economic operator", rank=2, max_wait_minutes=480, quota=1),
        spec.PriorityClassSpec(code="regular", name="Regular", rank=3, max_wait_minutes=None, quota=5),
    )
    categories = _categories(sides)
    category_share = {"general": 0.62, "perishable": 0.18, "produce": 0.14, "livestock": 0.03, "wildlife": 0.03}
    demand = []
    for exit_side, entry_side in ((sides[0], sides[1]), (sides[1], sides[0])):
        for weekday in range(7):
            per_hour = hourly_trucks(settings.trucks_per_day / 2, weekday)
            for category, share in category_share.items():
                for hour, trucks in enumerate(per_hour):
                    demand.append(spec.DemandSpec(exit_side=exit_side.code, entry_side=entry_side.code, category=category, weekday=weekday, hour=hour, trucks=round(trucks * share, 3)))
    leave = _leave(rng, officers, settings)
    preferences = _preferences(rng, officers, templates, settings)
    requests = _requests(rng, settings, sides, categories, category_share)
    return spec.Scenario(
        post=spec.PostSpec(code=settings.code, name=f"Synthetic crossing ({settings.officers} officers, {settings.trucks_per_day} trucks/day)", layout="two_facility", description=f"Generated with seed {settings.seed} from {settings.start} for {settings.days} days."),
        sides=sides, skills=skills, agencies=tuple(agencies), offices=tuple(offices), shift_templates=tuple(templates),
        resources=tuple(resources), priority_classes=classes, categories=categories, officers=tuple(officers),
        leave=tuple(leave), preferences=tuple(preferences), demand=tuple(demand), requests=tuple(requests),
    )


def _apportion(total: int, shares: list[float], *, minimum: int = 0) -> list[int]:
    """Split ``total`` by ``shares`` into whole numbers that add up, largest remainders first,
    each at least ``minimum`` when the total allows it."""
    floor = minimum if total >= minimum * len(shares) else 0
    rest = total - floor * len(shares)
    raw = [rest * share / sum(shares) for share in shares]
    counts = [int(value) for value in raw]
    for index in sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)[: rest - sum(counts)]:
        counts[index] += 1
    return [floor + count for count in counts]


def _ensure_skills(officers: list[spec.OfficerSpec], agencies: list[spec.AgencySpec]) -> list[spec.OfficerSpec]:
    """Give each office's first officers the skills its checks need if nobody there has them:
    the agency's own skill, and CITES for two customs officers (the wildlife category)."""
    skill_of_kind = {plan.kind: plan.skill for plan in AGENCY_PLAN}
    kind_of = {a.code: a.kind for a in agencies}
    result = list(officers)
    by_office: dict[str, list[int]] = {}
    for index, officer in enumerate(result):
        by_office.setdefault(officer.office, []).append(index)
    for members in by_office.values():
        kind = kind_of[result[members[0]].agency]
        needs = [(skill_of_kind[kind], 1)] + ([("cites", 2)] if kind == "customs" else [])
        for skill, holders in needs:
            if not skill:
                continue
            for i in members[:holders]:
                if skill not in result[i].skills and sum(skill in result[j].skills for j in members) < holders:
                    result[i] = spec.OfficerSpec(**{**_fields(result[i]), "skills": result[i].skills + (skill,)})
    return result


def _fields(officer: spec.OfficerSpec) -> dict[str, object]:
    return {name: getattr(officer, name) for name in spec.OfficerSpec.__dataclass_fields__}


def _categories(sides: tuple[spec.SideSpec, ...]) -> tuple[spec.CategorySpec, ...]:
    def checks(*items: tuple[str, float, int, str | None]) -> tuple[spec.CheckSpec, ...]:
        return tuple(spec.CheckSpec(agency=f"{side.code}-{suffix}", selection_rate=rate, inspection_minutes=minutes, skill=skill) for side in sides for suffix, rate, minutes, skill in items)

    return (
        spec.CategorySpec(code="general", name="General cargo", priority="regular", capabilities=(), checks=checks(("CUS", 0.03, 45, None), ("STD", 0.01, 40, None))),
        spec.CategorySpec(code="perishable", name="Perishable food", priority="perishable", max_wait_minutes=240, capabilities=("cold_chain",), checks=checks(("CUS", 0.03, 45, None), ("FSA", 0.05, 60, "food_sampling"))),
        spec.CategorySpec(code="produce", name="Fresh fruit and vegetables", priority="perishable", max_wait_minutes=360, capabilities=("cold_chain",), checks=checks(("CUS", 0.03, 45, None), ("PHY", 0.06, 60, "phytosanitary"))),
        spec.CategorySpec(code="livestock", name="Live animals", priority="live_animals", max_wait_minutes=120, capabilities=("livestock",), checks=checks(("CUS", 0.05, 30, None), ("VET", 0.25, 90, "veterinary"))),
        spec.CategorySpec(code="wildlife", name="CITES-listed specimens", priority="regular", capabilities=("scanner",), checks=checks(("CUS", 0.20, 60, "cites"))),
    )


def _leave(rng: random.Random, officers: list[spec.OfficerSpec], settings: GeneratorSettings) -> list[spec.LeaveSpec]:
    leave = []
    for officer in officers:
        if rng.random() < 0.12:
            first = settings.start + timedelta(days=rng.randrange(settings.days))
            length = rng.choice((1, 2, 3, 5, 7, 10, 14))
            leave.append(spec.LeaveSpec(officer=officer.code, start=first, end=first + timedelta(days=length - 1), kind=rng.choice(("annual", "annual", "annual", "training", "sick"))))
    return leave


def _preferences(rng: random.Random, officers: list[spec.OfficerSpec], templates: list[spec.ShiftTemplateSpec], settings: GeneratorSettings) -> list[spec.PreferenceSpec]:
    preferences = []
    for officer in officers:
        if rng.random() < 0.15:
            preferences.append(spec.PreferenceSpec(officer=officer.code, want="off", on_date=settings.start + timedelta(days=rng.randrange(settings.days)), weight=rng.choice((1, 2, 3))))
        if rng.random() < 0.05:
            night = [t for t in templates if t.night and officer.agency in t.agencies]
            if night:
                preferences.append(spec.PreferenceSpec(officer=officer.code, want="off", weekday=rng.randrange(7), shift=rng.choice(night).code, weight=1))
    return preferences


def _requests(rng: random.Random, settings: GeneratorSettings, sides: tuple[spec.SideSpec, ...], categories: tuple[spec.CategorySpec, ...], share: dict[str, float]) -> list[spec.RequestSpec]:
    """About 5 % of trucks selected, 60 % of those by more than one agency."""
    by_code = {c.code: c for c in categories}
    requests = []
    total = round(settings.trucks_per_day * settings.days * 0.05)
    codes, weights = zip(*share.items(), strict=True)
    for index in range(total):
        exit_side, entry_side = (sides[0], sides[1]) if rng.random() < 0.5 else (sides[1], sides[0])
        category = by_code[rng.choices(codes, weights)[0]]
        day = settings.start + timedelta(days=rng.randrange(settings.days))
        hour = rng.choices(range(24), HOURLY_SHARE)[0]
        arrival = local_to_utc(day, hour * 60 + rng.choice((0, 15, 30, 45)), exit_side.timezone)
        agencies = sorted({check.agency for check in category.checks})
        customs = [a for a in agencies if a.endswith("CUS")]
        if rng.random() < 0.6 and len(agencies) > 1:
            chosen = rng.sample(agencies, k=rng.randint(2, min(4, len(agencies))))
        else:
            chosen = [rng.choice(customs or agencies)]
        notified = arrival - timedelta(hours=rng.choice((2, 6, 26, 50)))
        requests.append(spec.RequestSpec(
            reference=f"{settings.code.upper()}-{index + 1:06d}", exit_side=exit_side.code, entry_side=entry_side.code,
            category=category.code, agencies=tuple(sorted(chosen)), duration_minutes=rng.choice((30, 45, 60, 90, 120)),
            expected_arrival=arrival, notified_at=notified, capabilities=category.capabilities,
            max_wait_minutes=category.max_wait_minutes, priority=category.priority, reversal_allowed=False,
        ))
    return requests


MIN_OFFICERS = 2 * len(AGENCY_PLAN)


def write_generated(settings: GeneratorSettings, out: Path, *, excel: bool = False) -> str:
    if settings.officers < MIN_OFFICERS:
        raise InvalidInput([InputProblem("--officers", f"{settings.officers} officers cannot staff the {MIN_OFFICERS} agencies of a synthetic post", f"ask for --officers {MIN_OFFICERS} or more")])
    scenario = synthetic_scenario(settings)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    write_scenario(scenario, out, excel=excel, header_comment=f"Synthetic Juxta scenario written by `juxta generate` on {stamp}.\nEvery figure is an assumption [A] shaped after docs/../DOMAIN.md; seed {settings.seed}.")
    return f"{len(scenario.officers)} officers, {len(scenario.agencies)} agencies, {len(scenario.demand)} demand rows, {len(scenario.requests)} inspection requests, {len(scenario.leave)} leave periods"
