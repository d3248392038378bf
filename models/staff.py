"""Officers, their skills, leave and shift preferences."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, code, intpk, name, str_enum
from models.enums import LeaveKind
from models.post import Agency, Office, ShiftTemplate, Skill

officer_skill = Table(
    "officer_skill",
    Base.metadata,
    Column("officer_id", ForeignKey("officer.id", ondelete="CASCADE"), primary_key=True),
    Column("skill_id", ForeignKey("skill.id", ondelete="CASCADE"), primary_key=True),
)


class Officer(Base):
    """A member of an agency's staff at the post."""

    __tablename__ = "officer"
    __table_args__ = (
        UniqueConstraint("post_id", "code"),
        CheckConstraint("contract_minutes_per_week > 0", name="contract"),
    )

    id: Mapped[intpk]
    post_id: Mapped[int] = mapped_column(ForeignKey("border_post.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="CASCADE"), index=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id", ondelete="CASCADE"), index=True)
    code: Mapped[code]  # staff number, unique at the post
    name: Mapped[name]
    contract_minutes_per_week: Mapped[int] = mapped_column(default=40 * 60)
    # May act in the adjoining state's control zone (EAC OSBP Act s.11; Nordic model).
    cross_border: Mapped[bool] = mapped_column(Boolean, default=False)
    night_work: Mapped[bool] = mapped_column(Boolean, default=True)
    email: Mapped[str] = mapped_column(String(200), default="")

    agency: Mapped[Agency] = relationship(back_populates="officers")
    office: Mapped[Office] = relationship()
    skills: Mapped[list[Skill]] = relationship(secondary=officer_skill, order_by="Skill.code")
    leave: Mapped[list[Leave]] = relationship(
        back_populates="officer", cascade="all, delete-orphan", order_by="Leave.start_date"
    )
    preferences: Mapped[list[ShiftPreference]] = relationship(
        back_populates="officer", cascade="all, delete-orphan"
    )

    @property
    def skill_codes(self) -> list[str]:
        return [skill.code for skill in self.skills]


class Leave(Base):
    """Whole local days an officer cannot work (inclusive range)."""

    __tablename__ = "leave"
    __table_args__ = (CheckConstraint("start_date <= end_date", name="range"),)

    id: Mapped[intpk]
    officer_id: Mapped[int] = mapped_column(ForeignKey("officer.id", ondelete="CASCADE"), index=True)
    start_date: Mapped[date]
    end_date: Mapped[date]
    kind: Mapped[LeaveKind] = mapped_column(str_enum(LeaveKind))
    note: Mapped[str] = mapped_column(Text, default="")

    officer: Mapped[Officer] = relationship(back_populates="leave")


class ShiftPreference(Base):
    """A wish to work (``on``) or not work (``off``) a shift, on a date or every given weekday.

    Without a template it concerns the whole day; the weight is what breaking it costs.
    """

    __tablename__ = "shift_preference"
    __table_args__ = (
        CheckConstraint("want IN ('on', 'off')", name="want"),
        CheckConstraint("weight > 0", name="weight"),
        CheckConstraint(
            "(on_date IS NOT NULL) <> (weekday IS NOT NULL)", name="date_or_weekday"
        ),
    )

    id: Mapped[intpk]
    officer_id: Mapped[int] = mapped_column(ForeignKey("officer.id", ondelete="CASCADE"), index=True)
    on_date: Mapped[date | None]
    weekday: Mapped[int | None]
    template_id: Mapped[int | None] = mapped_column(
        ForeignKey("shift_template.id", ondelete="CASCADE")
    )
    want: Mapped[str] = mapped_column(String(3))
    weight: Mapped[int] = mapped_column(default=1)

    officer: Mapped[Officer] = relationship(back_populates="preferences")
    template: Mapped[ShiftTemplate | None] = relationship()
