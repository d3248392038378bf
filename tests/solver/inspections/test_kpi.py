"""TRS-style KPIs, and the uncoordinated baseline the joint plan is measured against."""

from __future__ import annotations

from collections import defaultdict

from solver.inspections import Attendance, PlannedInspection, PlannedPart, uncoordinated_plan
from solver.inspections.kpi import kpi_report

from .builders import at, problem, request, site, solve_checked


def _joint(
    reference: str, start: float, minutes: int, agencies: tuple[str, ...]
) -> PlannedInspection:
    part = PlannedPart(
        agencies=agencies,
        start=at(start),
        end=at(start + minutes / 60),
        bay_id="B1",
        officers=tuple(Attendance(agency=a, officer_id=f"{a}-1") for a in agencies),
    )
    return PlannedInspection(
        reference=reference, mode="joint", parts=(part,), waiting_minutes=round(start * 60)
    )


def test_kpi_report_mean_median_and_90th_percentile() -> None:
    requests = {
        "R1": request("R1", ["BG-CUS", "TR-CUS"], category="fruit", priority="perishable"),
        "R2": request("R2", ["BG-CUS"], category="fruit"),
        "R3": request("R3", ["BG-CUS"], category="textiles"),
    }
    plan = [
        _joint("R1", 0.0, 60, ("BG-CUS", "TR-CUS")),
        _joint("R2", 0.5, 60, ("BG-CUS",)),
        _joint("R3", 1.5, 60, ("BG-CUS",)),
    ]
    report = kpi_report(requests, plan, not_inspected=2)
    start = report.overall.arrival_to_start
    assert (start.count, start.mean, start.median, start.p90) == (3, 40.0, 30.0, 78.0)
    assert report.overall.arrival_to_release.mean == 100.0
    assert report.by_agency["TR-CUS"].arrival_to_start.count == 1
    assert report.by_agency["BG-CUS"].arrival_to_start.mean == 40.0
    assert report.by_category["fruit"].arrival_to_release.median == 75.0
    assert report.by_priority["perishable"].arrival_to_start.mean == 0.0
    assert (report.inspected, report.not_inspected, report.joint, report.sequential) == (3, 2, 3, 0)


def test_uncoordinated_plan_inspects_agency_by_agency_exit_side_first() -> None:
    instance = problem(site(), [request("R1", ["BG-CUS", "BG-VET", "TR-CUS"])])
    baseline = uncoordinated_plan(instance)
    (inspection,) = baseline.inspections
    assert inspection.mode == "separate"
    assert [part.agencies for part in inspection.parts][0] == ("TR-CUS",)
    assert [part.start for part in inspection.parts] == [at(0), at(1), at(2)]
    assert baseline.kpis.overall.arrival_to_release.mean == 180.0
    joint = solve_checked(instance)
    assert joint.kpis.overall.arrival_to_release.mean == 60.0


def test_uncoordinated_plan_is_first_come_first_served_without_double_booking() -> None:
    requests = [request(f"R{i}", ["BG-CUS", "TR-CUS"], arrival=i * 0.25) for i in range(4)]
    baseline = uncoordinated_plan(problem(site(), requests))
    held: dict[str, list[tuple[object, object]]] = defaultdict(list)
    for inspection in baseline.inspections:
        for part in inspection.parts:
            for attendance in part.officers:
                held[attendance.officer_id].append((part.start, part.end))
    for spans in held.values():
        spans.sort()
        assert all(
            end <= next_start for (_, end), (next_start, _) in zip(spans, spans[1:], strict=False)
        )
    firsts = [
        inspection.first_start
        for inspection in sorted(baseline.inspections, key=lambda i: i.reference)
    ]
    assert firsts == sorted(firsts)
