"""Open311 GeoReport v2 read endpoints: the district's problems in public space, no personal data."""

from __future__ import annotations

import httpx

from tests.support.district import ASSIGN, STREET_CLAIM, DistrictApi, Town
from tests.support.people import gid


async def test_services_requests_and_one_request_without_personal_data(
    district_api: DistrictApi, http: httpx.AsyncClient, town: Town
) -> None:
    street = (await district_api.snap(town, address="红军路与五马路交口"))["dispatch"]["id"]
    await district_api.move(STREET_CLAIM, town.liaison, dispatchId=street)
    await district_api.move(
        ASSIGN, town.liaison, dispatchId=street, departmentId=gid("Department", town.zhujian.id)
    )
    jurisdiction = {"jurisdiction_id": str(town.district.id)}

    services = (await http.get("/open311/v2/services.json", params=jurisdiction)).json()
    assert {"service_code": "public_facility", "service_name": "公共设施"}.items() <= services[7].items()

    listed = (await http.get("/open311/v2/requests.json", params=jurisdiction)).json()
    assert len(listed) == 1
    problem = listed[0]
    assert (problem["status"], problem["service_code"], problem["agency_responsible"]) == (
        "open",
        "public_facility",
        "住建",
    )
    assert (problem["lat"], problem["address"]) == (47.32, "红军路与五马路交口")
    text = str(listed)
    assert town.courier.phone not in text and "快递小哥刘" not in text
    one = await http.get(f"/open311/v2/requests/{problem['service_request_id']}.json", params=jurisdiction)
    assert one.json() == listed
    closed = await http.get("/open311/v2/requests.json", params={**jurisdiction, "status": "closed"})
    assert closed.json() == []

    # bad input: a typed GeoReport error, never a 500
    assert (await http.get("/open311/v2/requests.json", params={"jurisdiction_id": "x"})).status_code == 404
    assert (
        await http.get("/open311/v2/requests.json", params={**jurisdiction, "status": "x"})
    ).status_code == 400
    bad_code = await http.get("/open311/v2/requests.json", params={**jurisdiction, "service_code": "x"})
    assert bad_code.status_code == 400 and bad_code.json()[0]["code"] == 400
    huge = await http.get("/open311/v2/requests/99999999999999.json", params=jurisdiction)
    assert huge.status_code == 404
