"""Instants as whole UTC minutes, and sets of minutes as sorted, disjoint half-open spans.

The slot search, the greedy planners and the CP-SAT model all reason over integer minutes
since the Unix epoch: small enough for CP-SAT domains, exact, and free of zone questions
(local wall-clock rules were already turned into UTC instants upstream). A *span set* is a
tuple of ``(start, end)`` pairs, sorted, disjoint and non-adjacent, each meaning the minutes
``start <= m < end``. A *start set* is a span set of allowed start minutes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta

Span = tuple[int, int]
Spans = tuple[Span, ...]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MINUTE = timedelta(minutes=1)


def _require_aware(instant: datetime) -> None:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"naive datetime {instant!r}: inspections take aware UTC instants")


def minute_floor(instant: datetime) -> int:
    """The whole minute containing ``instant`` (an end bound rounds down to stay inside)."""
    _require_aware(instant)
    return (instant - _EPOCH) // _MINUTE


def minute_ceil(instant: datetime) -> int:
    """The first whole minute at or after ``instant`` (a start bound rounds up to stay inside)."""
    _require_aware(instant)
    floor = minute_floor(instant)
    return floor if _EPOCH + floor * _MINUTE == instant else floor + 1


def instant(minute: int) -> datetime:
    return _EPOCH + minute * _MINUTE


def normalize(spans: Iterable[Span]) -> Spans:
    """Sort, drop empty spans and merge overlapping or touching ones."""
    merged: list[list[int]] = []
    for start, end in sorted(span for span in spans if span[1] > span[0]):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((start, end) for start, end in merged)


def intersect(a: Spans, b: Spans) -> Spans:
    result: list[Span] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start = max(a[i][0], b[j][0])
        end = min(a[i][1], b[j][1])
        if start < end:
            result.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return tuple(result)


def intersect_all(sets: Sequence[Spans]) -> Spans:
    if not sets:
        raise ValueError("the intersection of no span sets is undefined")
    result = sets[0]
    for other in sets[1:]:
        if not result:
            break
        result = intersect(result, other)
    return result


def union(sets: Iterable[Spans]) -> Spans:
    return normalize(span for spans in sets for span in spans)


def subtract(a: Spans, b: Spans) -> Spans:
    """The minutes of ``a`` that are not in ``b``; ``b`` may be unsorted and overlapping."""
    if not b:
        return a
    holes = normalize(b)
    result: list[Span] = []
    j = 0
    for start, end in a:
        while j < len(holes) and holes[j][1] <= start:
            j += 1
        cursor = start
        k = j
        while k < len(holes) and holes[k][0] < end:
            if holes[k][0] > cursor:
                result.append((cursor, holes[k][0]))
            cursor = max(cursor, holes[k][1])
            k += 1
        if cursor < end:
            result.append((cursor, end))
    return tuple(result)


def clip(spans: Spans, low: int, high: int) -> Spans:
    """``spans`` restricted to ``low <= m < high``."""
    return intersect(spans, ((low, high),)) if low < high else ()


def complement(spans: Spans, low: int, high: int) -> Spans:
    return subtract(((low, high),), spans) if low < high else ()


def starts_within(free: Spans, duration: int) -> Spans:
    """Start minutes of a ``duration``-minute slot that lies wholly inside one span of ``free``."""
    return tuple((start, end - duration + 1) for start, end in free if end - start >= duration)


def on_grid(starts: Spans, grid: int) -> Spans:
    """``starts`` shrunk to the multiples of ``grid`` they contain (as a span set)."""
    if grid == 1:
        return starts
    result: list[Span] = []
    for start, end in starts:
        first = -(-start // grid) * grid
        if first < end:
            result.append((first, end))
    return tuple(result)


def grid_points(starts: Spans, grid: int) -> tuple[tuple[int, int], ...]:
    """``starts`` as closed ranges of grid steps ``[lo, hi]`` (minute = step * grid)."""
    ranges: list[tuple[int, int]] = []
    for start, end in on_grid(starts, grid):
        low, high = start // grid, (end - 1) // grid
        if low <= high:
            ranges.append((low, high))
    return tuple(ranges)


def contains(spans: Spans, minute: int) -> bool:
    return any(start <= minute < end for start, end in spans)


def covers(spans: Spans, start: int, end: int) -> bool:
    """Whether ``[start, end)`` lies inside one span (span sets are merged, so one suffices)."""
    return any(low <= start and end <= high for low, high in spans)


def containing(spans: Spans, start: int, end: int) -> Span | None:
    for low, high in spans:
        if low <= start and end <= high:
            return (low, high)
    return None


def total(spans: Spans) -> int:
    return sum(end - start for start, end in spans)
