"""Benchmark: coordinated opening hours, both sides, all agencies, 4 weeks, on three posts.

* ``kapitan-andreevo`` and ``rusumo``: the shipped samples, as ``juxta plan`` builds their
  hours problem (from a scratch SQLite database, for the 4 weeks from Monday 30 November 2026).
* ``synthetic``: a Kapitan Andreevo / Kapikule instance shaped after DOMAIN.md: ten offices a
  side (customs and border police 24/7, plant health, veterinary, food safety, CITES,
  standards, transport inspection, port health, and a day-only customs laboratory or a
  radiation monitor), about 2,000 trucks a day in both directions with the section-5 hourly
  profile, ten cargo categories, both holiday calendars from the ``holidays`` package, Ramadan
  hours on the Turkish side, the Bulgarian clock change of 29 March 2026, published hours for
  the first week under a 5-day notice period, and one closure the Turkish side announced.

What it measures, on each: the solve against the issue's target (optimal or a proven gap under
1 % in 30 s on 2 workers), and the factor by which the planned hours cut expected waiting
against the uncoordinated baseline (each office's own regular hours): once as planned, and
once with a staff-hour budget of the baseline's officer-hours ("at equal or lower staff
hours"), which the plan must keep.

    python -m bench hours                         # all three
    python -m bench.hours rusumo --time-limit 60

Run under ``flock /tmp/juxta-bench.lock`` so that benchmarks do not share the cores.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import platform
import random
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import holidays as holiday_calendars

from solver.config import SolverConfig
from solver.hours.baseline import regular_hours_plan
from solver.hours.capacity import staffing_capacity
from solver.hours.checker import CheckReport, check, evaluate
from solver.hours.problem import (
    AgencyCheck,
    ArrivalCount,
    BlockRules,
    CargoFlow,
    CorrelationRule,
    Holiday,
    HoursOverride,
    HoursProblem,
    HoursSolution,
    NeighbourClosure,
    NoticePolicy,
    Office,
    PublishedHours,
    Side,
    TimeWindow,
    WeeklyHours,
    expand_local,
    windows,
)
from solver.hours.solve import solve
from solver.rules import Enforcement
from solver.timeutil import local_to_utc

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from models import BorderPost

FIRST_DAY = date(2026, 3, 16)
ZONES = {"BG": "Europe/Sofia", "TR": "Europe/Istanbul"}
RAMADAN_2026 = (date(2026, 2, 18), date(2026, 3, 19))

# Section 5 of DOMAIN.md: night trough 00-05, ramp 05-09 with the 08:00 shift-change dip,
# plateau 09-17, evening shoulder to 22 with the 20:00 dip; exit side's local hours.
HOURLY_PROFILE = (
    0.35, 0.28, 0.25, 0.25, 0.30, 0.50, 0.80, 1.10, 0.95, 1.35, 1.45, 1.50,
    1.45, 1.40, 1.45, 1.50, 1.45, 1.30, 1.15, 1.00, 0.80, 0.90, 0.70, 0.50,
)
# Fewer trucks at the weekend (Sunday lorry bans in the EU hinterland).
WEEKDAY_FACTOR = (1.05, 1.10, 1.10, 1.10, 1.05, 0.75, 0.50)
TRUCKS_PER_DAY = {("TR", "BG"): 1_100, ("BG", "TR"): 900}


@dataclass(frozen=True, slots=True)
class _Agency:
    key: str
    kind: str
    name: str
    crew: int
    pool: int
    document_minutes: float
    selection_rate: float
    inspection_minutes: float


AGENCIES = (
    _Agency("customs", "customs", "Customs", 36, 190, 4, 0.05, 60),
    _Agency("police", "immigration", "Border police", 11, 60, 2, 0.0, 0),
    _Agency("plant", "plant_health", "Plant health", 5, 24, 5, 0.25, 40),
    _Agency("vet", "animal_health", "Veterinary border inspection", 2, 10, 10, 1.0, 30),
    _Agency("food", "food_safety", "Food safety", 4, 18, 6, 0.2, 45),
    _Agency("cites", "cites", "CITES wildlife", 1, 5, 15, 0.5, 60),
    _Agency("standards", "standards", "Standards and market surveillance", 4, 18, 5, 0.15, 40),
    _Agency("transport", "other", "Transport inspection (ADR)", 2, 10, 5, 0.2, 30),
    _Agency("health", "health", "Border health", 1, 5, 5, 0.1, 30),
)

# Category: (share of a direction's trucks by direction, agencies checking on the entry side,
# agencies checking on both sides, waiting cost per truck-hour, maximum wait in minutes).
CATEGORIES = {
    "general": ({"TR": 0.56, "BG": 0.63}, (), 40, None),
    "produce": ({"TR": 0.16, "BG": 0.04}, ("plant",), 60, None),
    "perishables": ({"TR": 0.07, "BG": 0.06}, ("food",), 80, 360),
    "standards goods": ({"TR": 0.08, "BG": 0.05}, ("standards",), 40, None),
    "dangerous goods": ({"TR": 0.05, "BG": 0.06}, ("transport",), 45, None),
    "pharmaceuticals": ({"TR": 0.02, "BG": 0.03}, ("health",), 60, None),
    "livestock": ({"TR": 0.005, "BG": 0.02}, ("vet",), 150, 240),
    "wildlife": ({"TR": 0.003, "BG": 0.002}, ("cites",), 60, None),
    "chemicals": ({"TR": 0.03, "BG": 0.0}, ("lab",), 40, None),
    "scrap metal": ({"TR": 0.0, "BG": 0.08}, ("radiation",), 35, None),
}
BOTH_SIDES = {"livestock": ("vet",), "wildlife": ("cites",)}


def kapitan_andreevo(
    *,
    first_day: date = FIRST_DAY,
    weeks: int = 4,
    seed: int = 7,
    step_minutes: int = 15,
    staff_hours_budget: int | None = None,
) -> HoursProblem:
    """The synthetic Kapitan Andreevo / Kapikule instance (deterministic for a seed)."""
    days = 7 * weeks
    years = range(first_day.year - 1, first_day.year + 2)
    sides = tuple(
        Side(
            code=code,
            name={"BG": "Bulgaria (Kapitan Andreevo)", "TR": "Turkey (Kapikule)"}[code],
            holidays=tuple(
                Holiday(day=day, name=name)
                for day, name in sorted(holiday_calendars.country_holidays(code, years=years).items())
                if first_day - timedelta(days=2) <= day <= first_day + timedelta(days=days + 2)
            ),
            weekend_days=frozenset({5, 6}),
        )
        for code in ("BG", "TR")
    )
    offices = _offices(first_day, days, step_minutes)
    flows = _flows(first_day, days, seed)
    now = local_to_utc(first_day - timedelta(days=2), 9 * 60, ZONES["BG"])
    maintenance_start = local_to_utc(first_day + timedelta(days=9), 22 * 60, ZONES["TR"])
    closure = NeighbourClosure(
        side="TR",
        start=maintenance_start,
        end=maintenance_start + timedelta(hours=4),
        label="TR transport inspection system maintenance (announced in Kapikule's calendar)",
        office_ids=("TR-transport",),
    )
    problem = HoursProblem(
        post="Kapitan Andreevo / Kapikule",
        first_day=first_day,
        days=days,
        sides=sides,
        offices=offices,
        flows=flows,
        notice=NoticePolicy(now=now, notice_hours=120, enforcement=Enforcement.soft(200)),
        neighbour_closures=(closure,),
        staff_hours_budget=staff_hours_budget,
    )
    return dataclasses.replace(problem, published=_published(problem))


def _regular(side: str, key: str) -> WeeklyHours:
    weekdays = {
        "plant": {"BG": "08:00-20:00", "TR": "08:00-18:00"},
        "vet": {"BG": "07:00-19:00", "TR": "08:00-18:00"},
        "food": {"BG": "08:00-17:00", "TR": "08:30-17:30"},
        "cites": {"BG": "09:00-17:00", "TR": "09:00-17:00"},
        "standards": {"BG": "09:00-17:00", "TR": "08:30-17:30"},
        "transport": {"BG": "06:00-22:00", "TR": "07:00-23:00"},
        "health": {"BG": "08:00-20:00", "TR": "08:00-20:00"},
        "lab": {"BG": "08:00-16:00"},
        "radiation": {"TR": "08:00-20:00"},
    }[key][side]
    saturday = {"plant": "08:00-14:00", "vet": weekdays, "transport": weekdays,
                "health": weekdays, "radiation": weekdays}.get(key)
    sunday = {"vet": weekdays, "transport": weekdays, "health": weekdays}.get(key)
    return WeeklyHours(
        days=(windows(weekdays),) * 5
        + ((windows(saturday) if saturday else ()), (windows(sunday) if sunday else ())),
        holidays=windows(weekdays) if key in ("vet", "transport") else (),
    )


def _offices(first_day: date, days: int, step: int) -> tuple[Office, ...]:
    offices = []
    specialised = [(a.key, a) for a in AGENCIES if a.key not in ("customs", "police")]
    for side in ("BG", "TR"):
        other = "TR" if side == "BG" else "BG"
        zone = ZONES[side]
        cost = 22 if side == "BG" else 20
        for agency in AGENCIES[:2]:
            offices.append(Office(
                id=f"{side}-{agency.key}", name=f"{agency.name} {side}", agency_id=f"{side}-{agency.key}",
                agency_kind=agency.kind, agency_name=f"{agency.name} {side}", side=side, zone=zone,
                regular_hours=WeeklyHours.around_the_clock(), always_open=True,
                counterpart_id=f"{other}-{agency.key}", joint_controls=True, crew=agency.crew,
                officer_hour_cost=cost, out_of_hours_premium=cost // 2,
            ))
        extra = ("lab",) if side == "BG" else ("radiation",)
        for key, agency in specialised + [(key, None) for key in extra]:
            crew = agency.crew if agency else 2
            pool = agency.pool if agency else 8
            offices.append(_specialised(side, other, key, agency, crew, pool, cost, step, first_day, days))
    return tuple(offices)


def _specialised(side, other, key, agency, crew, pool, cost, step, first_day, days) -> Office:
    zone = ZONES[side]
    name = agency.name if agency else {"lab": "Customs laboratory", "radiation": "Radiation monitoring"}[key]
    paired = key not in ("lab", "radiation")
    correlation = None
    joint = key in ("vet", "cites")
    if key in ("plant", "food", "standards", "transport", "health"):
        correlation = CorrelationRule(
            min_share_percent=50, share=Enforcement.soft(20),
            min_overlap_minutes=240, overlap=Enforcement.soft(20),
        )
    overrides = ()
    if side == "TR" and key in ("plant", "food", "standards"):
        ramadan = windows("08:00-16:00")
        overrides = (HoursOverride(
            label="Ramadan hours", first_day=RAMADAN_2026[0], last_day=RAMADAN_2026[1],
            hours=WeeklyHours(days=(ramadan,) * 5 + ((), ()), holidays=()),
            exclusive=Enforcement.soft(60) if key != "food" else Enforcement(),
        ),)
    mandatory = ()
    if key == "vet" and side == "BG":
        mandatory = expand_local(first_day, days, zone, WeeklyHours.working_week(windows("08:00-16:00")),
                                 label="BIP designated hours")
    never_open = ()
    if key == "lab":
        never_open = expand_local(first_day - timedelta(days=1), days + 2, zone,
                                  WeeklyHours.every_day(*windows("18:00-07:00")),
                                  label="laboratory closed at night")
    capacity = staffing_capacity(
        officers=pool, crew=crew, contract_minutes_per_week=40 * 60, max_shift_minutes=12 * 60,
        handover_minutes=15, availability=0.85,
    )
    return Office(
        id=f"{side}-{key}", name=f"{name} {side}", agency_id=f"{side}-{key}", agency_kind=(
            agency.kind if agency else ("customs" if key == "lab" else "other")),
        agency_name=f"{name} {side}", side=side, zone=zone, regular_hours=_regular(side, key),
        counterpart_id=f"{other}-{key}" if paired else None, joint_controls=joint,
        correlation=correlation, overrides=overrides, mandatory=mandatory, never_open=never_open,
        closed_on_holidays=Enforcement() if key in ("cites", "standards") else None,
        blocks=BlockRules(max_blocks_per_day=2, min_block_minutes=120, min_fragment_minutes=60,
                          block_cost=20),
        step_minutes=step, staffing=capacity, crew=crew, officer_hour_cost=cost,
        out_of_hours_premium=cost // 2,
    )


def _flows(first_day: date, days: int, seed: int) -> tuple[CargoFlow, ...]:
    rng = random.Random(seed)
    day_noise = [rng.uniform(0.92, 1.08) for _ in range(days + 2)]
    by_agency = {a.key: a for a in AGENCIES}
    flows = []
    for (exit_side, entry_side), per_day in TRUCKS_PER_DAY.items():
        zone = ZONES[exit_side]
        for category, (shares, entry_checks, cost, max_wait) in CATEGORIES.items():
            share = shares[exit_side]
            if not share:
                continue
            arrivals = []
            for offset in range(-1, days + 1):
                day = first_day + timedelta(days=offset)
                volume = per_day * share * WEEKDAY_FACTOR[day.weekday()] * day_noise[offset + 1]
                for hour, weight in enumerate(HOURLY_PROFILE):
                    start = local_to_utc(day, hour * 60, zone)
                    end = local_to_utc(day, hour * 60 + 60, zone)
                    if end > start:
                        arrivals.append(ArrivalCount(start=start, end=end,
                                                     trucks=round(volume * weight / 24, 2)))
            specialised = [
                by_agency[key].crew * 60 / _minutes(by_agency[key]) if key in by_agency
                else (2 * 60 / 14 if key == "lab" else 30.0)
                for key in entry_checks
            ]
            checks = [
                AgencyCheck(
                    office_id=f"{side}-{key}", document_minutes=by_agency[key].document_minutes,
                    selection_rate=by_agency[key].selection_rate,
                    inspection_minutes=by_agency[key].inspection_minutes,
                    # A category's customs and police lane keeps up with its specialised
                    # agency (with 20 % to spare); general cargo shares the rest of the crew.
                    officers=round(1.2 * min(specialised) * _minutes(by_agency[key]) / 60 + 0.05, 1)
                    if specialised else None,
                )
                for side in (exit_side, entry_side) for key in ("customs", "police")
            ]
            for key in entry_checks:
                agency = by_agency.get(key)
                if agency is None:  # the laboratory samples, the radiation portal scans
                    checks.append(AgencyCheck(
                        office_id=f"{entry_side}-{key}",
                        **({"document_minutes": 5, "selection_rate": 0.3, "inspection_minutes": 30}
                           if key == "lab" else {"throughput_per_hour": 30}),
                    ))
                    continue
                checks.append(AgencyCheck(
                    office_id=f"{entry_side}-{key}", document_minutes=agency.document_minutes,
                    selection_rate=agency.selection_rate, inspection_minutes=agency.inspection_minutes,
                ))
            for key in BOTH_SIDES.get(category, ()):
                agency = by_agency[key]
                checks.append(AgencyCheck(
                    office_id=f"{exit_side}-{key}", document_minutes=agency.document_minutes / 2,
                ))
            flows.append(CargoFlow(
                id=f"{exit_side}-{entry_side}-{category.replace(' ', '-')}", category=category,
                exit_side=exit_side, entry_side=entry_side, checks=tuple(checks),
                arrivals=tuple(arrivals), waiting_cost_per_truck_hour=cost,
                max_wait_minutes=max_wait, max_wait=Enforcement.soft(cost * 3),
                lead_office_id=f"{entry_side}-customs",
            ))
    return tuple(flows)


def _minutes(agency: _Agency) -> float:
    return agency.document_minutes + agency.selection_rate * agency.inspection_minutes


def _published(problem: HoursProblem) -> tuple[PublishedHours, ...]:
    """The first week as published earlier: every office's regular hours."""
    plan = regular_hours_plan(problem)
    published = []
    for office in problem.offices:
        start = local_to_utc(problem.first_day, 0, office.zone)
        end = local_to_utc(problem.first_day + timedelta(days=7), 0, office.zone)
        opened = tuple(
            TimeWindow(start=max(w.start, start), end=min(w.end, end), label="published")
            for w in plan
            if w.office_id == office.id and w.start < end and w.end > start
        )
        published.append(PublishedHours(office_id=office.id, start=start, end=end, windows=opened))
    return tuple(published)


def _fixed_cost(problem: HoursProblem, report: CheckReport) -> float:
    """Cost no plan can change: staff of 24/7 offices, waiting of flows only they check."""
    fixed_offices = {o.id for o in problem.offices if o.always_open and not o.never_open}
    cost = sum(
        o.crew * o.officer_hour_cost * problem.plan_slots / 4
        for o in problem.offices if o.id in fixed_offices
    )
    for flow in problem.flows:
        if all(check.office_id in fixed_offices for check in flow.checks):
            waited = sum(w * a for w, a in report.replays[flow.id].waits)
            cost += waited * flow.waiting_cost_per_truck_hour / 400
    return cost


def within_baseline_staff_hours(problem: HoursProblem, baseline: CheckReport) -> HoursProblem:
    """The post may use no more officer-hours over the plan than the uncoordinated baseline:
    the issue's "equal or lower staff hours". The engine decides where they go."""
    assert baseline.kpis is not None
    return dataclasses.replace(problem, staff_hours_budget=math.floor(baseline.kpis.staff_hours))


def _against_baseline(solution: HoursSolution, baseline: CheckReport) -> dict[str, object]:
    assert solution.kpis is not None and baseline.kpis is not None
    return {
        "baseline_waiting_truck_hours": round(baseline.kpis.waiting_truck_hours, 1),
        "planned_waiting_truck_hours": round(solution.kpis.waiting_truck_hours, 1),
        "waiting_factor": baseline.kpis.waiting_truck_hours / max(solution.kpis.waiting_truck_hours, 1e-9),
        "baseline_staff_hours": baseline.kpis.staff_hours,
        "planned_staff_hours": solution.kpis.staff_hours,
        "baseline_mean_wait_minutes": round(baseline.kpis.mean_wait_minutes, 1),
        "planned_mean_wait_minutes": round(solution.kpis.mean_wait_minutes, 1),
        "baseline_p90_wait_minutes": baseline.kpis.p90_wait_minutes,
        "planned_p90_wait_minutes": solution.kpis.p90_wait_minutes,
        "baseline_served_without_waiting": round(baseline.kpis.served_without_waiting_share, 3),
        "planned_served_without_waiting": round(solution.kpis.served_without_waiting_share, 3),
    }


def _solved(problem: HoursProblem, config: SolverConfig) -> tuple[HoursSolution, CheckReport, float]:
    started = time.monotonic()
    solution = solve(problem, config)
    end_to_end = time.monotonic() - started
    if solution.kpis is None or solution.objective is None:
        raise SystemExit(f"no plan: {solution.status} after {end_to_end:.1f} s")
    report = check(problem, solution)
    return solution, report, end_to_end


SAMPLES = Path(__file__).resolve().parent.parent / "data"
# A fixed Monday, so that runs on different days plan the same weeks of the samples.
SAMPLE_FIRST_DAY = date(2026, 11, 30)


@contextmanager
def sample_post(name: str, *, weeks: int) -> Iterator[tuple[Session, BorderPost, HoursProblem]]:
    """A shipped sample post loaded into a scratch SQLite database, with the session, the post
    and the hours problem the pipeline builds for ``weeks`` weeks from ``SAMPLE_FIRST_DAY``."""
    import tempfile

    from sqlalchemy import select

    from app import create_app
    from app.db import make_engine, session_scope
    from app.services.planning.hours_input import build_hours_problem, neighbour_closures
    from app.services.scenario.load import load_scenario
    from app.services.scenario.validate import read_scenario
    from models import BorderPost, migrate

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite'}"
        engine = make_engine(url)
        migrate.upgrade(engine)
        engine.dispose()
        app = create_app({"database.url": url, "security.secret_key": "bench", "TESTING": True})
        with app.app_context(), session_scope() as session:
            load_scenario(session, read_scenario(SAMPLES / name))
            post = session.scalar(select(BorderPost))
            assert post is not None
            days = 7 * weeks
            now = local_to_utc(SAMPLE_FIRST_DAY - timedelta(days=3), 9 * 60, post.sides[0].timezone)
            yield session, post, build_hours_problem(
                session, post, SAMPLE_FIRST_DAY, days, now=now,
                neighbour_closures=neighbour_closures(session, post, SAMPLE_FIRST_DAY, days),
            )


def sample_problem(name: str, *, weeks: int) -> HoursProblem:
    """The hours problem the pipeline builds for a shipped sample post (``sample_post``)."""
    with sample_post(name, weeks=weeks) as (_, _, problem):
        return problem


def run(*, instance: str, weeks: int, time_limit: float, workers: int, seed: int, step: int) -> dict[str, object]:
    problem = (
        kapitan_andreevo(weeks=weeks, step_minutes=step) if instance == "synthetic"
        else sample_problem(instance, weeks=weeks)
    )
    baseline = evaluate(problem, regular_hours_plan(problem))
    config = SolverConfig(time_limit_seconds=time_limit, workers=workers, seed=seed)
    load = os.getloadavg()
    # Two solves: the solve target on the post as it is, and the comparison with the
    # baseline at equal or lower staff hours, which a staff-hour budget makes a hard rule.
    solution, report, end_to_end = _solved(problem, config)
    budgeted_problem = within_baseline_staff_hours(problem, baseline)
    budgeted, budgeted_report, budgeted_seconds = _solved(budgeted_problem, config)
    assert solution.kpis is not None and solution.objective is not None
    fixed = _fixed_cost(problem, report)
    bound = solution.best_bound or 0.0
    return {
        "instance": instance,
        "date": datetime.now(UTC).date().isoformat(),
        "machine": f"{os.cpu_count()} cores, python-svc, {platform.python_version()}",
        "load_before": [round(x, 2) for x in load],
        "weeks": weeks,
        "offices": len(problem.offices),
        "flows": len(problem.flows),
        "trucks": round(solution.kpis.trucks),
        "step_minutes": step,
        "time_limit_seconds": time_limit,
        "workers": workers,
        "seed": seed,
        "status": solution.status,
        "wall_seconds": solution.stats.wall_seconds,
        "end_to_end_seconds": round(end_to_end, 2),
        "parts": [
            {"status": part.status, "objective": part.objective, "bound": part.best_bound,
             "wall": part.wall_seconds}
            for part in solution.parts
        ],
        "objective": round(solution.objective, 2),
        "best_bound": round(bound, 2),
        "gap": solution.gap,
        "controllable_gap": (solution.objective - bound) / max(solution.objective - fixed, 1e-9),
        "checker_objective": round(report.objective, 2),
        "checker_errors": list(report.errors),
        **_against_baseline(solution, baseline),
        "within_baseline_staff_hours": {
            "staff_hours_budget": budgeted_problem.staff_hours_budget,
            "status": budgeted.status,
            "end_to_end_seconds": round(budgeted_seconds, 2),
            "checker_errors": list(budgeted_report.errors),
            **_against_baseline(budgeted, baseline),
        },
    }


INSTANCES = ("synthetic", "kapitan-andreevo", "rusumo")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench hours", description=__doc__.split("\n")[0])
    parser.add_argument("instances", nargs="*", metavar="INSTANCE",
                        help=f"one of {', '.join(INSTANCES)} (default: all three)")
    parser.add_argument("--weeks", type=int, default=4)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--step", type=int, default=15, choices=(15, 30, 60),
                        help="opening-time granularity of the synthetic post's non-24/7 offices, minutes")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.instances) - set(INSTANCES))
    if unknown:
        parser.error(f"unknown instance {', '.join(unknown)}: choose from {', '.join(INSTANCES)}")
    results = []
    for instance in args.instances or INSTANCES:
        figures = run(instance=instance, weeks=args.weeks, time_limit=args.time_limit,
                      workers=args.workers, seed=args.seed, step=args.step)
        for key, value in figures.items():
            print(f"{key:32} {value}")
        print()
        results.append(figures)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
