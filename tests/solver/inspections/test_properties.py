"""Property tests: on random small posts, every offer and every plan passes the checker, the
best offer is the cheapest slot a brute-force search finds, and CP-SAT never plans worse
than the greedy plan it starts from."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solver.config import SolverConfig
from solver.inspections import (
    Agency,
    Attendance,
    BatchSolution,
    ExistingBooking,
    InspectionRequest,
    NoticeRule,
    OutOfHoursCharge,
    PlannedInspection,
    PlannedPart,
    PostSite,
    PriorityClass,
    check,
    check_booking,
    find_offers,
    greedy_plan,
    plan_batch,
)
from solver.inspections.timeline import minute_ceil

from .builders import (
    SIDES,
    VET_NOTICE,
    at,
    availability,
    bay,
    booking,
    office,
    officer,
    problem,
    request,
)

AGENCY_POOL = ("BG-CUS", "BG-VET", "TR-CUS", "TR-AGR")
CLASSES = (
    PriorityClass(
        code="perishable",
        name="Perishable",
        rank=0,
        quota=1,
        value=3000,
        wait_weight=3,
        max_wait_minutes=150,
    ),
    PriorityClass(
        code="regular",
        name="Regular",
        rank=1,
        quota=2,
        value=2000,
        wait_weight=1,
        max_wait_minutes=240,
    ),
)

quarter_hours = st.integers(min_value=-8, max_value=40).map(lambda q: q / 4)
shift_starts = st.integers(min_value=-16, max_value=32).map(lambda q: q / 4)


@st.composite
def spans(draw: st.DrawFn, allow_all_day: bool = True) -> list[tuple[float, float]]:
    if allow_all_day and draw(st.booleans()):
        return [(-24.0, 48.0)]
    starts = sorted(draw(st.lists(shift_starts, min_size=1, max_size=2, unique=True)))
    return [(start, start + draw(st.sampled_from([1.0, 2.0, 4.0, 8.0, 12.0]))) for start in starts]


@dataclass(frozen=True)
class Scenario:
    post: PostSite
    requests: tuple[InspectionRequest, ...]
    bookings: tuple[ExistingBooking, ...]


@st.composite
def scenarios(draw: st.DrawFn, max_requests: int = 3) -> Scenario:
    # Sometimes the two sides keep hours that never meet, so only sequential inspection works.
    split = draw(st.integers(0, 3)) == 0
    codes = draw(st.lists(st.sampled_from(AGENCY_POOL), min_size=1, max_size=3, unique=True))
    if split:
        codes = sorted({*codes, "BG-CUS", "TR-CUS"})
    agencies = [
        Agency(
            code=code,
            name=code,
            side=code[:2],
            notice=VET_NOTICE if code == "BG-VET" else NoticeRule(),
            out_of_hours_fee_per_hour=draw(st.sampled_from([None, 25, 60])),
        )
        for code in codes
    ]
    if split:
        office_hours = {
            code: [(-4.0, 3.0)] if code.startswith("TR") else [(3.0, 16.0)] for code in codes
        }
    else:
        office_hours = {code: draw(spans()) for code in codes}
    officers = [
        officer(
            f"{code}-{n}",
            code,
            [(-24.0, 48.0)] if split else draw(spans()),
            skills=draw(st.sampled_from([("vet",), ("vet",), ()])),
            cross_border=draw(st.sampled_from([True, True, True, False])),
        )
        for code in codes
        for n in range(draw(st.integers(min_value=1, max_value=2)))
    ]
    bays = [
        bay(
            f"BAY{n}",
            draw(st.sampled_from([(), ("cold_chain",)])),
            capacity=draw(st.integers(1, 2)),
            open_hours=draw(spans()),
        )
        for n in range(draw(st.integers(min_value=1, max_value=2)))
    ]
    post = PostSite(
        post_id="P",
        name="Random post",
        sides=SIDES,
        agencies=tuple(agencies),
        offices=tuple(office(code, office_hours[code]) for code in codes),
        officers=tuple(officers),
        bays=tuple(bays),
        priority_classes=CLASSES,
    )
    requests = tuple(
        request(
            f"R{i}",
            sorted(
                {
                    *draw(
                        st.lists(
                            st.sampled_from(codes), min_size=1, max_size=len(codes), unique=True
                        )
                    ),
                    *(("BG-CUS", "TR-CUS") if split else ()),
                }
            ),
            arrival=draw(st.integers(min_value=0, max_value=9 if split else 36)) / 6,
            duration=draw(st.sampled_from([15, 30, 45, 60, 90])),
            priority=draw(st.sampled_from(["perishable", "regular"])),
            notified=draw(st.sampled_from([-48.0, -48.0, -20.0, -2.0])),
            capabilities=draw(st.sampled_from([(), (), (), ("cold_chain",)])),
            skills={"BG-VET": "vet"} if draw(st.booleans()) else {},
            accepts_out_of_hours=draw(st.booleans()),
            reversal_allowed=draw(st.booleans()),
            notice_derogation=draw(st.booleans()),
        )
        for i in range(draw(st.integers(min_value=1, max_value=max_requests)))
    )
    held = []
    for n in range(draw(st.integers(min_value=0, max_value=4))):
        start = draw(quarter_hours)
        held.append(
            booking(
                f"OLD{n}",
                start,
                start + draw(st.sampled_from([0.5, 1.0, 2.0])),
                officers=draw(
                    st.lists(
                        st.sampled_from([o.officer_id for o in officers]), max_size=2, unique=True
                    )
                ),
                bay_id=draw(st.sampled_from([None, *[b.bay_id for b in bays]])),
            )
        )
    return Scenario(post=post, requests=requests, bookings=_without_clashes(post, held))


def _without_clashes(post: PostSite, held: list[ExistingBooking]) -> tuple[ExistingBooking, ...]:
    """Bookings as a database would hold them: none double-books an officer or overfills a bay."""
    kept: list[ExistingBooking] = []
    for candidate in held:
        overlapping = [k for k in kept if k.start < candidate.end and candidate.start < k.end]
        officer_clash = any(k.officer_ids & candidate.officer_ids for k in overlapping)
        bay_use = [
            k for k in overlapping if candidate.bay_id is not None and k.bay_id == candidate.bay_id
        ]
        if not officer_clash and (
            candidate.bay_id is None or len(bay_use) < post.bay(candidate.bay_id).capacity
        ):
            kept.append(candidate)
    return tuple(kept)


def _brute_force_best_score(
    scenario: Scenario, req: InspectionRequest, now_hours: float
) -> int | None:
    """The cheapest joint start found by trying every grid start, officer and bay."""
    post = scenario.post
    avail = availability(post, scenario.bookings)
    grid = post.rules.start_grid_minutes
    arrival = minute_ceil(req.expected_arrival)
    first = max(arrival, minute_ceil(at(now_hours)))
    first = -(-first // grid) * grid
    klass = post.priority(req.priority_class)
    latest = arrival + (req.max_wait_minutes or klass.max_wait_minutes)
    officer_choices = [[o.officer_id for o in post.officers if o.agency == a] for a in req.agencies]
    best = None
    for minute in range(first, latest + 1, grid):
        start = at(0) + timedelta(minutes=minute - minute_ceil(at(0)))
        end = start + timedelta(minutes=req.duration_minutes)
        charges = tuple(
            OutOfHoursCharge(
                agency=a,
                fee=(post.agency(a).out_of_hours_fee_per_hour or 0)
                * -(-req.duration_minutes // 60),
                currency="EUR",
            )
            for a in req.agencies
            if not _inside(post.office_for(a, "BG").open_windows, start, end)  # type: ignore[union-attr]
        )
        for chosen in itertools.product(*officer_choices):
            for candidate_bay in post.bays:
                part = PlannedPart(
                    agencies=req.agencies,
                    start=start,
                    end=end,
                    bay_id=candidate_bay.bay_id,
                    officers=tuple(
                        Attendance(agency=a, officer_id=o)
                        for a, o in zip(req.agencies, chosen, strict=True)
                    ),
                    out_of_hours=charges,
                )
                inspection = PlannedInspection(
                    reference=req.reference,
                    mode="joint",
                    parts=(part,),
                    waiting_minutes=minute - arrival,
                )
                if check_booking(req, inspection, avail, now=at(now_hours)) == ():
                    score = klass.wait_weight * (minute - arrival) + sum(c.fee for c in charges)
                    best = score if best is None else min(best, score)
                    break
            else:
                continue
            break
    return best


def _inside(windows, start, end) -> bool:  # type: ignore[no-untyped-def]
    return any(w.start <= start and end <= w.end for w in windows)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=scenarios(max_requests=1), now_hours=st.sampled_from([0.0, 1.0, 2.5]))
def test_find_offers_every_offer_passes_the_checker_and_the_best_is_the_cheapest(
    scenario: Scenario, now_hours: float
) -> None:
    (req,) = scenario.requests
    avail = availability(scenario.post, scenario.bookings)
    result = find_offers(req, avail, now=at(now_hours))
    klass = scenario.post.priority(req.priority_class)
    for inspection in (*result.offers, *result.fallback):
        assert check_booking(req, inspection, avail, now=at(now_hours)) == ()
    for offer in result.offers:
        assert offer.waiting_minutes <= klass.max_wait_minutes
    best = _brute_force_best_score(scenario, req, now_hours)
    if best is None:
        assert result.offers == ()
        assert result.blockers
    else:
        top = result.offers[0]
        assert klass.wait_weight * top.waiting_minutes + sum(top.fees.values()) == best


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=scenarios(max_requests=4))
def test_plan_batch_passes_the_checker_and_never_loses_to_the_greedy_plan(
    scenario: Scenario,
) -> None:
    instance = problem(scenario.post, scenario.requests, scenario.bookings, horizon=(0.0, 24.0))
    solution = plan_batch(instance, SolverConfig(time_limit_seconds=10, workers=1, seed=3))
    assert solution.status == "optimal"
    report = check(instance, solution)
    assert report.problems == ()
    assert report.objective == solution.objective

    greedy = greedy_plan(instance)
    as_solution = BatchSolution(
        status="feasible",
        stats=solution.stats,
        inspections=greedy.inspections,
        uninspected=greedy.uninspected,
        violations=(),
        objective=None,
        kpis=greedy.kpis,
    )
    greedy_report = check(instance, as_solution)
    assert greedy_report.problems == ()
    assert solution.objective >= greedy_report.objective
