"""A border post, its two sides, their agencies and offices, and what the offices work with."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, code, created, intpk, name, str_enum
from models.enums import (
    AgencyKind,
    Facility,
    HolidayPolicy,
    NoticePolicy,
    PostLayout,
    ResourceKind,
    WindowKind,
)

if TYPE_CHECKING:
    from models.staff import Officer
    from models.traffic import CargoCategory, Demand, PriorityClass

_POST_FK = "border_post.id"


class BorderPost(Base):
    """A crossing point with two sides, known to users and URLs by its short ``code``."""

    __tablename__ = "border_post"

    id: Mapped[intpk]
    code: Mapped[code] = mapped_column(unique=True)
    name: Mapped[name]
    description: Mapped[str] = mapped_column(Text, default="")
    layout: Mapped[PostLayout] = mapped_column(str_enum(PostLayout))
    # Notice owed before published hours change (5 days, or 24 h when urgent, in the
    # Russian bilateral agreements quoted in DOMAIN.md section 1.4).
    notice_period_hours: Mapped[int] = mapped_column(default=120)
    urgent_notice_hours: Mapped[int] = mapped_column(default=24)
    notice_policy: Mapped[NoticePolicy] = mapped_column(str_enum(NoticePolicy))
    notice_penalty: Mapped[int] = mapped_column(default=1000)
    created_at: Mapped[created]

    sides: Mapped[list[Side]] = relationship(
        back_populates="post", cascade="all, delete-orphan", order_by="Side.id"
    )
    skills: Mapped[list[Skill]] = relationship(cascade="all, delete-orphan", order_by="Skill.id")
    shift_templates: Mapped[list[ShiftTemplate]] = relationship(
        cascade="all, delete-orphan", order_by="ShiftTemplate.id"
    )
    resources: Mapped[list[Resource]] = relationship(
        cascade="all, delete-orphan", order_by="Resource.id"
    )
    categories: Mapped[list[CargoCategory]] = relationship(
        cascade="all, delete-orphan", order_by="CargoCategory.id"
    )
    priority_classes: Mapped[list[PriorityClass]] = relationship(
        cascade="all, delete-orphan", order_by="PriorityClass.rank"
    )
    demand: Mapped[list[Demand]] = relationship(cascade="all, delete-orphan")
    rule_settings: Mapped[list[RuleSetting]] = relationship(cascade="all, delete-orphan")
    hours_overrides: Mapped[list[HoursOverride]] = relationship(cascade="all, delete-orphan")

    def side(self, side_code: str) -> Side:
        for side in self.sides:
            if side.code == side_code:
                return side
        raise KeyError(side_code)

    @property
    def agencies(self) -> list[Agency]:
        return [agency for side in self.sides for agency in side.agencies]

    @property
    def offices(self) -> list[Office]:
        return [office for agency in self.agencies for office in agency.offices]


class Side(Base):
    """One country's side of a post: its zone, its holiday calendar and its labour law."""

    __tablename__ = "side"
    __table_args__ = (UniqueConstraint("post_id", "code"),)

    id: Mapped[intpk]
    post_id: Mapped[int] = mapped_column(ForeignKey(_POST_FK, ondelete="CASCADE"), index=True)
    code: Mapped[code]
    country: Mapped[str] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    name: Mapped[name]
    timezone: Mapped[str] = mapped_column(String(64))  # IANA name, never a fixed offset
    holiday_country: Mapped[str] = mapped_column(String(8))
    holiday_subdivision: Mapped[str | None] = mapped_column(String(16))
    weekend_days: Mapped[list[Any]]  # 0 = Monday ... 6 = Sunday
    # Labour rules of this country (EU Working Time Directive defaults, DOMAIN.md 3.5);
    # agencies and officers may override them through RuleSetting rows.
    min_daily_rest_minutes: Mapped[int] = mapped_column(default=11 * 60)
    max_weekly_minutes: Mapped[int] = mapped_column(default=48 * 60)
    reference_period_weeks: Mapped[int] = mapped_column(default=17)
    max_consecutive_days: Mapped[int] = mapped_column(default=6)
    min_weekly_rest_minutes: Mapped[int] = mapped_column(default=35 * 60)
    night_start_minute: Mapped[int] = mapped_column(default=22 * 60)
    night_end_minute: Mapped[int] = mapped_column(default=6 * 60)
    max_night_minutes_per_24h: Mapped[int] = mapped_column(default=8 * 60)
    max_shift_minutes: Mapped[int] = mapped_column(default=12 * 60)

    post: Mapped[BorderPost] = relationship(back_populates="sides")
    agencies: Mapped[list[Agency]] = relationship(
        back_populates="side", cascade="all, delete-orphan", order_by="Agency.id"
    )


class Agency(Base):
    """A border agency of one side (customs, immigration, plant health ...)."""

    __tablename__ = "agency"
    __table_args__ = (
        UniqueConstraint("post_id", "code"),
        CheckConstraint("notice_working_days >= 0", name="notice_working_days"),
    )

    id: Mapped[intpk]
    # Denormalised so that agency codes are unique per post, which is how users name them.
    post_id: Mapped[int] = mapped_column(ForeignKey(_POST_FK, ondelete="CASCADE"), index=True)
    side_id: Mapped[int] = mapped_column(ForeignKey("side.id", ondelete="CASCADE"), index=True)
    code: Mapped[code]
    name: Mapped[name]
    kind: Mapped[AgencyKind] = mapped_column(str_enum(AgencyKind))
    lead: Mapped[bool] = mapped_column(Boolean, default=False)  # the OSBP lead agency
    # Pre-notification owed before an inspection (one working day for CHED, 48 h for CITES).
    notice_working_days: Mapped[int] = mapped_column(default=0)
    notice_hours: Mapped[int] = mapped_column(default=0)
    derogation_notice_hours: Mapped[int | None] = mapped_column(Integer)
    out_of_hours_fee_per_hour: Mapped[float] = mapped_column(Numeric(12, 2), default=0)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    overtime_rate: Mapped[float] = mapped_column(Float, default=1.5)
    staff_hour_cost: Mapped[float] = mapped_column(Numeric(12, 2), default=0)

    side: Mapped[Side] = relationship(back_populates="agencies")
    offices: Mapped[list[Office]] = relationship(
        back_populates="agency", cascade="all, delete-orphan", order_by="Office.id"
    )
    officers: Mapped[list[Officer]] = relationship(
        back_populates="agency", cascade="all, delete-orphan", order_by="Officer.id"
    )


class Office(Base):
    """Where an agency works at the post; it may sit in the neighbour's control zone."""

    __tablename__ = "office"
    __table_args__ = (
        UniqueConstraint("post_id", "code"),
        CheckConstraint("min_crew >= 1", name="min_crew"),
        CheckConstraint("max_blocks_per_day >= 1", name="max_blocks_per_day"),
    )

    id: Mapped[intpk]
    post_id: Mapped[int] = mapped_column(ForeignKey(_POST_FK, ondelete="CASCADE"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="CASCADE"), index=True)
    host_side_id: Mapped[int] = mapped_column(ForeignKey("side.id", ondelete="CASCADE"))
    code: Mapped[code]
    name: Mapped[name]
    facility: Mapped[Facility] = mapped_column(str_enum(Facility))
    counterpart_id: Mapped[int | None] = mapped_column(
        ForeignKey("office.id", ondelete="SET NULL")
    )
    joint_controls: Mapped[bool] = mapped_column(Boolean, default=False)
    always_open: Mapped[bool] = mapped_column(Boolean, default=False)
    on_holidays: Mapped[HolidayPolicy] = mapped_column(str_enum(HolidayPolicy))
    min_crew: Mapped[int] = mapped_column(default=1)
    # Trucks one officer clears per hour at this office when no physical check is needed.
    trucks_per_officer_hour: Mapped[float] = mapped_column(Float, default=6.0)
    max_blocks_per_day: Mapped[int] = mapped_column(default=2)
    min_block_minutes: Mapped[int] = mapped_column(default=120)

    agency: Mapped[Agency] = relationship(back_populates="offices")
    host_side: Mapped[Side] = relationship(foreign_keys=[host_side_id])
    counterpart: Mapped[Office | None] = relationship(remote_side="Office.id", post_update=True)
    weekly_hours: Mapped[list[WeeklyHours]] = relationship(
        back_populates="office", cascade="all, delete-orphan", order_by="WeeklyHours.id"
    )
    windows: Mapped[list[MandatoryWindow]] = relationship(
        back_populates="office", cascade="all, delete-orphan"
    )

    @property
    def side(self) -> Side:
        """The administration the office belongs to: its law, calendar and clock."""
        return self.agency.side

    @property
    def timezone(self) -> str:
        return self.agency.side.timezone


class WeeklyHours(Base):
    """Regular business hours: one window on one weekday, in the office's local time.

    ``end_minute`` may pass 1440 for a window that runs past midnight into the next day.
    """

    __tablename__ = "weekly_hours"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint(
            "start_minute >= 0 AND start_minute < end_minute AND end_minute <= start_minute + 1440",
            name="window",
        ),
    )

    id: Mapped[intpk]
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int]
    start_minute: Mapped[int]
    end_minute: Mapped[int]

    office: Mapped[Office] = relationship(back_populates="weekly_hours")


class MandatoryWindow(Base):
    """A window an office must be open (a 24/7 post) or can never open (a day-only lab)."""

    __tablename__ = "mandatory_window"
    __table_args__ = (
        CheckConstraint(
            "start_minute >= 0 AND start_minute < end_minute AND end_minute <= start_minute + 1440",
            name="window",
        ),
    )

    id: Mapped[intpk]
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id", ondelete="CASCADE"), index=True)
    kind: Mapped[WindowKind] = mapped_column(str_enum(WindowKind))
    weekdays: Mapped[list[Any]]
    start_minute: Mapped[int]
    end_minute: Mapped[int]
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]
    reason: Mapped[str] = mapped_column(String(200), default="")

    office: Mapped[Office] = relationship(back_populates="windows")


class HoursOverride(Base):
    """Date-ranged alternative hours (Ramadan, a season, an event) for a side, agency or office.

    ``windows`` is a list of ``[start_minute, end_minute]`` pairs in local time; an empty
    list closes the scope on those days. ``confirmed`` is false while the dates are an
    estimate (lunar holidays are often confirmed only days before).
    """

    __tablename__ = "hours_override"
    __table_args__ = (CheckConstraint("valid_from <= valid_to", name="range"),)

    id: Mapped[intpk]
    post_id: Mapped[int] = mapped_column(ForeignKey(_POST_FK, ondelete="CASCADE"), index=True)
    name: Mapped[name]
    side_id: Mapped[int | None] = mapped_column(ForeignKey("side.id", ondelete="CASCADE"))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id", ondelete="CASCADE"))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id", ondelete="CASCADE"))
    valid_from: Mapped[date]
    valid_to: Mapped[date]
    weekdays: Mapped[list[Any]]
    windows: Mapped[list[Any]]
    confirmed: Mapped[bool] = mapped_column(Boolean, default=True)


class Skill(Base):
    """A skill or qualification officers hold and work may require (scanner, veterinarian ...)."""

    __tablename__ = "skill"
    __table_args__ = (UniqueConstraint("post_id", "code"),)

    id: Mapped[intpk]
    post_id: Mapped[int] = mapped_column(ForeignKey(_POST_FK, ondelete="CASCADE"), index=True)
    code: Mapped[code]
    name: Mapped[name]


class ShiftTemplate(Base):
    """A shift as practised: local start time, length, day or night, handover overlap."""

    __tablename__ = "shift_template"
    __table_args__ = (
        UniqueConstraint("post_id", "code"),
        CheckConstraint("start_minute >= 0 AND start_minute < 1440", name="start"),
        CheckConstraint("length_minutes > 0 AND length_minutes <= 1440", name="length"),
    )

    id: Mapped[intpk]
    post_id: Mapped[int] = mapped_column(ForeignKey(_POST_FK, ondelete="CASCADE"), index=True)
    side_id: Mapped[int] = mapped_column(ForeignKey("side.id", ondelete="CASCADE"))
    code: Mapped[code]
    name: Mapped[name]
    start_minute: Mapped[int]
    length_minutes: Mapped[int]
    night: Mapped[bool] = mapped_column(Boolean, default=False)
    handover_minutes: Mapped[int] = mapped_column(default=0)
    # Agency codes that work this template; empty means every agency of the side.
    agency_codes: Mapped[list[Any]]
    weekdays: Mapped[list[Any]]

    side: Mapped[Side] = relationship()


class Resource(Base):
    """An inspection bay, lane, pen, scanner or lab, with its capabilities and hours."""

    __tablename__ = "resource"
    __table_args__ = (
        UniqueConstraint("post_id", "code"),
        CheckConstraint("capacity >= 1", name="capacity"),
    )

    id: Mapped[intpk]
    post_id: Mapped[int] = mapped_column(ForeignKey(_POST_FK, ondelete="CASCADE"), index=True)
    host_side_id: Mapped[int] = mapped_column(ForeignKey("side.id", ondelete="CASCADE"))
    code: Mapped[code]
    name: Mapped[name]
    kind: Mapped[ResourceKind] = mapped_column(str_enum(ResourceKind))
    capabilities: Mapped[list[Any]]
    capacity: Mapped[int] = mapped_column(default=1)
    always_open: Mapped[bool] = mapped_column(Boolean, default=False)

    host_side: Mapped[Side] = relationship()
    hours: Mapped[list[ResourceHours]] = relationship(
        cascade="all, delete-orphan", order_by="ResourceHours.id"
    )


class ResourceHours(Base):
    """When a resource can be used, in its host side's local time (same shape as office hours)."""

    __tablename__ = "resource_hours"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint(
            "start_minute >= 0 AND start_minute < end_minute AND end_minute <= start_minute + 1440",
            name="window",
        ),
    )

    id: Mapped[intpk]
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resource.id", ondelete="CASCADE"), index=True
    )
    weekday: Mapped[int]
    start_minute: Mapped[int]
    end_minute: Mapped[int]


class RuleSetting(Base):
    """How one named rule of one engine holds at this post, for a side, agency or officer.

    The most specific row wins: officer, then agency, then side, then post-wide.
    ``value`` carries the rule's parameter where it has one (a minimum overlap share, a
    maximum number of night shifts ...).
    """

    __tablename__ = "rule_setting"
    __table_args__ = (
        UniqueConstraint("post_id", "engine", "rule", "side_id", "agency_id", "officer_id"),
        CheckConstraint("weight >= 0", name="weight"),
    )

    id: Mapped[intpk]
    post_id: Mapped[int] = mapped_column(ForeignKey(_POST_FK, ondelete="CASCADE"), index=True)
    engine: Mapped[str] = mapped_column(String(20))
    rule: Mapped[str] = mapped_column(String(60))
    side_id: Mapped[int | None] = mapped_column(ForeignKey("side.id", ondelete="CASCADE"))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id", ondelete="CASCADE"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id", ondelete="CASCADE"))
    hard: Mapped[bool] = mapped_column(Boolean, default=True)
    weight: Mapped[int] = mapped_column(default=0)
    value: Mapped[dict[str, Any] | None]
