"""``solve(problem, config)``: the rostering engine's entry point.

1. Decompose: agencies are rostered independently unless a rule couples them (demand at an
   office staffed by several agencies, a fair-spread group across agencies), so the problem
   splits into independent parts, each a small CP-SAT model that can be solved to proven
   optimality, instead of one large model whose bound CP-SAT would struggle to close.
2. Search each part within its share of the time (in proportion to its size; time a part
   does not need passes on): a CP-SAT run, and if it does not prove the part optimal,
   large-neighbourhood search (``lns``) for the rest of the share. Very large parts start
   from a roster built officer by officer (``construct``); the largest (a year of a hundred
   officers) skip the full run and are searched by windows posed as problems of their own
   (``window``). The time left then goes to CP-SAT runs on the parts still open, from their
   best roster, to close them.
3. Polish: with every assignment fixed, one more solve sets each penalty variable to its
   exact value, so the objective and its breakdown equal what the checker recomputes.
4. If a part has no roster, explain why (``explain``).
"""

from __future__ import annotations

import dataclasses
import math
import threading
import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from solver.config import ProgressCallback, ProgressPoint, SolverConfig, SolveStats, SolveStatus
from solver.cpsat import CpSatRun, clone_model, run_cpsat
from solver.ids import Groups
from solver.relaxation import model_proto, proto_relaxation_bound
from solver.roster import columns
from solver.roster.checker import check_assignments
from solver.roster.construct import construct
from solver.roster.lns import improve
from solver.roster.model import (
    RosterModel,
    build_model,
    heaviest_first,
    interchangeable_officers,
    penalty_sum,
)
from solver.roster.names import COVER_UNDER
from solver.roster.problem import RosterProblem, RosterSolution
from solver.roster.window import decomposable
from solver.rules import Violation

ENGINE = "roster"
# Parts with demand per shift and at least this many assignment variables start from a roster
# built officer by officer with ``CONSTRUCTION_SHARE`` of their time: CP-SAT alone takes long
# to find any roster for them.
CONSTRUCT_MIN_VARIABLES = 20_000
# Parts with at least this many assignment variables are searched by windows posed as
# problems of their own, where their rules allow (``window``): copying and presolving the
# whole model took most of each neighbourhood step of the year-long Instances 23 (332,592
# variables) and 24, which windows took from 2,851 % to 238 % and from 2,587 % to 588 % at
# 600 s. Instance 22 (182,000) did better searched whole: 52 % against 80 % by windows.
WINDOW_MIN_VARIABLES = 250_000
# Shares of a large part's time: building a first roster officer by officer, then one full
# CP-SAT run from it (for its bound, and the improvements CP-SAT finds quickly); the rest goes
# to large-neighbourhood search, which improves the benchmark's 28-day instances faster than
# a longer full run does (Instances 1-12 at 60 s: a tenth for the full run took the mean gap
# from 8.2 % to under 2 %; see docs/benchmarks.md). Instance 13 did worse with 15 % for the
# construction: 2,308 against 2,009 at 600 s, the construction taking 90 s where 35 s had
# given the search a start almost as good.
CONSTRUCTION_SHARE = 0.05
# Smaller parts with demand per shift (the benchmark's 28-day instances) start from the roster
# built officer by officer too, with up to this share: their passes stop improving within
# about 7 s (Instance 12), which CP-SAT's first run and the search take about 25 s to reach
# from nobody working (Instance 12, seeds 1-6 at 60 s: mean 4,456 against 4,720).
SMALL_CONSTRUCT_MIN_VARIABLES = 2_000
SMALL_CONSTRUCTION_SHARE = 0.25
# Parts searched by windows give the construction more: its later passes, each officer planned
# again against the others' rosters, saved about 400 per second on Instance 23 where the
# window search had averaged 170.
WINDOWED_CONSTRUCTION_SHARE = 0.6
# Parts with demand per interval (a post's rosters) start from the roster built officer by
# officer from this size, and give it this share: on the Rusumo sample at 60 s, Rwanda's
# customs (34 officers, 7,026 variables) reached 974,240 from it against 1,310,024 from the
# full run alone, Tanzania's 1,970,081 against 2,646,800 (docs/benchmarks.md, issue 3, tenth
# session). Most of their share: each pass re-plans every officer against the others' rosters
# in a tenth of a second each, where a neighbourhood step copies and presolves the whole
# part; Tanzania's customs alone at 60 s stood at 1,942,905 after 18 s of construction and
# 2,253,705 after 6 s, and the search after a 4 s construction took 7 s to save 11,480.
# Rusumo's roster at 60 s: gaps of 0.64-0.81 % with 0.85 against 1.46-2.22 % with 0.3
# (docs/benchmarks.md, issue 3, nineteenth session).
INTERVAL_CONSTRUCT_MIN_VARIABLES = 4_000
INTERVAL_CONSTRUCTION_SHARE = 0.85
# Parts up to this many days get their weekends planned before the construction wherever they
# are scarce (``weekend_plan``), as parts searched by windows do: an officer's model of four
# weeks solves in a tenth of a second held to the plan. On Instance 22 (a year searched whole)
# no officer has a roster around the flow's weekends: each must work 232 of the year's days,
# and holding the weekends the flow picks one by one leaves room for 206 to 230. Instance 13
# (120 officers, 28 days) went from 1,696 to 1,447 at 600 s with the plan, Instances 1-12 at
# 60 s from a mean gap of 1.9 % to 1.7 %.
PLAN_MAX_DAYS = 28
# Parts with demand per interval of at least this many variables get a bound from the linear
# relaxation of their model, solved by PDLP on a thread of its own while the search goes on:
# there the relaxation is within about 1 % of the best roster where CP-SAT's bound stays
# far below it (Rwanda's customs at Rusumo: 142,000 after 300 s, relaxation 885,103 against
# 897,340). Smaller parts CP-SAT closes itself; above the largest, building the LP in Python
# would cost more than its bound is worth. With demand per shift (the benchmark) the
# relaxation needs the rows the thread leaves out (Instance 12: 91 without them, 3,627 with
# them, against 4,040), and the search there needs both cores more than a bound.
RELAXATION_MIN_VARIABLES = 2_000
RELAXATION_MAX_VARIABLES = 60_000
FIRST_RUN_SHARE = 0.1
# Parts with demand per shift, of four weeks or less and up to 5,000 variables (CP-SAT runs
# them whole in seconds), give up to this share of their time, once the search stalls for a tenth
# of it, to CP-SAT runs on the whole part asked for fewer officers missing than the best
# roster, from it: where missing officers dominate the cost, the neighbourhoods keep the same
# weekends short (Instance 5: 12 officers missing in every run at 60 s, where asked for 11
# from that roster CP-SAT finds one in 1 to over 20 s, by its seed). Larger parts lose more
# of the search's time than the runs find: Instance 12 (10,452 assignments, seeds 1-3 at 60 s)
# ended 4,103, 4,388 and 4,295 with them against 4,211, 4,090 and 4,193 without. Longer
# parts (the benchmark's 6- to 12-week instances, measured at 600 s without it) are left as
# they were.
FEWER_MISSING_SHARE = 0.35
FEWER_MISSING_MAX_VARIABLES = 5_000
FEWER_MISSING_MAX_DAYS = 28
FEWER_MISSING_ATTEMPT_SECONDS = 8.0
FEWER_MISSING_STALL_SHARE = 0.1
FIRST_RUN_MIN_SECONDS = 1.0
# The least a part gets in the first round, what the small parts may spend beyond their size's
# share in all, as a share of the limit, and the least limit they do so under (see
# ``_search_parts``).
SMALL_PART_SECONDS = 3.0
SMALL_PARTS_EXTRA_SHARE = 0.1
SMALL_PARTS_MIN_LIMIT_SECONDS = 60.0
POLISH_SECONDS = 5.0
# Parts with demand per shift between these sizes start from the relaxation over officers'
# rosters (``columns``), given this share of their time. Below, CP-SAT alone proves Instances
# 1-3 optimal in under 1.5 s. Above: Instance 12 (10,453 variables) needed 26-36 s of rounds
# on two cores, so the range stops short of parts four times its size (Instance 13, untried).
# Instance 8 needed 16-25 s of its 57 s for the relaxation and the dive; the rest goes to the
# search from the dived roster.
COLUMNS_MIN_VARIABLES = 650
COLUMNS_MAX_VARIABLES = 20_000
COLUMN_SHARE = 0.6


@dataclass(slots=True)
class Part:
    """One independent sub-problem and the best roster found for it so far."""

    problem: RosterProblem
    built: RosterModel
    values: dict[tuple[str, str], bool] | None = None
    objective: int | None = None
    bound: int | None = None
    status: SolveStatus = "unknown"
    runs: list[SolveStats] = field(default_factory=list)
    costs: tuple[Violation, ...] = ()

    @property
    def size(self) -> int:
        return len(self.built.vars.x) + 1

    @property
    def settled(self) -> bool:
        return self.status in ("optimal", "infeasible", "model_invalid")

    def offer(self, values: dict[tuple[str, str], bool], objective: int) -> bool:
        """Keep ``values`` if they cost less than the best roster so far."""
        if self.objective is not None and objective >= self.objective:
            return False
        self.values, self.objective = values, objective
        if self.status == "unknown":
            self.status = "feasible"
        self._close_if_proven()
        return True

    def raise_bound(self, bound: float) -> None:
        rounded = math.ceil(bound - 1e-6)
        if self.bound is None or rounded > self.bound:
            self.bound = rounded
        self._close_if_proven()

    def _close_if_proven(self) -> None:
        if self.objective is not None and self.bound is not None and self.bound >= self.objective:
            self.bound = self.objective
            self.status = "optimal"


def solve(problem: RosterProblem, config: SolverConfig | None = None,
          on_progress: ProgressCallback | None = None) -> RosterSolution:
    """Roster ``problem`` within ``config``'s time, workers and seed."""
    config = config or SolverConfig()
    started = time.monotonic()
    parts = [Part(problem=p, built=build_model(p)) for p in split_problem(problem)]
    progress = _Progress(parts, started, on_progress)
    deadline = started + config.time_limit_seconds
    relaxations = None if config.deterministic else _RelaxationBounds(parts, deadline)
    _search_parts(parts, config, deadline, progress)
    if relaxations is not None:
        relaxations.apply()
    stranded = [part for part in parts if part.values is None and not part.settled]
    if stranded and not config.deterministic:
        # Half the time limit more in all, shared by size: each stranded part getting half
        # the limit overran a 30 s Kapitan Andreevo roster to 104 s.
        total = sum(part.size for part in stranded)
        for part in stranded:
            share = config.time_limit_seconds / 2 * part.size / total
            _rescue(part, max(share, 1.0), config, progress)
    for part in parts:
        if part.values is not None:
            _polish(part, config)
    return _combine(problem, parts, config, started, progress)


def _rescue(part: Part, seconds: float, config: SolverConfig, progress: _Progress) -> None:
    """A part left without any roster (its share was too short for CP-SAT's first roster on
    a model this size) would leave the whole post without one. If nobody working keeps every
    hard rule (the independent checker says so), that roster is a start from which
    large-neighbourhood search improves for ``seconds``; otherwise a full run gets them.
    Either way the limit may be overrun rather than the plan lost."""
    if _offer_nobody(part):
        improve(part, seconds, config, lambda: progress.report(), by_windows=_by_windows(part))
    else:
        _run_full(part, seconds, config, progress)


def _offer_nobody(part: Part) -> bool:
    """Make nobody working the part's roster, if the independent checker finds it keeps every
    hard rule (it does wherever minimum hours and cover are soft, as at a post)."""
    empty = check_assignments(part.problem, frozenset())
    if empty.feasible:
        part.offer({key: False for key in part.built.vars.x}, empty.objective)
    return empty.feasible


class _RelaxationBounds:
    """Bounds from the linear relaxation of the parts with demand per interval, computed on a
    thread while the search runs (PDLP releases the interpreter as CP-SAT does), smallest part
    first so that as many as the time allows finish. Each part's model is copied before the
    search starts changing it; the bounds are applied once the search is over."""

    def __init__(self, parts: list[Part], deadline: float) -> None:
        self.deadline = deadline
        chosen = sorted(filter(_bounded_by_relaxation, parts), key=lambda p: p.size)
        self.pending = [(part, model_proto(part.built.model)) for part in chosen]
        self.bounds: list[tuple[Part, float]] = []
        self.thread = threading.Thread(target=self._run, daemon=True)
        if self.pending:
            self.thread.start()

    def _run(self) -> None:
        for part, proto in self.pending:
            if part.settled:
                continue  # the search proved it before its turn came
            # Its answer is read after PDLP stops: half a second for that, within the limit.
            left = self.deadline - time.monotonic() - 0.5
            if left < 1.0:
                return
            # Without the rows of enforced constraints: on the sample posts they leave every
            # bound where it was (within 0.1 %) and double PDLP's time, which at 30 s left
            # Rusumo's two customs parts without any bound.
            result = proto_relaxation_bound(proto, left, enforced=False)
            if result.bound is not None:
                self.bounds.append((part, result.bound))

    def apply(self) -> None:
        # PDLP stops before the deadline by its own time limit; a bound not in by then is lost.
        if self.thread.is_alive():
            self.thread.join(max(self.deadline - time.monotonic(), 0.0))
        for part, bound in list(self.bounds):
            part.raise_bound(bound)


def _bounded_by_relaxation(part: Part) -> bool:
    """Whether the relaxation's thread bounds ``part`` (the thread runs unless the solve is
    deterministic)."""
    return bool(part.problem.interval_cover) and (
        RELAXATION_MIN_VARIABLES <= part.size <= RELAXATION_MAX_VARIABLES)


# --- Decomposition ----------------------------------------------------------------------------


def split_problem(problem: RosterProblem) -> list[RosterProblem]:
    """Independent sub-problems: agencies grouped only where a rule couples them."""
    linked = Groups(a.id for a in problem.agencies)
    agencies_at: dict[str, set[str]] = {}
    for shift in problem.shifts:
        agencies_at.setdefault(shift.office_id, set()).add(shift.agency_id)
    for office_id in {c.office_id for c in problem.interval_cover}:
        linked.join(agencies_at.get(office_id, ()))
    for group in problem.fair_spread:
        linked.join(problem.officer(o).agency_id for o in group.officer_ids)
    groups = linked.groups()
    if len(groups) == 1:
        return [problem]
    return [restrict_to_agencies(problem, ids) for ids in groups]


def restrict_to_agencies(problem: RosterProblem, agency_ids: set[str]) -> RosterProblem:
    """The part of ``problem`` that concerns only ``agency_ids`` (and their officers)."""
    officers = tuple(o for o in problem.officers if o.agency_id in agency_ids)
    officer_ids = {o.id for o in officers}
    shifts = tuple(s for s in problem.shifts if s.agency_id in agency_ids)
    shift_ids = {s.id for s in shifts}
    offices = {s.office_id for s in shifts}
    published = problem.published
    if published is not None:
        published = dataclasses.replace(published, assignments=frozenset(
            pair for pair in published.assignments if pair[0] in officer_ids))
    return dataclasses.replace(
        problem,
        name=f"{problem.name} / {', '.join(sorted(problem.agency(a).name for a in agency_ids))}",
        agencies=tuple(a for a in problem.agencies if a.id in agency_ids),
        templates=tuple(t for t in problem.templates if t.agency_id in agency_ids),
        shifts=shifts,
        officers=officers,
        shift_cover=tuple(c for c in problem.shift_cover if c.shift_id in shift_ids),
        interval_cover=tuple(c for c in problem.interval_cover if c.office_id in offices),
        absences=tuple(a for a in problem.absences if a.officer_id in officer_ids),
        requests=tuple(r for r in problem.requests if r.officer_id in officer_ids),
        history=tuple(h for h in problem.history if h.officer_id in officer_ids),
        pins=tuple(p for p in problem.pins if p.officer_id in officer_ids),
        published=published,
        fair_spread=tuple(g for g in problem.fair_spread if g.officer_ids[0] in officer_ids),
    )


# --- Search -----------------------------------------------------------------------------------


def _search_parts(parts: list[Part], config: SolverConfig, deadline: float,
                  progress: _Progress) -> None:
    """Round one gives every part its share (``_optimise``); round two gives the time the
    parts that closed early did not need to full CP-SAT runs on the parts still open.

    Shares go by size, but in round one a small part gets a few seconds
    (``SMALL_PART_SECONDS``, as far as an even split of the time left allows) for as long as
    what the small parts spend beyond their size's share stays within
    ``SMALL_PARTS_EXTRA_SHARE`` of the limit: by size alone Rusumo's veterinary parts (549 and
    648 assignments) got under a second of 60 and ended 284,100 and 137,160 above their
    bounds, where 3 s alone proves the first optimal. Under a limit of
    ``SMALL_PARTS_MIN_LIMIT_SECONDS`` shares go by size alone: at 30 s the few seconds once
    left a large part of Kapitan Andreevo's without a roster in its share (rescued, 46 s in
    all), and, with the large parts of posts now built officer by officer, they gave nothing
    beyond the runs' spread (docs/benchmarks.md, issue 3, nineteenth session)."""
    reserve = min(POLISH_SECONDS, 0.05 * config.time_limit_seconds)
    # Nothing beyond the shares by size where those are the rule: short limits, and
    # deterministic runs (whose shares must not depend on the clock).
    extra_left = (SMALL_PARTS_EXTRA_SHARE * config.time_limit_seconds
                  if config.time_limit_seconds >= SMALL_PARTS_MIN_LIMIT_SECONDS
                  and not config.deterministic else 0.0)
    for round_ in (1, 2):
        open_parts = sorted((p for p in parts if not p.settled), key=lambda p: p.size)
        for index, part in enumerate(open_parts):
            remaining = deadline - reserve - time.monotonic()
            if remaining <= 0.01:
                return
            if config.deterministic:
                share = config.time_limit_seconds * part.size / sum(p.size for p in parts)
            else:
                share = remaining * part.size / sum(p.size for p in open_parts[index:])
            if round_ == 2:
                _run_full(part, share, config, progress)
                continue
            floor = min(SMALL_PART_SECONDS, remaining / (len(open_parts) - index),
                        share + extra_left)
            began = time.monotonic()
            _optimise(part, max(share, floor), config, progress)
            extra_left -= max(time.monotonic() - began - share, 0.0)
        if config.deterministic:
            return


def _optimise(part: Part, seconds: float, config: SolverConfig, progress: _Progress) -> None:
    """A CP-SAT run, then, unless it closed the part, large-neighbourhood search.

    Very large parts first get a roster built officer by officer (``construct``) as the
    run's starting point, since CP-SAT alone takes long to find any roster for them.
    """
    started = time.monotonic()

    def left() -> float:
        return seconds - (time.monotonic() - started)

    hint = part.values
    windowed = _by_windows(part)
    share = _construction_share(part, windowed)
    if hint is None and _by_columns(part, config):
        hint = _start_from_columns(part, seconds * COLUMN_SHARE, config)
    if hint is None and share is not None:
        roster = construct(part.problem, config, seconds * share,
                           weekend_plan=windowed or part.problem.days <= PLAN_MAX_DAYS)
        if roster is not None:
            hint = heaviest_first(part.problem, interchangeable_officers(part.problem),
                                  {key: key in roster for key in part.built.vars.x})
            # Where the constructed roster keeps every hard rule, it is the part's roster
            # until the search finds a better one: CP-SAT may not take a hint this large in
            # its first run, and a part left without a roster loses the whole plan.
            checked = check_assignments(part.problem, frozenset(roster))
            if checked.feasible:
                part.offer(hint, checked.objective)
    if part.values is not None and windowed:
        # A full run of a model this size spends its share loading and presolving; the
        # windows improve the constructed roster from the first second.
        improve(part, left(), config, lambda: progress.report(), by_windows=True)
        return
    if hint is None:
        # Nobody working keeps every hard rule whenever minimum hours and cover are soft, as
        # they are at a post; from it CP-SAT has a roster at once, however short the share.
        hint = {key: False for key in part.built.vars.x}
    # However short the share, the first run gets long enough to load the model and take
    # the hint: a part left without a roster here is only rescued after the time limit. A
    # built roster whose part the relaxation bounds needs no such run: on Rusumo's customs
    # parts it took 1.2-1.4 s of a 12-13 s share and came back with the built roster and
    # no bound.
    if part.values is None or config.deterministic or not _bounded_by_relaxation(part):
        _run_full(part, max(min(left(), seconds * FIRST_RUN_SHARE), FIRST_RUN_MIN_SECONDS),
                  config, progress, hint)
    fewer_missing = (seconds * FEWER_MISSING_SHARE if not part.problem.interval_cover
                     and part.size <= FEWER_MISSING_MAX_VARIABLES
                     and part.problem.days <= FEWER_MISSING_MAX_DAYS else 0.0)
    while left() > 0.5 and not part.settled:
        if part.values is None:
            # Still from the hint: a run that stopped before taking it has found nothing else.
            _run_full(part, left(), config, progress, hint)
        elif fewer_missing >= FIRST_RUN_MIN_SECONDS:
            # Once the search stalls, a roster with fewer officers missing is what it lacks.
            improve(part, left(), config, lambda: progress.report(),
                    stall_seconds=max(FEWER_MISSING_STALL_SHARE * seconds,
                                      FEWER_MISSING_ATTEMPT_SECONDS))
            began = time.monotonic()
            worth_more = _fewer_missing(part, min(left(), fewer_missing), config, progress)
            fewer_missing = fewer_missing - (time.monotonic() - began) if worth_more else 0.0
        else:
            improve(part, left(), config, lambda: progress.report(), by_windows=windowed)


def _construction_share(part: Part, windowed: bool) -> float | None:
    """The share of the part's time for a roster built officer by officer; None for a part
    small enough that CP-SAT finds its first roster itself."""
    if windowed:
        return WINDOWED_CONSTRUCTION_SHARE
    if part.problem.interval_cover:
        thresholds = [(INTERVAL_CONSTRUCT_MIN_VARIABLES, INTERVAL_CONSTRUCTION_SHARE)]
    else:
        thresholds = [(CONSTRUCT_MIN_VARIABLES, CONSTRUCTION_SHARE),
                      (SMALL_CONSTRUCT_MIN_VARIABLES, SMALL_CONSTRUCTION_SHARE)]
    return next((share for least, share in thresholds if part.size >= least), None)


def _by_columns(part: Part, config: SolverConfig) -> bool:
    """Whether the part starts from the relaxation over officers' rosters (``columns``):
    not in deterministic runs, whose pricing would follow the clock."""
    return (not config.deterministic and part.problem.days <= PLAN_MAX_DAYS
            and COLUMNS_MIN_VARIABLES <= part.size <= COLUMNS_MAX_VARIABLES
            and columns.applies(part.problem))


def _start_from_columns(part: Part, seconds: float,
                        config: SolverConfig) -> dict[tuple[str, str], bool] | None:
    """The dived roster as the part's start (and roster, if the checker finds it keeps
    every hard rule); the relaxation's bound as the part's."""
    start = columns.column_start(part.problem, config, seconds, part.built)
    if start is None:
        return None
    if start.bound is not None:
        part.raise_bound(start.bound)
    if start.roster is None:
        return None
    hint = heaviest_first(part.problem, interchangeable_officers(part.problem),
                          {key: key in start.roster for key in part.built.vars.x})
    checked = check_assignments(part.problem, frozenset(start.roster))
    if checked.feasible:
        part.offer(hint, checked.objective)
    return hint


def _by_windows(part: Part) -> bool:
    return part.size >= WINDOW_MIN_VARIABLES and decomposable(part.problem)


def _run_full(part: Part, seconds: float, config: SolverConfig, progress: _Progress,
              hint: dict[tuple[str, str], bool] | None = None) -> None:
    """One CP-SAT run on the whole part, from ``hint`` or else its best roster, if any."""
    model = part.built.model
    model.clear_hints()
    start = hint if hint is not None else part.values
    if start is not None:
        for key, var in part.built.vars.x.items():
            model.add_hint(var, start[key])
    run = run_cpsat(model, dataclasses.replace(config, time_limit_seconds=max(seconds, 0.01)),
                    engine=ENGINE, solver=tuned_solver(config),
                    on_progress=lambda point: progress.report(part, point))
    _absorb(part, run)


def _fewer_missing(part: Part, seconds: float, config: SolverConfig,
                   progress: _Progress) -> bool:
    """CP-SAT runs on the whole part held to fewer officers missing than its best roster,
    each from that roster, until one finds a roster or ``seconds`` run out.

    How long such a run takes to find a roster varies with its seed far more than with its
    length (Instance 5: from 1 s to over 20 s), so the share goes in short attempts, each on
    a seed of its own, with CP-SAT's default workers: on Instance 5 at 60 s their first
    attempt found one on each of four seeds, where the LP-heavy worker of the full runs
    failed four attempts of 5 s on one seed of three. What a run proves says nothing of the
    part's own bound, so only its rosters count, each kept only if it costs less in all.
    Returns whether more time could still find one (False once none can have fewer missing,
    or none is missing)."""
    deadline = time.monotonic() + seconds
    under = [penalty for penalty in part.built.penalties if penalty.rule == COVER_UNDER]
    if not under or part.values is None or part.settled:
        return False
    # An attempt that finds nothing leaves the roster as it was: the question stands.
    missing = check_assignments(part.problem, frozenset(
        key for key, on in part.values.items() if on)).cost_by_rule().get(COVER_UNDER, 0)
    if not missing:
        return False
    attempt = 0
    while (left := deadline - time.monotonic()) >= FIRST_RUN_MIN_SECONDS:
        # A fresh model every attempt, although each asks the same question: one model solved
        # again attempt after attempt found a roster on Instance 5 on one seed of three, fresh
        # ones on five of five.
        model = clone_model(part.built.model)
        model.clear_hints()
        for key, var in part.built.vars.x.items():
            model.add_hint(var, part.values[key])
        model.add(penalty_sum(under) <= missing - 1)
        attempt += 1
        run = run_cpsat(model, dataclasses.replace(
            config, time_limit_seconds=min(left, FEWER_MISSING_ATTEMPT_SECONDS),
            seed=config.seed + attempt), engine=ENGINE, solver=cp_model.CpSolver())
        part.runs.append(run.stats)
        if run.stats.status == "infeasible":
            return False
        if run.has_solution and run.stats.objective is not None and part.offer(
                part.built.read_values(run.solver), round(run.stats.objective)):
            progress.report()
            return True  # the search polishes it before asking for fewer still
    return True


def tuned_solver(config: SolverConfig) -> cp_model.CpSolver:
    """A solver with the roster's search settings; ``run_cpsat`` adds time, workers, seed.

    Rostering models are mostly linear constraints over Booleans whose LP relaxation (with
    the clauses linearised) is strong, so the full-problem worker is the LP-heavy one.
    """
    solver = cp_model.CpSolver()
    if config.workers <= 2:
        solver.parameters.subsolvers.append("max_lp")
    else:
        solver.parameters.linearization_level = 2
    return solver


def _absorb(part: Part, run: CpSatRun) -> None:
    stats = run.stats
    part.runs.append(stats)
    if stats.status == "infeasible" and part.values is None:
        part.status = "infeasible"
        return
    if stats.status == "model_invalid":
        part.status = "model_invalid"
        return
    if run.has_solution and stats.objective is not None:
        part.offer(part.built.read_values(run.solver), round(stats.objective))
        if stats.status == "optimal" and round(stats.objective) == part.objective:
            part.raise_bound(stats.objective)
    if run.has_solution and stats.best_bound is not None:
        part.raise_bound(stats.best_bound)


# --- Polishing and the combined solution --------------------------------------------------------


def _polish(part: Part, config: SolverConfig) -> None:
    """Fix the roster and minimise the penalty variables alone: the exact cost of the roster.

    The search is over, so the part's own model is fixed in place: a copy of a year-long
    model would add a gigabyte to the solve's peak memory (Instance 24)."""
    assert part.values is not None
    model = part.built.model
    model.clear_hints()
    model.add_bool_and([
        model.get_bool_var_from_proto_index(var.index) if part.values[key]
        else ~model.get_bool_var_from_proto_index(var.index)
        for key, var in part.built.vars.x.items()])
    run = run_cpsat(model, SolverConfig(time_limit_seconds=POLISH_SECONDS * 6, workers=1,
                                        seed=config.seed), engine=ENGINE)
    if not run.has_solution or run.stats.objective is None:
        raise RuntimeError(f"{part.problem.name}: the roster found does not satisfy its own "
                           f"model ({run.stats.status})")
    part.objective = round(run.stats.objective)
    part.costs = part.built.read_costs(run.solver)
    if part.bound is not None and part.bound >= part.objective:
        part.bound = part.objective
        part.status = "optimal"


def _combine(problem: RosterProblem, parts: list[Part], config: SolverConfig, started: float,
             progress: _Progress) -> RosterSolution:
    statuses = {p.status for p in parts}
    status: SolveStatus
    if "infeasible" in statuses:
        status = "infeasible"
    elif "model_invalid" in statuses:
        status = "model_invalid"
    elif "unknown" in statuses:
        status = "unknown"
    elif statuses <= {"optimal"}:
        status = "optimal"
    else:
        status = "feasible"
    has_roster = status in ("optimal", "feasible")
    objective = sum(p.objective or 0 for p in parts) if has_roster else None
    bound = (sum(p.bound for p in parts if p.bound is not None)
             if has_roster and all(p.bound is not None for p in parts) else None)
    explanation: list[Violation] = []
    if status == "infeasible":
        from solver.roster.explain import explain_infeasible

        remaining = max(config.time_limit_seconds - (time.monotonic() - started), 0)
        budget = dataclasses.replace(config, time_limit_seconds=max(remaining, 10.0))
        for part in parts:
            if part.status == "infeasible":
                explanation += explain_infeasible(part.problem, budget).conflicts
    assignments = [a for p in parts if has_roster and p.values is not None
                   for a in p.built.assignments(p.values)]
    stats = SolveStats(
        engine=ENGINE, status=status, objective=None if objective is None else float(objective),
        best_bound=None if bound is None else float(bound), seed=config.seed,
        time_limit_seconds=config.time_limit_seconds, workers=config.workers,
        wall_seconds=round(time.monotonic() - started, 3), progress=tuple(progress.points))
    return RosterSolution(
        status=status, assignments=tuple(sorted(assignments)), objective=objective,
        best_bound=bound, stats=stats,
        costs=tuple(c for p in parts for c in p.costs) if has_roster else (),
        explanation=tuple(explanation), parts=tuple(_part_stats(p, config) for p in parts))


def _part_stats(part: Part, config: SolverConfig) -> SolveStats:
    return SolveStats(
        engine=f"{ENGINE}: {part.problem.name}", status=part.status,
        objective=None if part.objective is None else float(part.objective),
        best_bound=None if part.bound is None else float(part.bound), seed=config.seed,
        time_limit_seconds=config.time_limit_seconds, workers=config.workers,
        wall_seconds=round(sum(r.wall_seconds for r in part.runs), 3))


class _Progress:
    """Improving rosters of the parts, reported as the whole problem's objective and bound.

    While some parts have no roster yet, the figures cover the parts that have one.
    """

    def __init__(self, parts: list[Part], started: float,
                 callback: ProgressCallback | None) -> None:
        self.parts = parts
        self.started = started
        self.callback = callback
        self.points: list[ProgressPoint] = []

    def report(self, part: Part | None = None, point: ProgressPoint | None = None) -> None:
        objective = 0.0
        bound = 0.0
        for each in self.parts:
            if each is part and point is not None:
                objective += min(point.objective, each.objective or math.inf)
                bound += max(point.bound, each.bound or -math.inf)
            else:
                objective += each.objective or 0
                bound += each.bound or 0
        new = ProgressPoint(seconds=round(time.monotonic() - self.started, 3),
                            objective=objective, bound=bound)
        if self.points and new.objective >= self.points[-1].objective:
            return
        self.points.append(new)
        if self.callback is not None:
            self.callback(new)
