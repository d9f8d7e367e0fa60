"""Opinions: posted, supported once each, answered once, adopted ones done; counts."""

from __future__ import annotations

from tests.support import voice
from tests.support.graphql import GraphQLClient


async def test_an_opinion_is_supported_answered_and_counted(api: GraphQLClient) -> None:
    folk = await voice.make_folk()
    author, neighbour, other = folk.residents
    posted = await voice.ok(
        api,
        voice.POST,
        {
            "input": {
                "communityId": folk.community_id,
                "kind": "SUGGESTION",
                "topic": "PARKING",
                "text": "电动车在楼道里充电，请设集中充电桩",
            }
        },
        author.token,
    )
    opinion_id = posted["opinion"]["id"]
    assert posted["opinion"]["status"] == "OPEN" and posted["opinion"]["isMine"]

    supported = await voice.ok(api, voice.SUPPORT, {"input": {"opinionId": opinion_id}}, neighbour.token)
    assert supported["opinion"]["supportCount"] == 1 and supported["opinion"]["supportedByMe"]
    assert await voice.codes(api, voice.SUPPORT, {"input": {"opinionId": opinion_id}}, neighbour.token) == [
        "ALREADY_SUPPORTED"
    ]
    assert await voice.codes(api, voice.SUPPORT, {"input": {"opinionId": opinion_id}}, author.token) == [
        "OWN_OPINION"
    ]
    await voice.ok(api, voice.SUPPORT, {"input": {"opinionId": opinion_id}}, other.token)

    adopt = {"input": {"opinionId": opinion_id, "outcome": "ADOPTED", "action": ""}}
    assert await voice.codes(api, voice.ANSWER, adopt, folk.staff.token) == ["INVALID_INPUT"]
    assert await api.error_codes(voice.ANSWER, adopt, author.token) == ["FORBIDDEN"]
    adopt["input"]["action"] = "在3号楼北侧装集中充电桩，6月底前完成"
    adopted = await voice.ok(api, voice.ANSWER, adopt, folk.staff.token)
    assert adopted["opinion"]["status"] == "ADOPTED" and adopted["opinion"]["supportCount"] == 2
    decline = {"input": {"opinionId": opinion_id, "outcome": "DECLINED", "answer": "no"}}
    assert await voice.codes(api, voice.ANSWER, decline, folk.staff.token) == ["ALREADY_DECIDED"]
    done = await voice.ok(api, voice.DONE, {"input": {"opinionId": opinion_id}}, folk.staff.token)
    assert done["opinion"]["status"] == "DONE"

    second = await voice.ok(
        api,
        voice.POST,
        {
            "input": {
                "communityId": folk.community_id,
                "kind": "COMPLAINT",
                "topic": "NOISE",
                "text": "广场舞太吵",
            }
        },
        other.token,
    )
    no_reason = {"input": {"opinionId": second["opinion"]["id"], "outcome": "DECLINED", "answer": " "}}
    assert await voice.codes(api, voice.ANSWER, no_reason, folk.staff.token) == ["INVALID_INPUT"]
    assert await voice.codes(
        api, voice.DONE, {"input": {"opinionId": second["opinion"]["id"]}}, folk.staff.token
    ) == ["INVALID_TRANSITION"]
    no_reason["input"]["answer"] = "已与舞队约定晚8点半结束"
    await voice.ok(
        api, voice.ANSWER, {"input": {**no_reason["input"], "outcome": "ANSWERED"}}, folk.staff.token
    )
    await voice.ok(
        api,
        voice.POST,
        {
            "input": {
                "communityId": folk.community_id,
                "kind": "SUGGESTION",
                "topic": "GREENING",
                "text": "多种树",
            }
        },
        neighbour.token,
    )

    counts = (await api.data(voice.COUNTS, {"c": folk.community_id}, neighbour.token))["opinionCounts"]
    assert counts == {"collected": 3, "open": 1, "adopted": 1, "done": 1, "answered": 1, "declined": 0}
    listed = (await api.data(voice.LIST, {"c": folk.community_id}, neighbour.token))["opinions"]
    assert listed["totalCount"] == 3
    assert [n["supportedByMe"] for n in listed["nodes"]] == [False, False, True]
    open_only = (await api.data(voice.LIST, {"c": folk.community_id, "status": "OPEN"}, author.token))[
        "opinions"
    ]
    assert open_only["totalCount"] == 1


async def test_other_communities_opinions_are_not_found(api: GraphQLClient) -> None:
    here, there = await voice.make_folk("hongxing"), await voice.make_folk("dongfeng")
    posted = await voice.ok(
        api,
        voice.POST,
        {"input": {"communityId": here.community_id, "kind": "SUGGESTION", "topic": "OTHER", "text": "x"}},
        here.residents[0].token,
    )
    assert await voice.codes(
        api, voice.SUPPORT, {"input": {"opinionId": posted["opinion"]["id"]}}, there.staff.token
    ) == ["NOT_FOUND"]
    empty = {
        "input": {"communityId": here.community_id, "kind": "SUGGESTION", "topic": "OTHER", "text": "  "}
    }
    assert await voice.codes(api, voice.POST, empty, here.residents[1].token) == ["INVALID_INPUT"]
    counts = (await api.data(voice.COUNTS, {"c": here.community_id}, here.staff.token))["opinionCounts"]
    assert counts["collected"] == 1
