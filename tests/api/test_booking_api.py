"""The booking API on the mini post of ``tests/booking``: bad input answered 4xx naming the
field and storing nothing, blockers and remedies, a sequential booking, a racing conflict."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from app.db import session_scope
from app.services import users as user_service
from tests.booking.builders import NEXT_TUESDAY, add_health_agency, at, build_post, everyone_on_duty
from tests.conftest import make_test_app, table_counts

BASE = NEXT_TUESDAY


def when(hours: float) -> str:
    return at(hours, BASE).isoformat()


@pytest.fixture
def mini(sqlite_url: str) -> Iterator[tuple[Flask, dict[str, str]]]:
    app = make_test_app(sqlite_url)
    with app.app_context(), session_scope() as session:
        build_post(session)
        add_health_agency(session)
        everyone_on_duty(session, base=BASE, TC1=[(1, 5.5)], TC2=[], BC1=[(6, 12)], BC2=[])
        token = user_service.issue_token(
            session, user_service.get_user(session, "booker"), label="test"
        )
    yield app, {"Authorization": f"Bearer {token}"}
    app.extensions["juxta.engine"].dispose()


def _request(**changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "post": "mini",
        "reference": "API-1",
        "exit_side": "TR",
        "category": "general",
        "agencies": ["BG-CUS", "TR-CUS"],
        "expected_arrival": when(1),
    }
    body.update(changes)
    return body


BAD_REQUESTS = [
    (
        "unknown agency",
        "/inspections/requests",
        _request(agencies=["BG-CUS", "NOPE"]),
        422,
        "agencies.1",
    ),
    (
        "agency not present at the facility",
        "/inspections/requests",
        _request(agencies=["BG-CUS", "TR-SSG"]),
        422,
        "agencies.1",
    ),
    ("duration 0", "/inspections/requests", _request(duration_minutes=0), 422, "duration_minutes"),
    (
        "arrival in the past",
        "/inspections/requests",
        _request(expected_arrival="2020-01-07T10:00:00+00:00"),
        422,
        "expected_arrival",
    ),
    (
        "arrival without zone",
        "/inspections/requests",
        _request(expected_arrival="2030-01-07T10:00:00"),
        422,
        "expected_arrival",
    ),
    (
        "unknown agency in offers",
        "/inspections/offers",
        {
            "post": "mini",
            "request": {
                k: v
                for k, v in _request(agencies=["NOPE"]).items()
                if k not in ("post", "reference")
            },
        },
        422,
        "agencies.0",
    ),
    (
        "past arrival in offers",
        "/inspections/offers",
        {
            "post": "mini",
            "request": {
                k: v
                for k, v in _request(expected_arrival="2020-01-07T10:00:00Z").items()
                if k not in ("post", "reference")
            },
        },
        422,
        "expected_arrival",
    ),
    (
        "offer without a start",
        "/inspections/bookings",
        {
            "post": "mini",
            "reference": "API-0",
            "offer": {"start": "soon", "resource": "BAY", "officers": {"BG-CUS": "BC1"}},
        },
        422,
        "offer.start",
    ),
    (
        "offer neither joint nor parts",
        "/inspections/bookings",
        {"post": "mini", "reference": "API-0", "offer": {"resource": "BAY"}},
        422,
        "offer",
    ),
]


@pytest.mark.parametrize(
    ("case", "path", "body", "status", "field"),
    BAD_REQUESTS,
    ids=[case[0] for case in BAD_REQUESTS],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(
    mini, case: str, path: str, body: dict, status: int, field: str
) -> None:  # type: ignore[no-untyped-def, type-arg]
    app, headers = mini
    engine = app.extensions["juxta.engine"]
    before = table_counts(engine)
    response = app.test_client().post("/api/v1" + path, headers=headers, json=body)
    assert response.status_code == status, response.get_json()
    fields = {problem["field"] for problem in response.get_json()["problems"]}
    assert any(f == field or f.startswith(field + ".") for f in fields), (case, fields)
    assert table_counts(engine) == before


def test_malformed_json_is_400_and_stores_nothing(mini) -> None:  # type: ignore[no-untyped-def]
    app, headers = mini
    engine = app.extensions["juxta.engine"]
    before = table_counts(engine)
    response = app.test_client().post(
        "/api/v1/inspections/requests",
        headers={**headers, "Content-Type": "application/json"},
        data='{"post": "mini",',
    )
    assert response.status_code == 400 and response.get_json()["error"]
    assert table_counts(engine) == before


def test_no_joint_slot_answers_blockers_a_sequential_fallback_and_books_it(mini) -> None:  # type: ignore[no-untyped-def]
    app, headers = mini
    client = app.test_client()
    assert (
        client.post("/api/v1/inspections/requests", headers=headers, json=_request()).status_code
        == 201
    )
    result = client.post(
        "/api/v1/inspections/offers", headers=headers, json={"post": "mini", "reference": "API-1"}
    ).get_json()
    assert result["offers"] == [] and result["blockers"] and len(result["fallback"]) == 1
    assert {r["kind"] for r in result["remedies"]} >= {"sequential"}
    fallback = result["fallback"][0]
    assert fallback["mode"] == "exit_first" and [p["officers"] for p in fallback["parts"]] == [
        {"TR-CUS": "TC1"},
        {"BG-CUS": "BC1"},
    ]
    offer = {
        "parts": [
            {k: part[k] for k in ("start", "resource", "officers")} for part in fallback["parts"]
        ]
    }
    booked = client.post(
        "/api/v1/inspections/bookings",
        headers=headers,
        json={"post": "mini", "reference": "API-1", "offer": offer},
    )
    assert booked.status_code == 201, booked.get_json()
    booking = booked.get_json()
    assert booking["mode"] == "sequential" and booking["joint_failure_reason"]
    assert [(p["agency"], p["start"]) for p in booking["parts"]] == [
        ("TR-CUS", when(1)),
        ("BG-CUS", when(6)),
    ]
