"""A member browses the place tree of their community: compounds → buildings → entrances, with
counts, page by page."""

from __future__ import annotations

from typing import Any

import pytest

from models.enums import Role
from models.places import Building, Community, Compound
from tests.api.places.tree import grow
from tests.support.graphql import GraphQLClient
from tests.support.people import gid, make_neighbourhood, make_person

TREE = """
query Tree($id: ID!) {
  community(id: $id) {
    name
    compounds {
      totalCount
      nodes {
        name
        buildings {
          totalCount
          nodes {
            name
            entrances { totalCount nodes { name householdCount } }
          }
        }
      }
    }
  }
}
"""

COMPOUND_PAGE = """
query Compounds($id: ID!, $first: Int, $after: String) {
  community(id: $id) {
    compounds(first: $first, after: $after) {
      totalCount
      edges { cursor node { id name } }
      nodes { id }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
}
"""

BUILDING_PAGE = """
query Buildings($id: ID!, $first: Int, $after: String) {
  node(id: $id) {
    ... on Compound {
      buildings(first: $first, after: $after) {
        totalCount
        edges { cursor node { id name } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      }
    }
  }
}
"""


async def _walk(
    api: GraphQLClient, query: str, variables: dict[str, Any], token: str, first: int, root: str
) -> list[dict[str, Any]]:
    """Every page of a connection, asserting each page's own bookkeeping on the way."""
    pages: list[dict[str, Any]] = []
    after = None
    while True:
        data = await api.data(query, {**variables, "first": first, "after": after}, token)
        page = data[root]["compounds" if root == "community" else "buildings"]
        edges = page["edges"]
        info = page["pageInfo"]
        assert len(edges) <= first
        assert info["hasPreviousPage"] is (after is not None)
        assert info["startCursor"] == (edges[0]["cursor"] if edges else None)
        assert info["endCursor"] == (edges[-1]["cursor"] if edges else None)
        pages.append(page)
        if not info["hasNextPage"]:
            return pages
        assert len(edges) == first
        after = info["endCursor"]


async def test_a_member_walks_the_tree_with_counts(api: GraphQLClient) -> None:
    # given a community of 3 compounds × 2 buildings × 3 entrances × 4 households, and a volunteer
    community = await Community.create(name="红星社区", slug="hongxing")
    await grow(community, compounds=3, buildings=2, entrances=3, households=4)
    volunteer = await make_person(community, (Role.RESIDENT, Role.VOLUNTEER))

    # when they browse it
    data = await api.data(TREE, {"id": gid("Community", community.id)}, volunteer.token)

    # then every level is there, in creation order, with its counts
    tree = data["community"]
    assert tree["name"] == "红星社区"
    assert tree["compounds"]["totalCount"] == 3
    assert [c["name"] for c in tree["compounds"]["nodes"]] == ["1号院", "2号院", "3号院"]
    for compound in tree["compounds"]["nodes"]:
        assert compound["buildings"]["totalCount"] == 2
        assert [b["name"] for b in compound["buildings"]["nodes"]] == ["1号楼", "2号楼"]
        for building in compound["buildings"]["nodes"]:
            entrances = building["entrances"]
            assert entrances["totalCount"] == 3
            assert entrances["nodes"] == [{"name": f"{e}单元", "householdCount": 4} for e in (1, 2, 3)]


async def test_children_link_back_to_their_parents(api: GraphQLClient) -> None:
    # given the small neighbourhood and a resident
    place = await make_neighbourhood()
    resident = await make_person(place.community)

    # when they fetch the entrance by id and climb up
    data = await api.data(
        """query($id: ID!) { node(id: $id) { ... on Entrance {
             name building { name compound { name community { name slug } } } } } }""",
        {"id": gid("Entrance", place.entrance.id)},
        resident.token,
    )

    # then each parent is the right one
    assert data["node"] == {
        "name": "2单元",
        "building": {
            "name": "4号楼",
            "compound": {"name": "休闲小区", "community": {"name": "红星社区", "slug": "hongxing"}},
        },
    }


@pytest.mark.parametrize("first", [1, 3, 7, 8, 100])
async def test_paging_compounds_visits_each_exactly_once(api: GraphQLClient, first: int) -> None:
    # given two communities whose compounds were created interleaved, so ids have gaps
    mine = await Community.create(name="红星社区", slug="hongxing")
    other = await Community.create(name="滨河社区", slug="binhe")
    for index in range(7):
        await Compound.create(community=mine, name=f"红星{index}号院")
        await Compound.create(community=other, name=f"滨河{index}号院")
    member = await make_person(mine)

    # when they page through their compounds `first` at a time
    pages = await _walk(
        api, COMPOUND_PAGE, {"id": gid("Community", mine.id)}, member.token, first, "community"
    )

    # then each compound of theirs comes exactly once, in order, and every page knows the total
    names = [edge["node"]["name"] for page in pages for edge in page["edges"]]
    assert names == [f"红星{index}号院" for index in range(7)]
    assert all(page["totalCount"] == 7 for page in pages)
    assert all([n["id"] for n in page["nodes"]] == [e["node"]["id"] for e in page["edges"]] for page in pages)
    assert len(pages) == max(1, -(-7 // first))


async def test_paging_buildings_of_one_compound_skips_its_neighbours(api: GraphQLClient) -> None:
    # given two compounds whose buildings were created interleaved
    place = await make_neighbourhood()
    neighbour = await Compound.create(community=place.community, name="幸福小区")
    for index in range(5):
        await Building.create(community=place.community, compound=place.compound, name=f"{index}栋")
        await Building.create(community=place.community, compound=neighbour, name=f"邻{index}栋")
    member = await make_person(place.community, (Role.CLEANER,))

    # when the member pages through the first compound's buildings two at a time
    pages = await _walk(
        api, BUILDING_PAGE, {"id": gid("Compound", place.compound.id)}, member.token, 2, "node"
    )

    # then they see that compound's six buildings once each and nothing of the neighbour's
    names = [edge["node"]["name"] for page in pages for edge in page["edges"]]
    assert names == ["4号楼", "0栋", "1栋", "2栋", "3栋", "4栋"]
    assert [page["totalCount"] for page in pages] == [6, 6, 6]


async def test_first_zero_is_an_empty_page_that_still_says_more_follow(api: GraphQLClient) -> None:
    place = await make_neighbourhood()
    member = await make_person(place.community)

    data = await api.data(
        COMPOUND_PAGE, {"id": gid("Community", place.community.id), "first": 0}, member.token
    )

    page = data["community"]["compounds"]
    assert page["edges"] == []
    assert page["totalCount"] == 1
    assert page["pageInfo"] == {
        "hasNextPage": True,
        "hasPreviousPage": False,
        "startCursor": None,
        "endCursor": None,
    }


async def test_paging_past_the_end_is_an_empty_last_page(api: GraphQLClient) -> None:
    place = await make_neighbourhood()
    member = await make_person(place.community)
    first = await api.data(COMPOUND_PAGE, {"id": gid("Community", place.community.id)}, member.token)
    last_cursor = first["community"]["compounds"]["pageInfo"]["endCursor"]

    data = await api.data(
        COMPOUND_PAGE, {"id": gid("Community", place.community.id), "after": last_cursor}, member.token
    )

    page = data["community"]["compounds"]
    assert (page["edges"], page["pageInfo"]["hasNextPage"], page["totalCount"]) == ([], False, 1)


@pytest.mark.parametrize("first", [101, 1000, -1])
async def test_first_outside_0_to_100_is_refused(api: GraphQLClient, first: int) -> None:
    place = await make_neighbourhood()
    member = await make_person(place.community)

    body = await api.post(
        COMPOUND_PAGE, {"id": gid("Community", place.community.id), "first": first}, member.token
    )

    assert [e["extensions"] for e in body["errors"]] == [{"code": "INVALID_INPUT", "field": "first"}]
    assert body["data"] == {"community": None}


async def test_first_of_100_is_allowed(api: GraphQLClient) -> None:
    place = await make_neighbourhood()
    member = await make_person(place.community)

    data = await api.data(
        COMPOUND_PAGE, {"id": gid("Community", place.community.id), "first": 100}, member.token
    )

    assert data["community"]["compounds"]["totalCount"] == 1


async def test_a_too_large_first_deep_in_the_tree_is_refused_there(api: GraphQLClient) -> None:
    place = await make_neighbourhood()
    member = await make_person(place.community)

    body = await api.post(
        """query($id: ID!) {
             community(id: $id) { compounds { nodes { buildings(first: 101) { totalCount } } } } }""",
        {"id": gid("Community", place.community.id)},
        member.token,
    )

    assert [e["extensions"] for e in body["errors"]] == [{"code": "INVALID_INPUT", "field": "first"}]
    assert body["errors"][0]["path"] == ["community", "compounds", "nodes", 0, "buildings"]


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "",
        "Yzo=",  # "c:"
        "eDoxMg==",  # "x:12", another prefix
        "YzotMQ==",  # "c:-1"
        "Yzrcsg==",  # "c:" and a byte that is not UTF-8
        "YzrCsg==",  # "c:²", a digit Python's isdigit accepts and int() refuses
        "Yzo5OTk5OTk5OTk5OTk5OTk5OTk5OQ==",  # "c:99999999999999999999", beyond any key
        gid("Compound", 1),  # a global id is not a cursor
    ],
)
async def test_a_bad_cursor_is_refused(api: GraphQLClient, cursor: str) -> None:
    place = await make_neighbourhood()
    member = await make_person(place.community)

    body = await api.post(
        COMPOUND_PAGE, {"id": gid("Community", place.community.id), "after": cursor}, member.token
    )

    assert [e["extensions"] for e in body["errors"]] == [{"code": "INVALID_INPUT", "field": "after"}]
