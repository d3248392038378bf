"""Time Release Study figures for a plan (WCO TRS Guide: means, medians and percentiles).

Two stages per consignment: arrival to the start of inspection (for an agency: to the start
of the part it attends) and arrival to release (the end of the last part). Figures are in
minutes, overall and broken down by agency, cargo category and priority class, because a
TRS reports "by category of goods ... intervention by other government agencies".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import timedelta

import numpy as np

from .names import SEQUENTIAL_MODES
from .problem import InspectionRequest, KpiReport, PlannedInspection, StageTimes, Statistic

_MINUTE = timedelta(minutes=1)


def statistic(values: Iterable[float]) -> Statistic:
    data = np.fromiter(values, dtype=float)
    if data.size == 0:
        return Statistic(count=0, mean=None, median=None, p90=None)
    return Statistic(
        count=int(data.size),
        mean=round(float(data.mean()), 2),
        median=round(float(np.median(data)), 2),
        p90=round(float(np.percentile(data, 90)), 2),
    )


def _stage_times(samples: list[tuple[float, float]]) -> StageTimes:
    return StageTimes(
        arrival_to_start=statistic(start for start, _ in samples),
        arrival_to_release=statistic(release for _, release in samples),
    )


def kpi_report(
    requests: Mapping[str, InspectionRequest],
    inspections: Iterable[PlannedInspection],
    not_inspected: int,
) -> KpiReport:
    overall: list[tuple[float, float]] = []
    by_agency: dict[str, list[tuple[float, float]]] = defaultdict(list)
    by_category: dict[str, list[tuple[float, float]]] = defaultdict(list)
    by_priority: dict[str, list[tuple[float, float]]] = defaultdict(list)
    joint = sequential = out_of_hours = 0
    fees: dict[str, int] = defaultdict(int)
    for inspection in inspections:
        request = requests[inspection.reference]
        arrival = request.expected_arrival
        release = (inspection.release - arrival) / _MINUTE
        sample = ((inspection.first_start - arrival) / _MINUTE, release)
        overall.append(sample)
        by_category[request.cargo_category].append(sample)
        by_priority[request.priority_class].append(sample)
        for part in inspection.parts:
            for agency in part.agencies:
                by_agency[agency].append(((part.start - arrival) / _MINUTE, release))
        joint += inspection.mode == "joint"
        sequential += inspection.mode in SEQUENTIAL_MODES
        out_of_hours += inspection.out_of_hours
        for currency, amount in inspection.fees.items():
            fees[currency] += amount
    return KpiReport(
        overall=_stage_times(overall),
        by_agency={key: _stage_times(value) for key, value in sorted(by_agency.items())},
        by_category={key: _stage_times(value) for key, value in sorted(by_category.items())},
        by_priority={key: _stage_times(value) for key, value in sorted(by_priority.items())},
        inspected=len(overall),
        not_inspected=not_inspected,
        joint=joint,
        sequential=sequential,
        out_of_hours=out_of_hours,
        fees=dict(sorted(fees.items())),
    )
