"""Input no page should choke on: answered with a 4xx that says what is wrong, never a 500."""

from __future__ import annotations

import pytest

from tests.web.conftest import POST, Site


@pytest.mark.parametrize(
    ("path", "status"),
    [
        (f"/posts/{POST}/plans/99999999999999999999", 404),
        (f"/posts/{POST}/plans/jobs/99999999999999999999.json", 404),
        (f"/posts/{POST}/timeline?plan=99999999999999999999", 422),
        (f"/posts/{POST}/timeline?day=9999-12-31", 422),
        (f"/posts/{POST}/roster?day=0001-01-01", 422),
        (f"/posts/{POST}/coverage?days=-3", 422),
        (f"/posts/{POST}/inspections?status=lost", 422),
        (f"/posts/{POST}/audit?action=a%00b", 400),
        (f"/posts/{POST}/inspections/WALK%001", 400),
        (f"/posts/{POST}/plans/compare?before=1", 422),
        (f"/posts/{POST}/plans/compare?before=1&after=77", 404),
    ],
)
def test_bad_page_input_gets_a_4xx(site: Site, path: str, status: int) -> None:
    response = site.client("admin").get(path)
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert "Traceback" not in response.get_data(as_text=True)


def test_bad_api_input_gets_json_naming_the_field(site: Site) -> None:
    client, headers = site.client(), site.token("admin")
    far = client.get(f"/api/v1/posts/{POST}/timeline?day=9999-01-01", headers=headers)
    assert far.status_code == 422 and far.get_json()["problems"][0]["field"] == "day"
    big = client.post(f"/api/v1/posts/{POST}/plan-runs", headers=headers, json={"start": "2026-01-05", "weeks": 10**9})
    assert big.status_code == 422 and big.get_json()["problems"][0]["field"] == "weeks"
    extra = client.post(f"/api/v1/posts/{POST}/plan-runs", headers=headers, json={"start": "2026-01-05", "colour": "red"})
    assert extra.status_code == 422 and extra.get_json()["problems"][0]["field"] == "colour"
    nested = client.post("/api/v1/inspections/bookings", headers=headers, json={"post": POST, "reference": "WALK-1", "offer": {"start": "soon", "resource": "BAY-01", "officers": {}}})
    assert {p["field"] for p in nested.get_json()["problems"]} == {"offer.start", "offer.officers"}
    assert client.post("/api/v1/inspections/offers", headers=headers, data="[1, 2", content_type="application/json").status_code == 400
    wrong = client.get("/api/v1/me", headers={"Authorization": "Bearer not-a-token"})
    assert wrong.status_code == 401 and wrong.headers["WWW-Authenticate"].startswith("Bearer")
