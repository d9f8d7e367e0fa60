from tests.support.graphql import GraphQLClient
from tests.support.people import make_neighbourhood, make_person


async def test_a_member_reads_their_community(api: GraphQLClient) -> None:
    place = await make_neighbourhood()
    person = await make_person(place.community)
    data = await api.data(
        "{ me { user { displayName } memberships { community { name } } } }", token=person.token
    )
    assert data["me"]["memberships"][0]["community"]["name"] == "红星社区"
