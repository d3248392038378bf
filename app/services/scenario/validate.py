"""Checking a scenario and reporting every problem at once, each where it can be fixed.

``validate(path)`` reads the files, checks every value and every cross-reference, and
returns the typed ``Scenario`` (when nothing is wrong) with the list of problems. Nothing
here touches a database.
"""

from __future__ import annotations

import importlib
import math
import tomllib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import holidays as holiday_calendars

from app.services.errors import InputProblem, InvalidInput
from app.services.scenario import spec
from app.services.scenario.locate import TomlLocator
from app.services.scenario.source import TABLE_BY_NAME, RawScenario, Row, read_source
from app.services.scenario.values import (
    parse_bool,
    parse_date,
    parse_days,
    parse_instant,
    parse_list,
    parse_time,
    parse_weekday,
    parse_window,
)
from models.enums import (
    AgencyKind,
    Facility,
    HolidayPolicy,
    LeaveKind,
    NoticePolicy,
    PostLayout,
    ResourceKind,
    WindowKind,
)
from solver.timeutil import is_known_zone

T = TypeVar("T")
ENGINES = ("hours", "roster", "inspections")
SUPPORTED_FORMAT = 1
_MISSING = object()

# Labour limits are written in hours and kept in minutes.
LABOUR_HOURS_KEYS = {
    "min_daily_rest_hours": "min_daily_rest_minutes",
    "max_weekly_hours": "max_weekly_minutes",
    "min_weekly_rest_hours": "min_weekly_rest_minutes",
    "max_night_hours_per_24h": "max_night_minutes_per_24h",
    "max_shift_hours": "max_shift_minutes",
}
_DAY_WINDOW_KEYS = ("days", "windows")

# Every key each post.toml table accepts. docs/scenario-format.md documents exactly these;
# tests/scenario/test_format_document.py keeps the two from drifting apart.
SECTIONS = (
    "format", "post", "sides", "skills", "agencies", "offices", "mandatory_windows",
    "hours_overrides", "shift_templates", "resources", "priority_classes", "cargo_categories", "rules",
)
KEYS: dict[str, tuple[str, ...]] = {
    "post": ("code", "name", "description", "layout", "notice_period_hours", "urgent_notice_hours", "notice_policy", "notice_penalty"),
    "sides": ("code", "country", "name", "timezone", "holidays", "weekend", "labour"),
    "sides.holidays": ("country", "subdivision"),
    "sides.labour": (*LABOUR_HOURS_KEYS, "reference_period_weeks", "max_consecutive_days", "night_start", "night_end"),
    "skills": ("code", "name"),
    "agencies": ("code", "side", "kind", "name", "lead", "notice_working_days", "notice_hours", "derogation_notice_hours", "out_of_hours_fee_per_hour", "currency", "overtime_rate", "staff_hour_cost"),
    "offices": ("code", "agency", "name", "host_side", "facility", "counterpart", "joint_controls", "always_open", "on_holidays", "min_crew", "trucks_per_officer_hour", "max_blocks_per_day", "min_block_minutes", "hours"),
    "offices.hours": _DAY_WINDOW_KEYS,
    "mandatory_windows": ("office", "kind", "days", "window", "from", "to", "reason"),
    "hours_overrides": ("name", "scope", "from", "to", "days", "windows", "confirmed"),
    "shift_templates": ("code", "side", "name", "start", "hours", "night", "handover_minutes", "agencies", "days"),
    "resources": ("code", "name", "host_side", "kind", "capabilities", "capacity", "always_open", "hours"),
    "resources.hours": _DAY_WINDOW_KEYS,
    "priority_classes": ("code", "name", "rank", "max_wait_hours", "quota"),
    "cargo_categories": ("code", "name", "priority", "max_wait_hours", "capabilities", "checks"),
    "cargo_categories.checks": ("agency", "selection_rate", "inspection_minutes", "skill"),
    "rules": ("engine", "rule", "scope", "hard", "weight", "value"),
}
DAYS_FIX = 'write daily, a range like "mon-fri" or a list like "sat,sun"'
WINDOW_FIX = 'write HH:MM-HH:MM ending after the start, e.g. "07:00-17:00"; add +1 for a window past midnight: "22:00-06:00+1"'
DATE_FIX = "write YYYY-MM-DD, e.g. 2026-12-01"
BOOL_FIX = "write yes or no"
LIST_FIX = "separate codes with ;"
INSTANT_FIX = "write YYYY-MM-DDTHH:MM in the exit side's local time, or with an offset: 2026-12-07T08:15+03:00"
_TYPE_NAMES = {str: "text", int: "a whole number", float: "a number", bool: "true or false", list: "a list", dict: "a table"}
_TYPE_EXAMPLES = {str: '"..."', int: "a whole number, e.g. 2", float: "a number, e.g. 1.5", bool: "true or false", list: '[...], e.g. ["sat", "sun"]', dict: "{ ... } or a [table] of its own"}

# The longest text the database keeps for these fields, so that a scenario that validates
# also loads on PostgreSQL (SQLite would silently keep longer text).
TEXT_LIMITS = {"code": 40, "name": 200, "reason": 200, "email": 200, "reference": 80, "rule": 60, "subdivision": 16}


def rule_keys(engine: str) -> frozenset[str] | None:
    """The stable rule keys an engine publishes in ``solver.<engine>.names.RULE_KEYS``, or
    None while it publishes none (its rules are then not checked by name)."""
    try:
        names = importlib.import_module(f"solver.{engine}.names")
    except ImportError:
        return None
    keys = getattr(names, "RULE_KEYS", None)
    return frozenset(keys) if keys else None


class Codes(set[str]):
    """The valid codes of one kind, remembering those declared but rejected.

    A reference to a rejected entry is not reported again: its own problem already is, and
    one broken office must not turn into a hundred "office does not exist" lines.
    """

    def __init__(self, valid: Iterable[str] = (), broken: Iterable[str] = (), *, complete: bool = True) -> None:
        super().__init__(valid)
        self.broken = frozenset(broken) - self
        # False when the entries could not be read at all: then no reference can be judged.
        self.complete = complete

    def unreported(self, code: str) -> bool:
        """Whether a reference to ``code``, which is not valid, should pass in silence."""
        return code in self.broken or not self.complete


def validate(path: Path) -> tuple[spec.Scenario | None, list[InputProblem]]:
    """Every problem in the scenario at ``path``; the scenario itself only if there are none."""
    raw = read_source(path)
    checker = ScenarioChecker(raw)
    scenario = checker.run()
    problems = raw.problems + checker.problems
    return (scenario if not problems else None), problems


def read_scenario(path: Path) -> spec.Scenario:
    scenario, problems = validate(path)
    if problems or scenario is None:
        raise InvalidInput(problems, f"the scenario at {path} has {len(problems)} problem(s)")
    return scenario


class ScenarioChecker:
    def __init__(self, raw: RawScenario) -> None:
        self.raw = raw
        self.problems: list[InputProblem] = []
        self.locator = TomlLocator(raw.post_text)
        # Position of each built entry in its TOML array, so a problem found later (a
        # duplicate code) points at the right line even when earlier entries were rejected.
        self.entry_index: dict[int, int] = {}
        self.declared: dict[str, set[str]] = defaultdict(set)
        # Sections with entries that were rejected: checks that need all of them stay silent.
        self.incomplete: set[str] = set()

    # -- reporting ---------------------------------------------------------------------

    def toml_problem(self, path: tuple[str | int, ...], field: str, message: str, fix: str = "") -> None:
        self.problems.append(
            InputProblem(field, message, fix, source=self.raw.post_source, location=self.locator.where(*path))
        )

    def row_problem(self, row: Row, column: str, message: str, fix: str = "") -> None:
        self.problems.append(InputProblem(column, message, fix, source=row.source, location=row.location))

    # -- post.toml ---------------------------------------------------------------------

    def run(self) -> spec.Scenario | None:
        if not self.raw.post_text and any(p.field == "post.toml" for p in self.raw.problems):
            return None
        try:
            document = tomllib.loads(self.raw.post_text)
        except tomllib.TOMLDecodeError as exc:
            self.problems.append(
                InputProblem("post.toml", f"not valid TOML: {exc}", "fix the syntax at the line named", source=self.raw.post_source, location=_toml_error_line(exc))
            )
            return None
        known_sections = set(SECTIONS)
        for key in document:
            if key not in known_sections:
                self.toml_problem((key,), key, "unknown section", f"use only {', '.join(sorted(known_sections))}")
        version = document.get("format", SUPPORTED_FORMAT)
        if version != SUPPORTED_FORMAT:
            self.toml_problem(("format",), "format", f"format {version!r} is not supported", f"write format = {SUPPORTED_FORMAT}")

        post = self.post(document.get("post"))
        sides = self.entries(document, "sides", self.side)
        side_codes = self.unique_codes("sides", sides)
        # A side rejected for one bad value (a misspelt zone) keeps its code, so the rest of
        # the scenario is still checked against it instead of drowning in "does not exist".
        side_codes = Codes(side_codes | side_codes.broken)
        if len(sides) != 2 and not any(p.field.startswith("sides") for p in self.problems):
            self.toml_problem(("sides",), "sides", f"a border post has two sides, this one has {len(sides)}", "describe both countries' sides with [[sides]]")
        skills = self.entries(document, "skills", self.skill)
        skill_codes = self.unique_codes("skills", skills)
        agencies = self.entries(document, "agencies", lambda p, e: self.agency(p, e, side_codes))
        agency_codes = self.unique_codes("agencies", agencies)
        agency_side = {a.code: a.side for a in agencies}
        offices = self.entries(document, "offices", lambda p, e: self.office(p, e, agency_codes, agency_side, side_codes))
        office_codes = self.unique_codes("offices", offices)
        self.check_counterparts(offices, office_codes, agency_side)
        windows = self.entries(document, "mandatory_windows", lambda p, e: self.mandatory_window(p, e, office_codes))
        overrides = self.entries(document, "hours_overrides", lambda p, e: self.override(p, e, side_codes, agency_codes, office_codes))
        templates = self.entries(document, "shift_templates", lambda p, e: self.template(p, e, side_codes, agency_codes, agency_side))
        template_codes = self.unique_codes("shift_templates", templates)
        resources = self.entries(document, "resources", lambda p, e: self.resource(p, e, side_codes))
        self.unique_codes("resources", resources)
        classes = self.entries(document, "priority_classes", self.priority_class)
        class_codes = self.unique_codes("priority_classes", classes)
        categories = self.entries(document, "cargo_categories", lambda p, e: self.category(p, e, agency_codes, skill_codes, class_codes))
        category_codes = self.unique_codes("cargo_categories", categories)

        offices_by_code = _CodeMap({o.code: o for o in offices}, office_codes.broken)
        officers, officer_codes, held = self.officers(agency_codes, offices_by_code, skill_codes, agency_side)
        rules = self.entries(document, "rules", lambda p, e: self.rule(p, e, side_codes, agency_codes, officer_codes))
        leave = self.leave(officer_codes)
        agency_of = {o.code: o.agency for o in officers}
        preferences = self.preferences(officer_codes, agency_of, _CodeMap({t.code: t for t in templates if t.code in template_codes}, template_codes.broken), agency_side)
        demand = self.demand(side_codes, category_codes)
        zone_of_side = {s.code: s.timezone for s in sides}
        site = _Site(
            layout=post.layout if post else None,
            agency_side=agency_side,
            # With an office or a bay rejected, what sits where is unknown: say nothing rather than guess.
            office_hosts=None if "offices" in self.incomplete else frozenset((o.agency, o.host_side) for o in offices),
            capabilities=None if "resources" in self.incomplete else {side: tuple(frozenset(r.capabilities) for r in resources if r.host_side == side) for side in side_codes},
        )
        requests = self.requests(side_codes, category_codes, agency_codes, class_codes, zone_of_side, site)
        if self.raw.tables.get("officers"):
            self.check_skills_held(categories, held)
        if "resources" not in self.incomplete:
            self.check_capabilities(categories, resources)

        if post is None or self.problems or self.raw.problems:
            return None
        return spec.Scenario(
            post=post, sides=tuple(sides), skills=tuple(skills), agencies=tuple(agencies),
            offices=tuple(offices), mandatory_windows=tuple(windows), hours_overrides=tuple(overrides),
            shift_templates=tuple(templates), resources=tuple(resources), priority_classes=tuple(classes),
            categories=tuple(categories), rules=tuple(rules), officers=tuple(officers), leave=tuple(leave),
            preferences=tuple(preferences), demand=tuple(demand), requests=tuple(requests),
        )

    def entries(self, document: dict[str, Any], section: str, build: Callable[[tuple[str | int, ...], dict[str, Any]], T | None]) -> list[T]:
        value = document.get(section, [])
        if not isinstance(value, list):
            self.toml_problem((section,), section, "must be a list of tables", f"write each entry as [[{section}]]")
            self.incomplete.add(section)
            return []
        built: list[T] = []
        for index, entry in enumerate(value):
            path: tuple[str | int, ...] = (section, index)
            if not isinstance(entry, dict):
                self.toml_problem(path, f"{section}[{index}]", "must be a table", f"write each entry as [[{section}]]")
                self.incomplete.add(section)
                continue
            if isinstance(entry.get("code"), str):
                self.declared[section].add(entry["code"])
            result = build(path, entry)
            if result is None:
                self.incomplete.add(section)
            else:
                self.entry_index[id(result)] = index
                built.append(result)
        return built

    def unique_codes(self, section: str, items: Iterable[Any]) -> Codes:
        seen: dict[str, int] = {}
        for item in items:
            index = self.entry_index[id(item)]
            if item.code in seen:
                self.toml_problem((section, index, "code"), f"{section}[{item.code}].code", f"duplicate id {item.code!r} (first at {self.locator.where(section, seen[item.code]) or 'entry ' + str(seen[item.code] + 1)})", "give every entry its own code")
            seen.setdefault(item.code, index)
        return Codes(seen, self.declared[section])

    def get(self, path: tuple[str | int, ...], entry: dict[str, Any], key: str, kind: type | tuple[type, ...], default: Any = _MISSING, label: str = "") -> Any:
        field = f"{label or _label(path)}.{key}"
        if key not in entry:
            if default is _MISSING:
                self.toml_problem(path, field, "is missing", f"add {key} = ...")
            return None if default is _MISSING else default
        value = entry[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if float in kinds and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if isinstance(value, float) and not math.isfinite(value):
            self.toml_problem(path + (key,), field, f"{value!r} is not a number to plan with", f"write {key} = {_TYPE_EXAMPLES[float]}")
            return None
        if (isinstance(value, bool) and bool not in kinds) or not isinstance(value, kinds):
            self.toml_problem(path + (key,), field, f"{value!r} is not {' or '.join(_TYPE_NAMES[k] for k in kinds)}", f"write {key} = {_TYPE_EXAMPLES[kinds[0]]}")
            return None
        limit = TEXT_LIMITS.get(key)
        if isinstance(value, str) and limit is not None and len(value) > limit:
            self.toml_problem(path + (key,), field, f"is {len(value)} characters long, more than the {limit} the database keeps", f"shorten it to at most {limit} characters")
            return None
        return value

    def parsed(self, path: tuple[str | int, ...], field: str, parse: Callable[[Any], T], value: Any, fix: str) -> T | None:
        try:
            return parse(value)
        except ValueError as exc:
            self.toml_problem(path, field, str(exc), fix)
            return None

    def unknown_keys(self, path: tuple[str | int, ...], entry: dict[str, Any], allowed: Iterable[str]) -> None:
        allowed = set(allowed)
        for key in entry:
            if key not in allowed:
                self.toml_problem(path + (key,), f"{_label(path)}.{key}", "unknown key", f"use only {', '.join(sorted(allowed))}")

    def choice(self, path: tuple[str | int, ...], entry: dict[str, Any], key: str, options: Iterable[str], default: Any = _MISSING, label: str = "") -> str | None:
        value = self.get(path, entry, key, str, default, label)
        options = list(options)
        if value is not None and value not in options:
            self.toml_problem(path + (key,), f"{label or _label(path)}.{key}", f"{value!r} is not one of the choices", f"use one of {', '.join(options)}")
            return None
        return value

    def non_negative(self, path: tuple[str | int, ...], entry: dict[str, Any], key: str, default: Any, kind: type = int, label: str = "") -> Any:
        value = self.get(path, entry, key, kind, default, label)
        if value is not None and value < 0:
            self.toml_problem(path + (key,), f"{label or _label(path)}.{key}", f"{value} is negative", "use zero or more")
            return None
        return value

    def post(self, entry: Any) -> spec.PostSpec | None:
        path: tuple[str | int, ...] = ("post",)
        if not isinstance(entry, dict):
            self.toml_problem(path, "post", "the [post] table is missing", "add [post] with code, name and layout")
            return None
        self.unknown_keys(path, entry, KEYS["post"])
        code = self.get(path, entry, "code", str, label="post")
        if code is not None and not _is_slug(code):
            self.toml_problem(path + ("code",), "post.code", f"{code!r} is not a short code", "use lower-case letters, digits and dashes, e.g. kapitan-andreevo")
            code = None
        name = self.get(path, entry, "name", str, label="post")
        layout = self.choice(path, entry, "layout", [v.value for v in PostLayout], label="post")
        notice = self.non_negative(path, entry, "notice_period_hours", 120, label="post")
        urgent = self.non_negative(path, entry, "urgent_notice_hours", 24, label="post")
        policy = self.choice(path, entry, "notice_policy", [v.value for v in NoticePolicy], "forbid", label="post")
        penalty = self.non_negative(path, entry, "notice_penalty", 1000, label="post")
        description = self.get(path, entry, "description", str, "", label="post")
        if None in (code, name, layout, notice, urgent, policy, penalty, description):
            return None
        return spec.PostSpec(code=code, name=name, layout=layout, description=description, notice_period_hours=notice, urgent_notice_hours=urgent, notice_policy=policy, notice_penalty=penalty)

    def side(self, path: tuple[str | int, ...], entry: dict[str, Any]) -> spec.SideSpec | None:
        self.unknown_keys(path, entry, KEYS["sides"])
        code = self.get(path, entry, "code", str)
        label = f"sides[{code}]" if code else _label(path)
        country = self.get(path, entry, "country", str, label=label)
        if country is not None and (len(country) != 2 or not country.isupper()):
            self.toml_problem(path + ("country",), f"{label}.country", f"{country!r} is not an ISO 3166 country code", "use two capital letters, e.g. RW")
            country = None
        name = self.get(path, entry, "name", str, label=label)
        zone = self.get(path, entry, "timezone", str, label=label)
        if zone is not None and not is_known_zone(zone):
            self.toml_problem(path + ("timezone",), f"{label}.timezone", f"unknown time zone {zone!r}", "use an IANA zone name such as Africa/Kigali or Europe/Sofia, never a fixed offset")
            zone = None
        calendar = self.get(path, entry, "holidays", dict, {}, label=label)
        holiday_country = subdivision = None
        if calendar is not None:
            calendar_path = path + ("holidays",)
            self.unknown_keys(calendar_path, calendar, KEYS["sides.holidays"])
            holiday_country = self.get(calendar_path, calendar, "country", str, country, f"{label}.holidays")
            subdivision = self.get(calendar_path, calendar, "subdivision", str, None, f"{label}.holidays")
        if holiday_country:
            try:
                holiday_calendars.country_holidays(holiday_country, subdiv=subdivision, years=2026)
            except NotImplementedError:
                self.toml_problem(path + ("holidays",), f"{label}.holidays.country", f"the holidays package has no calendar for {holiday_country!r}", "use a country the holidays package supports")
                holiday_country = None
            except Exception as exc:  # the package raises bare Exceptions for unknown subdivisions
                self.toml_problem(path + ("holidays",), f"{label}.holidays.subdivision", str(exc), "leave subdivision out or use one the holidays package lists")
                holiday_country = None
        weekend_text = self.get(path, entry, "weekend", (list, str), ["sat", "sun"], label=label)
        weekend: tuple[int, ...] | None = ()
        if weekend_text is not None:
            weekend = self.parsed(path + ("weekend",), f"{label}.weekend", lambda v: parse_days(",".join(v) if isinstance(v, list) else v), weekend_text, "list days like [\"sat\", \"sun\"]")
        labour = self.labour(path + ("labour",), entry.get("labour", {}), f"{label}.labour")
        if None in (code, country, name, zone, holiday_country, weekend, labour):
            return None
        return spec.SideSpec(code=code, country=country, name=name, timezone=zone, holiday_country=holiday_country, holiday_subdivision=subdivision, weekend=weekend, labour=labour)

    def labour(self, path: tuple[str | int, ...], entry: Any, label: str) -> spec.LabourSpec | None:
        if not isinstance(entry, dict):
            self.toml_problem(path, label, "must be a table", "write [sides.labour]")
            return None
        self.unknown_keys(path, entry, KEYS["sides.labour"])
        values: dict[str, int] = {}
        ok = True
        for key, target in LABOUR_HOURS_KEYS.items():
            if key in entry:
                hours = self.non_negative(path, entry, key, None, float, label)
                if hours is None:
                    ok = False
                    continue
                values[target] = round(hours * 60)
        for key in ("reference_period_weeks", "max_consecutive_days"):
            if key in entry:
                number = self.non_negative(path, entry, key, None, int, label)
                if number is None or number == 0:
                    if number == 0:
                        self.toml_problem(path + (key,), f"{label}.{key}", "must be at least 1", f"write {key} = 1 or more")
                    ok = False
                    continue
                values[key] = number
        for key in ("night_start", "night_end"):
            if key in entry:
                minute = self.parsed(path + (key,), f"{label}.{key}", parse_time, str(entry[key]), 'write "HH:MM", e.g. "22:00"')
                if minute is None:
                    ok = False
                    continue
                values[f"{key}_minute"] = minute % 1440
        return spec.LabourSpec(**values) if ok else None

    def skill(self, path: tuple[str | int, ...], entry: dict[str, Any]) -> spec.SkillSpec | None:
        self.unknown_keys(path, entry, KEYS["skills"])
        code = self.get(path, entry, "code", str)
        name = self.get(path, entry, "name", str, code)
        return spec.SkillSpec(code=code, name=name) if code and name else None

    def agency(self, path: tuple[str | int, ...], entry: dict[str, Any], sides: set[str]) -> spec.AgencySpec | None:
        self.unknown_keys(path, entry, KEYS["agencies"])
        code = self.get(path, entry, "code", str)
        label = f"agencies[{code}]" if code else _label(path)
        side = self.reference(path, entry, "side", sides, "sides", label)
        kind = self.choice(path, entry, "kind", [k.value for k in AgencyKind], label=label)
        name = self.get(path, entry, "name", str, label=label)
        values = dict(
            lead=self.get(path, entry, "lead", bool, False, label),
            notice_working_days=self.non_negative(path, entry, "notice_working_days", 0, int, label),
            notice_hours=self.non_negative(path, entry, "notice_hours", 0, int, label),
            derogation_notice_hours=self.non_negative(path, entry, "derogation_notice_hours", None, int, label) if "derogation_notice_hours" in entry else None,
            out_of_hours_fee_per_hour=self.non_negative(path, entry, "out_of_hours_fee_per_hour", 0.0, float, label),
            currency=self.currency(path, entry, label),
            overtime_rate=self.non_negative(path, entry, "overtime_rate", 1.5, float, label),
            staff_hour_cost=self.non_negative(path, entry, "staff_hour_cost", 0.0, float, label),
        )
        if None in (code, side, kind, name) or any(v is None for k, v in values.items() if k != "derogation_notice_hours"):
            return None
        return spec.AgencySpec(code=code, side=side, kind=kind, name=name, **values)

    def currency(self, path: tuple[str | int, ...], entry: dict[str, Any], label: str) -> str | None:
        value = self.get(path, entry, "currency", str, "USD", label)
        if value is not None and not (len(value) == 3 and value.isalpha() and value.isupper()):
            self.toml_problem(path + ("currency",), f"{label}.currency", f"{value!r} is not an ISO 4217 currency code", "use three capital letters, e.g. EUR, RWF or TZS")
            return None
        return value

    def reference(self, path: tuple[str | int, ...], entry: dict[str, Any], key: str, known: set[str], section: str, label: str, default: Any = _MISSING) -> str | None:
        value = self.get(path, entry, key, str, default, label)
        if value is not None and value not in known:
            if not (isinstance(known, Codes) and known.unreported(value)):
                self.toml_problem(path + (key,), f"{label}.{key}", f"{value!r} does not exist in [[{section}]]", f"use one of {', '.join(sorted(known)) or '(none defined)'}")
            return None
        return value

    def day_windows(self, path: tuple[str | int, ...], entries: Any, label: str, section: str) -> tuple[spec.DayWindows, ...] | None:
        if not isinstance(entries, list):
            self.toml_problem(path, label, "must be a list of {days, windows} tables", f"write [[{section}]] with days and windows")
            return None
        result: list[spec.DayWindows] = []
        ok = True
        for index, item in enumerate(entries):
            item_path = path + (index,)
            if not isinstance(item, dict):
                self.toml_problem(item_path, f"{label}[{index}]", "must be a table with days and windows", f"write [[{section}]] with days and windows")
                ok = False
                continue
            self.unknown_keys(item_path, item, KEYS[section])
            days = self.parsed(item_path + ("days",), f"{label}[{index}].days", parse_days, item.get("days", "daily"), DAYS_FIX)
            windows = self.windows(item_path + ("windows",), item.get("windows"), f"{label}[{index}].windows")
            if days is None or windows is None:
                ok = False
                continue
            result.append(spec.DayWindows(days, windows))
        if ok:
            self.check_overlaps(path, result, label)
        return tuple(result) if ok else None

    def windows(self, path: tuple[str | int, ...], value: Any, label: str) -> tuple[spec.Window, ...] | None:
        if not isinstance(value, list):
            self.toml_problem(path, label, "must be a list of windows", 'write windows = ["07:00-17:00"]')
            return None
        parsed: list[spec.Window] = []
        ok = True
        for text in value:
            window = self.parsed(path, label, parse_window, str(text), WINDOW_FIX)
            if window is None:
                ok = False
            else:
                parsed.append(window)
        return tuple(parsed) if ok else None

    def check_overlaps(self, path: tuple[str | int, ...], rows: list[spec.DayWindows], label: str) -> None:
        """Windows of one day must not overlap; reported at the entry of the later window."""
        by_day: dict[int, list[tuple[spec.Window, int]]] = defaultdict(list)
        for index, row in enumerate(rows):
            for day in row.weekdays:
                by_day[day].extend((window, index) for window in row.windows)
        for day, windows in sorted(by_day.items()):
            ordered = sorted(windows, key=lambda item: item[0].start)
            for (first, _), (second, index) in zip(ordered, ordered[1:], strict=False):
                if second.start < first.end:
                    self.toml_problem(path + (index, "windows"), label, f"windows overlap on {('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun')[day]}", "merge the overlapping windows into one")
                    return

    def office(self, path: tuple[str | int, ...], entry: dict[str, Any], agencies: Codes, agency_side: dict[str, str], sides: set[str]) -> spec.OfficeSpec | None:
        self.unknown_keys(path, entry, KEYS["offices"])
        code = self.get(path, entry, "code", str)
        label = f"offices[{code}]" if code else _label(path)
        agency = self.reference(path, entry, "agency", agencies, "agencies", label)
        name = self.get(path, entry, "name", str, label=label)
        host_side = self.reference(path, entry, "host_side", sides, "sides", label)
        facility = self.choice(path, entry, "facility", [f.value for f in Facility], "own", label)
        if agency and host_side and facility:
            home = agency_side[agency]
            if facility == Facility.OWN and host_side != home:
                self.toml_problem(path + ("facility",), f"{label}.facility", f"an office of {agency} (side {home}) hosted by {host_side} is not the agency's own office", 'write facility = "juxtaposed" for an office in the neighbour\'s control zone, or set host_side = "' + home + '"')
                facility = None
            elif facility == Facility.JUXTAPOSED and host_side == home:
                self.toml_problem(path + ("facility",), f"{label}.facility", f"a juxtaposed office of {agency} is hosted by its own side {home}", 'set host_side to the neighbour that hosts it, or write facility = "own"')
                facility = None
        counterpart = self.get(path, entry, "counterpart", str, None, label)
        always_open = self.get(path, entry, "always_open", bool, False, label)
        on_holidays = self.choice(path, entry, "on_holidays", [p.value for p in HolidayPolicy], "open" if always_open else "closed", label)
        min_crew = self.get(path, entry, "min_crew", int, 1, label)
        if min_crew is not None and min_crew < 1:
            self.toml_problem(path + ("min_crew",), f"{label}.min_crew", f"{min_crew} officers cannot run an open office", "use 1 or more")
            min_crew = None
        throughput = self.non_negative(path, entry, "trucks_per_officer_hour", 6.0, float, label)
        blocks = self.get(path, entry, "max_blocks_per_day", int, 2, label)
        if blocks is not None and blocks < 1:
            self.toml_problem(path + ("max_blocks_per_day",), f"{label}.max_blocks_per_day", "must be at least 1", "write max_blocks_per_day = 1 or more")
            blocks = None
        min_block = self.non_negative(path, entry, "min_block_minutes", 120, int, label)
        hours = self.day_windows(path + ("hours",), entry.get("hours", []), f"{label}.hours", "offices.hours")
        if not always_open and hours == ():
            self.toml_problem(path, f"{label}.hours", "an office that is not always open needs regular hours", "add [[offices.hours]] with days and windows, or always_open = true")
            hours = None
        if None in (code, agency, name, host_side, facility, always_open, on_holidays, min_crew, throughput, blocks, min_block, hours):
            return None
        joint = self.get(path, entry, "joint_controls", bool, False, label)
        if joint is None:
            return None
        return spec.OfficeSpec(code=code, agency=agency, name=name, host_side=host_side, facility=facility, counterpart=counterpart, joint_controls=joint, always_open=always_open, on_holidays=on_holidays, min_crew=min_crew, trucks_per_officer_hour=throughput, max_blocks_per_day=blocks, min_block_minutes=min_block, hours=hours)

    def check_counterparts(self, offices: list[spec.OfficeSpec], codes: Codes, agency_side: dict[str, str]) -> None:
        by_code = {o.code: o for o in offices}
        for office in offices:
            index = self.entry_index[id(office)]
            if office.counterpart is None:
                if office.joint_controls:
                    self.toml_problem(("offices", index, "joint_controls"), f"offices[{office.code}].joint_controls", "joint controls need a counterpart office", "set counterpart to the office across the border")
                continue
            other = by_code.get(office.counterpart)
            if other is None and codes.unreported(office.counterpart):
                continue
            if other is None:
                self.toml_problem(("offices", index, "counterpart"), f"offices[{office.code}].counterpart", f"{office.counterpart!r} does not exist in [[offices]]", f"use one of {', '.join(sorted(codes))}")
            elif agency_side.get(other.agency) == agency_side.get(office.agency):
                self.toml_problem(("offices", index, "counterpart"), f"offices[{office.code}].counterpart", f"{other.code!r} is on the same side", "a counterpart is the matching office of the other country")
            elif other.counterpart != office.code:
                named = f"names {other.counterpart!r}" if other.counterpart else "names no counterpart"
                self.toml_problem(("offices", index, "counterpart"), f"offices[{office.code}].counterpart", f"{other.code!r} {named}, not {office.code!r}", f'counterparts name each other: write counterpart = "{office.code}" in office {other.code}')
            elif other.joint_controls != office.joint_controls and office.code < other.code:
                self.toml_problem(("offices", index, "joint_controls"), f"offices[{office.code}].joint_controls", f"is {str(office.joint_controls).lower()} here but {str(other.joint_controls).lower()} at its counterpart {other.code!r}", "joint controls are agreed by both offices: set the same value in both")

    def mandatory_window(self, path: tuple[str | int, ...], entry: dict[str, Any], offices: set[str]) -> spec.MandatoryWindowSpec | None:
        self.unknown_keys(path, entry, KEYS["mandatory_windows"])
        label = _label(path)
        office = self.reference(path, entry, "office", offices, "offices", label)
        kind = self.choice(path, entry, "kind", [k.value for k in WindowKind], label=label)
        days = self.parsed(path + ("days",), f"{label}.days", parse_days, entry.get("days", "daily"), DAYS_FIX)
        window_text = self.get(path, entry, "window", str, label=label)
        window = self.parsed(path + ("window",), f"{label}.window", parse_window, window_text, WINDOW_FIX) if window_text else None
        valid_from, valid_to = self.date_range(path, entry, label, required=False)
        reason = self.get(path, entry, "reason", str, "", label)
        if None in (office, kind, days, window, reason) or valid_from is False:
            return None
        return spec.MandatoryWindowSpec(office=office, kind=kind, weekdays=days, window=window, valid_from=valid_from, valid_to=valid_to, reason=reason)

    def date_range(self, path: tuple[str | int, ...], entry: dict[str, Any], label: str, *, required: bool) -> tuple[Any, Any]:
        values = []
        for key in ("from", "to"):
            if key not in entry:
                if required:
                    self.toml_problem(path, f"{label}.{key}", "is missing", f"add {key} = YYYY-MM-DD")
                    return False, False
                values.append(None)
                continue
            parsed = self.parsed(path + (key,), f"{label}.{key}", parse_date, entry[key], f"write {key} = YYYY-MM-DD without quotes, e.g. {key} = 2026-12-01")
            if parsed is None:
                return False, False
            values.append(parsed)
        if values[0] and values[1] and values[1] < values[0]:
            self.toml_problem(path + ("to",), f"{label}.to", f"ends on {values[1]} before it starts on {values[0]}", "swap from and to")
            return False, False
        return values[0], values[1]

    def override(self, path: tuple[str | int, ...], entry: dict[str, Any], sides: set[str], agencies: set[str], offices: set[str]) -> spec.OverrideSpec | None:
        self.unknown_keys(path, entry, KEYS["hours_overrides"])
        label = _label(path)
        name = self.get(path, entry, "name", str, label=label)
        scope = self.get(path, entry, "scope", str, label=label)
        scope_kind = scope_code = None
        if scope is not None:
            scope_kind, _, scope_code = scope.partition(":")
            known = {"side": sides, "agency": agencies, "office": offices}.get(scope_kind)
            if known is None or scope_code not in known:
                self.toml_problem(path + ("scope",), f"{label}.scope", f"{scope!r} names no side, agency or office", 'write "side:CODE", "agency:CODE" or "office:CODE" with an existing code')
                scope_kind = None
        valid_from, valid_to = self.date_range(path, entry, label, required=True)
        days = self.parsed(path + ("days",), f"{label}.days", parse_days, entry.get("days", "daily"), DAYS_FIX)
        windows = self.windows(path + ("windows",), entry.get("windows", []), f"{label}.windows")
        confirmed = self.get(path, entry, "confirmed", bool, True, label)
        if None in (name, scope_kind, days, windows, confirmed) or valid_from is False:
            return None
        return spec.OverrideSpec(name=name, scope_kind=scope_kind, scope_code=scope_code, valid_from=valid_from, valid_to=valid_to, weekdays=days, windows=windows, confirmed=confirmed)

    def template(self, path: tuple[str | int, ...], entry: dict[str, Any], sides: set[str], agencies: Codes, agency_side: dict[str, str]) -> spec.ShiftTemplateSpec | None:
        self.unknown_keys(path, entry, KEYS["shift_templates"])
        code = self.get(path, entry, "code", str)
        label = f"shift_templates[{code}]" if code else _label(path)
        side = self.reference(path, entry, "side", sides, "sides", label)
        name = self.get(path, entry, "name", str, code, label)
        start_text = self.get(path, entry, "start", str, label=label)
        start = self.parsed(path + ("start",), f"{label}.start", parse_time, start_text, 'write start = "HH:MM", e.g. "06:00"') if start_text else None
        if start == 1440:
            self.toml_problem(path + ("start",), f"{label}.start", "a shift cannot start at 24:00", "start it at 00:00")
            start = None
        hours = self.get(path, entry, "hours", float, label=label)
        if hours is not None and not 0 < hours <= 24:
            self.toml_problem(path + ("hours",), f"{label}.hours", f"{hours} hours is not a shift length", "use more than 0 and at most 24 hours")
            hours = None
        handover = self.non_negative(path, entry, "handover_minutes", 0, int, label)
        names = self.get(path, entry, "agencies", list, [], label) or []
        for agency in names:
            if agency not in agencies:
                if not agencies.unreported(agency):
                    self.toml_problem(path + ("agencies",), f"{label}.agencies", f"{agency!r} does not exist in [[agencies]]", "list existing agency codes")
                return None
            if side and agency_side.get(agency) != side:
                self.toml_problem(path + ("agencies",), f"{label}.agencies", f"{agency!r} is not on side {side}", "a template serves agencies of its own side")
                return None
        days = self.parsed(path + ("days",), f"{label}.days", parse_days, entry.get("days", "daily"), DAYS_FIX)
        if None in (code, side, name, start, hours, handover, days):
            return None
        length = round(hours * 60)
        night = self.get(path, entry, "night", bool, _is_night(start, length), label)
        if night is None:
            return None
        return spec.ShiftTemplateSpec(code=code, side=side, name=name, start_minute=start, length_minutes=length, night=night, handover_minutes=handover, agencies=tuple(names), weekdays=days)

    def resource(self, path: tuple[str | int, ...], entry: dict[str, Any], sides: set[str]) -> spec.ResourceSpec | None:
        self.unknown_keys(path, entry, KEYS["resources"])
        code = self.get(path, entry, "code", str)
        label = f"resources[{code}]" if code else _label(path)
        name = self.get(path, entry, "name", str, code, label)
        side = self.reference(path, entry, "host_side", sides, "sides", label)
        kind = self.choice(path, entry, "kind", [k.value for k in ResourceKind], "bay", label)
        capabilities = self.get(path, entry, "capabilities", list, [], label)
        capacity = self.get(path, entry, "capacity", int, 1, label)
        if capacity is not None and capacity < 1:
            self.toml_problem(path + ("capacity",), f"{label}.capacity", "must be at least 1", "write capacity = 1 or more (trucks at once)")
            capacity = None
        always_open = self.get(path, entry, "always_open", bool, False, label)
        hours = self.day_windows(path + ("hours",), entry.get("hours", []), f"{label}.hours", "resources.hours")
        if not always_open and hours == ():
            self.toml_problem(path, f"{label}.hours", "a resource that is not always open needs hours", "add [[resources.hours]] or always_open = true")
            hours = None
        if None in (code, name, side, kind, capabilities, capacity, always_open, hours):
            return None
        return spec.ResourceSpec(code=code, name=name, host_side=side, kind=kind, capabilities=tuple(capabilities), capacity=capacity, always_open=always_open, hours=hours)

    def priority_class(self, path: tuple[str | int, ...], entry: dict[str, Any]) -> spec.PriorityClassSpec | None:
        self.unknown_keys(path, entry, KEYS["priority_classes"])
        code = self.get(path, entry, "code", str)
        label = f"priority_classes[{code}]" if code else _label(path)
        name = self.get(path, entry, "name", str, code, label)
        rank = self.non_negative(path, entry, "rank", None, int, label) if "rank" in entry else self.get(path, entry, "rank", int, label=label)
        wait = self.non_negative(path, entry, "max_wait_hours", None, float, label) if "max_wait_hours" in entry else None
        quota = self.get(path, entry, "quota", int, 1, label)
        if quota is not None and quota < 1:
            self.toml_problem(path + ("quota",), f"{label}.quota", "must be at least 1", "write quota = 1 or more (its share of the allocation cycle)")
            quota = None
        if None in (code, name, rank, quota):
            return None
        return spec.PriorityClassSpec(code=code, name=name, rank=rank, max_wait_minutes=None if wait is None else round(wait * 60), quota=quota)

    def category(self, path: tuple[str | int, ...], entry: dict[str, Any], agencies: set[str], skills: set[str], classes: set[str]) -> spec.CategorySpec | None:
        self.unknown_keys(path, entry, KEYS["cargo_categories"])
        code = self.get(path, entry, "code", str)
        label = f"cargo_categories[{code}]" if code else _label(path)
        name = self.get(path, entry, "name", str, code, label)
        priority = self.reference(path, entry, "priority", classes, "priority_classes", label, None)
        wait = self.non_negative(path, entry, "max_wait_hours", None, float, label) if "max_wait_hours" in entry else None
        capabilities = self.get(path, entry, "capabilities", list, [], label)
        checks: list[spec.CheckSpec] = []
        ok = True
        seen: set[str] = set()
        for index, check in enumerate(entry.get("checks", [])):
            check_path = path + ("checks", index)
            check_label = f"{label}.checks[{index}]"
            if not isinstance(check, dict):
                self.toml_problem(check_path, check_label, "must be a table", "write each check as [[cargo_categories.checks]]")
                ok = False
                continue
            self.unknown_keys(check_path, check, KEYS["cargo_categories.checks"])
            agency = self.reference(check_path, check, "agency", agencies, "agencies", check_label)
            if agency in seen:
                self.toml_problem(check_path + ("agency",), f"{check_label}.agency", f"{agency!r} is listed twice for this category", "keep one check per agency")
                agency = None
            seen.add(agency or "")
            rate = self.get(check_path, check, "selection_rate", float, label=check_label)
            if rate is not None and not 0 <= rate <= 1:
                self.toml_problem(check_path + ("selection_rate",), f"{check_label}.selection_rate", f"{rate} is not a share", "use a number from 0 to 1 (0.05 = 5 %)")
                rate = None
            minutes = self.get(check_path, check, "inspection_minutes", int, label=check_label)
            if minutes is not None and minutes <= 0:
                self.toml_problem(check_path + ("inspection_minutes",), f"{check_label}.inspection_minutes", f"{minutes} minutes is not a duration", "use a positive number of minutes")
                minutes = None
            skill = self.reference(check_path, check, "skill", skills, "skills", check_label, None)
            if None in (agency, rate, minutes) or ("skill" in check and skill is None):
                ok = False
                continue
            checks.append(spec.CheckSpec(agency=agency, selection_rate=rate, inspection_minutes=minutes, skill=skill))
        if not ok or None in (code, name, capabilities) or ("priority" in entry and priority is None):
            return None
        return spec.CategorySpec(code=code, name=name, priority=priority, max_wait_minutes=None if wait is None else round(wait * 60), capabilities=tuple(capabilities), checks=tuple(checks))

    def rule(self, path: tuple[str | int, ...], entry: dict[str, Any], sides: set[str], agencies: set[str], officers: set[str]) -> spec.RuleSpec | None:
        self.unknown_keys(path, entry, KEYS["rules"])
        label = _label(path)
        engine = self.choice(path, entry, "engine", ENGINES, label=label)
        rule = self.get(path, entry, "rule", str, label=label)
        keys = rule_keys(engine) if engine else None
        if rule is not None and keys is not None and rule not in keys:
            # A misspelt rule would be ignored without a word, and the plan follow the default.
            self.toml_problem(path + ("rule",), f"{label}.rule", f"the {engine} engine has no rule {rule!r}", f"use one of {', '.join(sorted(keys))}")
            rule = None
        scope = self.get(path, entry, "scope", str, None, label)
        scope_kind = scope_code = None
        if scope is not None:
            scope_kind, _, scope_code = scope.partition(":")
            known = {"side": sides, "agency": agencies, "officer": officers}.get(scope_kind)
            if known is None or scope_code not in known:
                self.toml_problem(path + ("scope",), f"{label}.scope", f"{scope!r} names no side, agency or officer", 'write "side:CODE", "agency:CODE" or "officer:CODE" with an existing code')
                return None
        hard = self.get(path, entry, "hard", bool, True, label)
        weight = self.non_negative(path, entry, "weight", 0, int, label)
        if hard is False and weight == 0:
            self.toml_problem(path + ("weight",), f"{label}.weight", "a soft rule needs a positive weight", "give weight > 0 or make the rule hard")
            return None
        value = self.get(path, entry, "value", dict, None, label)
        if None in (engine, rule, hard, weight):
            return None
        return spec.RuleSpec(engine=engine, rule=rule, scope_kind=scope_kind, scope_code=scope_code, hard=hard, weight=weight, value=value)

    # -- tables ------------------------------------------------------------------------

    def cell(self, row: Row, column: str, parse: Callable[[str], T], fix: str) -> T | None:
        # An empty cell takes the column's default, as a missing column does.
        table_default = next((t.optional.get(column) for t in TABLE_BY_NAME.values() if column in t.optional), None)
        text = row.values.get(column, "") or table_default or ""
        try:
            return parse(text)
        except ValueError as exc:
            self.row_problem(row, column, str(exc), fix)
            return None

    def required(self, row: Row, column: str) -> str | None:
        text = row.values.get(column, "")
        if not text:
            self.row_problem(row, column, "is empty", f"fill in {column}")
            return None
        return self.short_enough(row, column, text)

    def short_enough(self, row: Row, column: str, text: str) -> str | None:
        limit = TEXT_LIMITS.get(column)
        if limit is not None and len(text) > limit:
            self.row_problem(row, column, f"is {len(text)} characters long, more than the {limit} the database keeps", f"shorten it to at most {limit} characters")
            return None
        return text

    def known(self, row: Row, column: str, known: set[str], what: str) -> str | None:
        text = self.required(row, column)
        if text is not None and text not in known and isinstance(known, Codes) and known.unreported(text):
            return None
        if text is not None and text not in known:
            self.row_problem(row, column, f"{what} {text!r} does not exist", f"use one of {', '.join(sorted(known)[:12]) or '(none defined)'}{' ...' if len(known) > 12 else ''}")
            return None
        return text

    def officers(self, agencies: Codes, offices: dict[str, spec.OfficeSpec], skills: set[str], agency_side: dict[str, str]) -> tuple[list[spec.OfficerSpec], Codes, set[tuple[str, str]]]:
        """The officers, their codes, and the skills each agency holds: the last counts every
        row whose agency and skills are right, so that a typo elsewhere in a row does not
        also report its skills as missing."""
        result: list[spec.OfficerSpec] = []
        held: set[tuple[str, str]] = set()
        seen: dict[str, Row] = {}
        office_codes = Codes(offices, getattr(offices, "broken", ()))
        for row in self.raw.tables.get("officers", []):
            code = self.required(row, "code")
            if code is not None and code in seen:
                self.row_problem(row, "code", f"duplicate id {code!r} (first at {seen[code].location})", "give every officer their own staff number")
                code = None
            elif code is not None:
                seen[code] = row
            name = self.required(row, "name")
            agency = self.known(row, "agency", agencies, "agency")
            office = self.known(row, "office", office_codes, "office")
            if agency and office and offices[office].agency != agency:
                self.row_problem(row, "office", f"office {office!r} belongs to {offices[office].agency!r}, not to {agency!r}", "give the officer an office of their own agency")
                office = None
            officer_skills = self.cell(row, "skills", parse_list, LIST_FIX)
            if agency:
                held.update((agency, skill) for skill in officer_skills or () if skill in skills)
            for skill in officer_skills or ():
                if skill not in skills:
                    self.row_problem(row, "skills", f"skill {skill!r} does not exist", "declare it under [[skills]] in post.toml or fix the spelling")
                    officer_skills = None
                    break
            contract = self.cell(row, "contract_hours", _positive_float, "hours per week, e.g. 40")
            cross = self.cell(row, "cross_border", parse_bool, BOOL_FIX)
            night = self.cell(row, "night_work", parse_bool, BOOL_FIX)
            email = self.short_enough(row, "email", row.values.get("email", ""))
            if office and cross is False and offices[office].host_side != agency_side.get(offices[office].agency):
                # Officers act in the adjoining state's control zone only when accredited
                # (EAC OSBP Act s.11); without it they could never work at this office.
                self.row_problem(row, "cross_border", f"office {office!r} is in the control zone hosted by {offices[office].host_side}, where only cross-border accredited officers may work", "write cross_border = yes if the officer is accredited, or give them an office on their own side")
                cross = None
            if None in (code, name, agency, office, officer_skills, contract, cross, night, email):
                continue
            result.append(spec.OfficerSpec(code=code, name=name, agency=agency, office=office, skills=officer_skills, contract_minutes_per_week=round(contract * 60), cross_border=cross, night_work=night, email=email))
        return result, Codes((o.code for o in result), seen, complete="officers" not in self.raw.unreadable), held

    def leave(self, officers: set[str]) -> list[spec.LeaveSpec]:
        result: list[spec.LeaveSpec] = []
        rows_of: dict[str, list[tuple[spec.LeaveSpec, Row]]] = defaultdict(list)
        for row in self.raw.tables.get("leave", []):
            officer = self.known(row, "officer", officers, "officer")
            start = self.cell(row, "from", parse_date, DATE_FIX)
            end = self.cell(row, "to", parse_date, DATE_FIX)
            kind = self.cell(row, "kind", lambda t: _choice(t, [k.value for k in LeaveKind]), f"use one of {', '.join(k.value for k in LeaveKind)}")
            if start and end and end < start:
                self.row_problem(row, "to", f"leave ends on {end} before it starts on {start}", "swap from and to")
                continue
            if None in (officer, start, end, kind):
                continue
            item = spec.LeaveSpec(officer=officer, start=start, end=end, kind=kind, note=row.values.get("note", ""))
            for other, other_row in rows_of[officer]:
                if item.start <= other.end and other.start <= item.end:
                    self.row_problem(row, "from", f"leave {start}..{end} overlaps leave {other.start}..{other.end} of {officer} at {other_row.location}", "merge the two periods into one row")
                    break
            else:
                rows_of[officer].append((item, row))
                result.append(item)
        return result

    def preferences(self, officers: Codes, agency_of: dict[str, str], templates: _CodeMap, agency_side: dict[str, str]) -> list[spec.PreferenceSpec]:
        result: list[spec.PreferenceSpec] = []
        for row in self.raw.tables.get("preferences", []):
            officer = self.known(row, "officer", officers, "officer")
            want = self.cell(row, "want", lambda t: _choice(t, ["on", "off"]), "write on (wants to work) or off")
            on_date = self.cell(row, "date", lambda t: parse_date(t) if t else None, DATE_FIX)
            weekday = self.cell(row, "weekday", lambda t: parse_weekday(t) if t else None, "write mon, tue, wed, thu, fri, sat or sun")
            if row.values.get("date") and row.values.get("weekday"):
                self.row_problem(row, "weekday", "give a date or a weekday, not both", "empty one of the two cells")
                continue
            if not row.values.get("date") and not row.values.get("weekday"):
                self.row_problem(row, "date", "a preference needs a date or a weekday", "fill in date (YYYY-MM-DD) or weekday (mon..sun)")
                continue
            shift = row.values.get("shift") or None
            if shift is not None and shift not in templates and shift in templates.broken:
                continue
            if shift is not None and shift not in templates:
                self.row_problem(row, "shift", f"shift {shift!r} does not exist", f"use a shift template code: {', '.join(sorted(templates))}")
                continue
            if shift is not None and officer is not None and not _works(templates[shift], agency_of[officer], agency_side):
                self.row_problem(row, "shift", f"{officer} of {agency_of[officer]} never works shift {shift!r}", "name a shift template of the officer's own agency, or leave shift empty for the whole day")
                continue
            weight = self.cell(row, "weight", _positive_int, "write a whole number above 0")
            if None in (officer, want, weight):
                continue
            result.append(spec.PreferenceSpec(officer=officer, want=want, on_date=on_date, weekday=weekday, shift=shift, weight=weight))
        return result

    def direction(self, row: Row, sides: set[str]) -> tuple[str, str] | None:
        text = self.required(row, "direction")
        if text is None:
            return None
        exit_side, arrow, entry_side = text.partition(">")
        exit_side, entry_side = exit_side.strip(), entry_side.strip()
        if not arrow or exit_side not in sides or entry_side not in sides or exit_side == entry_side:
            self.row_problem(row, "direction", f"{text!r} is not a direction between the two sides", f"write EXIT>ENTRY with side codes, e.g. {'>'.join(sorted(sides)) or 'A>B'}")
            return None
        return exit_side, entry_side

    def demand(self, sides: set[str], categories: set[str]) -> list[spec.DemandSpec]:
        result: list[spec.DemandSpec] = []
        seen: dict[tuple[Any, ...], Row] = {}
        for row in self.raw.tables.get("demand", []):
            direction = self.direction(row, sides)
            category = self.known(row, "category", categories, "cargo category")
            day_text = self.required(row, "day")
            weekday = on_date = None
            if day_text is not None:
                try:
                    if day_text[:1].isdigit():
                        on_date = parse_date(day_text)
                    else:
                        weekday = parse_weekday(day_text)
                except ValueError as exc:
                    self.row_problem(row, "day", str(exc), "write a weekday (mon..sun) or a date (YYYY-MM-DD)")
                    day_text = None
            hour = self.cell(row, "hour", _hour, "write the local hour on the exit side's clock, 0 to 23 (7 = 07:00-08:00)")
            trucks = self.cell(row, "trucks", _float, "write the trucks expected in that hour, e.g. 12.5")
            if trucks is not None and trucks < 0:
                self.row_problem(row, "trucks", f"negative demand ({trucks} trucks)", "use zero or a positive number of trucks per hour")
                trucks = None
            if None in (direction, category, day_text, hour, trucks):
                continue
            key = (direction, category, weekday, on_date, hour)
            if key in seen:
                self.row_problem(row, "hour", f"duplicate demand row (first at {seen[key].location})", "keep one row per direction, category, day and hour")
                continue
            seen[key] = row
            result.append(spec.DemandSpec(exit_side=direction[0], entry_side=direction[1], category=category, weekday=weekday, on_date=on_date, hour=hour, trucks=trucks))
        return result

    def requests(self, sides: set[str], categories: set[str], agencies: Codes, classes: set[str], zones: dict[str, str], site: _Site) -> list[spec.RequestSpec]:
        result: list[spec.RequestSpec] = []
        seen: dict[str, Row] = {}
        for row in self.raw.tables.get("inspection_requests", []):
            reference = self.required(row, "reference")
            if reference is not None and reference in seen:
                self.row_problem(row, "reference", f"duplicate id {reference!r} (first at {seen[reference].location})", "give every consignment its own reference")
                reference = None
            elif reference is not None:
                seen[reference] = row
            direction = self.direction(row, sides)
            category = self.known(row, "category", categories, "cargo category")
            selecting = self.cell(row, "agencies", parse_list, LIST_FIX)
            if selecting is not None and not selecting:
                self.row_problem(row, "agencies", "no agency selected the consignment", "list the selecting agencies, separated by ;")
                selecting = None
            for agency in selecting or ():
                if agency not in agencies:
                    if not agencies.unreported(agency):
                        self.row_problem(row, "agencies", f"agency {agency!r} does not exist", "list existing agency codes separated by ;")
                    selecting = None
                    break
            if selecting and direction:
                selecting = self.check_facility(row, selecting, direction, site)
            duration = self.cell(row, "duration_minutes", _positive_int, "a positive number of minutes")
            zone = zones.get(direction[0]) if direction else None
            arrival = self.cell(row, "expected_arrival", lambda t, zone=zone: parse_instant(t, zone), INSTANT_FIX) if zone else None
            notified = self.cell(row, "notified_at", lambda t, zone=zone: parse_instant(t, zone), INSTANT_FIX) if zone else None
            wait = self.cell(row, "max_wait_minutes", lambda t: _positive_int(t) if t else None, "write whole minutes above 0, or leave it empty")
            capabilities = self.cell(row, "capabilities", parse_list, LIST_FIX)
            if capabilities and direction and site.layout is not None and site.capabilities is not None:
                missing = [c for c in capabilities if not any(c in offered for offered in site.capabilities_at(site.facility(direction, selecting)))]
                if missing:
                    self.row_problem(row, "capabilities", f"no bay at the facility offers {', '.join(missing)}", "add the capability to a resource hosted where the truck is inspected, or fix the spelling")
                    capabilities = None
            priority = row.values.get("priority") or None
            if priority is not None and priority not in classes:
                self.row_problem(row, "priority", f"priority class {priority!r} does not exist", f"use one of {', '.join(sorted(classes))}")
                continue
            reversal = self.cell(row, "reversal", parse_bool, BOOL_FIX)
            if arrival and notified and notified > arrival:
                self.row_problem(row, "notified_at", "notified after the expected arrival", "notification comes before arrival; check both times")
                continue
            if None in (reference, direction, category, selecting, duration, arrival, notified, reversal, capabilities):
                continue
            result.append(spec.RequestSpec(reference=reference, exit_side=direction[0], entry_side=direction[1], category=category, agencies=selecting, duration_minutes=duration, expected_arrival=arrival, notified_at=notified, capabilities=capabilities, max_wait_minutes=wait, priority=priority, reversal_allowed=reversal))
        return result

    def check_facility(self, row: Row, selecting: tuple[str, ...], direction: tuple[str, str], site: _Site) -> tuple[str, ...] | None:
        """Every selecting agency must have an office where the joint inspection happens."""
        if site.layout == PostLayout.SEPARATE:
            sides_involved = {site.agency_side[a] for a in selecting}
            if len(sides_involved) > 1:
                self.row_problem(row, "agencies", "at a post with a separate facility on each side, agencies of both countries cannot inspect the truck together", "split it into one request per side, each listing only that side's agencies")
                return None
        if site.office_hosts is None or site.layout not in (PostLayout.TWO_FACILITY, PostLayout.SEPARATE):
            return selecting
        facility = site.facility(direction, selecting)
        for agency in selecting:
            if not site.has_office(agency, facility):
                self.row_problem(row, "agencies", f"agency {agency!r} has no office at the facility hosted by {facility}, where {direction[0]}>{direction[1]} trucks are inspected", f"add an office of {agency} with host_side = \"{facility}\" (facility = \"juxtaposed\" if it is across the border), or drop the agency from the request")
                return None
        return selecting

    def check_skills_held(self, categories: list[spec.CategorySpec], held: set[tuple[str, str]]) -> None:
        reported: set[tuple[str, str]] = set()
        for index, category in enumerate(categories):
            for check_index, check in enumerate(category.checks):
                key = (check.agency, check.skill or "")
                if check.skill and key not in held and key not in reported:
                    reported.add(key)
                    self.toml_problem(("cargo_categories", index, "checks", check_index, "skill"), f"cargo_categories[{category.code}].checks[{check_index}].skill", f"no officer of {check.agency} has the skill {check.skill!r}", f"give the skill to qualified {check.agency} officers in officers.csv or drop it from the check")

    def check_capabilities(self, categories: list[spec.CategorySpec], resources: list[spec.ResourceSpec]) -> None:
        available = {capability for resource in resources for capability in resource.capabilities}
        for index, category in enumerate(categories):
            for capability in category.capabilities:
                if capability not in available:
                    self.toml_problem(("cargo_categories", index, "capabilities"), f"cargo_categories[{category.code}].capabilities", f"no bay or resource offers {capability!r}", "add it to a resource's capabilities or fix the spelling")


@dataclass(frozen=True, slots=True)
class _Site:
    """Where each agency has offices and what each side's bays offer, to place inspections."""

    layout: str | None
    agency_side: dict[str, str]
    office_hosts: frozenset[tuple[str, str]] | None
    capabilities: dict[str, tuple[frozenset[str], ...]] | None

    def facility(self, direction: tuple[str, str], agencies: tuple[str, ...] | None) -> str:
        """The side hosting the inspection: the entry side at a two-facility post (each
        country hosts the traffic entering it); at a separate post, the selecting side."""
        if self.layout == PostLayout.SEPARATE and agencies:
            return self.agency_side[agencies[0]]
        return direction[1]

    def has_office(self, agency: str, host_side: str) -> bool:
        return self.office_hosts is not None and (agency, host_side) in self.office_hosts

    def capabilities_at(self, host_side: str) -> tuple[frozenset[str], ...]:
        assert self.capabilities is not None
        if self.layout in (PostLayout.TWO_FACILITY, PostLayout.SEPARATE):
            return self.capabilities.get(host_side, ())
        return tuple(c for by_side in self.capabilities.values() for c in by_side)


class _CodeMap(dict[str, Any]):
    """Entries by code, remembering the codes of rejected entries (see ``Codes``)."""

    def __init__(self, items: dict[str, Any], broken: Iterable[str]) -> None:
        super().__init__(items)
        self.broken = frozenset(broken)


def _works(template: spec.ShiftTemplateSpec, agency: str, agency_side: dict[str, str]) -> bool:
    """Whether officers of ``agency`` work ``template`` (no agencies listed: all of its side)."""
    if template.agencies:
        return agency in template.agencies
    return agency_side.get(agency) == template.side


def _label(path: tuple[str | int, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _is_slug(text: str) -> bool:
    return bool(text) and all(c.islower() or c.isdigit() or c == "-" for c in text) and text[0].isalnum()


def _is_night(start: int, length: int) -> bool:
    """A shift is a night shift when most of it falls between 22:00 and 06:00."""
    night = sum(1 for minute in range(start, start + length) if minute % 1440 >= 22 * 60 or minute % 1440 < 6 * 60)
    return night * 2 > length


def _choice(text: str, options: list[str]) -> str:
    if text not in options:
        raise ValueError(f"{text!r} is not one of {', '.join(options)}")
    return text


def _float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{text!r} is not a number")
    return value


def _positive_float(text: str) -> float:
    value = _float(text)
    if value <= 0:
        raise ValueError(f"{text!r} must be more than zero")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a whole number") from None
    if value <= 0:
        raise ValueError(f"{text!r} must be more than zero")
    return value


def _hour(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{text!r} is not an hour; use 0 to 23") from None
    if not 0 <= value <= 23:
        raise ValueError(f"{text!r} is not an hour; use 0 to 23")
    return value


def _toml_error_line(exc: tomllib.TOMLDecodeError) -> str:
    lineno = getattr(exc, "lineno", None)
    if lineno:
        return f"line {lineno}"
    text = str(exc)
    marker = "line "
    if marker in text:
        return marker + text.split(marker, 1)[1].split()[0].rstrip(",)")
    return ""


__all__ = ["read_scenario", "validate"]
