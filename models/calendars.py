"""Calendars shared with people and neighbouring administrations.

Feed subscriptions (a revocable token per subscriber and what they see), the state of every
event a calendar has published (so UIDs stay stable, SEQUENCE only grows and removed events
stay visible as cancelled for a grace period), CalDAV servers of neighbours to push to, and
closures a neighbour published that the opening-hours engine must respect.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, created, intpk, str_enum
from models.post import Agency, BorderPost, Office, Resource, Side
from models.staff import Officer


class CalendarKind(enum.StrEnum):
    HOURS = "hours"  # offices' opening windows
    SHIFTS = "shifts"  # officers' rostered shifts
    INSPECTIONS = "inspections"  # booked joint inspections


class ClosureKind(enum.StrEnum):
    HOLIDAY = "holiday"
    CLOSURE = "closure"
    # The side works shortened hours that day; each row is a part of the day it is closed.
    REDUCED_HOURS = "reduced_hours"


class FeedSubscription(Base):
    """One subscriber's iCalendar feed: what it shows, and the token that opens it.

    Only the SHA-256 of the token is stored; the token itself is shown once, when the
    subscription is made. The scope columns narrow the post's events: all that are set apply.
    """

    __tablename__ = "feed_subscription"

    id: Mapped[intpk]
    post_id: Mapped[int] = mapped_column(ForeignKey("border_post.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The token's first characters, so people can tell their subscriptions apart.
    token_hint: Mapped[str] = mapped_column(String(8))
    label: Mapped[str] = mapped_column(String(200))
    calendars: Mapped[list[Any]]  # CalendarKind values
    # Officers' names on inspections: off for a subscriber outside the agencies (a neighbour).
    staff_names: Mapped[bool] = mapped_column(Boolean, default=True)
    side_id: Mapped[int | None] = mapped_column(ForeignKey("side.id", ondelete="CASCADE"))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id", ondelete="CASCADE"))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id", ondelete="CASCADE"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id", ondelete="CASCADE"))
    resource_id: Mapped[int | None] = mapped_column(ForeignKey("resource.id", ondelete="CASCADE"))
    created_at: Mapped[created]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None]
    last_fetched_at: Mapped[datetime | None]

    post: Mapped[BorderPost] = relationship()
    side: Mapped[Side | None] = relationship()
    agency: Mapped[Agency | None] = relationship()
    office: Mapped[Office | None] = relationship()
    officer: Mapped[Officer | None] = relationship()
    resource: Mapped[Resource | None] = relationship()


class PushTarget(Base):
    """A neighbouring administration's CalDAV calendar that one side's calendars are pushed to.

    ``password_ref`` names where the password lives (``env:VARIABLE`` or ``file:/path``), so
    no secret is kept in the database; empty means the server needs no password.
    """

    __tablename__ = "push_target"
    __table_args__ = (UniqueConstraint("post_id", "name"),)

    id: Mapped[intpk]
    post_id: Mapped[int] = mapped_column(ForeignKey("border_post.id", ondelete="CASCADE"), index=True)
    side_id: Mapped[int] = mapped_column(ForeignKey("side.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    url: Mapped[str] = mapped_column(String(500))
    username: Mapped[str] = mapped_column(String(200), default="")
    password_ref: Mapped[str] = mapped_column(String(300), default="")
    calendars: Mapped[list[Any]]  # CalendarKind values
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[created]
    last_push_at: Mapped[datetime | None]
    last_push_ok: Mapped[bool | None] = mapped_column(Boolean)
    last_push_message: Mapped[str] = mapped_column(Text, default="")

    post: Mapped[BorderPost] = relationship()
    side: Mapped[Side] = relationship()


class PublishedCalendar(Base):
    """What one calendar (a feed scope, or a push target) last published, as a whole.

    ``key`` names the calendar's content (kinds and scope, or the push target), so every
    subscriber with the same scope shares one history. ``source_marker`` says which plan or
    bookings state the events came from; ``next_change_at`` is when time alone changes the
    calendar (a cancelled event's grace period ends). Both let a feed answer 304 without
    looking at a single event.
    """

    __tablename__ = "published_calendar"
    __table_args__ = (UniqueConstraint("post_id", "key"),)

    id: Mapped[intpk]
    post_id: Mapped[int] = mapped_column(ForeignKey("border_post.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(300))
    push_target_id: Mapped[int | None] = mapped_column(ForeignKey("push_target.id", ondelete="CASCADE"))
    source_marker: Mapped[str] = mapped_column(String(200), default="")
    events_hash: Mapped[str] = mapped_column(String(64), default="")
    zones: Mapped[list[Any]]
    first_year: Mapped[int | None]
    last_year: Mapped[int | None]
    last_modified: Mapped[datetime]
    next_change_at: Mapped[datetime | None]
    synced_at: Mapped[datetime]

    events: Mapped[list[PublishedEvent]] = relationship(
        back_populates="calendar", cascade="all, delete-orphan", passive_deletes=True
    )


class PublishedEvent(Base):
    """One event as a calendar last published it, with its rendered VEVENT text.

    ``fingerprint`` is a hash of what the event says; when it changes ``sequence`` grows. A
    removed event keeps its row as cancelled (``cancelled_at``) until the grace period ends.
    ``delivered_sequence`` and ``remote_href`` record what a CalDAV server holds.
    """

    __tablename__ = "published_event"
    __table_args__ = (
        UniqueConstraint("calendar_id", "uid"),
        CheckConstraint("sequence >= 0", name="sequence"),
        Index("ix_published_event_calendar_start", "calendar_id", "start_at"),
    )

    id: Mapped[intpk]
    calendar_id: Mapped[int] = mapped_column(ForeignKey("published_calendar.id", ondelete="CASCADE"))
    uid: Mapped[str] = mapped_column(String(255))
    sequence: Mapped[int] = mapped_column(default=0)
    fingerprint: Mapped[str] = mapped_column(String(64))
    zone: Mapped[str] = mapped_column(String(64))
    local_day: Mapped[date]
    start_at: Mapped[datetime]
    end_at: Mapped[datetime]
    first_published_at: Mapped[datetime]
    last_modified: Mapped[datetime]
    cancelled_at: Mapped[datetime | None]
    # Set when a cancelled event's grace period ended but a CalDAV server still holds it.
    expired_at: Mapped[datetime | None]
    content: Mapped[dict[str, Any]]  # the event's fields, to render it again once cancelled
    vevent: Mapped[str] = mapped_column(Text)
    delivered_sequence: Mapped[int | None]
    remote_href: Mapped[str | None] = mapped_column(String(1000))

    calendar: Mapped[PublishedCalendar] = relationship(back_populates="events")


class NeighbourClosure(Base):
    """A period in which a side is closed, read from that side's published calendar.

    The opening-hours engine reads these as constraints: the side is closed from ``start_at``
    to ``end_at``. A reduced-hours day becomes the parts of the day outside the hours kept.
    """

    __tablename__ = "neighbour_closure"
    __table_args__ = (
        UniqueConstraint("side_id", "source", "uid", "occurrence", "start_at"),
        CheckConstraint("start_at < end_at", name="interval"),
        Index("ix_neighbour_closure_side_start", "side_id", "start_at"),
    )

    id: Mapped[intpk]
    post_id: Mapped[int] = mapped_column(ForeignKey("border_post.id", ondelete="CASCADE"), index=True)
    side_id: Mapped[int] = mapped_column(ForeignKey("side.id", ondelete="CASCADE"))
    kind: Mapped[ClosureKind] = mapped_column(str_enum(ClosureKind))
    start_at: Mapped[datetime]
    end_at: Mapped[datetime]
    all_day: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(500))
    uid: Mapped[str] = mapped_column(String(255))
    # The occurrence's original start (UTC, ISO) for an expanded recurring event, else "".
    occurrence: Mapped[str] = mapped_column(String(40), default="")
    summary: Mapped[str] = mapped_column(String(300), default="")
    imported_at: Mapped[created]

    side: Mapped[Side] = relationship()
