"""Scenario generation, validation and loading at scale (issue 2).

    flock /tmp/juxta-bench.lock .venv/bin/python -m bench scenario
    flock /tmp/juxta-bench.lock .venv/bin/python -c "import bench.scenario as b; b.main(['--officers', '2000'])"

Runs the ``juxta`` commands as a user would (a fresh process each, start-up included):
``generate --officers 1000 --days 28 --trucks-per-day 3000``, then ``validate``, then ``load``
into a fresh SQLite file and into a fresh PostgreSQL database, and times each step. The
target is a scenario that validates and loads in under a minute. PostgreSQL is skipped,
with the reason printed, when no server answers at ``JUXTA_TEST_POSTGRES_URL``.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
# The console script next to this interpreter, as `make` installs it; else the same entry point.
_SCRIPT = Path(sys.executable).with_name("juxta")
JUXTA = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-c", "from app.cli import main; main()"]
POSTGRES_ADMIN_URL = os.environ.get("JUXTA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TARGET_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class Step:
    name: str
    seconds: float
    detail: str


def run(args: list[str], database_url: str) -> tuple[float, str]:
    """Run one ``juxta`` command; its wall-clock seconds and the last line it printed."""
    env = {**os.environ, "JUXTA_DATABASE_URL": database_url}
    started = time.perf_counter()
    done = subprocess.run([*JUXTA, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"juxta {' '.join(args)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    lines = (done.stdout or done.stderr).strip().splitlines()
    return seconds, lines[-1] if lines else ""


@contextmanager
def fresh_postgres() -> Iterator[str | None]:
    """A new, empty PostgreSQL database for the run (dropped afterwards), or None."""
    name = f"juxta_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001  (no server, no rights: the run goes on without it)
        print(f"PostgreSQL skipped: cannot create a database at {POSTGRES_ADMIN_URL} ({type(exc).__name__})")
        admin.dispose()
        yield None
        return
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def measure(officers: int, days: int, trucks_per_day: int, seed: int) -> list[Step]:
    steps: list[Step] = []
    with tempfile.TemporaryDirectory(prefix="juxta-bench-") as scratch:
        folder = Path(scratch) / "scenario"
        sqlite_url = f"sqlite:///{Path(scratch) / 'juxta.sqlite'}"
        seconds, line = run(["generate", "--officers", str(officers), "--days", str(days), "--trucks-per-day", str(trucks_per_day), "--seed", str(seed), "--start", "2026-12-07", str(folder)], sqlite_url)
        steps.append(Step("generate", seconds, line.split(": ", 1)[-1]))
        seconds, line = run(["validate", str(folder)], sqlite_url)
        steps.append(Step("validate", seconds, "valid" if "valid" in line else line))
        targets = [("SQLite", sqlite_url)]
        with fresh_postgres() as postgres_url:
            if postgres_url:
                targets.append(("PostgreSQL", postgres_url))
            for label, url in targets:
                seconds, _ = run(["db", "upgrade"], url)
                steps.append(Step(f"migrate ({label})", seconds, "empty schema"))
                seconds, line = run(["load", str(folder)], url)
                steps.append(Step(f"load ({label})", seconds, line.split(":", 1)[0]))
    return steps


def report(steps: list[Step], officers: int, days: int, trucks_per_day: int, seed: int) -> str:
    by_name = {step.name: step.seconds for step in steps}
    lines = [
        f"juxta generate --officers {officers} --days {days} --trucks-per-day {trucks_per_day} --seed {seed}",
        f"{datetime.now(UTC):%Y-%m-%d}, {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "",
        f"| {'step':<22} | {'seconds':>8} | detail",
        f"|{'-' * 24}|{'-' * 10}|-------",
    ]
    lines += [f"| {step.name:<22} | {step.seconds:8.1f} | {step.detail}" for step in steps]
    lines.append("")
    for label in ("SQLite", "PostgreSQL"):
        if f"load ({label})" in by_name:
            total = by_name["validate"] + by_name[f"load ({label})"]
            verdict = "meets" if total < TARGET_SECONDS else "MISSES"
            lines.append(f"validate + load into {label}: {total:.1f} s ({verdict} the {TARGET_SECONDS:.0f} s target)")
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench scenario", description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=1000)
    parser.add_argument("--days", type=int, default=28)
    parser.add_argument("--trucks-per-day", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    steps = measure(args.officers, args.days, args.trucks_per_day, args.seed)
    print(report(steps, args.officers, args.days, args.trucks_per_day, args.seed), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
