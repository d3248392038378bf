"""A scenario after validation: typed, cross-referenced by codes, ready to load.

These mirror the scenario format documented in ``docs/scenario-format.md``. Times of day
are minutes after local midnight; a window's end may pass 1440 when it runs past midnight.
Instants (inspection arrival, notification) are aware UTC datetimes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class Window:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class DayWindows:
    """The same windows on each of ``weekdays`` (0 = Monday)."""

    weekdays: tuple[int, ...]
    windows: tuple[Window, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class LabourSpec:
    min_daily_rest_minutes: int = 11 * 60
    max_weekly_minutes: int = 48 * 60
    reference_period_weeks: int = 17
    max_consecutive_days: int = 6
    min_weekly_rest_minutes: int = 35 * 60
    night_start_minute: int = 22 * 60
    night_end_minute: int = 6 * 60
    max_night_minutes_per_24h: int = 8 * 60
    max_shift_minutes: int = 12 * 60


@dataclass(frozen=True, slots=True, kw_only=True)
class SideSpec:
    code: str
    country: str
    name: str
    timezone: str
    holiday_country: str
    holiday_subdivision: str | None
    weekend: tuple[int, ...]
    labour: LabourSpec


@dataclass(frozen=True, slots=True, kw_only=True)
class SkillSpec:
    code: str
    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AgencySpec:
    code: str
    side: str
    kind: str
    name: str
    lead: bool = False
    notice_working_days: int = 0
    notice_hours: int = 0
    derogation_notice_hours: int | None = None
    out_of_hours_fee_per_hour: float = 0.0
    currency: str = "USD"
    overtime_rate: float = 1.5
    staff_hour_cost: float = 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class OfficeSpec:
    code: str
    agency: str
    name: str
    host_side: str
    facility: str = "own"
    counterpart: str | None = None
    joint_controls: bool = False
    always_open: bool = False
    on_holidays: str = "closed"
    min_crew: int = 1
    trucks_per_officer_hour: float = 6.0
    max_blocks_per_day: int = 2
    min_block_minutes: int = 120
    hours: tuple[DayWindows, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class MandatoryWindowSpec:
    office: str
    kind: str
    weekdays: tuple[int, ...]
    window: Window
    valid_from: date | None = None
    valid_to: date | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class OverrideSpec:
    name: str
    scope_kind: str  # side | agency | office
    scope_code: str
    valid_from: date
    valid_to: date
    weekdays: tuple[int, ...]
    windows: tuple[Window, ...]
    confirmed: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class ShiftTemplateSpec:
    code: str
    side: str
    name: str
    start_minute: int
    length_minutes: int
    night: bool
    handover_minutes: int = 0
    agencies: tuple[str, ...] = ()
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6)


@dataclass(frozen=True, slots=True, kw_only=True)
class ResourceSpec:
    code: str
    name: str
    host_side: str
    kind: str
    capabilities: tuple[str, ...] = ()
    capacity: int = 1
    always_open: bool = False
    hours: tuple[DayWindows, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class PriorityClassSpec:
    code: str
    name: str
    rank: int
    max_wait_minutes: int | None = None
    quota: int = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckSpec:
    agency: str
    selection_rate: float
    inspection_minutes: int
    skill: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CategorySpec:
    code: str
    name: str
    priority: str | None = None
    max_wait_minutes: int | None = None
    capabilities: tuple[str, ...] = ()
    checks: tuple[CheckSpec, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleSpec:
    engine: str
    rule: str
    scope_kind: str | None = None  # side | agency | officer, None for post-wide
    scope_code: str | None = None
    hard: bool = True
    weight: int = 0
    value: dict[str, object] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class OfficerSpec:
    code: str
    name: str
    agency: str
    office: str
    skills: tuple[str, ...] = ()
    contract_minutes_per_week: int = 40 * 60
    cross_border: bool = False
    night_work: bool = True
    email: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class LeaveSpec:
    officer: str
    start: date
    end: date
    kind: str = "annual"
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class PreferenceSpec:
    officer: str
    want: str  # on | off
    on_date: date | None = None
    weekday: int | None = None
    shift: str | None = None
    weight: int = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class DemandSpec:
    exit_side: str
    entry_side: str
    category: str
    hour: int
    trucks: float
    weekday: int | None = None
    on_date: date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestSpec:
    reference: str
    exit_side: str
    entry_side: str
    category: str
    agencies: tuple[str, ...]
    duration_minutes: int
    expected_arrival: datetime
    notified_at: datetime
    capabilities: tuple[str, ...] = ()
    max_wait_minutes: int | None = None
    priority: str | None = None
    reversal_allowed: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class PostSpec:
    code: str
    name: str
    layout: str
    description: str = ""
    notice_period_hours: int = 120
    urgent_notice_hours: int = 24
    notice_policy: str = "forbid"
    notice_penalty: int = 1000


@dataclass(frozen=True, slots=True, kw_only=True)
class Scenario:
    post: PostSpec
    sides: tuple[SideSpec, ...]
    skills: tuple[SkillSpec, ...] = ()
    agencies: tuple[AgencySpec, ...] = ()
    offices: tuple[OfficeSpec, ...] = ()
    mandatory_windows: tuple[MandatoryWindowSpec, ...] = ()
    hours_overrides: tuple[OverrideSpec, ...] = ()
    shift_templates: tuple[ShiftTemplateSpec, ...] = ()
    resources: tuple[ResourceSpec, ...] = ()
    priority_classes: tuple[PriorityClassSpec, ...] = ()
    categories: tuple[CategorySpec, ...] = ()
    rules: tuple[RuleSpec, ...] = ()
    officers: tuple[OfficerSpec, ...] = ()
    leave: tuple[LeaveSpec, ...] = ()
    preferences: tuple[PreferenceSpec, ...] = ()
    demand: tuple[DemandSpec, ...] = ()
    requests: tuple[RequestSpec, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)
