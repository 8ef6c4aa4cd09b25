"""The sandbox's platform behaviour: auth, envelope, request log, controls, OpenAPI."""

from __future__ import annotations

import httpx

from gateway.sandbox import seed


async def test_missing_authorization_gets_401_in_wix_envelope(wix: httpx.AsyncClient) -> None:
    response = await wix.post("/bookings/v2/services/query", json={}, headers={"Authorization": ""})
    assert response.status_code == 401
    assert response.json()["details"]["applicationError"]["code"] == "UNAUTHENTICATED"


async def test_query_services_with_in_filter(wix: httpx.AsyncClient) -> None:
    ids = [seed.SERVICE_MASSAGE, seed.SERVICE_YOGA]
    response = await wix.post(
        "/bookings/v2/services/query", json={"query": {"filter": {"id": {"$in": ids}}}}
    )
    assert response.status_code == 200
    body = response.json()
    assert sorted(s["id"] for s in body["services"]) == sorted(ids)
    assert body["services"][0]["bookingPolicy"]["name"]  # policy expanded read-only
    assert body["pagingMetadata"]["total"] == 2


async def test_query_services_by_type_and_alias_path(wix: httpx.AsyncClient) -> None:
    response = await wix.post(
        "/_api/bookings/v2/services/query",
        json={"query": {"filter": {"type": "CLASS"}}},
    )
    assert [s["id"] for s in response.json()["services"]] == [seed.SERVICE_YOGA]


async def test_unknown_service_is_404_with_code(wix: httpx.AsyncClient) -> None:
    response = await wix.get("/bookings/v2/services/00000000-0000-4000-8000-00000000dead")
    assert response.status_code == 404
    assert response.json()["details"]["applicationError"]["code"] == "SERVICE_NOT_FOUND"


async def test_site_time_zone(wix: httpx.AsyncClient) -> None:
    response = await wix.get("/site-properties/v4/properties", params={"fields.paths": "timeZone"})
    assert response.json()["properties"] == {"timeZone": "Europe/London"}


async def test_form_summary_hides_required_but_get_form_has_it(wix: httpx.AsyncClient) -> None:
    summary = (await wix.get(f"/form-schema-service/v4/forms/{seed.FORM_MASSAGE}/summary")).json()
    targets = [f["target"] for f in summary["formSummary"]["fields"]]
    assert targets[:4] == ["first_name", "last_name", "email", "phone"]
    assert "required" not in summary["formSummary"]["fields"][0]
    form = (await wix.get(f"/form-schema-service/v4/forms/{seed.FORM_MASSAGE}")).json()["form"]
    required = {
        f["inputOptions"]["target"]: f["inputOptions"]["required"] for f in form["formFields"]
    }
    assert required["pressure"] is True and required["injuries"] is False


async def test_request_log_counts_wix_calls_only(wix: httpx.AsyncClient) -> None:
    await wix.post("/_sandbox/reset")
    await wix.get(f"/bookings/v2/services/{seed.SERVICE_MASSAGE}")
    await wix.get(f"/bookings/v2/services/{seed.SERVICE_HAIRCUT}")
    log = (await wix.get("/_sandbox/requests")).json()
    assert log["total"] == 2
    assert log["countsByRoute"] == {"GET /bookings/v2/services/{serviceId}": 2}
    assert {r["status"] for r in log["requests"]} == {200}


async def test_fault_injection_status_and_times(wix: httpx.AsyncClient) -> None:
    rule = {"path": "/bookings/v2/services/*", "status": 503, "times": 1}
    assert (await wix.post("/_sandbox/faults", json=rule)).status_code == 200
    first = await wix.get(f"/bookings/v2/services/{seed.SERVICE_MASSAGE}")
    second = await wix.get(f"/bookings/v2/services/{seed.SERVICE_MASSAGE}")
    assert (first.status_code, first.content) == (503, b"")
    assert second.status_code == 200
    await wix.post("/_sandbox/reset")
    assert (await wix.get("/_sandbox/faults")).json() == {"rules": []}


async def test_clock_can_be_frozen(wix: httpx.AsyncClient) -> None:
    response = await wix.post("/_sandbox/clock", json={"now": "2030-01-02T03:04:05Z"})
    assert response.json() == {"now": "2030-01-02T03:04:05Z", "frozen": True}


async def test_openapi_lists_every_wix_path(wix: httpx.AsyncClient) -> None:
    document = (await wix.get("/_sandbox/openapi.json")).json()
    assert document["openapi"].startswith("3.")
    assert "/bookings/v2/services/query" in document["paths"]
    assert not any(path.startswith("/_sandbox") for path in document["paths"])


async def test_malformed_control_bodies_get_400(wix: httpx.AsyncClient) -> None:
    for path in ("/_sandbox/clock", "/_sandbox/faults"):
        response = await wix.post(
            path, content=b"{not json", headers={"content-type": "application/json"}
        )
        assert response.status_code == 400, path
        assert "JSON" in response.json()["message"]
    array = await wix.post("/_sandbox/faults", json=[{"path": "*"}])
    assert array.status_code == 400
    assert (await wix.get("/_sandbox/faults")).json() == {"rules": []}
