"""Closed vocabularies, named as users name them."""

from __future__ import annotations

import enum


class AgencyKind(enum.StrEnum):
    CUSTOMS = "customs"
    IMMIGRATION = "immigration"
    PLANT_HEALTH = "plant_health"
    ANIMAL_HEALTH = "animal_health"
    FOOD_SAFETY = "food_safety"
    STANDARDS = "standards"
    CITES = "cites"
    HEALTH = "health"
    POLICE = "police"
    OTHER = "other"


class PostLayout(enum.StrEnum):
    """OSBP layouts as the AUDA-NEPAD/JICA OSBP Sourcebook names them."""

    TWO_FACILITY = "two_facility"  # each country hosts the traffic entering it (juxtaposed)
    STRADDLE = "straddle"  # one facility across the line
    SINGLE_COUNTRY = "single_country"  # one facility, both directions
    SEPARATE = "separate"  # classic two-stop crossing, each side its own post


class Facility(enum.StrEnum):
    OWN = "own"  # the agency's own office on its own side
    JUXTAPOSED = "juxtaposed"  # in the neighbour's control zone, next to the counterpart
    SHARED = "shared"  # one shared facility (OSBP joint area)


class HolidayPolicy(enum.StrEnum):
    CLOSED = "closed"
    OPEN = "open"  # a holiday is a working day for this office (24/7 customs)


class NoticePolicy(enum.StrEnum):
    FORBID = "forbid"
    PENALISE = "penalise"


class WindowKind(enum.StrEnum):
    MUST_OPEN = "must_open"
    NEVER_OPEN = "never_open"


class ResourceKind(enum.StrEnum):
    BAY = "bay"
    LANE = "lane"
    PEN = "pen"
    SCANNER = "scanner"
    LAB = "lab"
    COLD_ROOM = "cold_room"


class LeaveKind(enum.StrEnum):
    ANNUAL = "annual"
    SICK = "sick"
    TRAINING = "training"
    UNAVAILABLE = "unavailable"
    OTHER = "other"


class RequestStatus(enum.StrEnum):
    PENDING = "pending"
    BOOKED = "booked"
    CANCELLED = "cancelled"
    DONE = "done"


class BookingMode(enum.StrEnum):
    JOINT = "joint"
    SEQUENTIAL = "sequential"


class BookingStatus(enum.StrEnum):
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"


class PlanKind(enum.StrEnum):
    PIPELINE = "pipeline"  # hours -> staffing demand -> roster
    HOURS = "hours"
    ROSTER = "roster"
    INSPECTIONS = "inspections"
    REPLAN = "replan"


class PlanStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"
    INFEASIBLE = "infeasible"


class Role(enum.StrEnum):
    ADMIN = "admin"  # installs and configures Juxta; every post
    POST_MANAGER = "post_manager"
    AGENCY_SCHEDULER = "agency_scheduler"
    OFFICER = "officer"
    NEIGHBOUR_VIEWER = "neighbour_viewer"
    AUDITOR = "auditor"


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"
