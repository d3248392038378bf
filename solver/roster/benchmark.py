"""The Employee Shift Scheduling Benchmark (Curtois & Qu, Instances 1-24) on the engine.

An instance is read into an ordinary ``RosterProblem`` built from the engine's own rule
families (one agency, one office, one zone), so the benchmark measures the product's model
and search, not a model of its own. The mapping, rule by rule (FORMAT.md, section 3):

* one shift per day -> ``one_shift_per_day`` hard;
* shift rotation -> ``forbidden_successions`` hard; nothing reaches outside the horizon,
  because the instances carry no history (``history_days=0``);
* maximum shifts of each type -> ``max_shifts_per_template`` hard (0: never);
* minimum and maximum total minutes -> one ``working_time`` window over the horizon, hard;
* maximum consecutive shifts -> ``max_consecutive_days`` hard (outside days count as off);
* minimum consecutive shifts and days off -> ``min_consecutive_days`` and
  ``min_consecutive_days_off`` hard; runs touching either end are not judged, exactly the
  benchmark's border rule, because the days outside the horizon are unknown;
* maximum weekends (Saturday-Sunday) -> ``max_weekends`` hard;
* days off -> whole-day absences, hard;
* shift on and off requests -> ``ShiftRequest`` soft at their weights;
* cover -> ``ShiftCover`` with the under weight per missing and the over weight per extra
  employee.

The roster is written as the benchmark's tab-separated grid: one line per employee in file
order, one column per day, the shift ID or an empty cell for a day off.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from solver.roster.prepare import make_shifts, shift_id, utc
from solver.roster.problem import (
    Absence,
    Agency,
    Limit,
    MinutesWindow,
    Office,
    Officer,
    OfficerRules,
    RosterProblem,
    ShiftCover,
    ShiftRequest,
    ShiftTemplate,
    Succession,
    TemplateLimit,
)
from solver.rules import Enforcement

# The .ros version of the instances starts on 2014-01-06, a Monday (FORMAT.md, section 5).
BENCHMARK_START = date(2014, 1, 6)
BENCHMARK_ZONE = "UTC"
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DIRECTORY = REPO_ROOT.parent / "shared" / "benchmarks" / "shift-scheduling"
DIRECTORY_VARIABLE = "JUXTA_SHIFT_BENCHMARKS"


def benchmark_directory(directory: Path | None = None) -> Path:
    """The instance directory: given, else ``$JUXTA_SHIFT_BENCHMARKS``, else ``../shared``."""
    if directory is not None:
        return directory
    return Path(os.environ.get(DIRECTORY_VARIABLE, DEFAULT_DIRECTORY))


@dataclass(frozen=True, slots=True, kw_only=True)
class ShiftType:
    id: str
    minutes: int
    forbidden_next: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Employee:
    id: str
    max_shifts: tuple[tuple[str, int], ...]
    max_minutes: int
    min_minutes: int
    max_consecutive: int
    min_consecutive: int
    min_days_off: int
    max_weekends: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Request:
    employee: str
    day: int
    shift: str
    weight: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Cover:
    day: int
    shift: str
    requirement: int
    weight_under: int
    weight_over: int


@dataclass(frozen=True, slots=True, kw_only=True)
class BenchmarkInstance:
    """An instance file as published, section by section."""

    name: str
    horizon: int
    shift_types: tuple[ShiftType, ...]
    employees: tuple[Employee, ...]
    days_off: tuple[tuple[str, tuple[int, ...]], ...]
    on_requests: tuple[Request, ...]
    off_requests: tuple[Request, ...]
    cover: tuple[Cover, ...]


def _sections(text: str) -> dict[str, list[list[str]]]:
    sections: dict[str, list[list[str]]] = {}
    current: list[list[str]] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#"):
            continue
        if line.startswith("SECTION_"):
            current = sections.setdefault(line, [])
            continue
        if not line:
            current = None
            continue
        if current is not None:
            current.append(line.split(","))
    return sections


def read_instance(path: Path) -> BenchmarkInstance:
    sections = _sections(path.read_text())
    horizon = int(sections["SECTION_HORIZON"][0][0])
    shift_types = tuple(
        ShiftType(id=row[0], minutes=int(row[1]),
                  forbidden_next=tuple(f for f in (row[2] if len(row) > 2 else "").split("|")
                                       if f))
        for row in sections["SECTION_SHIFTS"])
    employees = []
    for row in sections["SECTION_STAFF"]:
        limits = tuple((key, int(value)) for key, value in
                       (entry.split("=") for entry in row[1].split("|") if entry))
        employees.append(Employee(
            id=row[0], max_shifts=limits, max_minutes=int(row[2]), min_minutes=int(row[3]),
            max_consecutive=int(row[4]), min_consecutive=int(row[5]),
            min_days_off=int(row[6]), max_weekends=int(row[7])))
    days_off = tuple((row[0], tuple(int(d) for d in row[1:] if d))
                     for row in sections.get("SECTION_DAYS_OFF", []))

    def requests(section: str) -> tuple[Request, ...]:
        return tuple(Request(employee=r[0], day=int(r[1]), shift=r[2], weight=int(r[3]))
                     for r in sections.get(section, []))

    cover = tuple(Cover(day=int(r[0]), shift=r[1], requirement=int(r[2]),
                        weight_under=int(r[3]), weight_over=int(r[4]))
                  for r in sections["SECTION_COVER"])
    return BenchmarkInstance(
        name=path.stem, horizon=horizon, shift_types=shift_types, employees=tuple(employees),
        days_off=days_off, on_requests=requests("SECTION_SHIFT_ON_REQUESTS"),
        off_requests=requests("SECTION_SHIFT_OFF_REQUESTS"), cover=cover)


AGENCY_ID = "staff"
OFFICE_ID = "ward"


def to_problem(instance: BenchmarkInstance) -> RosterProblem:
    """The instance as a roster problem of the engine's own rule families."""
    start = BENCHMARK_START
    agency = Agency(id=AGENCY_ID, name="Staff", side="XX")
    office = Office(id=OFFICE_ID, name="Ward", zone=BENCHMARK_ZONE, zone_side="XX")
    templates = tuple(
        ShiftTemplate(id=t.id, name=t.id, agency_id=agency.id, office_id=office.id,
                      start_minute=0, length_minutes=t.minutes, night=False)
        for t in instance.shift_types)
    shifts = make_shifts(templates, (office,), start, instance.horizon)
    successions = tuple(Succession(first_template=t.id, second_template=after)
                        for t in instance.shift_types for after in t.forbidden_next)
    officers = []
    for employee in instance.employees:
        rules = OfficerRules(
            forbidden_successions=successions,
            max_shifts_per_template=tuple(
                TemplateLimit(template_id=template, limit=Limit(value=most))
                for template, most in employee.max_shifts if most < instance.horizon),
            working_time=(MinutesWindow(
                first_day=start, last_day=start + timedelta(days=instance.horizon - 1),
                min_minutes=Limit(value=employee.min_minutes),
                max_minutes=Limit(value=employee.max_minutes)),),
            max_consecutive_days=Limit(value=employee.max_consecutive),
            min_consecutive_days=Limit(value=employee.min_consecutive),
            min_consecutive_days_off=Limit(value=employee.min_days_off),
            max_weekends=Limit(value=employee.max_weekends),
            weekend_days=frozenset({5, 6}),
        )
        officers.append(Officer(id=employee.id, name=employee.id, agency_id=agency.id,
                                side="XX", zone=BENCHMARK_ZONE, rules=rules))
    absences = tuple(
        Absence(officer_id=employee, start=_midnight(start, day),
                end=_midnight(start, day + 1), reason="a day off")
        for employee, days in instance.days_off for day in days)
    requests = tuple(
        ShiftRequest(officer_id=r.employee, day=start + timedelta(days=r.day), kind=kind,
                     template_id=r.shift, enforcement=Enforcement.soft(r.weight))
        for kind, rows in (("on", instance.on_requests), ("off", instance.off_requests))
        for r in rows)
    cover = tuple(
        ShiftCover(shift_id=shift_id(c.shift, start + timedelta(days=c.day)),
                   required=c.requirement, under=Enforcement.soft(c.weight_under),
                   over_weight=c.weight_over)
        for c in instance.cover)
    return RosterProblem(
        name=instance.name, start=start, days=instance.horizon, agencies=(agency,),
        offices=(office,), templates=templates, shifts=shifts, officers=tuple(officers),
        shift_cover=cover, absences=absences, requests=requests)


def _midnight(start: date, day: int):  # type: ignore[no-untyped-def]
    moment = start + timedelta(days=day)
    return utc(moment.year, moment.month, moment.day)


# --- Rosters in the benchmark's formats --------------------------------------------------------

Grid = dict[str, list[str | None]]


def grid_of(instance: BenchmarkInstance, assignments: frozenset[tuple[str, str]]) -> Grid:
    """Employee -> shift type per day (None for a day off)."""
    grid: Grid = {e.id: [None] * instance.horizon for e in instance.employees}
    for employee, shift in assignments:
        template, _, day = shift.partition("@")
        grid[employee][(date.fromisoformat(day) - BENCHMARK_START).days] = template
    return grid


def assignments_of(grid: Grid) -> frozenset[tuple[str, str]]:
    return frozenset(
        (employee, shift_id(template, BENCHMARK_START + timedelta(days=day)))
        for employee, row in grid.items() for day, template in enumerate(row) if template)


def format_grid(instance: BenchmarkInstance, grid: Grid) -> str:
    """The tab-separated grid RosterViewer reads: employees in file order, days as columns."""
    return "".join("\t".join(cell or "" for cell in grid[e.id]) + "\n"
                   for e in instance.employees)


def parse_grid(instance: BenchmarkInstance, text: str) -> Grid:
    rows = text.split("\n")
    grid: Grid = {}
    for employee, row in zip(instance.employees, rows, strict=False):
        cells = row.split("\t")
        grid[employee.id] = [(cells[d] or None) if d < len(cells) else None
                             for d in range(instance.horizon)]
    return grid


@dataclass(frozen=True, slots=True, kw_only=True)
class ReferenceRoster:
    """A published roster with the objective its author's own checker printed."""

    grid: Grid
    objective: int


_ROSTER_LINE = re.compile(r"^\s*([A-Z]+): (.*)$")
_FINAL = re.compile(r"Final solution \(checked for feasibility\): (\d+)")


def read_reference_rosters(path: Path) -> list[ReferenceRoster]:
    """The rosters of a ``strandmark_InstanceN.txt.out`` file (two characters a day)."""
    rosters = []
    grid: Grid = {}
    for line in path.read_text().splitlines():
        final = _FINAL.search(line)
        if final:
            rosters.append(ReferenceRoster(grid=grid, objective=int(final.group(1))))
            grid = {}
            continue
        match = _ROSTER_LINE.match(line)
        if match:
            cells = match.group(2)
            grid[match.group(1)] = [
                None if cells[i:i + 2].strip() in (".", "") else cells[i:i + 2].rstrip("=")
                for i in range(0, len(cells) - len(cells) % 2, 2)]
    return rosters


def best_known(directory: Path) -> dict[str, int]:
    """Instance name -> best-known objective, from ``BKS.md``."""
    values = {}
    for line in (directory / "BKS.md").read_text().splitlines():
        match = re.match(r"^\|\s*(\d+)\s*\|\s*(\d+)\s*\|", line)
        if match:
            values[f"Instance{match.group(1)}"] = int(match.group(2))
    return values


def resolve_instances(names: list[str], directory: Path | None = None) -> list[Path]:
    """``Instance5``, ``5`` or a path -> the instance file."""
    folder = benchmark_directory(directory)
    paths = []
    for name in names:
        candidate = Path(name)
        if candidate.suffix == ".txt" and candidate.exists():
            paths.append(candidate)
            continue
        stem = name if name.startswith("Instance") else f"Instance{name}"
        paths.append(folder / f"{stem}.txt")
    return paths


# --- The harness ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class BenchmarkResult:
    """One instance solved: what was found, against what is known, at what cost."""

    instance: str
    status: str
    objective: int | None
    best_known: int | None
    bound: int | None
    seconds: float
    peak_rss_mb: float
    feasible: bool
    grid: Path | None

    @property
    def gap(self) -> float | None:
        """(objective - best known) / best known."""
        if self.objective is None or not self.best_known:
            return None
        return (self.objective - self.best_known) / self.best_known

    def as_row(self) -> list[str]:
        def number(value: float | None, fmt: str = "{:.0f}") -> str:
            return "-" if value is None else fmt.format(value)
        return [self.instance, number(self.objective), number(self.best_known),
                number(None if self.gap is None else 100 * self.gap, "{:.1f} %"),
                number(self.bound), f"{self.seconds:.1f}", f"{self.peak_rss_mb:.0f}",
                "yes" if self.feasible else "NO"]


HEADER = ["instance", "objective", "best known", "gap", "bound", "seconds", "peak MB",
          "checked"]


def format_table(results: list[BenchmarkResult]) -> str:
    """A Markdown table of the results, with the mean gap as its last line."""
    rows = [HEADER, ["---"] * len(HEADER)] + [r.as_row() for r in results]
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    gaps = [r.gap for r in results if r.gap is not None]
    if gaps:
        lines.append(f"\nmean gap {100 * sum(gaps) / len(gaps):.2f} %, "
                     f"largest {100 * max(gaps):.2f} %")
    return "\n".join(lines)


def peak_memory_mb() -> float:
    """This process's peak resident memory in MB.

    From the kernel's high-water mark of the process's own memory (``VmHWM``) where there is
    one: ``ru_maxrss`` keeps, across the exec of a freshly spawned process, the peak of the
    copy of its parent it was forked from, so under ``make bench`` every instance reported
    the 1,383 MB the benchmarks before it had left the parent at (Instance 1 included,
    solved in 0.6 s)."""
    import resource

    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def solve_instance(path: Path, time_limit: float, workers: int, out_dir: Path,
                   seed: int = 1) -> BenchmarkResult:
    """Read, solve, check and write one instance, in this process."""
    import time

    from solver.config import SolverConfig
    from solver.roster.checker import check
    from solver.roster.solve import solve

    started = time.monotonic()
    instance = read_instance(path)
    problem = to_problem(instance)
    solution = solve(problem, SolverConfig(time_limit_seconds=time_limit, workers=workers,
                                           seed=seed))
    seconds = time.monotonic() - started
    report = check(problem, solution)
    feasible = solution.has_roster and report.feasible and report.objective == solution.objective
    grid_path = None
    if solution.has_roster:
        out_dir.mkdir(parents=True, exist_ok=True)
        grid_path = out_dir / f"{instance.name}.roster.txt"
        grid_path.write_text(format_grid(instance, grid_of(instance, solution.assigned_pairs())))
    known = best_known(path.parent).get(instance.name) if (path.parent / "BKS.md").exists() \
        else None
    peak = peak_memory_mb()
    return BenchmarkResult(instance=instance.name, status=solution.status,
                           objective=solution.objective, best_known=known,
                           bound=solution.best_bound, seconds=round(seconds, 1),
                           peak_rss_mb=peak, feasible=feasible, grid=grid_path)


def run_shift_benchmark(instances: list[Path], time_limit: float, workers: int, out_dir: Path,
                        seed: int = 1) -> list[BenchmarkResult]:
    """Solve each instance in a fresh process (so its peak memory is its own) and collect
    the results; each roster is written to ``out_dir`` as the benchmark's grid."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    results = []
    context = multiprocessing.get_context("spawn")
    for path in instances:
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            results.append(pool.submit(solve_instance, path, time_limit, workers, out_dir,
                                       seed).result())
    return results
