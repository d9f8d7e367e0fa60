"""Resolvers for the viewer and memberships."""

from __future__ import annotations

from typing import TYPE_CHECKING

from api.context import Info
from api.resolvers.places import mapping
from services.accounts import memberships
from services.places import can_see_household

if TYPE_CHECKING:
    # For annotations only: the schema types import this module at load time.
    from api.schema.accounts import types
    from api.schema.places import types as place_types


async def memberships_of_viewer(info: Info) -> list[types.Membership]:
    # Imported here: the schema types import this module, so a top-level import is a cycle.
    from api.schema.accounts import types

    rows = memberships.of_viewer(info.context.viewer)
    return [
        types.Membership(
            id=row.id,
            roles=sorted(info.context.viewer.roles.get(row.community_id, frozenset())),
            joined_at=row.joined_at,
            community_id=row.community_id,
            household_id=row.household_id,
        )
        for row in rows
    ]


async def community_of_membership(root: types.Membership, info: Info) -> place_types.Community:
    row = await info.context.loaders.community_by_id.load(root.community_id)
    assert row is not None
    return mapping.community(row)


async def household_of_membership(root: types.Membership, info: Info) -> place_types.Household | None:
    if root.household_id is None:
        return None
    row = await info.context.loaders.household_by_id.load(root.household_id)
    if row is None or not can_see_household(info.context.viewer, row):
        return None
    return mapping.household(row)


async def me(info: Info) -> types.Viewer | None:
    # Imported here: the schema types import this module, so a top-level import is a cycle.
    from api.schema.accounts import types

    viewer = info.context.viewer
    if viewer.auth_problem:
        # A token was sent but refused: tell the app to refresh instead of looking signed out.
        viewer.require_user()
    user = viewer.user
    if user is None:
        return None
    # Only an account with a phone signs in, so a signed-in user always has one.
    return types.Viewer(user=types.User(id=user.id, display_name=user.display_name), phone=user.phone or "")
