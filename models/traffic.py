"""Forecast traffic: cargo categories, which agencies select them, and hourly arrivals."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import CheckConstraint, Float, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, code, intpk, name
from models.post import Agency, Side, Skill


class PriorityClass(Base):
    """A priority class for inspections (perishable, live animals, AEO, regular).

    ``quota`` is its share in the allocation cycle (eCherha's 1:1:1:5 cycle gives the
    regular class 5); ``rank`` orders the classes, lower first.
    """

    __tablename__ = "priority_class"
    __table_args__ = (UniqueConstraint("post_id", "code"),)

    id: Mapped[intpk]
    post_id: Mapped[int] = mapped_column(ForeignKey("border_post.id", ondelete="CASCADE"), index=True)
    code: Mapped[code]
    name: Mapped[name]
    rank: Mapped[int]
    max_wait_minutes: Mapped[int | None]
    quota: Mapped[int] = mapped_column(default=1)


class CargoCategory(Base):
    """A kind of cargo that decides which agencies check it and what bay it needs."""

    __tablename__ = "cargo_category"
    __table_args__ = (UniqueConstraint("post_id", "code"),)

    id: Mapped[intpk]
    post_id: Mapped[int] = mapped_column(ForeignKey("border_post.id", ondelete="CASCADE"), index=True)
    code: Mapped[code]
    name: Mapped[name]
    priority_class_id: Mapped[int | None] = mapped_column(
        ForeignKey("priority_class.id", ondelete="SET NULL")
    )
    max_wait_minutes: Mapped[int | None]
    capabilities: Mapped[list[Any]]  # bay capabilities a physical check needs

    priority_class: Mapped[PriorityClass | None] = relationship()
    checks: Mapped[list[CategoryCheck]] = relationship(
        back_populates="category", cascade="all, delete-orphan", order_by="CategoryCheck.id"
    )


class CategoryCheck(Base):
    """An agency's risk selection for a category: how often it inspects and for how long."""

    __tablename__ = "category_check"
    __table_args__ = (
        UniqueConstraint("category_id", "agency_id"),
        CheckConstraint("selection_rate >= 0 AND selection_rate <= 1", name="selection_rate"),
        CheckConstraint("inspection_minutes > 0", name="inspection_minutes"),
    )

    id: Mapped[intpk]
    category_id: Mapped[int] = mapped_column(
        ForeignKey("cargo_category.id", ondelete="CASCADE"), index=True
    )
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="CASCADE"))
    selection_rate: Mapped[float] = mapped_column(Float)
    inspection_minutes: Mapped[int]
    skill_id: Mapped[int | None] = mapped_column(ForeignKey("skill.id", ondelete="SET NULL"))

    category: Mapped[CargoCategory] = relationship(back_populates="checks")
    agency: Mapped[Agency] = relationship()
    skill: Mapped[Skill | None] = relationship()


class Demand(Base):
    """Expected trucks arriving in one local hour, by direction and category.

    The hour is on the exit side's clock (trucks arrive there first). A row with
    ``on_date`` replaces the weekday profile for that date (a surge before a holiday).
    """

    __tablename__ = "demand"
    __table_args__ = (
        CheckConstraint("hour BETWEEN 0 AND 23", name="hour"),
        CheckConstraint("trucks >= 0", name="trucks"),
        CheckConstraint("(weekday IS NOT NULL) <> (on_date IS NOT NULL)", name="weekday_or_date"),
        CheckConstraint("exit_side_id <> entry_side_id", name="direction"),
    )

    id: Mapped[intpk]
    post_id: Mapped[int] = mapped_column(ForeignKey("border_post.id", ondelete="CASCADE"), index=True)
    exit_side_id: Mapped[int] = mapped_column(ForeignKey("side.id", ondelete="CASCADE"))
    entry_side_id: Mapped[int] = mapped_column(ForeignKey("side.id", ondelete="CASCADE"))
    category_id: Mapped[int] = mapped_column(ForeignKey("cargo_category.id", ondelete="CASCADE"))
    weekday: Mapped[int | None]
    on_date: Mapped[date | None]
    hour: Mapped[int]
    trucks: Mapped[float] = mapped_column(Float)

    exit_side: Mapped[Side] = relationship(foreign_keys=[exit_side_id])
    entry_side: Mapped[Side] = relationship(foreign_keys=[entry_side_id])
    category: Mapped[CargoCategory] = relationship()
