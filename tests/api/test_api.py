"""The JSON API: bearer tokens, bad input named field by field, the booking life cycle, plan runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.services import jobs
from tests.web.builders import stand_in_plan_handler
from tests.web.conftest import POST, Site

TOMORROW = (datetime.now(UTC) + timedelta(days=1)).date()


def _api(site: Site, username: str):  # type: ignore[no-untyped-def]
    client, headers = site.client(), site.token(username)

    class Api:
        def get(self, path: str, **kwargs):  # type: ignore[no-untyped-def]
            return client.get("/api/v1" + path, headers=headers, **kwargs)

        def post(self, path: str, body: object = None, **kwargs):  # type: ignore[no-untyped-def]
            return client.post("/api/v1" + path, headers=headers, json=body, **kwargs)

        def raw(self, path: str, data: str):  # type: ignore[no-untyped-def]
            return client.post("/api/v1" + path, headers={**headers, "Content-Type": "application/json"}, data=data)

    return Api()


def test_the_document_describes_every_api_route(site: Site) -> None:
    document = site.client().get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    described = {(method.upper(), path) for path, operations in document["paths"].items() for method in operations}
    for rule in site.app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = rule.rule.removeprefix("/api/v1")
            for name in rule.arguments:
                path = path.replace(f"<{name}>", f"{{{name}}}").replace(f"<int(max=2147483647):{name}>", f"{{{name}}}")
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert (method, path) in described, f"{method} {path} is not in the OpenAPI document"
    assert "RequestIn" in document["components"]["schemas"]


def test_malformed_json_is_400_and_bad_fields_are_422_naming_each(site: Site) -> None:
    api = _api(site, "scheduler")
    assert api.raw("/inspections/requests", "{not json").status_code == 400
    response = api.post("/inspections/requests", {"post": POST, "reference": "", "exit_side": "PL", "category": "general", "agencies": [], "expected_arrival": "tomorrow"})
    assert response.status_code == 422
    fields = {problem["field"] for problem in response.get_json()["problems"]}
    assert {"reference", "agencies", "expected_arrival"} <= fields
    naive = api.post("/inspections/requests", {"post": POST, "reference": "X-1", "exit_side": "PL", "category": "general", "agencies": ["PL-CUS"], "expected_arrival": f"{TOMORROW}T10:00:00"})
    assert naive.status_code == 422 and naive.get_json()["problems"][0]["field"] == "expected_arrival"
    unknown = api.post("/inspections/requests", {"post": POST, "reference": "X-1", "exit_side": "XX", "category": "general", "agencies": ["PL-CUS", "NOPE"], "expected_arrival": f"{TOMORROW}T10:00:00Z"})
    assert unknown.status_code == 422
    assert {p["field"] for p in unknown.get_json()["problems"]} == {"exit_side", "agencies.1"}


def test_a_scheduler_must_include_their_own_agency(site: Site) -> None:
    response = _api(site, "scheduler").post("/inspections/requests", {"post": POST, "reference": "X-2", "exit_side": "UA", "category": "general", "agencies": ["UA-CUS"], "expected_arrival": f"{TOMORROW}T10:00:00Z"})
    assert response.status_code == 422
    assert response.get_json()["problems"][0]["field"] == "agencies"


def _offer(offer: dict) -> dict:  # type: ignore[type-arg]
    return {"start": offer["start"], "resource": offer["resource"], "officers": offer["officers"]}


def test_request_offers_book_move_and_cancel(site: Site) -> None:
    api = _api(site, "scheduler")
    # The prepared walk requests hold the juxtaposed Polish customs officer until 09:00 UTC.
    created = api.post("/inspections/requests", {"post": POST, "reference": "API-1", "exit_side": "PL", "category": "general", "agencies": ["PL-CUS", "UA-CUS"], "expected_arrival": f"{TOMORROW}T09:00:00+00:00"})
    assert created.status_code == 201, created.get_json()
    assert created.headers["Location"].endswith(f"/posts/{POST}/inspections/requests/API-1")
    offers = api.post("/inspections/offers", {"post": POST, "reference": "API-1"}).get_json()["offers"]
    assert len(offers) == 3 and offers[0]["start"] >= f"{TOMORROW}T09:00"
    first = offers[0]
    booked = api.post("/inspections/bookings", {"post": POST, "reference": "API-1", "offer": _offer(first)})
    assert booked.status_code == 201, booked.get_json()
    booking = booked.get_json()
    assert booking["status"] == "confirmed" and {p["agency"] for p in booking["parts"]} == {"PL-CUS", "UA-CUS"}
    assert api.get(f"/posts/{POST}/inspections/requests/API-1").get_json()["status"] == "booked"

    # Booking the same offer again for another consignment collides with the booking just made.
    api.post("/inspections/requests", {"post": POST, "reference": "API-2", "exit_side": "PL", "category": "general", "agencies": ["PL-CUS", "UA-CUS"], "expected_arrival": f"{TOMORROW}T09:00:00+00:00"})
    taken = api.post("/inspections/bookings", {"post": POST, "reference": "API-2", "offer": _offer(first)})
    assert taken.status_code == 409
    assert taken.get_json()["offers"], "a conflict comes with fresh offers"

    later = api.post("/inspections/offers", {"post": POST, "reference": "API-2"}).get_json()["offers"][1]
    moved = api.post(f"/posts/{POST}/inspections/bookings/{booking['id']}/reschedule", {"reason": "driver late", "offer": _offer(later)})
    assert moved.status_code == 200, moved.get_json()
    assert moved.get_json()["start"] == later["start"] and moved.get_json()["id"] != booking["id"]
    old = api.get(f"/posts/{POST}/inspections/bookings/{booking['id']}").get_json()
    assert old["status"] == "cancelled" and "driver late" in old["cancel_reason"]

    assert api.post(f"/posts/{POST}/inspections/bookings/{moved.get_json()['id']}/cancel", {"reason": ""}).status_code == 422
    cancelled = api.post(f"/posts/{POST}/inspections/bookings/{moved.get_json()['id']}/cancel", {"reason": "consignment released"})
    assert cancelled.get_json()["status"] == "cancelled"
    assert api.get(f"/posts/{POST}/inspections/requests/API-1").get_json()["status"] == "pending"
    actions = [e["action"] for e in _api(site, "auditor").get(f"/posts/{POST}/audit").get_json()["entries"]]
    assert {"booking_confirmed", "booking_rescheduled", "booking_cancelled", "inspection_requested"} <= set(actions)


def test_offers_for_an_unsaved_request_and_their_blockers(site: Site) -> None:
    api = _api(site, "manager")
    # Live animals at 03:00 UTC: the veterinary office is closed then and needs a working
    # day's notice; the answer says what blocks and when the first slot would be.
    body = {"post": POST, "request": {"exit_side": "PL", "category": "livestock", "agencies": ["PL-VET"], "expected_arrival": f"{TOMORROW}T03:00:00Z"}}
    result = api.post("/inspections/offers", body).get_json()
    assert result["offers"] == [] and result["blockers"], result
    assert {"rule", "subject", "message"} <= set(result["blockers"][0])
    assert all({"kind", "message", "earliest_start", "fees"} <= set(remedy) for remedy in result["remedies"])
    neither = api.post("/inspections/offers", {"post": POST})
    assert neither.status_code == 422


def test_a_plan_run_is_queued_and_its_job_reports_progress_and_the_plan(site: Site) -> None:
    api = _api(site, "manager")
    started = api.post(f"/posts/{POST}/plan-runs", {"start": TOMORROW.isoformat(), "weeks": 1, "seed": 7, "time_limit_seconds": 5, "workers": 1})
    assert started.status_code == 202
    job = started.get_json()
    assert job["status"] == "queued" and job["params"] == {"post": POST, "start": TOMORROW.isoformat(), "weeks": 1, "seed": 7, "time_limit_seconds": 5.0, "workers": 1}
    assert api.post(f"/posts/{POST}/plan-runs", {"start": TOMORROW.isoformat()}).status_code == 409
    saved = jobs.HANDLERS.get("plan")
    jobs.HANDLERS["plan"] = stand_in_plan_handler
    try:
        assert jobs.Worker(site.app.extensions["juxta.sessions"], poll_seconds=0.1, stale_after_seconds=300).run_once()
    finally:
        if saved is None:
            jobs.HANDLERS.pop("plan")
        else:
            jobs.HANDLERS["plan"] = saved
    state = api.get(started.headers["Location"].removeprefix("/api/v1")).get_json()
    assert state["status"] == "succeeded" and state["finished"]
    assert [point["objective"] for point in state["progress"]] == [180.0, 140.0, 120.0]
    assert state["plan"]["version"] == 4 and state["plan"]["status"] == "draft"
    assert "Traceback" not in str(state)


def test_publishing_through_the_api_supersedes_the_published_plan(site: Site) -> None:
    api = _api(site, "manager")
    published = api.post(f"/posts/{POST}/plans/2/publish", {})
    assert published.status_code == 200, published.get_json()
    assert published.get_json()["superseded"] == 1
    again = api.post(f"/posts/{POST}/plans/2/publish", {})
    assert again.status_code == 409
    statuses = {p["version"]: p["status"] for p in api.get(f"/posts/{POST}/plans").get_json()["plans"]}
    assert statuses[1] == "superseded" and statuses[2] == "published"
    # Others never see drafts: the neighbour's API shows only published hours.
    assert api.get(f"/posts/{POST}/plans/3").status_code == 200
    assert _api(site, "neighbour").get(f"/posts/{POST}/timeline?plan=3").status_code == 404


def test_views_answer_json_in_the_clock_asked_for(site: Site) -> None:
    api = _api(site, "manager")
    timeline = api.get(f"/posts/{POST}/timeline?zone=UA&days=1&day={site.start.isoformat()}").get_json()
    assert timeline["zone"] == "Europe/Kyiv" and timeline["plan"] == 1
    assert timeline["start"].endswith("+00:00")
    roster = api.get(f"/posts/{POST}/roster?days=2&agency=PL-CUS").get_json()
    assert {o["agency"] for o in roster["officers"]} == {"PL-CUS"} and len(roster["days"]) == 2
    coverage = api.get(f"/posts/{POST}/coverage?zone=UTC").get_json()
    assert coverage["rows"] and coverage["zone"] == "UTC"
    assert api.get(f"/posts/{POST}/timeline?zone=Mars").status_code == 422
    assert api.get(f"/posts/{POST}/roster?days=100").status_code == 422
