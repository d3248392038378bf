"""Every cost the hours engine weighs is in the post's planning currency: agencies that pay in
another currency are converted by the post's rates, and a post that mixes currencies without
rates is refused with the field to set."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app.db import session_scope
from app.services.errors import InvalidInput
from app.services.planning.hours_input import build_hours_problem
from models import Agency, RuleSetting
from tests.web.builders import load_post

NOW = datetime(2026, 3, 1, tzinfo=UTC)
START = date(2026, 3, 23)


def _one_agency_in(session, post, currency: str) -> Agency:  # type: ignore[no-untyped-def]
    agency = session.scalars(select(Agency).where(Agency.post_id == post.id).order_by(Agency.code)).first()
    assert agency is not None
    agency.currency = currency
    session.flush()
    return agency


def test_costs_in_another_currency_are_converted_by_the_posts_rate(app) -> None:  # type: ignore[no-untyped-def]
    with app.app_context(), session_scope() as session:
        post = load_post(session, "alpha", START)
        home = {agency.currency for agency in post.agencies}
        assert len(home) == 1
        planning = home.pop()
        agency = _one_agency_in(session, post, "TRY")
        agency.staff_hour_cost, agency.out_of_hours_fee_per_hour, agency.overtime_rate = 1000, 2000, 1.5
        session.add(RuleSetting(post_id=post.id, engine="hours", rule="staff_hours", hard=True,
                                value={"currency": planning, "rates": {"TRY": 0.02}}))
        session.flush()
        session.refresh(post)
        problem = build_hours_problem(session, post, START, 7, now=NOW)
        converted = [office for office in problem.offices if office.agency_id == agency.code]
        assert converted
        for office in converted:
            # 1,000 TRY an hour is 20; the premium is half of that in overtime plus 40 in fees.
            assert office.officer_hour_cost == 20
            assert office.out_of_hours_premium == 10 + 40


def test_mixed_currencies_without_a_rate_are_refused_naming_the_setting(app) -> None:  # type: ignore[no-untyped-def]
    with app.app_context(), session_scope() as session:
        post = load_post(session, "alpha", START)
        _one_agency_in(session, post, "TRY")
        session.refresh(post)
        with pytest.raises(InvalidInput) as refused:
            build_hours_problem(session, post, START, 7, now=NOW)
        problem = refused.value.problems[0]
        assert problem.field == "rules.hours.staff_hours.value.currency"
        assert "TRY" in problem.message and "staff_hours" in problem.fix


def test_a_currency_without_its_rate_is_refused_naming_the_rate(app) -> None:  # type: ignore[no-untyped-def]
    with app.app_context(), session_scope() as session:
        post = load_post(session, "alpha", START)
        planning = next(iter({agency.currency for agency in post.agencies}))
        _one_agency_in(session, post, "TRY")
        session.add(RuleSetting(post_id=post.id, engine="hours", rule="staff_hours", hard=True,
                                value={"currency": planning, "rates": {"TRY": 0}}))
        session.flush()
        session.refresh(post)
        with pytest.raises(InvalidInput) as refused:
            build_hours_problem(session, post, START, 7, now=NOW)
        assert [p.field for p in refused.value.problems] == ["rules.hours.staff_hours.value.rates.TRY"]
