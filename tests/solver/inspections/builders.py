"""A small two-country post to build test problems on: Kapitan Andreevo in miniature.

Bulgaria (Europe/Sofia, UTC+2 in January) hosts the facility for trucks entering it from
Turkey (Europe/Istanbul, UTC+3); Turkish officers work there in juxtaposed offices. Times in
tests are hours after ``T0`` (Tuesday 14 January 2025, 06:00 UTC = 08:00 in Sofia).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta

from solver.config import SolverConfig
from solver.cpsat import run_cpsat
from solver.inspections import (
    Agency,
    Availability,
    BatchSolution,
    Bay,
    ExistingBooking,
    InspectionProblem,
    InspectionRequest,
    InspectionRules,
    NoticeRule,
    Office,
    Officer,
    PostSite,
    PriorityClass,
    Selection,
    Side,
    Window,
    check,
    plan_batch,
)
from solver.inspections.build import BuiltModel
from solver.inspections.defaults import DEFAULT_PRIORITY_CLASSES
from solver.inspections.timeline import minute_ceil
from solver.inspections.variables import PartVars

T0 = datetime(2025, 1, 14, 6, 0, tzinfo=UTC)
ALL_DAY = ((-48.0, 96.0),)

SIDES = (
    Side(code="BG", name="Bulgaria", zone="Europe/Sofia", holidays=frozenset({date(2025, 3, 3)})),
    Side(code="TR", name="Türkiye", zone="Europe/Istanbul"),
)

VET_NOTICE = NoticeRule(
    working_days=1, derogation_hours=4, categories_without_derogation=frozenset({"live_animals"})
)

AGENCIES = (
    Agency(code="BG-CUS", name="Bulgarian customs", side="BG"),
    Agency(
        code="BG-VET",
        name="BFSA veterinary",
        side="BG",
        notice=VET_NOTICE,
        out_of_hours_fee_per_hour=40,
    ),
    Agency(code="TR-CUS", name="Turkish customs", side="TR"),
    Agency(code="TR-AGR", name="Turkish agriculture", side="TR", out_of_hours_fee_per_hour=30),
    Agency(code="BG-CITES", name="CITES authority", side="BG", notice=NoticeRule(hours=48)),
)

CLASSES = DEFAULT_PRIORITY_CLASSES


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def windows(spans: Iterable[tuple[float, float]]) -> tuple[Window, ...]:
    return tuple(Window(start=at(a), end=at(b)) for a, b in spans)


def office(
    agency: str, open_hours: Iterable[tuple[float, float]] = ALL_DAY, host: str = "BG"
) -> Office:
    return Office(
        office_id=f"{agency}@{host}",
        name=f"{agency} office",
        agency=agency,
        host_side=host,
        open_windows=windows(open_hours),
    )


def offices(**hours: Iterable[tuple[float, float]]) -> list[Office]:
    """One office per agency, open around the clock unless its hours are given:
    ``offices(BG_VET=[(3, 8)])`` (agency codes with ``_`` for ``-``)."""
    return [office(a.code, hours.get(a.code.replace("-", "_"), ALL_DAY)) for a in AGENCIES]


def officer(
    officer_id: str,
    agency: str,
    duty: Iterable[tuple[float, float]] = ALL_DAY,
    *,
    skills: Iterable[str] = (),
    cross_border: bool = True,
    host: str = "BG",
) -> Officer:
    return Officer(
        officer_id=officer_id,
        name=officer_id,
        agency=agency,
        office_id=f"{agency}@{host}",
        skills=frozenset(skills),
        cross_border=cross_border,
        duty=windows(duty),
    )


def bay(
    bay_id: str,
    capabilities: Iterable[str] = (),
    *,
    capacity: int = 1,
    open_hours: Iterable[tuple[float, float]] = ALL_DAY,
    host: str = "BG",
) -> Bay:
    return Bay(
        bay_id=bay_id,
        name=bay_id,
        host_side=host,
        capabilities=frozenset(capabilities),
        capacity=capacity,
        open_windows=windows(open_hours),
    )


def site(
    *,
    offices: Sequence[Office] | None = None,
    officers: Sequence[Officer] | None = None,
    bays: Sequence[Bay] | None = None,
    agencies: Sequence[Agency] = AGENCIES,
    rules: InspectionRules | None = None,
    classes: Sequence[PriorityClass] = CLASSES,
) -> PostSite:
    """By default: every office open and one officer per agency on duty around the clock."""
    codes = [a.code for a in agencies]
    return PostSite(
        post_id="KA",
        name="Kapitan Andreevo",
        sides=SIDES,
        agencies=tuple(agencies),
        offices=tuple(offices if offices is not None else [office(code) for code in codes]),
        officers=tuple(
            officers if officers is not None else [officer(f"{code}-1", code) for code in codes]
        ),
        bays=tuple(bays if bays is not None else [bay("B1"), bay("COLD", ["cold_chain"])]),
        priority_classes=tuple(classes),
        rules=rules or InspectionRules(),
    )


def request(
    reference: str,
    agencies: Iterable[str] = ("BG-CUS",),
    *,
    arrival: float = 0.0,
    duration: int = 60,
    priority: str = "regular",
    notified: float = -48.0,
    capabilities: Iterable[str] = (),
    category: str = "general",
    skills: dict[str, str] | None = None,
    **options: object,
) -> InspectionRequest:
    """A truck from Turkey into Bulgaria, inspected at the Bulgarian facility."""
    skills = skills or {}
    return InspectionRequest(
        reference=reference,
        exit_side="TR",
        entry_side="BG",
        cargo_category=category,
        selections=tuple(Selection(agency=a, skill=skills.get(a)) for a in agencies),
        required_capabilities=frozenset(capabilities),
        duration_minutes=duration,
        expected_arrival=at(arrival),
        priority_class=priority,
        notified_at=at(notified),
        **options,  # type: ignore[arg-type]
    )


def booking(
    reference: str,
    start: float,
    end: float,
    officers: Iterable[str] = (),
    bay_id: str | None = None,
) -> ExistingBooking:
    return ExistingBooking(
        reference=reference,
        start=at(start),
        end=at(end),
        officer_ids=frozenset(officers),
        bay_id=bay_id,
    )


def problem(
    post: PostSite,
    requests: Sequence[InspectionRequest],
    bookings: Sequence[ExistingBooking] = (),
    horizon: tuple[float, float] = (0.0, 48.0),
) -> InspectionProblem:
    return InspectionProblem(
        site=post,
        requests=tuple(requests),
        bookings=tuple(bookings),
        horizon_start=at(horizon[0]),
        horizon_end=at(horizon[1]),
    )


def availability(post: PostSite, bookings: Sequence[ExistingBooking] = ()) -> Availability:
    return Availability(site=post, bookings=tuple(bookings))


FAST = SolverConfig(time_limit_seconds=10, workers=1, seed=1)


def solve_checked(instance: InspectionProblem, config: SolverConfig = FAST) -> BatchSolution:
    """Plan, then prove the plan with the independent checker, objective included."""
    solution = plan_batch(instance, config)
    assert solution.status in ("optimal", "feasible"), solution.status
    report = check(instance, solution)
    assert report.problems == (), report.problems
    assert report.objective == solution.objective
    return solution


def hours_after_t0(instant: datetime) -> float:
    return (instant - T0) / timedelta(hours=1)


def model_status(built: BuiltModel) -> str:
    """Solve a model built from a subset of rule families; its status only."""
    return run_cpsat(built.model, FAST, engine="inspections-test").stats.status


def part_vars(built: BuiltModel, reference: str, mode: str = "joint", index: int = 0) -> PartVars:
    return built.vars.requests[reference].modes[mode].parts[index]  # type: ignore[index]


def fix_start(
    built: BuiltModel, reference: str, hours: float, mode: str = "joint", index: int = 0
) -> None:
    part = part_vars(built, reference, mode, index)
    minute = minute_ceil(at(hours))
    assert minute % part.grid == 0, "tests fix starts on the booking grid"
    built.model.add(part.step == minute // part.grid)
