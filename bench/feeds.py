"""Feed benchmark: a 50,000-event iCalendar feed, its 304 answer, and a re-plan's sync.

Builds a synthetic post (``juxta generate`` shapes) in a fresh database, publishes a plan
with one shift per officer and day, subscribes to the whole post's shifts, and times through
the Flask app (the same code path a calendar client hits):

* ``sync``: the first fetch after publication, which writes the published state;
* ``render``: a fetch of an up-to-date feed (target: under 2 s for 50,000 events);
* ``304``: a fetch with the current ETag (target: under 20 ms);
* ``re-plan``: the fetch after a new plan that changes 1 % of the shifts.

Run with ``python -m bench feeds`` (under ``flock /tmp/juxta-bench.lock``), or directly
``python -m bench.feeds --events 50000 --repeat 20 [--database-url URL]``.
"""

from __future__ import annotations

import argparse
import math
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from app import create_app
from app.db import session_scope
from app.services import feeds
from app.services.scenario.generate import GeneratorSettings, synthetic_scenario
from app.services.scenario.load import load_scenario
from models import (
    BorderPost,
    Officer,
    Plan,
    PlanKind,
    PlannedShift,
    PlanStatus,
    ShiftTemplate,
    migrate,
    utcnow,
)
from solver.timeutil import local_to_utc

DAYS = 100


def _plan(session, post: BorderPost, version: int, start, changed_every: int | None = None) -> None:  # type: ignore[no-untyped-def]
    for older in session.scalars(select(Plan).where(Plan.post_id == post.id, Plan.status == PlanStatus.PUBLISHED)):
        older.status = PlanStatus.SUPERSEDED
    plan = Plan(post_id=post.id, version=version, kind=PlanKind.PIPELINE, status=PlanStatus.PUBLISHED, horizon_start=start, horizon_days=DAYS,
                seed=1, time_limit_seconds=1.0, workers=2, solver_status="OPTIMAL", kpis={}, explanations=[], published_at=utcnow())
    session.add(plan)
    session.flush()
    templates = {t.code: t for t in session.scalars(select(ShiftTemplate).where(ShiftTemplate.post_id == post.id))}
    rows = []
    for index, officer in enumerate(session.scalars(select(Officer).where(Officer.post_id == post.id).order_by(Officer.id))):
        side = officer.agency.side
        for offset in range(DAYS):
            day = start + timedelta(days=offset)
            late = changed_every is not None and (index * DAYS + offset) % changed_every == 0
            template = templates[f"{side.code}-{'L8' if late else 'E8'}"]
            rows.append({
                "plan_id": plan.id, "officer_id": officer.id, "template_id": template.id, "office_id": officer.office_id, "day": day,
                "start_at": local_to_utc(day, template.start_minute, side.timezone),
                "end_at": local_to_utc(day, template.start_minute + template.length_minutes, side.timezone),
            })
    session.execute(insert(PlannedShift), rows)


def _timed(call) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.feeds")
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--database-url", default="")
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        url = options.database_url or f"sqlite:///{Path(folder) / 'feeds.sqlite'}"
        app = create_app({"database.url": url, "security.secret_key": "bench", "TESTING": True})
        migrate.upgrade(app.extensions["juxta.engine"])
        officers = math.ceil(options.events / DAYS)
        start = utcnow().date() + timedelta(days=1)
        with app.app_context(), session_scope() as session:
            load_scenario(session, synthetic_scenario(GeneratorSettings(officers=officers, days=7, trucks_per_day=100, code="bench")))
            post = session.scalar(select(BorderPost).where(BorderPost.code == "bench"))
            _plan(session, post, 1, start)
            _, token = feeds.create_subscription(session, post, feeds.Selection.of(["shifts"]), "benchmark", None)
        client = app.test_client()
        path = f"/feeds/{token}.ics"
        sync_seconds, first = _timed(lambda: client.get(path))
        assert first.status_code == 200, first.status_code
        events = first.data.count(b"BEGIN:VEVENT")
        renders = [_timed(lambda: client.get(path))[0] for _ in range(max(3, options.repeat // 4))]
        etag = first.headers["ETag"]
        not_modified = []
        for _ in range(options.repeat * 5):
            seconds, answer = _timed(lambda: client.get(path, headers={"If-None-Match": etag}))
            assert answer.status_code == 304
            not_modified.append(seconds)
        with app.app_context(), session_scope() as session:
            _plan(session, session.scalar(select(BorderPost).where(BorderPost.code == "bench")), 2, start, changed_every=100)
        replan_seconds, after = _timed(lambda: client.get(path, headers={"If-None-Match": etag}))
        assert after.status_code == 200
        changed = after.data.count(b"SEQUENCE:1\r\n")
        app.extensions["juxta.engine"].dispose()
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"feeds benchmark, {stamp}, {url.split(':')[0]}, {events} events, {len(first.data) / 1e6:.1f} MB")
    print(f"{'measure':<32}{'seconds':>12}")
    print(f"{'first fetch (sync + render)':<32}{sync_seconds:>12.3f}")
    print(f"{'render, median of ' + str(len(renders)):<32}{statistics.median(renders):>12.3f}   target < 2 s")
    print(f"{'render, max':<32}{max(renders):>12.3f}")
    print(f"{'304, median of ' + str(len(not_modified)):<32}{statistics.median(not_modified):>12.4f}   target < 0.020 s")
    print(f"{'304, 95th percentile':<32}{statistics.quantiles(not_modified, n=20)[-1]:>12.4f}")
    print(f"{f're-plan fetch ({changed} changed)':<32}{replan_seconds:>12.3f}")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
