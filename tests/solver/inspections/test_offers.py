"""Offers for one request: the best few joint slots, or what blocks and what would unblock."""

from __future__ import annotations

import pytest

from solver.inspections import (
    InspectionRequest,
    InvalidInput,
    Selection,
    check_booking,
    find_offers,
    names,
)

from .builders import at, availability, booking, officer, offices, request, site


def _offers_pass_the_checker(req, avail, now, result) -> None:  # type: ignore[no-untyped-def]
    for inspection in (*result.offers, *result.fallback):
        assert check_booking(req, inspection, avail, now=now) == ()


def test_find_offers_earliest_slots_first_each_passing_the_checker() -> None:
    avail = availability(site())
    req = request("R1", ["BG-CUS", "TR-CUS"], arrival=1.0)
    result = find_offers(req, avail, now=at(0))
    assert [offer.first_start for offer in result.offers] == [at(1), at(1.5), at(2)]
    assert all(offer.mode == "joint" for offer in result.offers)
    assert (result.window_start, result.window_end) == (at(1), at(13))
    _offers_pass_the_checker(req, avail, at(0), result)


def test_find_offers_works_around_existing_bookings() -> None:
    avail = availability(site(), [booking("B-1", 0.5, 3.0, officers=["BG-CUS-1"], bay_id="B1")])
    req = request("R1", ["BG-CUS", "TR-CUS"], arrival=1.0)
    result = find_offers(req, avail, now=at(0), max_offers=1)
    assert [offer.first_start for offer in result.offers] == [at(3)]
    _offers_pass_the_checker(req, avail, at(0), result)


def test_find_offers_never_in_the_past() -> None:
    req = request("R1", arrival=0.0)
    result = find_offers(
        req, availability(site()), now=at(0.45)
    )  # 00:27; the grid's next start is 00:30
    assert result.offers[0].first_start == at(0.5)
    assert result.offers[0].waiting_minutes == 30


def _closed_apart():  # type: ignore[no-untyped-def]
    # Turkish agriculture works mornings only, the Bulgarian vet from 3:00: they never meet.
    return site(offices=offices(BG_VET=[(3, 8)], TR_AGR=[(0, 2)]))


def test_find_offers_without_a_joint_slot_names_the_blockers_and_the_fallback() -> None:
    avail = availability(_closed_apart())
    req = request("R1", ["TR-AGR", "BG-VET"])
    result = find_offers(req, avail, now=at(0))
    assert result.offers == ()
    (blocker,) = result.blockers
    assert blocker.rule == names.OFFICE_HOURS
    assert blocker.subject == "BG-VET + TR-AGR"
    (fallback,) = result.fallback
    assert fallback.mode == "exit_first"
    assert [part.agencies for part in fallback.parts] == [("TR-AGR",), ("BG-VET",)]
    assert fallback.joint_failure == result.blockers
    _offers_pass_the_checker(req, avail, at(0), result)


def test_find_offers_quotes_out_of_hours_service_as_a_remedy() -> None:
    avail = availability(_closed_apart())
    result = find_offers(request("R1", ["TR-AGR", "BG-VET"]), avail, now=at(0))
    remedies = {remedy.kind: remedy for remedy in result.remedies}
    assert set(remedies) == {"out_of_hours", "sequential"}
    assert remedies["out_of_hours"].earliest_start == at(0)
    assert remedies["out_of_hours"].fees == {"EUR": 40}
    assert "BG-VET (40 EUR/h)" in remedies["out_of_hours"].message


def test_find_offers_with_out_of_hours_accepted_offers_the_slot_at_its_fee() -> None:
    avail = availability(_closed_apart())
    req = request("R1", ["TR-AGR", "BG-VET"], accepts_out_of_hours=True, priority="perishable")
    result = find_offers(req, avail, now=at(0))
    best = result.offers[0]
    assert best.first_start == at(0)
    assert [(c.agency, c.fee) for c in best.parts[0].out_of_hours] == [("BG-VET", 40)]
    _offers_pass_the_checker(req, avail, at(0), result)


def test_find_offers_notice_blocks_and_the_derogation_would_unblock() -> None:
    req = request("R1", ["BG-VET"], notified=-1.0, priority="perishable")
    result = find_offers(req, availability(site()), now=at(0))
    assert result.offers == ()
    assert [b.rule for b in result.blockers] == [names.NOTICE]
    derogation = next(r for r in result.remedies if r.kind == "derogation")
    assert derogation.earliest_start == at(3)


def test_find_offers_later_slot_beyond_the_maximum_wait() -> None:
    post = site(officers=[officer("BG-CUS-1", "BG-CUS", [(20, 30)])])
    req = request("R1", priority="live_animals")
    result = find_offers(req, availability(post), now=at(0))
    assert result.offers == ()
    assert result.blockers[0].subject == "BG-CUS"
    later = next(r for r in result.remedies if r.kind == "later")
    assert later.earliest_start == at(20)
    assert "1080 min after the maximum wait" in later.message


def test_find_offers_rejects_an_agency_not_at_the_post_naming_the_field() -> None:
    req = request("R1", ["BG-CUS", "XX-FOO"])
    with pytest.raises(InvalidInput) as raised:
        find_offers(req, availability(site()), now=at(0))
    assert [error.field for error in raised.value.errors] == ["selections[1].agency"]


def test_request_errors_name_each_bad_field() -> None:
    with pytest.raises(InvalidInput) as raised:
        InspectionRequest(
            reference="R1",
            exit_side="TR",
            entry_side="BG",
            cargo_category="general",
            selections=(Selection(agency="BG-CUS"),),
            duration_minutes=0,
            expected_arrival=at(0),
            priority_class="regular",
            notified_at=at(-1),
        )
    assert [error.field for error in raised.value.errors] == ["duration_minutes"]
    post = site()
    errors = post.request_errors(request("R2", priority="express"), now=at(1))
    assert {error.field for error in errors} == {"priority_class", "expected_arrival"}


def test_find_offers_names_an_agency_whose_officers_and_hours_never_meet() -> None:
    # The vet office opens at 3:00 but its only officer goes home at 2:00.
    post = site(
        offices=offices(BG_VET=[(3, 8)]),
        officers=[officer("BG-VET-1", "BG-VET", [(0, 2)])],
    )
    result = find_offers(request("R1", ["BG-VET"]), availability(post), now=at(0))
    (blocker,) = result.blockers
    assert blocker.subject == "BG-VET"
    assert (
        "free officers of BG-VET" in blocker.message
        and "the office hours of BG-VET" in blocker.message
    )
