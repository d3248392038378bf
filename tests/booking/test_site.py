"""The post as the engine sees it: plan windows and shifts, bay hours, classes, rules, facility."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from app.services.inspection_site import (
    confirmed_bookings,
    facility_side,
    load_site,
    priority_classes,
    staffing_plan,
)
from models import Plan, PlanKind, PlanStatus, PostLayout, RuleSetting
from solver.rules import Enforcement
from tests.booking.builders import (
    T0,
    at,
    book_first,
    everyone_on_duty,
    post_of,
    publish_plan,
    request,
)


def _site(session, **kwargs):  # type: ignore[no-untyped-def]
    return load_site(session, post_of(session), at(-30), at(60), **kwargs)


def test_office_hours_are_the_plans_regular_windows_and_duty_its_shifts_at_the_officers_office(
    session,
) -> None:  # type: ignore[no-untyped-def]
    plan = publish_plan(
        session,
        open_hours={"BG-VET-KA": [(0, 4), (6, 10)]},
        out_of_hours={"BG-VET-KA": [(4, 6)]},
        duty={"BV1": [(1, 9)]},
    )
    place = _site(session)
    assert place.plan is not None and place.plan.id == plan.id
    vet = place.site.office("BG-VET-KA")
    assert [(w.start, w.end) for w in vet.open_windows] == [(at(0), at(4)), (at(6), at(10))], (
        "service on request is not opening hours"
    )
    assert [(w.start, w.end) for w in place.site.officer("BV1").duty] == [(at(1), at(9))]
    assert place.site.officer("BV1").skills == frozenset({"veterinary"})
    assert place.site.officer("BV2").duty == ()


def test_only_the_published_staffing_plan_counts(session) -> None:  # type: ignore[no-untyped-def]
    assert staffing_plan(session, post_of(session)) is None
    publish_plan(
        session, open_hours={"BG-CUS-KA": [(0, 1)]}, duty={}, version=1, status=PlanStatus.DRAFT
    )
    assert staffing_plan(session, post_of(session)) is None
    published = publish_plan(session, open_hours={"BG-CUS-KA": [(0, 2)]}, duty={}, version=2)
    # A batch plan of inspections carries no hours or shifts: it never replaces the roster.
    session.add(
        Plan(
            post_id=post_of(session).id,
            version=3,
            kind=PlanKind.INSPECTIONS,
            status=PlanStatus.PUBLISHED,
            horizon_start=T0.date(),
            horizon_days=1,
            seed=1,
            time_limit_seconds=1,
            workers=1,
            solver_status="optimal",
            kpis={},
            explanations=[],
        )
    )
    session.flush()
    assert staffing_plan(session, post_of(session)).id == published.id  # type: ignore[union-attr]


def test_a_bay_keeps_its_local_hours_across_the_change_to_summer_time(session) -> None:  # type: ignore[no-untyped-def]
    # Sofia moves to UTC+3 on Sunday 29 March 2026: 08:00-20:00 local is 06-18 UTC before, 05-17 after.
    place = load_site(
        session,
        post_of(session),
        datetime(2026, 3, 28, tzinfo=UTC),
        datetime(2026, 3, 31, tzinfo=UTC),
    )
    cold = [(w.start.hour, w.end.hour, w.start.date()) for w in place.site.bay("COLD").open_windows]
    assert (
        (6, 18, date(2026, 3, 28)) in cold
        and (5, 17, date(2026, 3, 29)) in cold
        and (5, 17, date(2026, 3, 30)) in cold
    )
    always = place.site.bay("BAY").open_windows
    assert len(always) == 1 and place.site.bay("BAY").capacity == 2


def test_only_the_agencies_asked_for_are_staffed(session) -> None:  # type: ignore[no-untyped-def]
    everyone_on_duty(session)
    place = _site(session, agencies=("BG-VET",))
    assert {o.officer_id for o in place.site.officers} == {"BV1", "BV2"}
    assert (
        place.site.office("BG-CUS-KA").open_windows == ()
        and place.site.office("BG-VET-KA").open_windows != ()
    )
    assert {a.code for a in place.site.agencies} >= {"BG-CUS", "TR-AGR"}, (
        "every agency stays known, for the request's checks"
    )


def test_priority_classes_take_the_default_value_and_weight_of_their_code(session) -> None:  # type: ignore[no-untyped-def]
    classes = {c.code: c for c in priority_classes(post_of(session))}
    assert (
        classes["live_animals"].value,
        classes["live_animals"].wait_weight,
        classes["live_animals"].max_wait_minutes,
    ) == (6000, 5, 120)
    # "regular" has no maximum wait in the database: the default class's 12 hours hold.
    assert (classes["regular"].quota, classes["regular"].max_wait_minutes) == (5, 720)


def test_rule_settings_change_how_the_rules_hold(session) -> None:  # type: ignore[no-untyped-def]
    post = post_of(session)
    session.add_all(
        [
            RuleSetting(
                post_id=post.id, engine="inspections", rule="max_wait", hard=False, weight=7
            ),
            RuleSetting(
                post_id=post.id,
                engine="inspections",
                rule="sequential",
                hard=True,
                value={"allowed": False},
            ),
            RuleSetting(
                post_id=post.id,
                engine="inspections",
                rule="offers",
                hard=True,
                value={"lookahead_days": 2, "spacing_minutes": 60},
            ),
            RuleSetting(post_id=post.id, engine="hours", rule="max_wait", hard=False, weight=99),
        ]
    )
    session.flush()
    session.expire(post)
    rules = _site(session).site.rules
    assert rules.max_wait == Enforcement.soft(7)
    assert (
        not rules.allow_sequential
        and rules.lookahead_days == 2
        and rules.offer_spacing_minutes == 60
    )
    assert rules.start_grid_minutes == 5, "the engine's grid is the claim grid"


def test_live_animals_never_take_the_notice_derogation_unless_the_post_says_otherwise(
    session,
) -> None:  # type: ignore[no-untyped-def]
    post = post_of(session)
    assert _site(session).site.agency("BG-VET").notice.categories_without_derogation == frozenset(
        {"livestock"}
    )
    vet = next(a for a in post.agencies if a.code == "BG-VET")
    session.add(
        RuleSetting(
            post_id=post.id,
            engine="inspections",
            rule="notice_derogation",
            agency_id=vet.id,
            hard=True,
            value={"excluded_categories": ["produce"]},
        )
    )
    session.flush()
    session.expire(post)
    assert _site(session).site.agency("BG-VET").notice.categories_without_derogation == frozenset(
        {"produce"}
    )
    # A fee of 0 means no out-of-hours service; fees are whole currency units per hour.
    assert _site(session).site.agency("BG-CUS").out_of_hours_fee_per_hour is None
    assert _site(session).site.agency("TR-AGR").out_of_hours_fee_per_hour == 1200


def test_each_sides_holidays_come_from_its_calendar(session) -> None:  # type: ignore[no-untyped-def]
    place = load_site(
        session,
        post_of(session),
        datetime(2026, 3, 1, tzinfo=UTC),
        datetime(2026, 3, 5, tzinfo=UTC),
    )
    assert date(2026, 3, 3) in place.site.side("BG").holidays  # Liberation Day
    assert date(2026, 3, 3) not in place.site.side("TR").holidays


def test_the_facility_depends_on_the_posts_layout(session) -> None:  # type: ignore[no-untyped-def]
    post = post_of(session)
    assert facility_side(post, "TR", "BG", ["TR", "BG"]) == "BG"
    post.layout = PostLayout.SEPARATE
    assert facility_side(post, "TR", "BG", ["TR"]) == "TR", "each side inspects in its own facility"
    post.layout = PostLayout.STRADDLE
    assert facility_side(post, "BG", "TR", ["BG"]) == "TR", (
        "with bays on both sides, the entry side's"
    )
    bulgaria = next(side for side in post.sides if side.code == "BG")
    for resource in post.resources:
        resource.host_side = bulgaria
    assert facility_side(post, "BG", "TR", ["TR"]) == "BG", "one facility: where its bays are"


def test_only_the_bookings_overlapping_the_window_are_read(session) -> None:  # type: ignore[no-untyped-def]
    everyone_on_duty(session)
    _offer, booking = book_first(session, request(session, "R-1", ("BG-CUS",), 1.0))
    post = post_of(session)
    found = confirmed_bookings(
        session,
        post,
        booking.start_at - timedelta(minutes=30),
        booking.start_at + timedelta(minutes=1),
    )
    assert [(b.reference, b.bay_id, b.officer_ids) for b in found] == [
        ("R-1", booking.parts[0].resource.code, frozenset({booking.parts[0].officer.code}))
    ]
    assert (
        confirmed_bookings(session, post, booking.end_at, booking.end_at + timedelta(hours=3)) == ()
    )
    assert confirmed_bookings(session, post, at(-20), booking.start_at) == ()
    assert confirmed_bookings(session, post, at(-20), at(20), except_booking_id=booking.id) == ()
    assert session.scalar(select(Plan.id)) is not None
