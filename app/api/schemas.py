"""What the JSON API accepts, as pydantic models: they validate each call and, through their
JSON Schemas, document it in ``/api/v1/openapi.json``. One definition serves both, so the
document cannot drift from what the server checks."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from app.services.errors import InputProblem, InvalidInput
from app.web import EARLIEST_DAY, LATEST_DAY
from models import RequestStatus

# Instants and days outside this range are typing mistakes, and far enough out that date
# arithmetic (a week later, the next local midnight) would overflow.
MAX_ID = 2**31 - 1
M = TypeVar("M", bound="BaseModel")


def _within_range_day(value: date) -> date:
    if not EARLIEST_DAY <= value <= LATEST_DAY:
        raise ValueError(f"must be between {EARLIEST_DAY} and {LATEST_DAY}")
    return value


def _within_range_instant(value: datetime) -> datetime:
    _within_range_day(value.date())
    return value.astimezone(UTC)


Day = Annotated[date, AfterValidator(_within_range_day)]
Instant = Annotated[AwareDatetime, AfterValidator(_within_range_instant)]
# Printable text only: NUL and other control characters are refused by PostgreSQL or mean nothing.
Code = Annotated[str, StringConstraints(min_length=1, max_length=80, pattern=r"^[^\x00-\x1f\x7f]+$")]
Reason = Annotated[str, StringConstraints(min_length=1, max_length=500, pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+$")]
Version = Annotated[int, Field(ge=1, le=MAX_ID)]


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PlanRunIn(Input):
    """Start a plan run for the post in the path; it runs in the background."""

    start: Day = Field(description="The plan's first local day")
    weeks: int = Field(2, ge=1, le=26)
    seed: int = Field(1, ge=0, le=MAX_ID)
    time_limit_seconds: float = Field(30.0, ge=1, le=3600)
    workers: int = Field(2, ge=1, le=64)


class DraftIn(Input):
    """A consignment selected for inspection by one or more agencies of either side."""

    exit_side: Code = Field(description="Code of the side the truck leaves")
    category: Code
    agencies: list[Code] = Field(min_length=1, max_length=20, description="Codes of the agencies that selected it")
    expected_arrival: Instant = Field(description="When the truck arrives, with its UTC offset")
    duration_minutes: int | None = Field(None, ge=5, le=1440)
    max_wait_minutes: int | None = Field(None, ge=1, le=20160)
    reversal_allowed: bool = False
    accepts_out_of_hours: bool = Field(False, description="The trader asks for service outside office hours and pays the agencies' fees")
    notice_derogation: bool = Field(False, description="The trader invokes the shorter notice derogation (e.g. 4 h for a CHED)")


class RequestIn(DraftIn):
    post: Code
    reference: Code


class OffersIn(Input):
    """Offers for a saved request (``reference``) or for one not yet saved (``request``)."""

    post: Code
    reference: Code | None = None
    request: DraftIn | None = None
    max_offers: int = Field(3, ge=1, le=10)

    @model_validator(mode="after")
    def _one_request(self) -> OffersIn:
        if (self.reference is None) == (self.request is None):
            raise ValueError("give either reference or request")
        return self


class OfferPartIn(Input):
    start: Instant
    resource: Code
    officers: dict[Code, Code] = Field(min_length=1, max_length=20, description="Officer staff number per agency code")


class OfferIn(Input):
    """An offer as ``/inspections/offers`` gave it: a joint slot (``start``, ``resource``,
    ``officers``), or a sequential inspection as its ``parts`` in order."""

    start: Instant | None = None
    resource: Code | None = None
    officers: dict[Code, Code] | None = Field(None, min_length=1, max_length=20, description="Officer staff number per agency code")
    parts: list[OfferPartIn] | None = Field(None, min_length=2, max_length=2, description="A sequential inspection: one part per side, in order")

    @model_validator(mode="after")
    def _joint_or_parts(self) -> OfferIn:
        joint = (self.start, self.resource, self.officers)
        if self.parts is None and any(value is None for value in joint):
            raise ValueError("give start, resource and officers, or parts")
        if self.parts is not None and any(value is not None for value in joint):
            raise ValueError("give either start, resource and officers, or parts")
        return self


class BookingIn(Input):
    post: Code
    reference: Code
    offer: OfferIn


class CancelIn(Input):
    reason: Reason


class RescheduleIn(Input):
    reason: Reason
    offer: OfferIn


class RangeQuery(Input):
    day: Day | None = None
    zone: Code | None = Field(None, description="UTC or a side code; default the first side")
    plan: Version | None = Field(None, description="Plan version; default the published plan")


class TimelineQuery(RangeQuery):
    days: int = Field(3, ge=1, le=14)


class RosterQuery(Input):
    day: Day | None = None
    days: int = Field(14, ge=1, le=42)
    agency: Code | None = None
    side: Code | None = None
    plan: Version | None = None


class CoverageQuery(RangeQuery):
    days: int = Field(1, ge=1, le=7)


class BaysQuery(Input):
    day: Day | None = None
    zone: Code | None = None


class CompareQuery(Input):
    before: Version
    after: Version


class RequestsQuery(Input):
    status: RequestStatus | None = None
    day: Day | None = None
    days: int = Field(7, ge=1, le=31)


class AuditQuery(Input):
    action: Code | None = None
    before: Version | None = None
    limit: int = Field(50, ge=1, le=200)


def parse(model: type[M], data: Any, where: str) -> M:
    """``data`` as ``model``, or ``InvalidInput`` naming every bad field (``offer.start``)."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = []
        for item in error.errors(include_url=False):
            field = ".".join(str(part) for part in item["loc"]) or where
            problems.append(InputProblem(field, item["msg"], source=where))
        raise InvalidInput(problems, f"{len(problems)} problem(s) in the {where}") from None
