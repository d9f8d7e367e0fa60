"""Lists of the voice screens cost a fixed number of statements, however long the list."""

from __future__ import annotations

from tests.conftest import QueryCounter
from tests.support import voice
from tests.support.graphql import GraphQLClient

OPINIONS = """
query L($c: ID!) {
  opinions(communityId: $c, first: 50) { totalCount nodes { id supportCount supportedByMe isMine } }
}"""


async def _post(api: GraphQLClient, folk: voice.Folk, n: int) -> None:
    for i in range(n):
        posted = await voice.ok(
            api,
            voice.POST,
            {
                "input": {
                    "communityId": folk.community_id,
                    "kind": "SUGGESTION",
                    "topic": "OTHER",
                    "text": f"#{i}",
                }
            },
            folk.residents[0].token,
        )
        await voice.ok(
            api, voice.SUPPORT, {"input": {"opinionId": posted["opinion"]["id"]}}, folk.residents[1].token
        )


async def test_opinions_cost_the_same_for_two_or_twelve(api: GraphQLClient, queries: QueryCounter) -> None:
    folk = await voice.make_folk()
    await _post(api, folk, 2)
    queries.statements.clear()
    small = await api.data(OPINIONS, {"c": folk.community_id}, folk.residents[1].token)
    few = queries.count
    await _post(api, folk, 10)
    queries.statements.clear()
    large = await api.data(OPINIONS, {"c": folk.community_id}, folk.residents[1].token)
    assert queries.count == few
    assert len(small["opinions"]["nodes"]) == 2 and large["opinions"]["totalCount"] == 12
    assert all(n["supportedByMe"] for n in large["opinions"]["nodes"])
