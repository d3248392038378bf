"""Juxta's domain model: SQLAlchemy 2 typed models, no Flask."""

from models.audit import AuditEntry
from models.base import Base, UTCDateTime, utcnow
from models.calendars import (
    CalendarKind,
    ClosureKind,
    FeedSubscription,
    NeighbourClosure,
    PublishedCalendar,
    PublishedEvent,
    PushTarget,
)
from models.enums import (
    AgencyKind,
    BookingMode,
    BookingStatus,
    Facility,
    HolidayPolicy,
    JobStatus,
    LeaveKind,
    NoticePolicy,
    PlanKind,
    PlanStatus,
    PostLayout,
    RequestStatus,
    ResourceKind,
    Role,
    WindowKind,
)
from models.inspections import Booking, BookingClaim, BookingPart, InspectionRequest
from models.jobs import Job
from models.plans import (
    Plan,
    PlannedInspection,
    PlannedShift,
    PlannedWindow,
    SolveRun,
    StaffingNeed,
)
from models.post import (
    Agency,
    BorderPost,
    HoursOverride,
    MandatoryWindow,
    Office,
    Resource,
    ResourceHours,
    RuleSetting,
    ShiftTemplate,
    Side,
    Skill,
    WeeklyHours,
)
from models.staff import Leave, Officer, ShiftPreference
from models.traffic import CargoCategory, CategoryCheck, Demand, PriorityClass
from models.users import ApiToken, User

__all__ = [
    "Agency", "AgencyKind", "ApiToken", "AuditEntry", "Base", "Booking", "BookingClaim",
    "BookingMode", "BookingPart", "BookingStatus", "BorderPost", "CargoCategory",
    "CategoryCheck", "Demand", "Facility", "HolidayPolicy", "HoursOverride",
    "InspectionRequest", "Job", "JobStatus", "Leave", "LeaveKind", "MandatoryWindow",
    "NoticePolicy", "Office", "Officer", "Plan", "PlanKind", "PlanStatus", "PlannedInspection",
    "PlannedShift", "PlannedWindow", "PostLayout", "PriorityClass", "RequestStatus",
    "Resource", "ResourceHours", "ResourceKind", "Role", "RuleSetting", "ShiftPreference",
    "ShiftTemplate", "Side", "Skill", "SolveRun", "StaffingNeed", "UTCDateTime", "User",
    "WeeklyHours", "WindowKind", "utcnow",
    "CalendarKind", "ClosureKind", "FeedSubscription", "NeighbourClosure", "PublishedCalendar",
    "PublishedEvent", "PushTarget",
]
