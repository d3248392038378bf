"""Staff rostering benchmarks: the public shift-scheduling instances and a synthetic post.

    python -m bench roster                      # Instances 1-12 at 60 s, then the post
    python -m bench.roster 13 14 --time-limit 600 --no-post
    python -m bench.roster --only-post --post-seconds 60

Each instance runs in a fresh process (its peak memory is its own) with 2 workers by default;
rosters are written to ``--out`` as the benchmark's tab-separated grids. Run benchmarks under
``flock /tmp/juxta-bench.lock`` on the shared machine.
"""

from __future__ import annotations

import argparse
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from solver.config import SolverConfig
from solver.roster.benchmark import (
    format_table,
    peak_memory_mb,
    resolve_instances,
    run_shift_benchmark,
)
from solver.roster.checker import check
from solver.roster.solve import solve
from solver.roster.synthetic import rusumo_like

DEFAULT_INSTANCES = [str(n) for n in range(1, 13)]


@dataclass(frozen=True, slots=True)
class PostResult:
    """The synthetic post solved: objective, proven bound and gap, and how the parts fared."""

    seed: int
    officers: int
    parts: int
    parts_optimal: int
    objective: int | None
    bound: int | None
    gap: float | None
    seconds: float
    peak_rss_mb: float
    feasible: bool


def solve_post(seed: int, time_limit: float, workers: int) -> PostResult:
    problem = rusumo_like(seed=seed)
    started = time.monotonic()
    solution = solve(problem, SolverConfig(time_limit_seconds=time_limit, workers=workers,
                                           seed=seed))
    seconds = time.monotonic() - started
    report = check(problem, solution)
    return PostResult(
        seed=seed, officers=len(problem.officers), parts=len(solution.parts),
        parts_optimal=sum(1 for p in solution.parts if p.status == "optimal"),
        objective=solution.objective, bound=solution.best_bound, gap=solution.gap,
        seconds=round(seconds, 1),
        peak_rss_mb=peak_memory_mb(),
        feasible=solution.has_roster and report.feasible
        and report.objective == solution.objective)


def run_post(seed: int, time_limit: float, workers: int) -> PostResult:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(solve_post, seed, time_limit, workers).result()


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.roster", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("instances", nargs="*", default=DEFAULT_INSTANCES,
                        help="instance numbers, names (Instance5) or paths; default 1-12")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("bench/out/roster"))
    parser.add_argument("--directory", type=Path, default=None,
                        help="instance directory (default ../shared/benchmarks/shift-scheduling)")
    parser.add_argument("--no-post", action="store_true", help="skip the synthetic post")
    parser.add_argument("--only-post", action="store_true", help="only the synthetic post")
    parser.add_argument("--post-seconds", type=float, default=60.0)
    args = parser.parse_args(argv)

    print(f"machine: {multiprocessing.cpu_count()} cores; workers {args.workers}; "
          f"seed {args.seed}", flush=True)
    if not args.only_post:
        paths = resolve_instances(args.instances, args.directory)
        missing = [p for p in paths if not p.exists()]
        if missing:
            print("instances not found: " + ", ".join(str(p) for p in missing))
            return
        results = []
        for path in paths:
            results += run_shift_benchmark([path], args.time_limit, args.workers, args.out,
                                           args.seed)
            print(" | ".join(results[-1].as_row()), flush=True)
        print(f"\nShift scheduling, {args.time_limit:g} s per instance:")
        print(format_table(results), flush=True)
    if not args.no_post:
        post = run_post(args.seed, args.post_seconds, args.workers)
        gap = "-" if post.gap is None else f"{100 * post.gap:.2f} %"
        print(f"\nSynthetic Rusumo-shaped post (seed {post.seed}, {post.officers} officers, "
              f"28 days, 30-minute demand), {args.post_seconds:g} s: objective "
              f"{post.objective}, bound {post.bound}, proven gap {gap}, parts optimal "
              f"{post.parts_optimal}/{post.parts}, {post.seconds} s, peak {post.peak_rss_mb:.0f} MB, "
              f"checked {'yes' if post.feasible else 'NO'}", flush=True)


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
