"""Versioned plans and their items: opening windows, staffing needs, shifts, inspections."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, created, intpk, str_enum
from models.enums import BookingMode, PlanKind, PlanStatus
from models.post import BorderPost, Office, Resource, ShiftTemplate, Skill
from models.staff import Officer


class Plan(Base):
    """One version of a post's plan for a horizon, draft until a manager publishes it.

    The headline solver figures (seed, time limit, workers, status, objective, bound, gap)
    are those of the plan as a whole; ``runs`` holds every engine's own.
    """

    __tablename__ = "plan"
    __table_args__ = (
        UniqueConstraint("post_id", "version"),
        CheckConstraint("horizon_days BETWEEN 1 AND 366", name="horizon"),
    )

    id: Mapped[intpk]
    post_id: Mapped[int] = mapped_column(ForeignKey("border_post.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    kind: Mapped[PlanKind] = mapped_column(str_enum(PlanKind))
    status: Mapped[PlanStatus] = mapped_column(str_enum(PlanStatus))
    horizon_start: Mapped[date]
    horizon_days: Mapped[int]
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")
    seed: Mapped[int]
    time_limit_seconds: Mapped[float] = mapped_column(Float)
    workers: Mapped[int]
    solver_status: Mapped[str] = mapped_column(String(20))
    objective: Mapped[float | None] = mapped_column(Float)
    best_bound: Mapped[float | None] = mapped_column(Float)
    gap: Mapped[float | None] = mapped_column(Float)
    wall_seconds: Mapped[float | None] = mapped_column(Float)
    kpis: Mapped[dict[str, Any]]
    explanations: Mapped[list[Any]]
    created_at: Mapped[created]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None]
    published_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    post: Mapped[BorderPost] = relationship()
    runs: Mapped[list[SolveRun]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="SolveRun.id"
    )
    windows: Mapped[list[PlannedWindow]] = relationship(
        cascade="all, delete-orphan", order_by="PlannedWindow.start_at"
    )
    shifts: Mapped[list[PlannedShift]] = relationship(
        cascade="all, delete-orphan", order_by="PlannedShift.start_at"
    )
    needs: Mapped[list[StaffingNeed]] = relationship(cascade="all, delete-orphan")
    inspections: Mapped[list[PlannedInspection]] = relationship(
        cascade="all, delete-orphan", order_by="PlannedInspection.start_at"
    )

    @property
    def label(self) -> str:
        return f"v{self.version} ({self.kind.value}, {self.status.value})"


class SolveRun(Base):
    """What one engine reported for the plan: enough to reproduce and to judge the solve."""

    __tablename__ = "solve_run"

    id: Mapped[intpk]
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    engine: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20))
    objective: Mapped[float | None] = mapped_column(Float)
    best_bound: Mapped[float | None] = mapped_column(Float)
    gap: Mapped[float | None] = mapped_column(Float)
    seed: Mapped[int]
    time_limit_seconds: Mapped[float] = mapped_column(Float)
    workers: Mapped[int]
    wall_seconds: Mapped[float] = mapped_column(Float)
    progress: Mapped[list[Any]]
    breakdown: Mapped[list[Any]]  # the objective by rule, subject and day

    plan: Mapped[Plan] = relationship(back_populates="runs")


class PlannedWindow(Base):
    """An office open from ``start_at`` to ``end_at`` (UTC) in this plan."""

    __tablename__ = "planned_window"
    __table_args__ = (CheckConstraint("start_at < end_at", name="interval"),)

    id: Mapped[intpk]
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id", ondelete="CASCADE"), index=True)
    start_at: Mapped[datetime]
    end_at: Mapped[datetime]
    out_of_hours: Mapped[bool] = mapped_column(Boolean, default=False)

    office: Mapped[Office] = relationship()


class StaffingNeed(Base):
    """Officers an office needs on duty in one interval, derived from its hours and traffic."""

    __tablename__ = "staffing_need"
    __table_args__ = (CheckConstraint("required >= 0", name="required"),)

    id: Mapped[intpk]
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id", ondelete="CASCADE"))
    skill_id: Mapped[int | None] = mapped_column(ForeignKey("skill.id", ondelete="CASCADE"))
    start_at: Mapped[datetime]
    end_at: Mapped[datetime]
    required: Mapped[int]
    staffed: Mapped[int] = mapped_column(default=0)

    office: Mapped[Office] = relationship()
    skill: Mapped[Skill | None] = relationship()


class PlannedShift(Base):
    """An officer assigned a shift on a local day."""

    __tablename__ = "planned_shift"
    __table_args__ = (
        UniqueConstraint("plan_id", "officer_id", "day"),
        CheckConstraint("start_at < end_at", name="interval"),
    )

    id: Mapped[intpk]
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officer.id", ondelete="CASCADE"), index=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("shift_template.id", ondelete="CASCADE"))
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id", ondelete="CASCADE"))
    day: Mapped[date]
    start_at: Mapped[datetime]
    end_at: Mapped[datetime]

    officer: Mapped[Officer] = relationship()
    template: Mapped[ShiftTemplate] = relationship()
    office: Mapped[Office] = relationship()


class PlannedInspection(Base):
    """An inspection placed by a batch plan (a proposal until it is booked)."""

    __tablename__ = "planned_inspection"
    __table_args__ = (CheckConstraint("start_at < end_at", name="interval"),)

    id: Mapped[intpk]
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("inspection_request.id", ondelete="CASCADE"))
    resource_id: Mapped[int | None] = mapped_column(ForeignKey("resource.id", ondelete="CASCADE"))
    mode: Mapped[BookingMode] = mapped_column(str_enum(BookingMode))
    start_at: Mapped[datetime]
    end_at: Mapped[datetime]
    officer_ids: Mapped[list[Any]]
    out_of_hours: Mapped[bool] = mapped_column(Boolean, default=False)

    resource: Mapped[Resource | None] = relationship()
