"""Notice periods: counted in each agency's working days, calendar and zone; the derogation;
hours-based notice. Offers never start before every selecting agency's deadline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.services import booking as booking_service
from tests.booking.builders import T0, at, post_of, publish_plan, request

WEEKS = [(-250.0, 250.0)]


def _all_open(session) -> None:  # type: ignore[no-untyped-def]
    from tests.booking.builders import OFFICERS, OFFICES

    publish_plan(
        session,
        open_hours={code: WEEKS for code in OFFICES},
        duty={code: WEEKS for code in OFFICERS},
    )


def _hours(instant: datetime) -> float:
    return (instant - T0) / timedelta(hours=1)


def test_one_working_day_from_friday_afternoon_runs_out_on_monday(session) -> None:  # type: ignore[no-untyped-def]
    _all_open(session)
    friday = datetime(2026, 3, 13, 13, 0, tzinfo=UTC)  # 15:00 in Sofia
    row = request(
        session,
        "N-1",
        ("BG-VET",),
        _hours(datetime(2026, 3, 14, 10, 0, tzinfo=UTC)),
        now=friday,
        max_wait_minutes=3 * 1440,
    )
    monday = datetime(2026, 3, 16, 13, 0, tzinfo=UTC)
    assert booking_service.earliest_start(session, row, friday) == monday
    assert booking_service.offers(session, row, friday).offers[0].start_at == monday


def test_a_holiday_on_one_side_moves_only_that_sides_deadline(session) -> None:  # type: ignore[no-untyped-def]
    _all_open(session)
    post = post_of(session)
    next(a for a in post.agencies if a.code == "TR-AGR").notice_working_days = 1
    notified = datetime(
        2026, 3, 2, 10, 0, tzinfo=UTC
    )  # Monday; Tuesday 3 March is a Bulgarian holiday
    arrival = _hours(datetime(2026, 3, 2, 12, 0, tzinfo=UTC))
    turkish = request(session, "N-2", ("TR-AGR",), arrival, now=notified, max_wait_minutes=3 * 1440)
    both = request(
        session, "N-3", ("BG-VET", "TR-AGR"), arrival, now=notified, max_wait_minutes=3 * 1440
    )
    assert booking_service.earliest_start(session, turkish, notified) == datetime(
        2026, 3, 3, 10, 0, tzinfo=UTC
    )
    assert booking_service.earliest_start(session, both, notified) == datetime(
        2026, 3, 4, 10, 0, tzinfo=UTC
    )
    assert booking_service.offers(session, both, notified).offers[0].start_at == datetime(
        2026, 3, 4, 10, 0, tzinfo=UTC
    )


def test_the_derogation_shortens_notice_except_for_live_animals(session) -> None:  # type: ignore[no-untyped-def]
    _all_open(session)
    notified = at(-5)  # 01:00 UTC on the day of arrival
    quick = request(session, "N-4", ("BG-VET",), -2.0, now=notified, notice_derogation=True)
    assert booking_service.offers(session, quick, notified).offers[0].start_at == at(-1), (
        "four hours after the notification"
    )
    animals = request(
        session,
        "N-5",
        ("BG-VET", "TR-CUS"),
        0.0,
        now=notified,
        notice_derogation=True,
        category="livestock",
        max_wait_minutes=2 * 1440,
    )
    assert booking_service.earliest_start(session, animals, notified) == at(24) - timedelta(hours=5)
    result = booking_service.offers(session, animals, notified)
    assert result.offers[0].start_at == at(19)


def test_without_notice_the_answer_says_when_the_agency_can_inspect(session) -> None:  # type: ignore[no-untyped-def]
    _all_open(session)
    notified = at(-5)
    row = request(session, "N-6", ("BG-VET",), 0.0, now=notified)
    result = booking_service.offers(session, row, notified)
    assert result.offers == ()
    notice = next(b for b in result.blockers if b.rule == "Notice period")
    assert notice.subject == "BG-VET" and "1 working day" in notice.message
    assert any(r.kind == "derogation" for r in result.remedies), "the derogation would unblock it"


def test_an_hours_based_notice_counts_real_hours(session) -> None:  # type: ignore[no-untyped-def]
    _all_open(session)
    row = request(session, "N-7", ("BG-CITES",), 0.0, max_wait_minutes=2 * 1440)
    # Notified on Monday 06:00 UTC: 48 hours later is Wednesday 06:00.
    assert booking_service.offers(session, row, at(-24)).offers[0].start_at == at(24)
