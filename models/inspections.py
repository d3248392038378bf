"""Inspection requests for consignments and the joint inspections booked for them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, created, intpk, str_enum
from models.enums import BookingMode, BookingStatus, RequestStatus
from models.post import Agency, Resource, Side
from models.staff import Officer
from models.traffic import CargoCategory, PriorityClass

request_agency = Table(
    "request_agency",
    Base.metadata,
    Column("request_id", ForeignKey("inspection_request.id", ondelete="CASCADE"), primary_key=True),
    Column("agency_id", ForeignKey("agency.id", ondelete="CASCADE"), primary_key=True),
)


class InspectionRequest(Base):
    """A consignment that one or more agencies of either side selected for physical inspection."""

    __tablename__ = "inspection_request"
    __table_args__ = (
        UniqueConstraint("post_id", "reference"),
        CheckConstraint("duration_minutes > 0", name="duration"),
        CheckConstraint("exit_side_id <> entry_side_id", name="direction"),
    )

    id: Mapped[intpk]
    post_id: Mapped[int] = mapped_column(ForeignKey("border_post.id", ondelete="CASCADE"), index=True)
    reference: Mapped[str] = mapped_column(String(80))  # consignment reference (MRN, GMR ...)
    exit_side_id: Mapped[int] = mapped_column(ForeignKey("side.id", ondelete="CASCADE"))
    entry_side_id: Mapped[int] = mapped_column(ForeignKey("side.id", ondelete="CASCADE"))
    category_id: Mapped[int] = mapped_column(ForeignKey("cargo_category.id", ondelete="CASCADE"))
    priority_class_id: Mapped[int | None] = mapped_column(
        ForeignKey("priority_class.id", ondelete="SET NULL")
    )
    capabilities: Mapped[list[Any]]
    duration_minutes: Mapped[int]
    expected_arrival: Mapped[datetime]
    max_wait_minutes: Mapped[int | None]
    notified_at: Mapped[datetime]
    # Entry-state controls before exit-state controls: legal only by explicit agreement.
    reversal_allowed: Mapped[bool] = mapped_column(Boolean, default=False)
    # The trader accepts out-of-hours service at the agencies' fees (RKC Standard 3.2), and
    # invokes the shorter notice derogation (4 h for a CHED instead of one working day).
    accepts_out_of_hours: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    notice_derogation: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    status: Mapped[RequestStatus] = mapped_column(str_enum(RequestStatus))
    created_at: Mapped[created]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    exit_side: Mapped[Side] = relationship(foreign_keys=[exit_side_id])
    entry_side: Mapped[Side] = relationship(foreign_keys=[entry_side_id])
    category: Mapped[CargoCategory] = relationship()
    priority_class: Mapped[PriorityClass | None] = relationship()
    agencies: Mapped[list[Agency]] = relationship(secondary=request_agency, order_by="Agency.code")
    bookings: Mapped[list[Booking]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="Booking.id"
    )


class Booking(Base):
    """A confirmed inspection: one joint slot, or a sequence of per-side slots."""

    __tablename__ = "booking"
    __table_args__ = (CheckConstraint("start_at < end_at", name="interval"),)

    id: Mapped[intpk]
    post_id: Mapped[int] = mapped_column(ForeignKey("border_post.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("inspection_request.id", ondelete="CASCADE"), index=True
    )
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id", ondelete="SET NULL"))
    mode: Mapped[BookingMode] = mapped_column(str_enum(BookingMode))
    status: Mapped[BookingStatus] = mapped_column(str_enum(BookingStatus))
    start_at: Mapped[datetime]
    end_at: Mapped[datetime]
    out_of_hours: Mapped[bool] = mapped_column(Boolean, default=False)
    fee: Mapped[float] = mapped_column(Numeric(12, 2), default=0)
    joint_failure_reason: Mapped[str] = mapped_column(Text, default="")
    # Bumped on every change so calendar clients (iCalendar SEQUENCE) see updates in place.
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[created]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str] = mapped_column(Text, default="")

    request: Mapped[InspectionRequest] = relationship(back_populates="bookings")
    parts: Mapped[list[BookingPart]] = relationship(
        back_populates="booking", cascade="all, delete-orphan", order_by="BookingPart.start_at"
    )


class BookingPart(Base):
    """One agency's presence at a booking: which officer, where, when, and the out-of-hours
    fee that agency charges for it (in its own currency; ``Booking.fee`` is their total only
    when every charge is in one currency)."""

    __tablename__ = "booking_part"
    __table_args__ = (
        CheckConstraint("start_at < end_at", name="interval"),
        # Offers read only the parts overlapping their search window.
        Index("ix_booking_part_start_at", "start_at"),
    )

    id: Mapped[intpk]
    booking_id: Mapped[int] = mapped_column(ForeignKey("booking.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="CASCADE"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id", ondelete="SET NULL"))
    resource_id: Mapped[int] = mapped_column(ForeignKey("resource.id", ondelete="CASCADE"))
    start_at: Mapped[datetime]
    end_at: Mapped[datetime]
    fee: Mapped[float] = mapped_column(Numeric(12, 2), default=0, server_default="0")
    currency: Mapped[str] = mapped_column(String(3), default="", server_default="")

    booking: Mapped[Booking] = relationship(back_populates="parts")
    agency: Mapped[Agency] = relationship()
    officer: Mapped[Officer | None] = relationship()
    resource: Mapped[Resource] = relationship()


class BookingClaim(Base):
    """A reservation of one officer or one bay unit for one grid slot by a booking.

    The unique index is what makes confirmation atomic on every database: two bookings
    racing for the same officer or bay slot cannot both insert their claim, so exactly one
    commits and the other gets an integrity error (answered 409 with fresh offers).
    """

    __tablename__ = "booking_claim"
    __table_args__ = (
        UniqueConstraint("holder_kind", "holder_id", "unit", "slot_start"),
        CheckConstraint("holder_kind IN ('officer', 'resource')", name="holder_kind"),
        Index("ix_booking_claim_booking", "booking_id"),
    )

    id: Mapped[intpk]
    booking_id: Mapped[int] = mapped_column(ForeignKey("booking.id", ondelete="CASCADE"))
    holder_kind: Mapped[str] = mapped_column(String(10))
    holder_id: Mapped[int]
    unit: Mapped[int] = mapped_column(default=0)
    slot_start: Mapped[datetime] = mapped_column(UTCDateTime())
