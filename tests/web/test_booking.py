"""The booking service: earliest slots, notice, skills, accreditation, and atomic confirmation."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from app.db import make_engine
from app.services import booking as booking_service
from app.services import users as user_service
from app.services.errors import Conflict, InvalidInput
from models import (
    Agency,
    Booking,
    BookingClaim,
    BookingStatus,
    BorderPost,
    Officer,
    PlanStatus,
    RequestStatus,
)
from tests.web.builders import build_plan, load_post

NOW = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)  # a Monday
START = date(2026, 3, 1)


def everyone(_agency: Agency) -> bool:
    return True


def _prepared(url: str):  # type: ignore[no-untyped-def]
    engine = make_engine(url)
    sessions = sessionmaker(engine, expire_on_commit=False)
    with sessions() as session:
        post = load_post(session, "gamma", START, officers=24)
        build_plan(session, post, version=1, start=START, days=7, status=PlanStatus.PUBLISHED)
        user_service.create_user(session, username="booker", password="correct horse", role="admin")
        session.commit()
    return engine, sessions


@pytest.fixture
def post_session(sqlite_url: str):  # type: ignore[no-untyped-def]
    """The search and the rules do not depend on the database."""
    engine, sessions = _prepared(sqlite_url)
    yield sessions
    engine.dispose()


@pytest.fixture
def any_database(database_url: str):  # type: ignore[no-untyped-def]
    """Claims, cancellation and races do: these run on SQLite and PostgreSQL."""
    engine, sessions = _prepared(database_url)
    yield sessions
    engine.dispose()


def _draft(reference: str, agencies: tuple[str, ...], arrival: datetime, category: str = "general") -> booking_service.RequestDraft:
    return booking_service.RequestDraft(reference=reference, exit_side="PL", category=category, agencies=agencies, expected_arrival=arrival)


def _setup(session, reference: str, agencies=("PL-CUS", "UA-CUS"), arrival=NOW + timedelta(hours=3), category="general"):  # type: ignore[no-untyped-def]
    post = session.scalar(select(BorderPost).where(BorderPost.code == "gamma"))
    user = user_service.get_user(session, "booker")
    request = booking_service.create_request(session, post, _draft(reference, agencies, arrival, category), user, NOW, may_book_for=everyone)
    return post, user, request


def test_the_earliest_offer_starts_at_arrival_when_everyone_is_on_duty(post_session) -> None:  # type: ignore[no-untyped-def]
    with post_session() as session:
        _post, _user, request = _setup(session, "E-1")
        result = booking_service.offers(session, request, NOW)
        first = result.offers[0]
        assert first.start_at == NOW + timedelta(hours=3) and first.end_at - first.start_at == timedelta(minutes=45)
        assert [p.agency_code for p in first.parts] == ["PL-CUS", "UA-CUS"]
        assert len({o.start_at for o in result.offers}) == 3 and not result.blockers


def test_office_hours_agencies_start_when_their_officers_do(post_session) -> None:  # type: ignore[no-untyped-def]
    with post_session() as session:
        # 03:00 UTC arrival; plant health works 08:00-16:00 Warsaw time (07:00 UTC in winter).
        _post, _user, request = _setup(session, "E-2", ("PL-CUS", "PL-PHY"), NOW - timedelta(hours=3), "produce")
        first = booking_service.offers(session, request, NOW).offers[0]
        assert first.start_at == datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
        assert "cold_chain" in next(r for r in _post.resources if r.id == first.resource_id).capabilities


def test_notice_in_working_days_skips_the_agencys_weekend(post_session) -> None:  # type: ignore[no-untyped-def]
    friday = datetime(2026, 3, 6, 9, 0, tzinfo=UTC)
    with post_session() as session:
        post = session.scalar(select(BorderPost).where(BorderPost.code == "gamma"))
        vet = next(a for a in post.agencies if a.code == "PL-VET")
        assert vet.notice_working_days == 1
        request = booking_service.create_request(session, post, _draft("E-3", ("PL-VET",), friday, "livestock"), user_service.get_user(session, "booker"), friday, may_book_for=everyone)
        # Notified on Friday 10:00 Warsaw time: one working day later is Monday 10:00.
        assert booking_service.earliest_start(request, friday) == datetime(2026, 3, 9, 9, 0, tzinfo=UTC)


def test_without_a_qualified_officer_the_blockers_say_so(post_session) -> None:  # type: ignore[no-untyped-def]
    with post_session() as session:
        post, _user, request = _setup(session, "E-4", ("PL-FSA",), category="perishable")
        for officer in session.scalars(select(Officer).where(Officer.agency.has(code="PL-FSA"))):
            officer.skills = []
        session.flush()
        result = booking_service.offers(session, request, NOW)
        assert result.offers == ()
        assert any("no officer qualified in Food sampling" in b for b in result.blockers)


def test_an_officer_without_cross_border_accreditation_is_not_sent_across(post_session) -> None:  # type: ignore[no-untyped-def]
    with post_session() as session:
        _post, _user, request = _setup(session, "E-5")
        home = next(o for o in _post.offices if o.agency.code == "UA-CUS" and o.host_side.code == "UA")
        # Stationed at home and not accredited across: only bays on their own side will do.
        for officer in session.scalars(select(Officer).where(Officer.agency.has(code="UA-CUS"))):
            officer.cross_border = False
            officer.office_id = home.id
        session.flush()
        for offer in booking_service.offers(session, request, NOW).offers:
            assert offer.resource_code in {r.code for r in _post.resources if r.host_side.code == "UA"}


def test_a_booked_officer_and_bay_are_not_offered_again_and_cancelling_frees_them(any_database) -> None:  # type: ignore[no-untyped-def]
    with any_database() as session:
        _post, user, first_request = _setup(session, "E-6")
        offer = booking_service.offers(session, first_request, NOW).offers[0]
        booking = booking_service.confirm(session, first_request, booking_service.parse_offer_key(offer.key), user, NOW)
        assert first_request.status == RequestStatus.BOOKED
        assert session.scalar(select(func.count()).select_from(BookingClaim).where(BookingClaim.booking_id == booking.id)) == 9 * 3
        _post, _user, second = _setup(session, "E-7")
        for other in booking_service.offers(session, second, NOW).offers:
            overlapping = other.start_at < offer.end_at and offer.start_at < other.end_at
            taken = {p.officer_code for p in offer.parts}
            assert not (overlapping and ({p.officer_code for p in other.parts} & taken or other.resource_code == offer.resource_code))
        with pytest.raises(InvalidInput):
            booking_service.cancel(session, booking, "  ", user, NOW)
        booking_service.cancel(session, booking, "released", user, NOW)
        assert first_request.status == RequestStatus.PENDING and booking.sequence == 1
        assert session.scalar(select(func.count()).select_from(BookingClaim).where(BookingClaim.booking_id == booking.id)) == 0
        again = booking_service.confirm(session, second, booking_service.parse_offer_key(offer.key.replace(first_request.reference, second.reference)), user, NOW)
        assert again.start_at == offer.start_at


def test_a_stale_offer_is_refused_with_fresh_offers(post_session) -> None:  # type: ignore[no-untyped-def]
    with post_session() as session:
        _post, user, request = _setup(session, "E-8")
        offer = booking_service.offers(session, request, NOW).offers[0]
        too_early = booking_service.parse_offer_key(offer.key.replace(f"{offer.start_at:%H:%M}Z", f"{offer.start_at - timedelta(hours=1):%H:%M}Z"))
        with pytest.raises(Conflict) as refused:
            booking_service.confirm(session, request, too_early, user, NOW)
        assert "cannot start before" in str(refused.value) and refused.value.detail["offers"]
        with pytest.raises(InvalidInput):
            booking_service.parse_offer_key("nonsense")


def test_two_schedulers_confirming_the_same_slot_at_once_get_one_booking(any_database) -> None:  # type: ignore[no-untyped-def]
    post_session = any_database
    with post_session() as session:
        _post, _user, first = _setup(session, "R-1")
        _setup(session, "R-2")
        key = booking_service.offers(session, first, NOW).offers[0].key
        session.commit()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def book(reference: str) -> None:
        with post_session() as session:
            post = session.scalar(select(BorderPost).where(BorderPost.code == "gamma"))
            request = booking_service.get_request(session, post, reference)
            user = user_service.get_user(session, "booker")
            barrier.wait()
            try:
                booking_service.confirm(session, request, booking_service.parse_offer_key(key), user, NOW)
                session.commit()
                outcomes.append("booked")
            except Conflict:
                session.rollback()
                outcomes.append("conflict")
            except Exception as error:  # noqa: BLE001  (SQLite may report the loser as locked)
                session.rollback()
                outcomes.append(type(error).__name__)

    threads = [threading.Thread(target=book, args=(reference,)) for reference in ("R-1", "R-2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("booked") == 1, outcomes
    with post_session() as session:
        assert session.scalar(select(func.count()).select_from(Booking).where(Booking.status == BookingStatus.CONFIRMED)) == 1
        assert session.scalar(select(func.count()).select_from(BookingClaim)) == 9 * 3  # 45 min in 5-min slots: a bay and two officers
