"""The place tree costs a fixed number of SQL statements however much of it a query fetches:
one windowed page query and one count query per level, never one per parent."""

from __future__ import annotations

from typing import Any

import pytest

from models.enums import Role
from models.places import Community
from tests.api.places.tree import grow
from tests.conftest import QueryCounter
from tests.support.graphql import GraphQLClient
from tests.support.people import Person, gid, make_person

TREE = """
query Tree($id: ID!) {
  community(id: $id) {
    compounds(first: 8) {
      totalCount
      nodes {
        name
        buildings(first: 100) {
          totalCount
          nodes {
            name
            entrances(first: 100) { totalCount nodes { name householdCount } }
          }
        }
      }
    }
  }
}
"""

# Pages sized to the cost budget (8 + 80 + 800 + 80,000 items); the test builds at most 4 a level.
REGISTER = """
query Register($id: ID!) {
  community(id: $id) {
    compounds(first: 8) {
      nodes {
        buildings(first: 10) {
          nodes {
            entrances(first: 10) {
              nodes { households(first: 100) { totalCount nodes { name careTags } } }
            }
          }
        }
      }
    }
  }
}
"""

# Loading the caller: user, memberships and roles in one join (services.access.load_viewer).
VIEWER = 1
# The community itself.
COMMUNITY = 1
# compounds page + count, buildings page + count, entrances page + count, household counts.
TREE_STATEMENTS = VIEWER + COMMUNITY + 7
# compounds, buildings, entrances pages; households page + count; care tags.
REGISTER_STATEMENTS = VIEWER + COMMUNITY + 3 + 2 + 1


async def _community(slug: str, size: int, role: Role) -> tuple[Community, Person]:
    """A community with 8 compounds × size buildings × size entrances × size households."""
    community = await Community.create(name=f"{slug}社区", slug=slug)
    await grow(community, compounds=8, buildings=size, entrances=size, households=size)
    return community, await make_person(community, (role,))


async def _run(
    api: GraphQLClient, queries: QueryCounter, query: str, community: Community, person: Person
) -> tuple[int, dict[str, Any]]:
    queries.statements.clear()
    data = await api.data(query, {"id": gid("Community", community.id)}, person.token)
    return queries.count, data


def _entrances(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        entrance
        for compound in data["community"]["compounds"]["nodes"]
        for building in compound["buildings"]["nodes"]
        for entrance in building["entrances"]["nodes"]
    ]


@pytest.mark.parametrize("size", [2, 4])
async def test_the_tree_costs_the_same_statements_at_any_size(
    api: GraphQLClient, queries: QueryCounter, size: int
) -> None:
    # given 8 compounds, each with `size` buildings of `size` entrances of `size` households
    community, resident = await _community("hongxing", size, Role.RESIDENT)

    # when a resident fetches the whole tree with counts
    count, data = await _run(api, queries, TREE, community, resident)

    # then all of it came, in a fixed number of statements
    entrances = _entrances(data)
    assert len(entrances) == 8 * size * size
    assert {entrance["householdCount"] for entrance in entrances} == {size}
    assert count == TREE_STATEMENTS, "\n".join(queries.statements)


async def test_doubling_the_tree_adds_no_statement(api: GraphQLClient, queries: QueryCounter) -> None:
    # given one community and another with twice the buildings, entrances and households
    small, small_member = await _community("small", 3, Role.VOLUNTEER)
    large, large_member = await _community("large", 6, Role.VOLUNTEER)

    # when the tree of each is fetched
    small_count, small_data = await _run(api, queries, TREE, small, small_member)
    large_count, large_data = await _run(api, queries, TREE, large, large_member)

    # then the larger one returns 8 times the entrances for the same statements
    assert (len(_entrances(small_data)), len(_entrances(large_data))) == (8 * 9, 8 * 36)
    assert small_count == large_count == TREE_STATEMENTS


async def test_the_register_with_care_tags_costs_the_same_statements_at_any_size(
    api: GraphQLClient, queries: QueryCounter
) -> None:
    # given a small and a doubled community, each with its staff member
    small, small_staff = await _community("small", 2, Role.STAFF)
    large, large_staff = await _community("large", 4, Role.STAFF)

    # when staff fetch every household with its care tags
    small_count, small_data = await _run(api, queries, REGISTER, small, small_staff)
    large_count, large_data = await _run(api, queries, REGISTER, large, large_staff)

    # then the statement count is the same fixed number for both
    households = [h for e in _entrances(large_data) for h in e["households"]["nodes"]]
    assert len(households) == 8 * 4 * 4 * 4
    assert all(h["careTags"] == [] for h in households)
    assert len(_entrances(small_data)) == 8 * 2 * 2
    assert small_count == large_count == REGISTER_STATEMENTS
