"""Builds the tables of the sample posts (officers, leave, preferences, demand, requests).

    .venv/bin/python data/tools/build_samples.py            # rewrite data/<post>/*.csv
    .venv/bin/python data/tools/build_samples.py --check    # exit 1 if a table is stale

``post.toml`` of each sample is written by hand (its comments mark every assumption);
this script reads it and derives the tables from the settings below, all drawn from one
seeded ``random.Random`` per post, so the same settings always write the same files.
Figures and their sources are in each sample's README.md; everything here that no source
backs is an assumption [A] for realistic data:

* Officers: headcount per office, shares of skills, part-time contracts (24 or 30 h),
  cross-border accreditation (everyone in a juxtaposed office, a share of the others) and
  exemptions from night work. Each office inspecting a category gets at least two holders
  of the skill its check needs.
* Leave and preferences over the planning season (December 2026 - January 2027).
* Demand: trucks a day per direction, split by cargo category, spread over the local
  hours of the exit side by an hourly profile and over the week by weekday factors that
  sum to 7, so the weekly average is exactly the documented trucks a day. Dated rows raise
  a whole day (a pre-Christmas surge).
* Inspection requests for one reference week: the expected trucks of each hour, rounded
  up or down at random; each truck is selected by each agency with its category's rate,
  agencies sharing one risk score most of the time, so that most inspected trucks are
  selected by more than one agency (DOMAIN.md 4.3 puts it near 60 %).
"""

from __future__ import annotations

import argparse
import filecmp
import math
import random
import sys
import tempfile
import tomllib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.services.scenario import spec  # noqa: E402
from app.services.scenario.generate import HOURLY_SHARE, WEEKDAY_FACTOR  # noqa: E402
from app.services.scenario.source import TABLES  # noqa: E402
from app.services.scenario.values import parse_days  # noqa: E402
from app.services.scenario.write import table_rows, write_tables  # noqa: E402
from solver.timeutil import local_to_utc  # noqa: E402

DATA = ROOT / "data"


@dataclass(frozen=True, slots=True)
class Staffing:
    """Officers of one office: how many, and the share of them holding each skill."""

    office: str
    headcount: int
    skills: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Surge:
    first: date
    last: date
    factor: float


@dataclass(frozen=True, slots=True)
class NamePool:
    """Given names with their grammatical gender ("f"/"m") and family names; ``female_suffix``
    turns a family name into its feminine form where the language has one (Bulgarian -a)."""

    given: tuple[tuple[str, str], ...]
    family: tuple[str, ...]
    female_suffix: str = ""


@dataclass(frozen=True, slots=True)
class SamplePlan:
    code: str
    seed: int
    staffing: tuple[Staffing, ...]
    names: dict[str, NamePool]
    trucks_per_day: dict[tuple[str, str], float]
    category_share: dict[tuple[str, str], dict[str, float]]
    reference_week: date
    reference_prefix: str
    hourly_share: tuple[float, ...] = HOURLY_SHARE
    weekday_factor: tuple[float, ...] = WEEKDAY_FACTOR
    surges: tuple[Surge, ...] = ()
    part_time_share: float = 0.06
    accredited_share: float = 0.15
    night_exempt_share: float = 0.04
    shared_risk: float = 0.85
    aeo_share: float = 0.12
    reversal_share: float = 0.0
    season: tuple[date, date] = (date(2026, 12, 1), date(2027, 1, 31))
    email_domain: str = ""


KINYARWANDA = NamePool(
    given=(("Jean Claude", "m"), ("Claudine", "f"), ("Eric", "m"), ("Aline", "f"), ("Emmanuel", "m"), ("Diane", "f"),
           ("Patrick", "m"), ("Josiane", "f"), ("Olivier", "m"), ("Vestine", "f"), ("Innocent", "m"), ("Chantal", "f"),
           ("Jean Bosco", "m"), ("Clarisse", "f"), ("Théogène", "m"), ("Solange", "f"), ("Fabrice", "m"), ("Grace", "f"),
           ("Alphonse", "m"), ("Nadine", "f"), ("Didier", "m"), ("Yvette", "f"), ("Célestin", "m"), ("Béatha", "f")),
    family=("Uwimana", "Niyonzima", "Mukamana", "Habimana", "Nsengiyumva", "Uwase", "Mugisha", "Ingabire", "Hakizimana",
            "Nshimiyimana", "Mukandayisenga", "Niyigena", "Twagirayezu", "Umutoni", "Bizimana", "Ndayisaba", "Iradukunda",
            "Munyaneza", "Kayitesi", "Rukundo", "Gasana", "Mutesi", "Nkurunziza", "Uwera"),
)
SWAHILI = NamePool(
    given=(("Baraka", "m"), ("Neema", "f"), ("Juma", "m"), ("Rehema", "f"), ("Hamisi", "m"), ("Zawadi", "f"),
           ("Abdallah", "m"), ("Fatuma", "f"), ("Emmanuel", "m"), ("Grace", "f"), ("Salim", "m"), ("Mwanaisha", "f"),
           ("Joseph", "m"), ("Halima", "f"), ("Elia", "m"), ("Upendo", "f"), ("Said", "m"), ("Anna", "f"),
           ("Khamis", "m"), ("Agnes", "f"), ("Frank", "m"), ("Mariam", "f"), ("Godfrey", "m"), ("Happiness", "f")),
    family=("Mwakalinga", "Msuya", "Kimaro", "Mushi", "Mrema", "Massawe", "Mollel", "Lyimo", "Shirima", "Kilonzo",
            "Mfinanga", "Mwita", "Chacha", "Magesa", "Komba", "Mbwambo", "Ngowi", "Kessy", "Swai", "Minja", "Mwansasu",
            "Kitwana", "Rajabu", "Athumani"),
)
BULGARIAN = NamePool(
    given=(("Georgi", "m"), ("Maria", "f"), ("Ivan", "m"), ("Elena", "f"), ("Dimitar", "m"), ("Petya", "f"),
           ("Nikolay", "m"), ("Desislava", "f"), ("Stoyan", "m"), ("Radostina", "f"), ("Hristo", "m"), ("Gergana", "f"),
           ("Todor", "m"), ("Milena", "f"), ("Plamen", "m"), ("Yordanka", "f"), ("Kaloyan", "m"), ("Silviya", "f"),
           ("Angel", "m"), ("Teodora", "f"), ("Vasil", "m"), ("Tsvetelina", "f")),
    family=("Georgiev", "Ivanov", "Dimitrov", "Petrov", "Nikolov", "Stoyanov", "Hristov", "Todorov", "Angelov", "Kolev",
            "Marinov", "Iliev", "Atanasov", "Yordanov", "Petkov", "Mihaylov", "Zhelev", "Kostov", "Popov", "Vasilev"),
    female_suffix="a",
)
TURKISH = NamePool(
    given=(("Mehmet", "m"), ("Ayşe", "f"), ("Mustafa", "m"), ("Fatma", "f"), ("Ahmet", "m"), ("Emine", "f"),
           ("Ali", "m"), ("Hatice", "f"), ("Hüseyin", "m"), ("Zeynep", "f"), ("Murat", "m"), ("Elif", "f"),
           ("Emre", "m"), ("Merve", "f"), ("Burak", "m"), ("Selin", "f"), ("Kemal", "m"), ("Özlem", "f"),
           ("Serkan", "m"), ("Derya", "f"), ("Orhan", "m"), ("Gül", "f")),
    family=("Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk", "Aydın", "Özdemir", "Arslan",
            "Doğan", "Kılıç", "Aslan", "Çetin", "Kara", "Koç", "Kurt", "Özkan", "Şimşek", "Erdem", "Polat"),
)

RUSUMO = SamplePlan(
    code="rusumo",
    seed=2017_10_03,  # the day Rusumo went 24/7
    staffing=(
        Staffing("RW-RRA-RW", 22, {"scanner": 0.35, "dangerous_goods": 0.15, "cites": 0.1, "document_fraud": 0.1}),
        Staffing("RW-RRA-TZ", 12, {"scanner": 0.25, "dangerous_goods": 0.15, "cites": 0.1}),
        Staffing("RW-DGIE-RW", 16, {"document_fraud": 0.35}),
        Staffing("RW-DGIE-TZ", 8, {"document_fraud": 0.3}),
        Staffing("RW-RICA-RW", 5, {"phytosanitary": 0.8, "food_sampling": 0.2}),
        Staffing("RW-RICA-TZ", 3, {"phytosanitary": 0.8}),
        Staffing("RW-RAB-RW", 4, {"veterinary": 0.75}),
        Staffing("RW-RAB-TZ", 2, {"veterinary": 1.0}),
        Staffing("RW-RFDA-RW", 5, {"food_sampling": 0.7}),
        Staffing("RW-RFDA-TZ", 2, {"food_sampling": 1.0}),
        Staffing("RW-RSB-RW", 4),
        Staffing("RW-RBC-RW", 5),
        Staffing("RW-RNP-RW", 12, {"document_fraud": 0.15}),
        Staffing("RW-RDB-RW", 2, {"cites": 1.0}),
        Staffing("RW-RDB-TZ", 1, {"cites": 1.0}),
        Staffing("TZ-TRA-TZ", 25, {"scanner": 0.35, "dangerous_goods": 0.15, "cites": 0.1, "radiation": 0.05}),
        Staffing("TZ-TRA-RW", 13, {"scanner": 0.25, "dangerous_goods": 0.15, "cites": 0.1}),
        Staffing("TZ-IMM-TZ", 17, {"document_fraud": 0.35}),
        Staffing("TZ-IMM-RW", 9, {"document_fraud": 0.3}),
        Staffing("TZ-TBS-TZ", 5, {"food_sampling": 0.7}),
        Staffing("TZ-TBS-RW", 3, {"food_sampling": 0.7}),
        Staffing("TZ-TMDA-TZ", 3),
        Staffing("TZ-WMA-TZ", 3),
        Staffing("TZ-TASAC-TZ", 4),
        Staffing("TZ-MLF-TZ", 4, {"veterinary": 0.75}),
        Staffing("TZ-MLF-RW", 2, {"veterinary": 1.0}),
        Staffing("TZ-PH-TZ", 6),
        Staffing("TZ-TFS-TZ", 2, {"cites": 1.0}),
        Staffing("TZ-TFS-RW", 1, {"cites": 1.0}),
        Staffing("TZ-TAEC-TZ", 2, {"radiation": 1.0}),
        Staffing("TZ-TPHPA-TZ", 5, {"phytosanitary": 0.8}),
        Staffing("TZ-TPHPA-RW", 3, {"phytosanitary": 0.8}),
    ),
    names={"RW": KINYARWANDA, "TZ": SWAHILI},
    # About 600 trucks a day (DOMAIN.md 5); more enter Rwanda from the port of Dar es Salaam
    # than leave it, many of those returning empty [A for the split].
    trucks_per_day={("TZ", "RW"): 330.0, ("RW", "TZ"): 270.0},
    category_share={
        ("TZ", "RW"): {"general": 0.46, "fuel": 0.22, "food": 0.22, "produce": 0.07, "livestock": 0.02, "wildlife": 0.01},
        ("RW", "TZ"): {"general": 0.58, "food": 0.08, "produce": 0.12, "livestock": 0.02, "minerals": 0.18, "wildlife": 0.02},
    },
    reference_week=date(2026, 12, 7),
    reference_prefix="RUS",
    reversal_share=0.01,
    email_domain="rusumo.example",
)

# A flatter day than the generic profile: with queues of 5-30 km the terminal clears trucks
# round the clock, and the night trough is the queue's, not the road's [A].
_KAPIKULE_WEIGHT = (30, 28, 26, 25, 26, 30, 36, 44, 46, 50, 52, 52, 51, 52, 52, 51, 49, 46, 43, 40, 38, 36, 34, 32)

KAPITAN_ANDREEVO = SamplePlan(
    code="kapitan-andreevo",
    seed=1980,
    staffing=(
        Staffing("BG-CUS-KA", 48, {"scanner": 0.3, "cites": 0.08, "k9": 0.06, "document_fraud": 0.1}),
        Staffing("BG-BP-KA", 40, {"document_fraud": 0.3, "k9": 0.05}),
        Staffing("BG-BFSA-VET-KA", 10, {"veterinary": 0.9}),
        Staffing("BG-BFSA-PHY-KA", 10, {"phytosanitary": 0.9, "food_sampling": 0.2}),
        Staffing("BG-BFSA-FOOD-KA", 6, {"food_sampling": 0.85}),
        Staffing("BG-EAAA-KA", 8, {"axle_load": 0.75}),
        Staffing("BG-RHI-KA", 4),
        Staffing("BG-MOEW-KA", 2, {"cites": 1.0}),
        Staffing("TR-GUM-KK", 50, {"scanner": 0.3, "cites": 0.06, "k9": 0.06, "document_fraud": 0.1}),
        Staffing("TR-EGM-KK", 42, {"document_fraud": 0.3}),
        Staffing("TR-VET-KK", 10, {"veterinary": 0.9}),
        Staffing("TR-BKK-KK", 10, {"phytosanitary": 0.9}),
        Staffing("TR-GKGM-KK", 6, {"food_sampling": 0.85}),
        Staffing("TR-TSE-KK", 6),
        Staffing("TR-SSG-KK", 5),
        Staffing("TR-DKMP-KK", 3, {"cites": 1.0}),
    ),
    names={"BG": BULGARIAN, "TR": TURKISH},
    # About 2,000 trucks a day in both directions (range 1,550-2,600, DOMAIN.md 5); more leave
    # Turkey for the EU than enter it, and many return empty [A for the split].
    trucks_per_day={("TR", "BG"): 1100.0, ("BG", "TR"): 900.0},
    category_share={
        ("TR", "BG"): {"general": 0.72, "produce": 0.2, "animal_products": 0.04, "livestock": 0.002, "wildlife": 0.003, "empty": 0.035},
        ("BG", "TR"): {"general": 0.62, "produce": 0.03, "animal_products": 0.05, "livestock": 0.01, "wildlife": 0.002, "empty": 0.288},
    },
    hourly_share=tuple(weight / sum(_KAPIKULE_WEIGHT) for weight in _KAPIKULE_WEIGHT),
    # Peaks before Christmas and New Year (DOMAIN.md 5): 2,360 a day on average, the Friday
    # peak at 2,596 just under the 2,600 at the top of the observed range.
    surges=(Surge(date(2026, 12, 14), date(2026, 12, 23), 1.18),),
    reference_week=date(2026, 12, 7),
    reference_prefix="KAP",
    accredited_share=0.0,
    # Customs, the border police and the BFSA share one risk-analysis feed at an EU border
    # (the customs risk management framework) [A].
    shared_risk=0.95,
    email_domain="kapitan-andreevo.example",
)

PLANS = {plan.code: plan for plan in (RUSUMO, KAPITAN_ANDREEVO)}
# Liaison officers of the border police at the joint contact centre are accredited to act
# with the neighbour [A]; Kapitan Andreevo has no juxtaposed offices.
LIAISON = {"kapitan-andreevo": {"BG-BP-KA": 3, "TR-EGM-KK": 3}}


@dataclass(slots=True)
class _Post:
    """What the tables need from post.toml."""

    document: dict
    sides: tuple[spec.SideSpec, ...]
    agency_side: dict[str, str]
    office: dict[str, dict]
    categories: dict[str, dict]
    templates: list[dict]

    @classmethod
    def read(cls, folder: Path) -> _Post:
        document = tomllib.loads((folder / "post.toml").read_text(encoding="utf-8"))
        sides = tuple(
            spec.SideSpec(code=s["code"], country=s["country"], name=s["name"], timezone=s["timezone"], holiday_country=s["country"], holiday_subdivision=None, weekend=(5, 6), labour=spec.LabourSpec())
            for s in document["sides"]
        )
        return cls(
            document=document,
            sides=sides,
            agency_side={a["code"]: a["side"] for a in document["agencies"]},
            office={o["code"]: o for o in document["offices"]},
            categories={c["code"]: c for c in document["cargo_categories"]},
            templates=document.get("shift_templates", []),
        )

    @property
    def layout(self) -> str:
        return self.document["post"]["layout"]

    def zone(self, side: str) -> str:
        return next(s.timezone for s in self.sides if s.code == side)

    def agency(self, code: str) -> dict:
        return next(a for a in self.document["agencies"] if a["code"] == code)


def build(plan: SamplePlan, folder: Path, out: Path) -> None:
    """Write the tables of ``plan`` for the post.toml in ``folder`` into ``out``."""
    post = _Post.read(folder)
    rng = random.Random(plan.seed)
    officers = _officers(plan, post, rng)
    scenario = spec.Scenario(
        post=spec.PostSpec(code=plan.code, name=post.document["post"]["name"], layout=post.layout),
        sides=post.sides,
        officers=tuple(officers),
        leave=tuple(_leave(plan, officers, rng)),
        preferences=tuple(_preferences(plan, post, officers, rng)),
        demand=tuple(_demand(plan)),
        requests=tuple(_requests(plan, post, rng)),
    )
    out.mkdir(parents=True, exist_ok=True)
    write_tables(table_rows(scenario), out)


# -- officers ------------------------------------------------------------------------------


def _officers(plan: SamplePlan, post: _Post, rng: random.Random) -> list[spec.OfficerSpec]:
    officers: list[spec.OfficerSpec] = []
    used_names: set[str] = set()
    needed = _skills_needed(post)
    for staffing in plan.staffing:
        office = post.office[staffing.office]
        agency = office["agency"]
        side = post.agency_side[agency]
        abroad = office["host_side"] != side
        liaison = LIAISON.get(plan.code, {}).get(staffing.office, 0)
        members: list[spec.OfficerSpec] = []
        for index in range(staffing.headcount):
            number = sum(1 for o in officers if post.agency_side[o.agency] == side) + len(members) + 1
            name = _unique_name(plan.names[side], rng, used_names)
            skills = tuple(skill for skill, share in staffing.skills.items() if rng.random() < share)
            members.append(spec.OfficerSpec(
                code=f"{side}{number:04d}",
                name=name,
                agency=agency,
                office=staffing.office,
                skills=skills,
                contract_minutes_per_week=(rng.choice((24, 30)) if rng.random() < plan.part_time_share else 40) * 60,
                cross_border=abroad or index < liaison or rng.random() < plan.accredited_share,
                night_work=rng.random() >= plan.night_exempt_share,
                email=_email(name, number, plan.email_domain),
            ))
        officers.extend(_with_skill_holders(members, needed.get(agency, ())))
    return officers


def _skills_needed(post: _Post) -> dict[str, tuple[str, ...]]:
    """The skills each agency's checks need, in the order they first appear."""
    needed: dict[str, list[str]] = {}
    for category in post.categories.values():
        for check in category.get("checks", []):
            if "skill" in check and check["skill"] not in needed.setdefault(check["agency"], []):
                needed[check["agency"]].append(check["skill"])
    return {agency: tuple(skills) for agency, skills in needed.items()}


def _with_skill_holders(members: list[spec.OfficerSpec], skills: tuple[str, ...]) -> list[spec.OfficerSpec]:
    """At least two holders (or everyone, in a smaller office) of each skill the office's checks
    need, so that a joint inspection always has someone qualified to send."""
    result = list(members)
    for skill in skills:
        want = min(2, len(result))
        for index, officer in enumerate(result):
            if sum(skill in o.skills for o in result) >= want:
                break
            if skill not in officer.skills:
                result[index] = _replace(officer, skills=officer.skills + (skill,))
    return result


def _replace(officer: spec.OfficerSpec, **changes: object) -> spec.OfficerSpec:
    values = {name: getattr(officer, name) for name in spec.OfficerSpec.__dataclass_fields__}
    values.update(changes)
    return spec.OfficerSpec(**values)


def _unique_name(pool: NamePool, rng: random.Random, used: set[str]) -> str:
    while True:
        given, gender = rng.choice(pool.given)
        family = rng.choice(pool.family)
        if gender == "f" and pool.female_suffix:
            family += pool.female_suffix
        name = f"{given} {family}"
        if name not in used:
            used.add(name)
            return name


def _email(name: str, number: int, domain: str) -> str:
    if not domain:
        return ""
    ascii_name = unicodedata.normalize("NFKD", name.replace("ı", "i")).encode("ascii", "ignore").decode()
    given, _, family = ascii_name.lower().partition(" ")
    return f"{given[0]}.{family.replace(' ', '')}.{number}@{domain}"


# -- leave and preferences -----------------------------------------------------------------


def _leave(plan: SamplePlan, officers: list[spec.OfficerSpec], rng: random.Random) -> list[spec.LeaveSpec]:
    """One period at most per officer: Christmas leave for some, sickness and courses for a few."""
    first, last = plan.season
    season_days = (last - first).days + 1
    leave: list[spec.LeaveSpec] = []
    for officer in officers:
        draw = rng.random()
        if draw < 0.14:
            kind, length, note = "annual", rng.choice((3, 5, 7, 10, 14)), "annual leave"
        elif draw < 0.17:
            kind, length, note = "sick", rng.choice((1, 2, 3, 5)), ""
        elif draw < 0.21:
            kind, length, note = "training", rng.choice((2, 3, 5)), rng.choice(("risk management course", "CITES identification course", "scanner image analysis course", "first aid refresher"))
        else:
            continue
        start = first + timedelta(days=rng.randrange(season_days - length + 1))
        leave.append(spec.LeaveSpec(officer=officer.code, start=start, end=start + timedelta(days=length - 1), kind=kind, note=note))
    return leave


def _preferences(plan: SamplePlan, post: _Post, officers: list[spec.OfficerSpec], rng: random.Random) -> list[spec.PreferenceSpec]:
    holidays = (date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 31), date(2027, 1, 1))
    preferences: list[spec.PreferenceSpec] = []
    for officer in officers:
        side = post.agency_side[officer.agency]
        worked = [t for t in post.templates if t["side"] == side and (not t.get("agencies") or officer.agency in t["agencies"])]
        nights = [t for t in worked if t.get("night")]
        days = [t for t in worked if not t.get("night")]
        draw = rng.random()
        if draw < 0.08:
            preferences.append(spec.PreferenceSpec(officer=officer.code, want="off", on_date=rng.choice(holidays), weight=rng.choice((2, 3))))
        elif draw < 0.12 and nights:
            preferences.append(spec.PreferenceSpec(officer=officer.code, want="off", weekday=rng.randrange(7), shift=rng.choice(nights)["code"], weight=1))
        elif draw < 0.15 and days:
            template = rng.choice(days)
            weekday = rng.choice(parse_days(template.get("days", "daily")))
            preferences.append(spec.PreferenceSpec(officer=officer.code, want="on", weekday=weekday, shift=template["code"], weight=1))
    return preferences


# -- demand --------------------------------------------------------------------------------


def _demand(plan: SamplePlan) -> Iterator[spec.DemandSpec]:
    for (exit_side, entry_side), per_day in plan.trucks_per_day.items():
        for category, share in plan.category_share[(exit_side, entry_side)].items():
            for weekday in range(7):
                for hour, trucks in enumerate(_hourly(plan, per_day * share, weekday)):
                    yield spec.DemandSpec(exit_side=exit_side, entry_side=entry_side, category=category, weekday=weekday, hour=hour, trucks=round(trucks, 3))
            for surge in plan.surges:
                for day in _days(surge.first, surge.last):
                    for hour, trucks in enumerate(_hourly(plan, per_day * share * surge.factor, day.weekday())):
                        yield spec.DemandSpec(exit_side=exit_side, entry_side=entry_side, category=category, on_date=day, hour=hour, trucks=round(trucks, 3))


def _hourly(plan: SamplePlan, per_day: float, weekday: int) -> list[float]:
    return [per_day * plan.weekday_factor[weekday] * share for share in plan.hourly_share]


def _days(first: date, last: date) -> Iterator[date]:
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


def expected_trucks(plan: SamplePlan, direction: tuple[str, str], category: str, day: date) -> list[float]:
    """Trucks expected in each local hour of ``day``: a surge replaces the weekday profile."""
    factor = next((s.factor for s in plan.surges if s.first <= day <= s.last), 1.0)
    return _hourly(plan, plan.trucks_per_day[direction] * plan.category_share[direction].get(category, 0.0) * factor, day.weekday())


# -- inspection requests -------------------------------------------------------------------


def _requests(plan: SamplePlan, post: _Post, rng: random.Random) -> Iterator[spec.RequestSpec]:
    sequence = 0
    for day in _days(plan.reference_week, plan.reference_week + timedelta(days=6)):
        for direction in plan.trucks_per_day:
            for category_code in plan.category_share[direction]:
                category = post.categories[category_code]
                for hour, expected in enumerate(expected_trucks(plan, direction, category_code, day)):
                    trucks = math.floor(expected) + (rng.random() < expected - math.floor(expected))
                    for _ in range(trucks):
                        selecting = _selection(plan, category, rng)
                        if not selecting:
                            continue
                        sequence += 1
                        arrival_minute = hour * 60 + rng.randrange(0, 60, 5)
                        for part, (agencies, delay) in enumerate(_inspections(post, direction, selecting)):
                            suffix = f"-{post.agency_side[agencies[0]]}" if post.layout == "separate" else ""
                            yield _request(plan, post, rng, f"{plan.reference_prefix}-{day:%y%m%d}-{sequence:04d}{suffix}", direction, category, agencies, day, arrival_minute + delay, part)


def _selection(plan: SamplePlan, category: dict, rng: random.Random) -> list[dict]:
    """The checks that select one truck. Risk profiles are shared: most agencies look at the
    same risk score, so a truck one agency selects is likely selected by others too."""
    risk = rng.random()
    return [check for check in category.get("checks", []) if (risk if rng.random() < plan.shared_risk else rng.random()) < check["selection_rate"]]


def _inspections(post: _Post, direction: tuple[str, str], selecting: list[dict]) -> list[tuple[tuple[str, ...], int]]:
    """One joint inspection at a one-stop post; at a post with a facility on each side, one
    per side, the entry side's about an hour and a half after the exit side's [A]."""
    agencies = tuple(sorted(check["agency"] for check in selecting))
    if post.layout != "separate":
        return [(agencies, 0)]
    exit_side, entry_side = direction
    parts = []
    for side, delay in ((exit_side, 0), (entry_side, 90)):
        mine = tuple(a for a in agencies if post.agency_side[a] == side)
        if mine:
            parts.append((mine, delay))
    return parts


def _request(plan: SamplePlan, post: _Post, rng: random.Random, reference: str, direction: tuple[str, str], category: dict, agencies: tuple[str, ...], day: date, arrival_minute: int, part: int) -> spec.RequestSpec:
    checks = {check["agency"]: check for check in category.get("checks", [])}
    longest = max(checks[a]["inspection_minutes"] for a in agencies)
    # Inspection times are heavy-tailed (DOMAIN.md 4.3): lognormal around the check's length.
    duration = max(15, round(longest * math.exp(rng.gauss(0.0, 0.3)) / 15) * 15)
    arrival = local_to_utc(day, arrival_minute, post.zone(direction[0]))
    notice = max((_notice_hours(post.agency(a)) for a in agencies), default=0)
    if rng.random() < 0.92:
        lead_hours = notice + rng.choice((1, 2, 3, 6, 12, 20))
    else:
        # A late notification now and then, so notice rules have something to refuse.
        lead_hours = max(0.5, notice * rng.uniform(0.2, 0.8)) if notice else 0.5
    priority = category.get("priority")
    if priority == "regular" and rng.random() < plan.aeo_share:
        priority = "aeo"
    wait = category.get("max_wait_hours")
    return spec.RequestSpec(
        reference=reference,
        exit_side=direction[0],
        entry_side=direction[1],
        category=category["code"],
        agencies=agencies,
        duration_minutes=duration,
        expected_arrival=arrival,
        notified_at=arrival - timedelta(minutes=round(lead_hours * 60)),
        capabilities=tuple(category.get("capabilities", ())),
        max_wait_minutes=None if wait is None else round(wait * 60),
        priority=priority,
        reversal_allowed=part == 0 and rng.random() < plan.reversal_share,
    )


def _notice_hours(agency: dict) -> int:
    """Notice an agency wants, in hours; a working day counts as 24 h (deadlines that skip
    weekends and holidays are the inspection engine's business, DOMAIN.md 3.7)."""
    return max(agency.get("notice_hours", 0), 24 * agency.get("notice_working_days", 0))


# -- command line --------------------------------------------------------------------------


TABLE_FILES = tuple(table.file_name for table in TABLES)


def stale_files(plan: SamplePlan, folder: Path) -> list[str]:
    """Tables in ``folder`` that differ from what ``plan`` builds now."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)
        build(plan, folder, out)
        return [name for name in TABLE_FILES if (out / name).exists() != (folder / name).exists() or ((out / name).exists() and not filecmp.cmp(out / name, folder / name, shallow=False))]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("posts", nargs="*", default=list(PLANS), help="sample codes (default: all)")
    parser.add_argument("--check", action="store_true", help="only report tables that are out of date")
    args = parser.parse_args(argv)
    status = 0
    for code in args.posts:
        plan, folder = PLANS[code], DATA / code
        if args.check:
            stale = stale_files(plan, folder)
            if stale:
                print(f"{code}: out of date: {', '.join(stale)}")
                status = 1
            continue
        build(plan, folder, folder)
        print(f"{code}: wrote {', '.join(name for name in TABLE_FILES if (folder / name).exists())}")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
