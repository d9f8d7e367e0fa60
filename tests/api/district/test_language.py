"""A dispatch's steps and its errors read in the caller's language: Chinese by default, English
with `Accept-Language: en` (the rows keep message ids and parameters, runtime.i18n); the words a
person wrote (a reason) stay as written in both."""

from __future__ import annotations

import base64
from typing import Any

from tests.support.district import READ, SEND_BACK, STREET_CLAIM, DistrictApi, Town
from tests.support.graphql import GraphQLClient


async def _read(api: GraphQLClient, dispatch_id: str, token: str, language: str | None) -> dict[str, Any]:
    headers = {"authorization": f"Bearer {token}"}
    if language:
        headers["accept-language"] = language
    response = await api.http.post(
        "/graphql", json={"query": READ, "variables": {"id": dispatch_id}}, headers=headers
    )
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()["data"]["dispatch"]
    return found


async def test_a_dispatch_step_reads_in_the_callers_language(
    district_api: DistrictApi, api: GraphQLClient, town: Town
) -> None:
    dispatch_id = (await district_api.snap(town))["dispatch"]["id"]
    number = base64.b64decode(dispatch_id).decode().split(":")[1]
    await district_api.move(STREET_CLAIM, town.liaison, dispatchId=dispatch_id)

    chinese = [s["note"] for s in (await _read(api, dispatch_id, town.courier.token, None))["timeline"]]
    assert chinese == [
        f"派单 #{number}：已转交红军路街道，街道联络员应在30分钟内认领。",
        f"派单 #{number}：街道联络员已按时认领。",
    ]
    english = [s["note"] for s in (await _read(api, dispatch_id, town.courier.token, "en"))["timeline"]]
    assert english == [
        f"Dispatch #{number}: referred to 红军路街道, whose liaison claims it within 30 minutes.",
        f"Dispatch #{number}: claimed by the street's liaison, in time.",
    ]
    # A street snap has no community to go back to: the refusal in Chinese, its code unchanged
    refused = await district_api.move(SEND_BACK, town.liaison, dispatchId=dispatch_id, reason="不归我们")
    assert [(e["code"], e["message"]) for e in refused["errors"]] == [
        ("INVALID_TRANSITION", "这件事不在任何小区内，没有社区可以退回，请派给部门。")
    ]
