"""The two real sample posts validate, load, and say what their documentation says."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays
import pytest
from sqlalchemy import select

from app.services.scenario import spec
from app.services.scenario.load import load_scenario
from app.services.scenario.validate import read_scenario
from models import BorderPost, Officer
from solver.timeutil import utc_to_local

DATA = Path(__file__).resolve().parents[2] / "data"
SAMPLES = ("rusumo", "kapitan-andreevo")


@pytest.fixture(scope="module")
def samples() -> dict[str, spec.Scenario]:
    return {code: read_scenario(DATA / code) for code in SAMPLES}


def _side(scenario: spec.Scenario, code: str) -> spec.SideSpec:
    return next(side for side in scenario.sides if side.code == code)


def _calendar(side: spec.SideSpec, year: int) -> holidays.HolidayBase:
    return holidays.country_holidays(side.holiday_country, subdiv=side.holiday_subdivision, years=year)


def _trucks_per_day(scenario: spec.Scenario) -> float:
    """The weekly profile's average day, both directions."""
    return sum(d.trucks for d in scenario.demand if d.weekday is not None) / 7


def _trucks_on(scenario: spec.Scenario, day: date) -> float:
    return sum(d.trucks for d in scenario.demand if d.on_date == day)


def test_rusumo_is_the_documented_post(samples):
    rusumo = samples["rusumo"]
    assert rusumo.post.code == "rusumo" and rusumo.post.layout == "two_facility"
    assert {(s.code, s.timezone, s.holiday_country) for s in rusumo.sides} == {("RW", "Africa/Kigali", "RW"), ("TZ", "Africa/Dar_es_Salaam", "TZ")}
    assert _trucks_per_day(rusumo) == pytest.approx(600, abs=0.5)
    # 24/7 since 2017: customs and immigration of both sides, in both facilities.
    always = {o.agency for o in rusumo.offices if o.always_open}
    assert {"RW-RRA", "RW-DGIE", "TZ-TRA", "TZ-IMM"} <= always
    # The agencies DOMAIN.md lists for the Tanzanian side are all there.
    tanzanian = {a.code for a in rusumo.agencies if a.side == "TZ"}
    assert {"TZ-TRA", "TZ-IMM", "TZ-TBS", "TZ-TMDA", "TZ-WMA", "TZ-TASAC", "TZ-MLF", "TZ-PH", "TZ-TFS", "TZ-TAEC", "TZ-TPHPA"} == tanzanian


def test_rusumo_exit_officers_work_in_the_neighbours_facility(samples):
    rusumo = samples["rusumo"]
    office = {o.code: o for o in rusumo.offices}
    side_of = {a.code: a.side for a in rusumo.agencies}
    juxtaposed = [o for o in rusumo.offices if o.facility == "juxtaposed"]
    assert juxtaposed and all(o.host_side != side_of[o.agency] and o.counterpart for o in juxtaposed)
    abroad = [o for o in rusumo.officers if office[o.office].host_side != side_of[o.agency]]
    assert abroad and all(o.cross_border for o in abroad)
    assert any(o.cross_border for o in rusumo.officers if o not in abroad)


def test_rusumo_celebrates_eid_al_adha_on_different_days_on_each_side(samples):
    """DOMAIN.md 3.2: moon sighting puts the same feast on different days across the river."""
    rwanda, tanzania = _calendar(_side(samples["rusumo"], "RW"), 2026), _calendar(_side(samples["rusumo"], "TZ"), 2026)
    eid_rw = {day for day, name in rwanda.items() if "Eid al-Adha" in name}
    eid_tz = {day for day, name in tanzania.items() if "Eid al-Adha" in name}
    assert eid_rw == {date(2026, 5, 27)} and eid_tz == {date(2026, 5, 28)}
    assert date(2026, 5, 27) not in tanzania and date(2026, 5, 28) not in rwanda


def test_kapitan_andreevo_is_the_documented_post(samples):
    ka = samples["kapitan-andreevo"]
    assert ka.post.code == "kapitan-andreevo" and ka.post.layout == "separate"
    assert {(s.code, s.timezone, s.holiday_country) for s in ka.sides} == {("BG", "Europe/Sofia", "BG"), ("TR", "Europe/Istanbul", "TR")}
    assert _trucks_per_day(ka) == pytest.approx(2000, abs=0.5)
    assert all(o.facility == "own" for o in ka.offices) and not any(o.joint_controls for o in ka.offices)
    assert all(o.counterpart for o in ka.offices if o.agency.endswith(("CUS", "BP", "GUM", "EGM")))


def test_kapitan_andreevo_peaks_before_christmas_within_the_documented_range(samples):
    ka = samples["kapitan-andreevo"]
    surge = sorted({d.on_date for d in ka.demand if d.on_date})
    assert surge[0] == date(2026, 12, 14) and surge[-1] == date(2026, 12, 23)
    regular = [sum(d.trucks for d in ka.demand if d.weekday == day.weekday()) for day in surge]
    daily = [_trucks_on(ka, day) for day in surge]
    assert all(usual < trucks <= 2600 for usual, trucks in zip(regular, daily, strict=True))
    assert max(daily) > 2500


def test_kapitan_andreevo_clocks_differ_by_an_hour_in_winter_and_not_in_summer(samples):
    sofia, istanbul = (ZoneInfo(_side(samples["kapitan-andreevo"], code).timezone) for code in ("BG", "TR"))
    for moment, hours in ((datetime(2026, 1, 15, 12, tzinfo=UTC), 1), (datetime(2026, 7, 15, 12, tzinfo=UTC), 0)):
        assert (moment.astimezone(istanbul).utcoffset() - moment.astimezone(sofia).utcoffset()).total_seconds() == hours * 3600


def test_christmas_eve_is_a_holiday_on_one_side_of_kapitan_andreevo_only(samples):
    ka = samples["kapitan-andreevo"]
    bulgaria, turkey = _calendar(_side(ka, "BG"), 2026), _calendar(_side(ka, "TR"), 2026)
    assert date(2026, 12, 24) in bulgaria and date(2026, 12, 24) not in turkey
    assert 25 <= len(set(bulgaria) ^ set(turkey)) <= 35  # "about 30 dates a year", DOMAIN.md 3.2


@pytest.mark.parametrize("code", SAMPLES)
def test_staff_is_realistic(samples, code):
    scenario = samples[code]
    assert 150 <= len(scenario.officers) <= 300
    per_agency = Counter(o.agency for o in scenario.officers)
    kind = {a.code: a.kind for a in scenario.agencies}
    assert set(per_agency) == set(kind), "every agency has staff"
    largest = {kind[agency] for agency, _ in per_agency.most_common(4)}
    assert largest == {"customs", "immigration"}
    part_time = [o for o in scenario.officers if o.contract_minutes_per_week < 40 * 60]
    assert 0 < len(part_time) < len(scenario.officers) * 0.15
    assert any(o.cross_border for o in scenario.officers)
    for agency in per_agency:
        held = {skill for o in scenario.officers if o.agency == agency for skill in o.skills}
        needed = {check.skill for c in scenario.categories for check in c.checks if check.agency == agency and check.skill}
        assert needed <= held
    assert scenario.leave and scenario.preferences


@pytest.mark.parametrize("code", SAMPLES)
def test_specialists_keep_office_hours_and_the_border_services_never_close(samples, code):
    scenario = samples[code]
    kind = {a.code: a.kind for a in scenario.agencies}
    for office in scenario.offices:
        if kind[office.agency] in ("customs", "immigration"):
            assert office.always_open and office.on_holidays == "open"
        elif kind[office.agency] in ("plant_health", "food_safety", "cites", "standards"):
            assert not office.always_open and office.hours
    lunch_gaps = [o for o in scenario.offices for row in o.hours if len(row.windows) > 1]
    assert lunch_gaps
    assert {t.length_minutes for t in scenario.shift_templates} >= {8 * 60, 12 * 60}
    assert {c.quota for c in scenario.priority_classes} == {1, 5}


@pytest.mark.parametrize("code", SAMPLES)
def test_the_reference_week_of_inspections(samples, code):
    scenario = samples[code]
    zone = {s.code: s.timezone for s in scenario.sides}
    days = {utc_to_local(r.expected_arrival, zone[r.exit_side]).date() for r in scenario.requests}
    week = {date(2026, 12, 7 + offset) for offset in range(7)}
    # An entry-side inspection of a truck that left late on Sunday may fall on Monday the 14th.
    assert week <= days <= week | {date(2026, 12, 14)}
    assert all(r.notified_at <= r.expected_arrival for r in scenario.requests)
    # About 60 % of inspected trucks are selected by more than one agency (DOMAIN.md 4.3).
    per_truck: dict[str, set[str]] = defaultdict(set)
    for request in scenario.requests:
        per_truck[request.reference.removesuffix(f"-{request.agencies[0][:2]}")].update(request.agencies)
    multiple = sum(len(agencies) > 1 for agencies in per_truck.values()) / len(per_truck)
    assert 0.4 <= multiple <= 0.75
    categories = {c.code: c for c in scenario.categories}
    assert all(set(r.capabilities) == set(categories[r.category].capabilities) for r in scenario.requests)


def test_separate_facilities_get_one_request_per_side(samples):
    ka = samples["kapitan-andreevo"]
    side_of = {a.code: a.side for scenario in samples.values() for a in scenario.agencies}
    assert all(len({side_of[a] for a in r.agencies}) == 1 for r in ka.requests)
    assert any(len({side_of[a] for a in r.agencies}) == 2 for r in samples["rusumo"].requests)


def test_the_estimated_lunar_override_is_marked_unconfirmed(samples):
    overrides = [o for scenario in samples.values() for o in scenario.hours_overrides]
    estimated = [o for o in overrides if not o.confirmed]
    assert estimated and all("estimated" in o.name for o in estimated)
    assert any(o.scope_code.startswith("TR") for o in estimated)


def test_both_samples_load_side_by_side(samples, session):
    for code in SAMPLES:
        report = load_scenario(session, samples[code])
        assert report.counts["officers"] == len(samples[code].officers)
    session.commit()
    loaded = {post.code: post for post in session.scalars(select(BorderPost))}
    assert set(loaded) == set(SAMPLES)
    for code in SAMPLES:
        post = loaded[code]
        assert {side.code for side in post.sides} == {side.code for side in samples[code].sides}
        officers = session.scalar(select(Officer.id).where(Officer.post_id == post.id).order_by(Officer.id.desc()).limit(1))
        assert officers is not None


def _build_samples_module():  # type: ignore[no-untyped-def]
    path = DATA / "tools" / "build_samples.py"
    module_spec = importlib.util.spec_from_file_location("build_samples", path)
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[module_spec.name] = module  # dataclasses look their module up there
    module_spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("code", SAMPLES)
def test_the_sample_tables_are_what_the_build_script_writes(code):
    """The tables are derived: editing them by hand, or the script without rerunning it, fails here."""
    tool = _build_samples_module()
    assert tool.stale_files(tool.PLANS[code], DATA / code) == []
