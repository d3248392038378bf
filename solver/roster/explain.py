"""Why a roster cannot exist, in users' words: a small set of rules, officers and days.

Every hard rule of the model is switched on by a named literal per rule and scope (an
officer's leave, a day's demand, an officer's 48-hour limit...). CP-SAT, asked to switch them
all on, answers with a subset that cannot hold together (``sufficient_assumptions_for_
infeasibility``); removing members one by one while the rest still conflict leaves a minimal
set, where dropping any single member makes the rest feasible. That set is phrased as, for
example, "Customs TZ, 3-5 May: 4 officers with the scanner skill are needed on the Night
shift; Amani and Baraka are on leave; Chausiku is at the 48 h limit".
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from ortools.sat.python import cp_model

from solver.config import SolverConfig
from solver.cpsat import run_cpsat
from solver.roster import names
from solver.roster.model import build_model
from solver.roster.problem import RosterProblem
from solver.roster.variables import Guard
from solver.rules import Violation

ENGINE = "roster-explain"
MAX_DAYS_WIDENED = 31
Scope = tuple[str, str]


@dataclass(frozen=True, slots=True, kw_only=True)
class Explanation:
    """The outcome of asking whether the hard rules can hold together.

    ``conflicts`` name the rules that cannot all hold (one per rule and scope) and ``scopes``
    their keys, in the same order, for relaxing them (``feasible_without``). ``minimal`` is
    False when the time ran out before every member was shown to be necessary.
    """

    feasible: bool
    conflicts: tuple[Violation, ...] = ()
    scopes: tuple[Scope, ...] = ()
    summary: str = ""
    minimal: bool = True


def explain_infeasible(problem: RosterProblem, config: SolverConfig | None = None) -> Explanation:
    """Find and phrase a minimal set of hard rules that cannot all hold."""
    config = config or SolverConfig(time_limit_seconds=30)
    deadline = time.monotonic() + config.time_limit_seconds
    built = build_model(problem, explain=True)
    guards = built.vars.guards
    keys = list(guards)
    answer = _solve_with(built.model, [guards[k][0] for k in keys], config, deadline)
    if answer is None:
        return Explanation(feasible=False, summary="No explanation found in the time allowed.",
                           minimal=False)
    feasible, core_indexes = answer
    if feasible:
        return Explanation(feasible=True, summary="The hard rules can all hold.")
    index_to_key = {guards[k][0].index: k for k in keys}
    core = [index_to_key[i] for i in core_indexes if i in index_to_key]
    core, minimal = _minimise(built.model, guards, core, config, deadline)
    found = [guards[k][1] for k in core]
    alike = _same_need_on_other_days(built.model, guards, core, config, deadline)
    return Explanation(feasible=False, conflicts=tuple(_violation(g) for g in found),
                       scopes=tuple(core), summary=summarise(problem, found + alike),
                       minimal=minimal)


def feasible_without(problem: RosterProblem, dropped: set[Scope],
                     config: SolverConfig | None = None) -> bool | None:
    """Whether the hard rules hold once the ``dropped`` rule scopes are switched off.

    ``None`` when the solver could not tell within the time limit.
    """
    config = config or SolverConfig(time_limit_seconds=30)
    built = build_model(problem, explain=True)
    kept = [lit for key, (lit, _) in built.vars.guards.items() if key not in dropped]
    answer = _solve_with(built.model, kept, config,
                         time.monotonic() + config.time_limit_seconds)
    return None if answer is None else answer[0]


def _solve_with(model: cp_model.CpModel, assumptions: list, config: SolverConfig,  # type: ignore[type-arg]
                deadline: float) -> tuple[bool, list[int]] | None:
    """(feasible, indexes of a sufficient set of assumptions) or None when time ran out."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        return None
    model.clear_assumptions()
    model.add_assumptions(assumptions)
    # Cores come from the single-threaded search; more workers only race to the same answer.
    run = run_cpsat(model, SolverConfig(time_limit_seconds=remaining, workers=1,
                                        seed=config.seed), engine=ENGINE)
    if run.stats.status in ("optimal", "feasible"):
        return True, []
    if run.stats.status != "infeasible":
        return None
    return False, list(run.solver.sufficient_assumptions_for_infeasibility())


def _minimise(model: cp_model.CpModel, guards: dict, core: list[Scope],  # type: ignore[type-arg]
              config: SolverConfig, deadline: float) -> tuple[list[Scope], bool]:
    """Drop members whose removal leaves the rest in conflict (deletion-based MUS)."""
    # Demand is tried last, so explanations keep the need and name the rules that block it.
    ordered = sorted(core, key=lambda key: key[0] == names.COVER_UNDER)
    kept = list(ordered)
    minimal = True
    for key in ordered:
        if key not in kept:
            continue
        trial = [k for k in kept if k != key]
        answer = _solve_with(model, [guards[k][0] for k in trial], config, deadline)
        if answer is None:
            minimal = False
            continue
        feasible, indexes = answer
        if feasible:
            continue
        smaller = {guards[k][0].index for k in trial}
        narrowed = [k for k in trial if guards[k][0].index in set(indexes) & smaller]
        kept = narrowed or trial
    return kept, minimal


def _same_need_on_other_days(model: cp_model.CpModel, guards: dict, core: list[Scope],  # type: ignore[type-arg]
                             config: SolverConfig, deadline: float) -> list[Guard]:
    """The same need on other days that the same rules block too, so that the summary says
    "3-5 May" where the minimal set needed only one of those days."""
    blocking = [k for k in core if k[0] != names.COVER_UNDER]
    needs = {_topic(guards[k][1]) for k in core if k[0] == names.COVER_UNDER}
    candidates = [k for k, (_, guard) in guards.items() if k[0] == names.COVER_UNDER
                  and k not in core and _topic(guard) in needs]
    alike = []
    for key in candidates[:MAX_DAYS_WIDENED]:
        answer = _solve_with(model, [guards[k][0] for k in blocking + [key]], config, deadline)
        if answer is not None and not answer[0]:
            alike.append(guards[key][1])
    return alike


def _violation(guard: Guard) -> Violation:
    return Violation(rule=guard.rule, subject=guard.subject, message=guard.message,
                     day=min(guard.days) if guard.days else None)


# --- Phrasing -----------------------------------------------------------------------------------


def format_days(days: list[date]) -> str:
    """``3-5 May``, ``30 Apr-2 May``, ``3 May``, or runs joined by commas."""
    if not days:
        return ""
    ordered = sorted(set(days))
    runs: list[tuple[date, date]] = []
    for day in ordered:
        if runs and day - runs[-1][1] == timedelta(days=1):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    parts = []
    for first, last in runs:
        if first == last:
            parts.append(f"{first.day} {first:%b}")
        elif (first.month, first.year) == (last.month, last.year):
            parts.append(f"{first.day}-{last.day} {last:%b}")
        else:
            parts.append(f"{first.day} {first:%b}-{last.day} {last:%b}")
    return ", ".join(parts)


_PLURAL_VERBS = {"is": "are", "has": "have", "does": "do", "was": "were"}


def plural(phrase: str) -> str:
    """``is on leave`` -> ``are on leave``; ``works at most...`` -> ``work at most...``."""
    verb, _, rest = phrase.partition(" ")
    if verb in _PLURAL_VERBS:
        verb = _PLURAL_VERBS[verb]
    elif verb.endswith("s") and not verb.endswith("ss"):
        verb = verb[:-1]
    return f"{verb} {rest}".strip()


def _names(people: list[str]) -> str:
    if len(people) == 1:
        return people[0]
    return ", ".join(people[:-1]) + f" and {people[-1]}"


def _topic(guard: Guard) -> str:
    if guard.topic:
        return guard.topic
    prefix = f"{guard.subject} "
    return guard.message[len(prefix):] if guard.message.startswith(prefix) else guard.message


def summarise(problem: RosterProblem, found: list[Guard]) -> str:
    """One sentence: where and when, what is needed, and which rules stand in the way."""
    demands: dict[str, list[date]] = defaultdict(list)
    people: dict[str, list[str]] = defaultdict(list)
    others: list[str] = []
    agencies: set[str] = set()
    for guard in found:
        for officer_id in guard.officer_ids:
            agencies.add(problem.agency(problem.officer(officer_id).agency_id).name)
        if guard.rule == names.COVER_UNDER:
            demands[_topic(guard)].extend(guard.days)
            continue
        if len(guard.officer_ids) == 1:
            people[_topic(guard)].append(guard.subject)
        else:
            others.append(guard.message)
    days = [d for ds in demands.values() for d in ds]
    where = ", ".join(sorted(agencies))
    head = ", ".join(part for part in (where, format_days(days)) if part)
    clauses = [f"{need}" + (f" ({format_days(ds)})" if len(demands) > 1 else "")
               for need, ds in demands.items()]
    for topic, who in people.items():
        unique = list(dict.fromkeys(who))
        clauses.append(f"{_names(unique)} {topic if len(unique) == 1 else plural(topic)}")
    clauses += others
    body = "; ".join(clauses)
    return f"{head}: {body}" if head else body
