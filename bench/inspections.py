"""Joint inspections (issue 5): batch plan for a week at Kapitan Andreevo, the uncoordinated
baseline, and offer latency with 10,000 bookings.

`python -m bench inspections` runs all three with the issue's settings; `main(argv)` takes
`--days`, `--time-limit`, `--workers`, `--seed`, `--bookings`, `--offers`, `--only`.

The scenario is synthetic, built from the figures in shared/domain/DOMAIN.md (marked [A]
there where they are assumptions): about 2,000 trucks a day both ways at Kapitan Andreevo /
Kapikule (section 5), 5 % selected for physical inspection, 60 % of those by more than one
agency (section 4.3), a synthetic hourly arrival profile (section 5), CHED pre-notification
of one working day with the 4 h derogation and none for live animals, 48 h for CITES (3.7),
joint-inspection durations from 30 min to 4 h (4.3), Bulgarian and Turkish holidays from the
`holidays` package (3.2), and the two clocks (Sofia, DST; Istanbul, fixed UTC+3).
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import statistics
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import holidays

from solver.config import SolverConfig
from solver.inspections import (
    Agency,
    Availability,
    Bay,
    ExistingBooking,
    InspectionProblem,
    InspectionRequest,
    NoticeRule,
    Office,
    Officer,
    PostSite,
    Selection,
    Side,
    Statistic,
    Window,
    check,
    check_booking,
    find_offers,
    greedy_plan,
    plan_batch,
    uncoordinated_plan,
)
from solver.inspections.defaults import DEFAULT_PRIORITY_CLASSES
from solver.timeutil import local_to_utc

SOFIA, ISTANBUL = "Europe/Sofia", "Europe/Istanbul"
FIRST_DAY = date(2025, 4, 21)  # Easter Monday in Bulgaria, a working day in Turkey
TRUCKS_PER_DAY = 2000
SELECTED_SHARE = 0.05

# Trucks by local hour on the exit side's clock: night trough, morning ramp, day plateau,
# evening shoulder, dips at the 07:00 and 19:00 shift changes (DOMAIN.md section 5).
HOURLY_PROFILE = (
    1.0,
    0.8,
    0.7,
    0.7,
    0.8,
    1.5,
    2.5,
    3.0,
    4.0,
    5.0,
    5.5,
    5.5,
    5.0,
    5.5,
    5.5,
    5.5,
    5.0,
    4.5,
    4.0,
    3.0,
    3.0,
    2.5,
    2.0,
    1.5,
)


@dataclass(frozen=True)
class Category:
    code: str
    share: float
    priority: str
    capabilities: tuple[str, ...]
    durations: tuple[int, ...]
    entry_sps: bool = False
    live: bool = False
    wildlife: bool = False


CATEGORIES = (
    Category("general", 0.55, "regular", (), (30, 45, 60, 60, 90)),
    Category(
        "fruit_vegetables",
        0.18,
        "perishable",
        ("cold_chain",),
        (60, 90, 90, 120, 150),
        entry_sps=True,
    ),
    Category(
        "meat_dairy", 0.08, "perishable", ("cold_chain",), (90, 120, 120, 180), entry_sps=True
    ),
    Category("plants_flowers", 0.06, "perishable", ("cold_chain",), (60, 90, 120), entry_sps=True),
    Category("machinery", 0.10, "regular", ("scanner",), (45, 60, 90)),
    Category(
        "live_animals",
        0.02,
        "live_animals",
        ("livestock",),
        (60, 90, 120),
        entry_sps=True,
        live=True,
    ),
    Category("wildlife", 0.01, "regular", (), (90, 120), wildlife=True),
)

VET = NoticeRule(
    working_days=1, derogation_hours=4, categories_without_derogation=frozenset({"live_animals"})
)
NOTICE_RULES = {"BG-VET": VET, "BG-PHY": VET, "TR-TAR": VET, "BG-CITES": NoticeRule(hours=48)}


def _local(day: date, minute: int, zone: str) -> datetime:
    return local_to_utc(day, minute, zone)


def _days(days: int) -> list[date]:
    # One day either side so duty and hours cover backlog and spill-over.
    return [FIRST_DAY + timedelta(days=n) for n in range(-1, days + 2)]


def _windows(
    days: list[date],
    zone: str,
    hours: dict[str, tuple[tuple[int, int], ...]],
    holidays: frozenset[date] = frozenset(),
) -> tuple[Window, ...]:
    """Local opening hours by day kind ("weekday", "saturday", "sunday") as UTC windows; a
    border post stays open on public holidays, on its Sunday hours."""
    found = []
    for day in days:
        kind = "weekday" if day.weekday() < 5 else ("saturday" if day.weekday() == 5 else "sunday")
        if day in holidays:
            kind = "sunday"
        for start, end in hours.get(kind, ()):
            found.append(Window(start=_local(day, start, zone), end=_local(day, end, zone)))
    return tuple(found)


ALWAYS = {"weekday": ((0, 1440),), "saturday": ((0, 1440),), "sunday": ((0, 1440),)}


def kapitan_andreevo(
    days: int = 7, seed: int = 1
) -> tuple[PostSite, tuple[InspectionRequest, ...], datetime, datetime]:
    """The post, its staff on duty and a week's inspection requests (both directions)."""
    rng = random.Random(seed)
    span = _days(days)
    years = {d.year for d in span}
    bg_holidays = frozenset(d for d in holidays.country_holidays("BG", years=years))
    tr_holidays = frozenset(d for d in holidays.country_holidays("TR", years=years))
    sides = (
        Side(code="BG", name="Bulgaria", zone=SOFIA, holidays=bg_holidays),
        Side(code="TR", name="Türkiye", zone=ISTANBUL, holidays=tr_holidays),
    )
    agencies = (
        Agency(code="BG-CUS", name="Bulgarian Customs Agency", side="BG"),
        Agency(
            code="BG-VET",
            name="BFSA veterinary border control",
            side="BG",
            notice=NOTICE_RULES["BG-VET"],
            out_of_hours_fee_per_hour=45,
        ),
        Agency(
            code="BG-PHY",
            name="BFSA plant health",
            side="BG",
            notice=NOTICE_RULES["BG-PHY"],
            out_of_hours_fee_per_hour=35,
        ),
        Agency(
            code="BG-CITES",
            name="RIEW CITES inspection",
            side="BG",
            notice=NOTICE_RULES["BG-CITES"],
        ),
        Agency(code="TR-CUS", name="Turkish Customs (Kapıkule)", side="TR"),
        Agency(
            code="TR-TAR",
            name="Ministry of Agriculture and Forestry",
            side="TR",
            notice=NOTICE_RULES["TR-TAR"],
            out_of_hours_fee_per_hour=30,
        ),
    )
    zone_of = {"BG": SOFIA, "TR": ISTANBUL}
    office_hours = {
        ("BG-CUS", "BG"): ALWAYS,
        ("BG-CUS", "TR"): ALWAYS,
        ("TR-CUS", "TR"): ALWAYS,
        ("TR-CUS", "BG"): ALWAYS,
        ("BG-VET", "BG"): {
            "weekday": ((7 * 60, 21 * 60),),
            "saturday": ((8 * 60, 16 * 60),),
            "sunday": ((8 * 60, 16 * 60),),
        },
        ("BG-PHY", "BG"): {
            "weekday": ((8 * 60, 18 * 60),),
            "saturday": ((9 * 60, 14 * 60),),
            "sunday": ((9 * 60, 14 * 60),),
        },
        ("BG-CITES", "BG"): {"weekday": ((9 * 60, 12 * 60 + 30), (13 * 60, 17 * 60))},
        ("TR-TAR", "TR"): {
            "weekday": ((8 * 60, 20 * 60),),
            "saturday": ((8 * 60, 16 * 60),),
            "sunday": ((9 * 60, 13 * 60),),
        },
        ("TR-TAR", "BG"): {"weekday": ((8 * 60, 17 * 60),), "saturday": ((9 * 60, 13 * 60),)},
    }
    offices = []
    for (agency, host), hours in office_hours.items():
        own_side = agency[:2]
        # Offices keep their own side's clock and holidays.
        offices.append(
            Office(
                office_id=f"{agency}@{host}",
                name=f"{agency} at the {host} facility",
                agency=agency,
                host_side=host,
                open_windows=_windows(
                    span, zone_of[own_side], hours, bg_holidays if own_side == "BG" else tr_holidays
                ),
            )
        )
    officers = _officers(span, zone_of)
    bays = _bays(span)
    site = PostSite(
        post_id="KA",
        name="Kapitan Andreevo / Kapıkule",
        sides=sides,
        agencies=agencies,
        offices=tuple(offices),
        officers=tuple(officers),
        bays=tuple(bays),
        priority_classes=DEFAULT_PRIORITY_CLASSES,
    )
    start = _local(FIRST_DAY, 0, SOFIA)
    end = _local(FIRST_DAY + timedelta(days=days + 1), 0, SOFIA)
    requests = _requests(days, rng, {side.code: side for side in sides})
    return site, requests, start, end


# (agency, facility): officers per 12-hour crew (day 07-19, night 19-07), crews rotating.
CREWS = {
    ("BG-CUS", "BG"): (8, 4),
    ("BG-CUS", "TR"): (3, 2),
    ("TR-CUS", "TR"): (8, 4),
    ("TR-CUS", "BG"): (3, 2),
}
# Agencies on office hours: officers on 8-hour shifts starting at the given local minute. The
# 20:00 shift of the sanitary agencies is their out-of-hours service (RKC 3.2): on duty while
# the office is closed, serving at a fee those who ask for it.
DAY_STAFF = {
    ("BG-VET", "BG"): ((7 * 60, 4), (13 * 60, 4), (20 * 60, 2)),
    ("BG-PHY", "BG"): ((7 * 60, 5), (12 * 60, 5), (20 * 60, 2)),
    ("BG-CITES", "BG"): ((9 * 60, 1),),
    ("TR-TAR", "TR"): ((8 * 60, 6), (12 * 60, 6), (20 * 60, 2)),
    ("TR-TAR", "BG"): ((8 * 60, 2),),
}


def _officers(span: list[date], zone_of: dict[str, str]) -> list[Officer]:
    officers = []
    for (agency, host), (day_crew, night_crew) in CREWS.items():
        zone = zone_of[agency[:2]]
        # Four crews on a 2-day, 2-night, 4-off rotation cover the clock.
        for crew in range(4):
            for member in range(day_crew):
                duty = []
                for n, day in enumerate(span):
                    phase = (n + 2 * crew) % 8
                    if phase in (0, 1):
                        duty.append(
                            Window(start=_local(day, 7 * 60, zone), end=_local(day, 19 * 60, zone))
                        )
                    elif phase in (2, 3) and member < night_crew:
                        duty.append(
                            Window(start=_local(day, 19 * 60, zone), end=_local(day, 31 * 60, zone))
                        )
                officers.append(
                    Officer(
                        officer_id=f"{agency}@{host}-{crew}{member}",
                        name=f"{agency} inspector {crew}{member}",
                        agency=agency,
                        office_id=f"{agency}@{host}",
                        skills=frozenset({"scanner"}) if member == 0 else frozenset(),
                        cross_border=True,
                        duty=tuple(duty),
                    )
                )
    for (agency, host), shifts in DAY_STAFF.items():
        zone = zone_of[agency[:2]]
        for start, count in shifts:
            for member in range(count):
                # Two days off a week, staggered so every day keeps most of the team.
                first_off = (start // 60 + 2 * member) % 7
                days_off = {first_off, (first_off + 1) % 7}
                duty = tuple(
                    Window(start=_local(day, start, zone), end=_local(day, start + 8 * 60, zone))
                    for n, day in enumerate(span)
                    if n % 7 not in days_off
                )
                skills = (
                    {"veterinarian"} if agency in ("BG-VET", "TR-TAR") and member != 2 else set()
                )
                officers.append(
                    Officer(
                        officer_id=f"{agency}@{host}-{start // 60:02d}{member}",
                        name=f"{agency} inspector {start // 60:02d}{member}",
                        agency=agency,
                        office_id=f"{agency}@{host}",
                        skills=frozenset(skills),
                        cross_border=True,
                        duty=duty,
                    )
                )
    return officers


def _bays(span: list[date]) -> list[Bay]:
    always = (Window(start=_local(span[0], 0, SOFIA), end=_local(span[-1], 1440, SOFIA)),)
    bays = []
    layout = {
        "BG": [
            ("general", (), 6),
            ("scanner", ("scanner",), 2),
            ("cold", ("cold_chain",), 5),
            ("pen", ("livestock",), 2),
            ("lab", ("cold_chain", "lab"), 1),
        ],
        "TR": [
            ("general", (), 6),
            ("scanner", ("scanner",), 2),
            ("cold", ("cold_chain",), 4),
            ("pen", ("livestock",), 2),
        ],
    }
    for host, kinds in layout.items():
        zone = SOFIA if host == "BG" else ISTANBUL
        for kind, capabilities, count in kinds:
            for n in range(count):
                hours = always
                if kind == "pen":
                    hours = _windows(
                        span,
                        zone,
                        {
                            "weekday": ((6 * 60, 22 * 60),),
                            "saturday": ((6 * 60, 22 * 60),),
                            "sunday": ((6 * 60, 22 * 60),),
                        },
                    )
                elif kind == "lab":
                    hours = _windows(
                        span,
                        zone,
                        {"weekday": ((8 * 60, 18 * 60),), "saturday": ((8 * 60, 13 * 60),)},
                    )
                bays.append(
                    Bay(
                        bay_id=f"{host}-{kind}-{n + 1}",
                        name=f"{host} {kind} bay {n + 1}",
                        host_side=host,
                        capabilities=frozenset(capabilities),
                        open_windows=hours,
                    )
                )
    return bays


def _requests(
    days: int, rng: random.Random, sides: dict[str, Side]
) -> tuple[InspectionRequest, ...]:
    requests = []
    weights = [c.share for c in CATEGORIES]
    for day_index in range(days):
        day = FIRST_DAY + timedelta(days=day_index)
        selected = round(TRUCKS_PER_DAY * SELECTED_SHARE * rng.uniform(0.9, 1.1))
        for n in range(selected):
            category = rng.choices(CATEGORIES, weights)[0]
            into_bg = rng.random() < 0.55
            exit_side, entry_side = ("TR", "BG") if into_bg else ("BG", "TR")
            zone = ISTANBUL if into_bg else SOFIA
            hour = rng.choices(range(24), HOURLY_PROFILE)[0]
            arrival = _local(day, hour * 60 + rng.randrange(60), zone)
            requests.append(
                _request(
                    f"KA-{day:%m%d}-{n:03d}", category, exit_side, entry_side, arrival, rng, sides
                )
            )
    return tuple(requests)


def _deadline(notified: datetime, agency: str, sides: dict[str, Side]) -> datetime:
    side = sides[agency[:2]]
    rule = NOTICE_RULES.get(agency, NoticeRule())
    return rule.deadline(notified, side, category="", derogation=False)


def _request(
    reference: str,
    category: Category,
    exit_side: str,
    entry_side: str,
    arrival: datetime,
    rng: random.Random,
    sides: dict[str, Side],
) -> InspectionRequest:
    entry_cus, exit_cus = f"{entry_side}-CUS", f"{exit_side}-CUS"
    selections: dict[str, str | None] = {}
    if category.entry_sps:
        sps = "BG-VET" if category.code in ("meat_dairy", "live_animals") else "BG-PHY"
        selections[sps if entry_side == "BG" else "TR-TAR"] = (
            "veterinarian" if category.live else None
        )
        if rng.random() < 0.7:
            selections[entry_cus] = None
        if category.live and exit_side == "TR":
            selections["TR-TAR"] = "veterinarian"
    elif category.wildlife:
        selections[entry_cus] = None
        if entry_side == "BG":
            selections["BG-CITES"] = None
    else:
        selections[entry_cus] = None
    if rng.random() < 0.5:
        selections[exit_cus] = None
    priority = category.priority
    if priority == "regular" and rng.random() < 0.2:
        priority = "aeo"
    capabilities = set(category.capabilities)
    if category.code == "meat_dairy" and entry_side == "BG" and rng.random() < 0.15:
        capabilities.add("lab")
    if category.code == "general" and rng.random() < 0.25:
        capabilities.add("scanner")
    notice_roll = rng.random()
    derogation = False
    if notice_roll < 0.85:
        # A compliant trader notifies a working day ahead on the receiving side's calendar.
        notified = arrival - timedelta(hours=rng.uniform(26, 72))
        while any(_deadline(notified, agency, sides) > arrival for agency in selections):
            notified -= timedelta(days=1)
    elif notice_roll < 0.95:
        notified = arrival - timedelta(hours=rng.uniform(4, 10))
        derogation = True
    else:
        notified = arrival - timedelta(hours=rng.uniform(2, 20))
    return InspectionRequest(
        reference=reference,
        exit_side=exit_side,
        entry_side=entry_side,
        cargo_category=category.code,
        selections=tuple(Selection(agency=a, skill=s) for a, s in sorted(selections.items())),
        required_capabilities=frozenset(capabilities),
        duration_minutes=rng.choice(category.durations),
        expected_arrival=arrival,
        priority_class=priority,
        notified_at=notified,
        reversal_allowed=rng.random() < 0.1,
        accepts_out_of_hours=rng.random()
        < {"live_animals": 0.8, "perishable": 0.5}.get(priority, 0.1),
        notice_derogation=derogation,
    )


# --- benchmarks --------------------------------------------------------------------------------


def _minutes(values: Sequence[float]) -> str:
    if not values:
        return "-"
    p90 = (
        statistics.quantiles(values, n=10, method="inclusive")[8] if len(values) > 1 else values[0]
    )
    mean, median = statistics.fmean(values), statistics.median(values)
    return f"mean {mean:7.1f}  median {median:7.1f}  P90 {p90:7.1f}"


def _stage(statistic: Statistic) -> str:
    return (
        f"arrival->start  {statistic.mean!s:>7}  median {statistic.median!s:>7}  "
        f"P90 {statistic.p90!s:>7}"
    )


def bench_batch(days: int, time_limit: float, workers: int, seed: int) -> None:
    site, requests, start, end = kapitan_andreevo(days, seed)
    problem = InspectionProblem(site=site, requests=requests, horizon_start=start, horizon_end=end)
    multi = sum(len(r.selections) > 1 for r in requests)
    both_sides = sum(len({site.agency(s.agency).side for s in r.selections}) == 2 for r in requests)
    print(
        f"requests {len(requests)} ({days} days), by more than one agency "
        f"{multi / len(requests):.0%}, both sides {both_sides / len(requests):.0%}"
    )
    print(f"officers {len(site.officers)}, bays {len(site.bays)}, offices {len(site.offices)}")

    started = time.monotonic()
    greedy = greedy_plan(problem)
    print(f"greedy plan: {len(greedy.inspections)} inspected in {time.monotonic() - started:.1f} s")
    started = time.monotonic()
    uncoordinated = uncoordinated_plan(problem)
    print(
        f"uncoordinated baseline: {len(uncoordinated.inspections)} inspected "
        f"in {time.monotonic() - started:.1f} s"
    )

    config = SolverConfig(time_limit_seconds=time_limit, workers=workers, seed=seed)
    started = time.monotonic()
    solution = plan_batch(problem, config)
    wall = time.monotonic() - started
    stats = solution.stats
    report = check(problem, solution)
    total_value = sum(site.priority(r.priority_class).value for r in requests)
    penalties = total_value - (stats.objective or 0)
    penalty_gap = (
        ((stats.best_bound or 0) - (stats.objective or 0)) / penalties if penalties else 0.0
    )
    first = stats.progress[0].seconds if stats.progress else None
    print(
        f"batch: status {stats.status}, objective {stats.objective:.0f}, "
        f"bound {stats.best_bound:.0f}, gap {stats.gap:.4%} "
        f"(of the penalties alone: {penalty_gap:.1%}), first solution {first} s, "
        f"solver {stats.wall_seconds:.1f} s, total {wall:.1f} s"
    )
    print(
        f"checker: {len(report.problems)} problems, objective "
        + ("equal" if report.objective == solution.objective else "DIFFERENT")
    )
    kpis = solution.kpis
    print(
        f"inspected {kpis.inspected}, not inspected {kpis.not_inspected}, joint {kpis.joint}, "
        f"sequential {kpis.sequential}, out of hours {kpis.out_of_hours} (fees {dict(kpis.fees)})"
    )
    for label, stage in (("overall", kpis.overall), *kpis.by_priority.items()):
        print(
            f"  {label:13} {_stage(stage.arrival_to_start)}"
            f" | arrival->release mean {stage.arrival_to_release.mean}"
        )
    blocked = Counter(
        f"{reason.rule}: {reason.subject}"
        for left in solution.uninspected
        for reason in left.reasons[:1]
    )
    if blocked:
        print(f"  not inspected, first reason: {dict(blocked.most_common(6))}")
    for label, stage in kpis.by_agency.items():
        print(f"  {label:13} {_stage(stage.arrival_to_start)}")

    arrival = {r.reference: r.expected_arrival for r in requests}
    joint_release = {
        i.reference: (i.release - arrival[i.reference]) / timedelta(minutes=1)
        for i in solution.inspections
    }
    separate_release = {
        i.reference: (i.release - arrival[i.reference]) / timedelta(minutes=1)
        for i in uncoordinated.inspections
    }
    common = sorted(joint_release.keys() & separate_release.keys())
    joint_mean = statistics.fmean(joint_release[r] for r in common)
    separate_mean = statistics.fmean(separate_release[r] for r in common)
    print(f"arrival->release on the {len(common)} consignments both plans inspect:")
    print(f"  joint plan      {_minutes([joint_release[r] for r in common])}")
    print(f"  uncoordinated   {_minutes([separate_release[r] for r in common])}")
    print(f"  mean arrival->release drops by a factor of {separate_mean / joint_mean:.2f}")
    multi_refs = [r for r in common if len(problem.request(r).selections) > 1]
    if multi_refs:
        factor = statistics.fmean(separate_release[r] for r in multi_refs) / statistics.fmean(
            joint_release[r] for r in multi_refs
        )
        print(
            f"  ... for the {len(multi_refs)} selected by more than one agency: factor {factor:.2f}"
        )


def _shifted(request: InspectionRequest, prefix: str, shift: timedelta) -> InspectionRequest:
    return dataclasses.replace(
        request,
        reference=prefix + request.reference,
        expected_arrival=request.expected_arrival + shift,
        notified_at=request.notified_at + shift,
    )


def _history(site: PostSite, weeks: int, wanted: int, seed: int) -> tuple[ExistingBooking, ...]:
    """Bookings as a busy post accumulates them: weeks of greedy plans, one after another,
    until there are ``wanted`` of them."""
    bookings: list[ExistingBooking] = []
    for week in range(weeks):
        if len(bookings) >= wanted:
            break
        _, requests, start, end = kapitan_andreevo(7, seed + week)
        shift = timedelta(days=7 * week)
        moved = tuple(_shifted(r, f"W{week}-", shift) for r in requests)
        problem = InspectionProblem(
            site=site,
            requests=moved,
            bookings=tuple(bookings),
            horizon_start=start + shift,
            horizon_end=end + shift,
        )
        for inspection in greedy_plan(problem).inspections:
            bookings.extend(inspection.as_booking())
    return tuple(bookings[:wanted])


def bench_offers(bookings_wanted: int, offers: int, seed: int) -> None:
    # About 600 bookings a week (parts of inspections); a few weeks spare.
    weeks = -(-bookings_wanted // 600) + 2
    site, _, _, _ = kapitan_andreevo(7 * weeks + 7, seed)
    started = time.monotonic()
    bookings = _history(site, weeks, bookings_wanted, seed)
    last_week = max(b.end for b in bookings)
    print(
        f"offers: {len(bookings)} bookings up to {last_week:%Y-%m-%d}, "
        f"generated in {time.monotonic() - started:.0f} s"
    )
    rng = random.Random(seed)
    middle_week = (last_week - _local(FIRST_DAY, 0, SOFIA)).days // 14
    _, candidates, _, _ = kapitan_andreevo(7, seed + 1000)
    shift = timedelta(days=7 * middle_week)
    probes = []
    for r in rng.sample(candidates, min(offers, len(candidates))):
        probes.append(_shifted(r, "NEW-", shift))
    everything = Availability(site=site, bookings=bookings)
    timings: dict[str, list[float]] = {"all bookings": [], "window only": [], "check_booking": []}
    outcomes = {"offers": 0, "fallback": 0, "blocked": 0}
    blocked_by: Counter[str] = Counter()
    for probe in probes:
        now = probe.expected_arrival - timedelta(hours=2)
        started = time.perf_counter()
        result = find_offers(probe, everything, now)
        timings["all bookings"].append((time.perf_counter() - started) * 1000)
        # What the service's query returns: bookings overlapping the search window.
        low = now - timedelta(hours=12)
        high = probe.expected_arrival + timedelta(days=site.rules.lookahead_days + 1)
        window = Availability(
            site=site, bookings=tuple(b for b in bookings if b.end > low and b.start < high)
        )
        started = time.perf_counter()
        find_offers(probe, window, now)
        timings["window only"].append((time.perf_counter() - started) * 1000)
        chosen = (
            result.offers[0] if result.offers else (result.fallback[0] if result.fallback else None)
        )
        outcomes["offers" if result.offers else ("fallback" if result.fallback else "blocked")] += 1
        blocked_by.update(blocker.rule for blocker in result.blockers[:1])
        if chosen is not None:
            started = time.perf_counter()
            problems = check_booking(probe, chosen, everything, now=now)
            timings["check_booking"].append((time.perf_counter() - started) * 1000)
            assert problems == (), problems
    print(
        f"  {len(probes)} requests: {outcomes}; "
        f"no joint slot because of: {dict(blocked_by.most_common())}"
    )
    for label, values in timings.items():
        values.sort()
        p95 = values[int(0.95 * (len(values) - 1))]
        print(
            f"  {label:15} p50 {statistics.median(values):6.1f} ms  "
            f"p95 {p95:6.1f} ms  max {values[-1]:6.1f} ms"
        )


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench inspections")
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--bookings", type=int, default=10_000)
    parser.add_argument("--offers", type=int, default=200)
    parser.add_argument("--only", choices=["batch", "offers"])
    args = parser.parse_args(argv)
    print(f"joint inspections, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    if args.only in (None, "batch"):
        bench_batch(args.days, args.time_limit, args.workers, args.seed)
    if args.only in (None, "offers"):
        bench_offers(args.bookings, args.offers, args.seed)


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
