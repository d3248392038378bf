"""Opening windows as people on each side read them: in their own local time.

The engine keeps every window in UTC; these helpers render a window on any office's clock
(split at local midnight, as a timetable shows it), find when two offices are open together
in real time, and produce the records a plan export needs. Pure functions of the problem and
the windows; no modelling code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import groupby

from solver.hours.problem import HoursProblem, HoursSolution, OpeningWindow
from solver.timeutil import local_day_bounds, utc_to_local


def clock_label(start: datetime, end: datetime, zone_name: str) -> str:
    """``Sun 29 Mar 2026 08:00-20:00 EEST`` on ``zone_name``'s clock (both ends named when
    the clock changes abbreviation or the window crosses local midnight)."""
    local_start, local_end = utc_to_local(start, zone_name), utc_to_local(end, zone_name)
    head = local_start.strftime("%a %d %b %Y %H:%M")
    start_zone, end_zone = local_start.strftime("%Z"), local_end.strftime("%Z")
    if local_end.date() == local_start.date() and start_zone == end_zone:
        return f"{head}-{local_end:%H:%M} {start_zone}"
    if (local_end - timedelta(microseconds=1)).date() == local_start.date():
        return f"{head} {start_zone}-{local_end:%H:%M} {end_zone}"
    return f"{head} {start_zone}-{local_end:%a %d %b %Y %H:%M} {end_zone}"


@dataclass(frozen=True, slots=True, kw_only=True)
class LocalInterval:
    """A UTC interval as it reads on one clock: local start and end (aware, in ``zone``)."""

    zone: str
    start_utc: datetime
    end_utc: datetime

    @property
    def start(self) -> datetime:
        return utc_to_local(self.start_utc, self.zone)

    @property
    def end(self) -> datetime:
        return utc_to_local(self.end_utc, self.zone)

    @property
    def label(self) -> str:
        return clock_label(self.start_utc, self.end_utc, self.zone)

    @property
    def clock(self) -> str:
        """``08:00-20:00`` on the local clock, ``24:00`` for a window that ends at midnight."""
        end = self.end
        end_text = "24:00" if end.time() == end.min.time() and end > self.start else f"{end:%H:%M}"
        return f"{self.start:%H:%M}-{end_text}"


def merge(intervals: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    merged: list[tuple[datetime, datetime]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def on_local_days(
    intervals: Iterable[tuple[datetime, datetime]], zone_name: str
) -> tuple[LocalInterval, ...]:
    """``intervals`` (UTC) on ``zone_name``'s clock, split at its local midnights."""
    result = []
    for start, end in merge(intervals):
        cursor = start
        while cursor < end:
            _, midnight = local_day_bounds(utc_to_local(cursor, zone_name).date(), zone_name)
            piece_end = min(end, midnight)
            result.append(LocalInterval(zone=zone_name, start_utc=cursor, end_utc=piece_end))
            cursor = piece_end
    return tuple(result)


def local_windows(
    problem: HoursProblem,
    windows: Iterable[OpeningWindow],
    office_id: str,
    zone_name: str | None = None,
) -> tuple[LocalInterval, ...]:
    """An office's windows on its own clock, or on ``zone_name``'s (the neighbour's)."""
    office = problem.office(office_id)
    return on_local_days(
        ((w.start, w.end) for w in windows if w.office_id == office_id), zone_name or office.zone
    )


def open_together(
    windows: Iterable[OpeningWindow], first_id: str, second_id: str
) -> tuple[tuple[datetime, datetime], ...]:
    """The real-time intervals in which both offices are open."""
    windows = tuple(windows)
    first = merge((w.start, w.end) for w in windows if w.office_id == first_id)
    second = merge((w.start, w.end) for w in windows if w.office_id == second_id)
    together = []
    for a_start, a_end in first:
        for b_start, b_end in second:
            start, end = max(a_start, b_start), min(a_end, b_end)
            if start < end:
                together.append((start, end))
    return tuple(merge(together))


def window_records(problem: HoursProblem, solution: HoursSolution) -> list[dict[str, object]]:
    """One record per window and local day, for exports: office, agency, side, UTC and local
    start and end with the zone."""
    records: list[dict[str, object]] = []
    for office in problem.offices:
        for piece in local_windows(problem, solution.windows, office.id):
            records.append(
                {
                    "office_id": office.id,
                    "office": office.name,
                    "agency_id": office.agency_id,
                    "agency": office.agency_name,
                    "agency_kind": office.agency_kind,
                    "side": office.side,
                    "start_utc": piece.start_utc.isoformat(),
                    "end_utc": piece.end_utc.isoformat(),
                    "zone": office.zone,
                    "start_local": piece.start.isoformat(),
                    "end_local": piece.end.isoformat(),
                }
            )
    return records


def windows_from_states(
    problem: HoursProblem, states: dict[str, tuple[bool, ...]]
) -> tuple[OpeningWindow, ...]:
    """Each office's runs of open slots as UTC windows."""
    windows = []
    for office in problem.offices:
        slot = 0
        for is_open, run in groupby(states[office.id]):
            length = len(list(run))
            if is_open:
                windows.append(OpeningWindow(
                    office_id=office.id, start=problem.slot_start(slot), end=problem.slot_start(slot + length)
                ))
            slot += length
    return tuple(windows)
