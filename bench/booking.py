"""Booking benchmarks (issue 5, service side): offers against 10,000 bookings, 50 racing
confirmations, and the batch plan of the Kapitan Andreevo sample week.

`python -m bench booking` (under `flock /tmp/juxta-bench.lock`) runs all three; `main(argv)`
takes `--only offers|race|batch`, `--databases sqlite,postgresql`, `--bookings`, `--offers`,
`--time-limit`, `--workers`, `--seed`, `--racers`. Every figure goes through the service layer
and a real database, each run in a fresh one (a new PostgreSQL database is created on the
server of `JUXTA_TEST_POSTGRES_URL`, as the tests do, and dropped afterwards).

**Stand-in staffing plan.** The planning pipeline (hours, then roster) has not landed yet, so
the benchmark publishes a plan built here from the sample itself, labelled as such: every
office open its regular weekly hours on its own clock (24/7 offices all day, closed on its
side's holidays when the office says so) and a simple rotation of the sample's officers:
24/7 services on 12-hour day and night crews, two days, two nights, four off; office
agencies on their side's office shifts, five days on and two off, staggered.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app import create_app
from app.db import session_scope
from models import (
    Booking,
    BookingPart,
    BookingStatus,
    BorderPost,
    Officer,
    Plan,
    PlanKind,
    PlannedShift,
    PlannedWindow,
    PlanStatus,
    Resource,
    ShiftTemplate,
    migrate,
    utcnow,
)
from solver.timeutil import local_to_utc

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "kapitan-andreevo"
POSTGRES_ADMIN_URL = os.environ.get(
    "JUXTA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
MACHINE = "2 cores, 24 GB, python-svc"


# --- databases ----------------------------------------------------------------------------------


@contextmanager
def fresh_database(kind: str) -> Iterator[str]:
    """A new, migrated database of ``kind`` ("sqlite" or "postgresql"), removed afterwards."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / 'bench.sqlite'}"
            _migrate(url)
            yield url
        return
    name = f"juxta_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    try:
        _migrate(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _migrate(url: str) -> None:
    from app.db import make_engine

    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()


def bench_app(url: str) -> Flask:
    return create_app(
        {
            "database.url": url,
            "security.secret_key": "bench",
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
        }
    )


# --- racing confirmations ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RaceOutcome:
    reference: str
    status: int
    body: dict[str, Any]


def race_confirmations(
    app: Flask,
    headers: dict[str, str],
    post_code: str,
    attempts: Sequence[tuple[str, dict[str, Any]]],
) -> list[RaceOutcome]:
    """Each (reference, offer) confirmed through ``POST /api/v1/inspections/bookings`` by its
    own thread and test client, all released at once."""
    barrier = threading.Barrier(len(attempts))
    outcomes: list[RaceOutcome] = []
    lock = threading.Lock()

    def confirm(reference: str, offer: dict[str, Any]) -> None:
        client = app.test_client()
        barrier.wait()
        response = client.post(
            "/api/v1/inspections/bookings",
            headers=headers,
            json={"post": post_code, "reference": reference, "offer": offer},
        )
        with lock:
            outcomes.append(RaceOutcome(reference, response.status_code, response.get_json() or {}))

    threads = [threading.Thread(target=confirm, args=attempt) for attempt in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def overbooked(session: Session, post: BorderPost) -> list[str]:
    """Every officer booked twice at once and every bay beyond its capacity, among the post's
    confirmed bookings: a sweep over the parts, independent of the claims."""
    capacity = dict(
        session.execute(
            select(Resource.id, Resource.capacity).where(Resource.post_id == post.id)
        ).all()
    )
    rows = session.execute(
        select(
            BookingPart.booking_id,
            BookingPart.officer_id,
            BookingPart.resource_id,
            BookingPart.start_at,
            BookingPart.end_at,
        )
        .join(Booking)
        .where(Booking.post_id == post.id, Booking.status == BookingStatus.CONFIRMED)
    ).all()
    officers: dict[int, set[tuple[int, datetime, datetime]]] = defaultdict(set)
    bays: dict[int, set[tuple[int, datetime, datetime]]] = defaultdict(set)
    for booking_id, officer_id, resource_id, start, end in rows:
        if officer_id is not None:
            officers[officer_id].add((booking_id, start, end))
        bays[resource_id].add((booking_id, start, end))
    found = []
    for kind, holders, limit in (
        ("officer", officers, lambda _holder: 1),
        ("bay", bays, capacity.get),
    ):
        for holder, uses in holders.items():
            events = sorted(
                [(start, 1) for _b, start, _e in uses] + [(end, -1) for _b, _s, end in uses]
            )
            in_use = 0
            for instant, change in events:
                in_use += change
                if in_use > (limit(holder) or 1):
                    found.append(
                        f"{kind} {holder} holds {in_use} inspections at {instant:%Y-%m-%d %H:%M}"
                    )
                    break
    return found


# --- the stand-in staffing plan ------------------------------------------------------------------


def stand_in_plan(
    session: Session, post: BorderPost, first_day: date, days: int, *, version: int = 1
) -> Plan:
    """A published plan from the post's own regular hours and a simple rotation of its
    officers (see the module's docstring), for ``days`` local days from ``first_day``."""
    from app.services.calendars import holidays_between
    from models import HolidayPolicy

    plan = Plan(
        post_id=post.id,
        version=version,
        kind=PlanKind.PIPELINE,
        status=PlanStatus.PUBLISHED,
        horizon_start=first_day,
        horizon_days=days,
        seed=0,
        time_limit_seconds=1.0,
        workers=1,
        solver_status="feasible",
        kpis={},
        explanations=[],
        published_at=utcnow(),
        note="Stand-in staffing plan of bench/booking.py: regular hours and a simple rotation, not the planning pipeline's.",
    )
    session.add(plan)
    session.flush()
    span = [first_day + timedelta(days=n) for n in range(-1, days + 1)]
    windows = []
    for office in post.offices:
        side = office.agency.side
        holidays = holidays_between(side, span[0], span[-1])
        for day in span:
            if office.always_open:
                hours = [(0, 1440)]
            elif day in holidays and office.on_holidays == HolidayPolicy.CLOSED:
                hours = []
            else:
                hours = [
                    (h.start_minute, h.end_minute)
                    for h in office.weekly_hours
                    if h.weekday == day.weekday()
                ]
            windows += [
                {
                    "plan_id": plan.id,
                    "office_id": office.id,
                    "start_at": local_to_utc(day, a, side.timezone),
                    "end_at": local_to_utc(day, b, side.timezone),
                    "out_of_hours": False,
                }
                for a, b in hours
            ]
    session.execute(insert(PlannedWindow), windows)
    templates = session.scalars(
        select(ShiftTemplate).where(ShiftTemplate.post_id == post.id).order_by(ShiftTemplate.code)
    ).all()
    officers = session.scalars(
        select(Officer).where(Officer.post_id == post.id).order_by(Officer.office_id, Officer.code)
    ).all()
    by_office: dict[int, list[Officer]] = defaultdict(list)
    for officer in officers:
        by_office[officer.office_id].append(officer)
    shifts = []
    for office in post.offices:
        side = office.agency.side
        usable = [
            t
            for t in templates
            if t.side_id == side.id and (not t.agency_codes or office.agency.code in t.agency_codes)
        ]
        for index, officer in enumerate(by_office.get(office.id, [])):
            for n, day in enumerate(span):
                template = _rotation(office.always_open, usable, index, n, day)
                if template is not None:
                    start = template.start_minute
                    shifts.append(
                        {
                            "plan_id": plan.id,
                            "officer_id": officer.id,
                            "template_id": template.id,
                            "office_id": office.id,
                            "day": day,
                            "start_at": local_to_utc(day, start, side.timezone),
                            "end_at": local_to_utc(
                                day, start + template.length_minutes, side.timezone
                            ),
                        }
                    )
    session.execute(insert(PlannedShift), shifts)
    session.flush()
    return plan


def _rotation(
    always_open: bool,
    templates: Sequence[ShiftTemplate],
    officer_index: int,
    day_index: int,
    day: date,
) -> ShiftTemplate | None:
    """24/7 services: four crews on two 12-hour days, two nights, four days off. Office
    agencies: their side's day shifts in turn, five days on and two off, staggered."""
    if always_open:
        phase = (day_index + 2 * (officer_index % 4)) % 8
        night = phase in (2, 3)
        if phase > 3:
            return None
        found = [t for t in templates if t.night == night and t.length_minutes == 720]
        return found[0] if found else None
    if (day_index + officer_index) % 7 >= 5:
        return None
    found = [
        t for t in templates if not t.night and (not t.weekdays or day.weekday() in t.weekdays)
    ]
    return found[officer_index % len(found)] if found else None


# --- the sample week ----------------------------------------------------------------------------

SAMPLE_WEEK = date(2026, 12, 7)  # Monday 7 to Sunday 13 December 2026: the sample's requests


def load_sample(session: Session, weeks: int = 1, first_day: date = SAMPLE_WEEK) -> BorderPost:
    """The Kapitan Andreevo sample with a stand-in staffing plan for ``weeks`` weeks from
    ``first_day`` (a day either side)."""
    from app.services.scenario.load import load_scenario
    from app.services.scenario.validate import read_scenario

    load_scenario(session, read_scenario(SAMPLE))
    post = session.scalar(select(BorderPost).where(BorderPost.code == "kapitan-andreevo"))
    assert post is not None
    stand_in_plan(session, post, first_day, 7 * weeks)
    return post


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


# --- batch ---------------------------------------------------------------------------------------


def bench_batch(kind: str, time_limit: float, workers: int, seed: int) -> None:
    from app.services.inspection_batch import BatchSettings, plan_inspections
    from solver.config import SolverConfig

    with fresh_database(kind) as url:
        app = bench_app(url)
        with app.app_context(), session_scope() as session:
            post = load_sample(session)
        load_before = _load()
        with app.app_context(), session_scope() as session:
            post = session.scalar(select(BorderPost).where(BorderPost.code == "kapitan-andreevo"))
            started = time.perf_counter()
            settings = BatchSettings(
                first_day=SAMPLE_WEEK,
                days=7,
                config=SolverConfig(time_limit_seconds=time_limit, workers=workers, seed=seed),
            )
            outcome = plan_inspections(session, post, settings)  # type: ignore[arg-type]
            seconds = time.perf_counter() - started
            solution, kpis, problem = outcome.solution, outcome.plan.kpis, outcome.batch.problem
            requests = problem.requests
            multi = sum(len(r.selections) > 1 for r in requests)
            stats = solution.stats
            first = stats.progress[0].seconds if stats.progress else None
            compared = kpis["trs"]["uncoordinated"]["compared"]
            print(
                f"batch plan, Kapitan Andreevo sample week {SAMPLE_WEEK} (stand-in staffing plan), {_stamp()}, {MACHINE}, {kind}"
            )
            print(f"load average before the solve: {load_before}; after: {_load()}")
            print(
                f"requests {len(requests)} (left out {len(outcome.batch.skipped)}), by more than one agency {multi / max(1, len(requests)):.0%}, "
                f"officers {len(problem.site.officers)}, bays {len(problem.site.bays)}, confirmed bookings {len(problem.bookings)}"
            )
            print(
                f"CP-SAT: time limit {time_limit} s, {workers} workers, seed {seed}: status {solution.status}, objective {solution.objective}, "
                f"bound {stats.best_bound}, gap {stats.gap if stats.gap is None else f'{stats.gap:.2%}'}, first solution {first} s, "
                f"solve {stats.wall_seconds:.1f} s, service end to end {seconds:.1f} s; checker objective {outcome.report.objective}"
            )
            print(
                f"inspected {kpis['inspected']} (joint {kpis['joint']}, sequential {kpis['sequential']}, out of hours {kpis['out_of_hours']}), "
                f"not inspected {kpis['not_inspected']}; fees "
                + ", ".join(f"{k[5:]} {v}" for k, v in kpis.items() if k.startswith("fees_"))
            )
            print(
                f"arrival to start: mean {kpis['arrival_to_start_mean_minutes']} median {kpis['arrival_to_start_median_minutes']} P90 {kpis['arrival_to_start_p90_minutes']} min; "
                f"arrival to release: mean {kpis['arrival_to_release_mean_minutes']} median {kpis['arrival_to_release_median_minutes']} P90 {kpis['arrival_to_release_p90_minutes']} min"
            )
            print(
                f"uncoordinated baseline on the {compared['consignments']} consignments both inspect: mean arrival to release {compared['uncoordinated_mean_minutes']} min "
                f"against {compared['joint_mean_minutes']} joint: factor {compared['factor']} (multi-agency only: {compared['multi_agency_factor']}, {compared['multi_agency_consignments']})"
            )
            for group in ("by_priority", "by_category"):
                shown = ", ".join(
                    f"{key} {value['arrival_to_start']['mean']}"
                    for key, value in kpis["trs"][group].items()
                )
                print(f"mean arrival to start {group.replace('_', ' ')}: {shown}")
            reasons: dict[str, int] = defaultdict(int)
            for uninspected in solution.uninspected:
                reasons[uninspected.reasons[0].rule if uninspected.reasons else "-"] += 1
            print(
                "first blocker of the consignments not inspected: "
                + ", ".join(f"{rule} {count}" for rule, count in sorted(reasons.items()))
            )
            session.rollback()
        app.extensions["juxta.engine"].dispose()


# --- offers against 10,000 bookings -------------------------------------------------------------


def _copy_requests(
    session: Session, post: BorderPost, rows: Sequence[Any], shift: timedelta, suffix: str
) -> list[int]:
    """Pending copies of ``rows`` arriving ``shift`` later, with their own references."""
    from models import InspectionRequest, RequestStatus

    copies = []
    for row in rows:
        copy = InspectionRequest(
            post_id=post.id,
            reference=f"{row.reference}{suffix}",
            exit_side_id=row.exit_side_id,
            entry_side_id=row.entry_side_id,
            category_id=row.category_id,
            priority_class_id=row.priority_class_id,
            capabilities=list(row.capabilities or []),
            duration_minutes=row.duration_minutes,
            expected_arrival=row.expected_arrival + shift,
            max_wait_minutes=row.max_wait_minutes,
            notified_at=row.notified_at + shift,
            reversal_allowed=row.reversal_allowed,
            status=RequestStatus.PENDING,
        )
        copy.agencies.extend(row.agencies)
        copies.append(copy)
    session.add_all(copies)
    session.flush()
    return [copy.id for copy in copies]


def _book_greedily(
    session: Session, post: BorderPost, first_day: date, weeks: int, wanted: int
) -> int:
    """Week after week, the sample's requests planned one by one (the engine's greedy plan)
    and stored as confirmed bookings, with their claims, until ``wanted`` are booked."""
    from app.services.inspection_batch import batch_problem
    from models import BookingClaim, BookingMode, InspectionRequest, RequestStatus
    from solver import inspections as engine

    sample = session.scalars(
        select(InspectionRequest).where(InspectionRequest.post_id == post.id)
    ).all()
    bays = {r.code: r for r in session.scalars(select(Resource).where(Resource.post_id == post.id))}
    units: dict[tuple[int, datetime], set[int]] = defaultdict(set)
    booked = 0
    for week in range(1, weeks):
        if booked >= wanted:
            break
        _copy_requests(session, post, sample, timedelta(days=7 * week), f"-W{week:02d}")
        batch = batch_problem(session, post, first_day + timedelta(days=7 * week), 7)
        place = batch.place
        claims = []
        for inspection in engine.greedy_plan(batch.problem).inspections[: wanted - booked]:
            row = batch.rows[inspection.reference]
            row.status = RequestStatus.BOOKED
            booking = Booking(
                post_id=post.id,
                request_id=row.id,
                plan_id=place.plan.id if place.plan else None,
                status=BookingStatus.CONFIRMED,
                mode=BookingMode.JOINT if inspection.mode == "joint" else BookingMode.SEQUENTIAL,
                start_at=inspection.first_start,
                end_at=inspection.release,
                out_of_hours=inspection.out_of_hours,
                fee=0,
                updated_at=utcnow(),
            )
            for part in inspection.parts:
                booking.parts.extend(
                    BookingPart(
                        agency_id=place.agency_ids[a.agency],
                        officer_id=place.officer_ids[a.officer_id],
                        resource_id=bays[part.bay_id].id,
                        start_at=part.start,
                        end_at=part.end,
                    )
                    for a in part.officers
                )
            session.add(booking)
            booked += 1
            claims.append((booking, inspection))
        session.flush()
        rows = []
        for booking, inspection in claims:
            for part in inspection.parts:
                bay = bays[part.bay_id]
                slot = part.start
                while slot < part.end:
                    unit = min(set(range(bay.capacity)) - units[(bay.id, slot)])
                    units[(bay.id, slot)].add(unit)
                    rows.append(
                        {
                            "booking_id": booking.id,
                            "holder_kind": "resource",
                            "holder_id": bay.id,
                            "unit": unit,
                            "slot_start": slot,
                        }
                    )
                    rows += [
                        {
                            "booking_id": booking.id,
                            "holder_kind": "officer",
                            "holder_id": place.officer_ids[a.officer_id],
                            "unit": 0,
                            "slot_start": slot,
                        }
                        for a in part.officers
                    ]
                    slot += timedelta(minutes=5)
        session.execute(insert(BookingClaim), rows)
        session.commit()
    return booked


def bench_offers(kind: str, wanted: int, count: int, seed: int = 1) -> None:
    """Offers for ``count`` new requests with ``wanted`` bookings already in the database."""
    import random

    from app.services import booking as booking_service
    from app.services.booking_search import BookingContext
    from app.services.inspection_site import request_of
    from models import InspectionRequest

    weeks = wanted // 700 + 3
    with fresh_database(kind) as url:
        app = bench_app(url)
        with app.app_context(), session_scope() as session:
            post = load_sample(session, weeks)
            started = time.perf_counter()
            booked = _book_greedily(session, post, SAMPLE_WEEK, weeks, wanted)
            filled = time.perf_counter() - started
            sample = session.scalars(
                select(InspectionRequest).where(
                    InspectionRequest.post_id == post.id,
                    ~InspectionRequest.reference.contains("-W"),
                )
            ).all()
            middle = timedelta(days=7 * (weeks // 2))
            chosen = random.Random(seed).sample(list(sample), count)
            ids = _copy_requests(session, post, chosen, middle + timedelta(minutes=3), "-OFFER")
            total_bookings = session.scalar(select(func.count()).select_from(Booking))
        load_before = _load()
        totals, loads, outcomes = [], [], defaultdict(int)
        sessions = app.extensions["juxta.sessions"]
        for request_id in ids:
            # A fresh session per answer, as each web request has.
            with sessions() as session:
                row = session.get(InspectionRequest, request_id)
                now = row.expected_arrival - timedelta(hours=2)
                started = time.perf_counter()
                result = booking_service.offers(session, row, now)
                totals.append(time.perf_counter() - started)
                outcomes[
                    "offers" if result.offers else "fallback" if result.fallback else "blocked"
                ] += 1
            with sessions() as session:
                row = session.get(InspectionRequest, request_id)
                post = session.get(BorderPost, row.post_id)
                started = time.perf_counter()
                BookingContext.load(
                    session, post, request_of(post, row), row.expected_arrival - timedelta(hours=2)
                )
                loads.append(time.perf_counter() - started)
        app.extensions["juxta.engine"].dispose()
    ms = [value * 1000 for value in totals]
    load_ms = [value * 1000 for value in loads]
    print(
        f"offers, {kind}, {_stamp()}, {MACHINE}; load average before {load_before}, after {_load()}"
    )
    print(
        f"{total_bookings} bookings in the database ({booked} confirmed by greedy plans of {weeks - 1} weeks in {filled:.0f} s); {count} new requests, now 2 h before arrival"
    )
    print(
        f"offers end to end (database reads + engine): p50 {statistics.median(ms):.1f} ms, p95 {_percentile(ms, 0.95):.1f} ms, max {max(ms):.1f} ms   target p95 < 150 ms"
    )
    print(
        f"of which reading the post, plan and bookings: p50 {statistics.median(load_ms):.1f} ms, p95 {_percentile(load_ms, 0.95):.1f} ms"
    )
    print("answers: " + ", ".join(f"{key} {value}" for key, value in sorted(outcomes.items())))


# --- racing confirmations over PostgreSQL -----------------------------------------------------------


def bench_race(racers: int) -> None:
    """``racers`` schedulers of Bulgarian customs, each shown the offers for their truck at the
    same moment, confirm the first at once over PostgreSQL. The trucks arrive six minutes
    apart, so their first offers overlap: the winners are those that fit together."""
    from app.services import booking as booking_service
    from app.services import users as user_service
    from models import CargoCategory, Side

    today = utcnow().date()
    monday = today + timedelta(days=7 - today.weekday())
    with fresh_database("postgresql") as url:
        app = bench_app(url)
        attempts = []
        with app.app_context(), session_scope() as session:
            post = load_sample(session, 1, monday)
            user = user_service.create_user(
                session, username="bench", password="bench-password", role="admin"
            )
            turkey = session.scalar(select(Side).where(Side.post_id == post.id, Side.code == "TR"))
            general = session.scalar(
                select(CargoCategory).where(
                    CargoCategory.post_id == post.id, CargoCategory.code == "general"
                )
            )
            first_arrival = local_to_utc(monday + timedelta(days=1), 10 * 60, "Europe/Sofia")
            now = utcnow()
            for n in range(racers):
                draft = booking_service.RequestDraft(
                    reference=f"RACE-{n:03d}",
                    exit_side=turkey.code,
                    category=general.code,
                    agencies=("BG-CUS",),
                    expected_arrival=first_arrival + timedelta(minutes=6 * n),
                )
                row = booking_service.create_request(
                    session, post, draft, user, now, may_book_for=lambda _agency: True
                )
                offer = booking_service.offers(session, row, now).offers[0].as_dict()
                attempts.append(
                    (row.reference, {k: offer[k] for k in ("start", "resource", "officers")})
                )
            token = user_service.issue_token(session, user, label="bench")
        started = time.perf_counter()
        outcomes = race_confirmations(
            app, {"Authorization": f"Bearer {token}"}, post.code, attempts
        )
        seconds = time.perf_counter() - started
        statuses = defaultdict(int)
        for outcome in outcomes:
            statuses[outcome.status] += 1
        losers_with_offers = sum(1 for o in outcomes if o.status == 409 and "offers" in o.body)
        with app.app_context(), session_scope() as session:
            post = session.scalar(select(BorderPost).where(BorderPost.code == "kapitan-andreevo"))
            double = overbooked(session, post)  # type: ignore[arg-type]
            confirmed = session.scalar(
                select(func.count())
                .select_from(Booking)
                .where(Booking.status == BookingStatus.CONFIRMED)
            )
        app.extensions["juxta.engine"].dispose()
    print(f"race, postgresql, {_stamp()}, {MACHINE}, load average {_load()}")
    officers = {officer for a in attempts for officer in a[1]["officers"].values()}
    print(
        f"{racers} confirmations at once of overlapping slots ({len({a[1]['start'] for a in attempts})} starts, "
        f"{len(officers)} officers, {len({a[1]['resource'] for a in attempts})} bays), {seconds:.2f} s: "
        + ", ".join(f"{status}: {count}" for status, count in sorted(statuses.items()))
        + f"; confirmed bookings {confirmed}; losers answered 409 with fresh offers {losers_with_offers}; double bookings {len(double)}"
    )
    if (
        double
        or statuses.get(201, 0) != confirmed
        or statuses.get(201, 0) + statuses.get(409, 0) != racers
    ):
        raise SystemExit("race: a confirmation was lost, doubled, or not answered 201/409")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.booking")
    parser.add_argument("--only", choices=("offers", "race", "batch"), default=None)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--bookings", type=int, default=10_000)
    parser.add_argument("--offers", type=int, default=200)
    parser.add_argument("--racers", type=int, default=50)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args(argv)
    kinds = [kind for kind in options.databases.split(",") if kind]
    if options.only in (None, "offers"):
        for kind in kinds:
            bench_offers(kind, options.bookings, options.offers)
    if options.only in (None, "race"):
        bench_race(options.racers)
    if options.only in (None, "batch"):
        bench_batch(kinds[0], options.time_limit, options.workers, options.seed)


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
