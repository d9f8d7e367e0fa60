"""The one schema: each area declares its own Query and Mutation fields; this file merges them.

A new area adds its classes to QUERIES / MUTATIONS (after pycon's backend/api, which groups
mutations with strawberry.tools.merge_types).
"""

from __future__ import annotations

import strawberry
from strawberry import relay
from strawberry.tools import merge_types

from api.context import Info
from api.resolvers import abuse as abuse_resolvers
from api.resolvers import node as node_resolvers
from api.resolvers.accounts import operations as account_resolvers
from api.resolvers.accounts.root import MembersMutation, MembersQuery
from api.resolvers.community.root import CommunityMutation
from api.resolvers.corridor_flag.root import CorridorFlagMutation, CorridorFlagQuery
from api.resolvers.district.root import DistrictMutation, DistrictQuery
from api.resolvers.fees.root import FeesMutation, FeesQuery
from api.resolvers.inspections.root import InspectionsMutation, InspectionsQuery
from api.resolvers.leaderboards.root import LeaderboardsMutation, LeaderboardsQuery
from api.resolvers.mediation_room.root import MediationRoomMutation, MediationRoomQuery
from api.resolvers.notice_board.root import NoticeBoardMutation, NoticeBoardQuery
from api.resolvers.observers.root import ObserversMutation, ObserversQuery
from api.resolvers.open_books.root import OpenBooksMutation, OpenBooksQuery
from api.resolvers.opinions.root import OpinionsMutation, OpinionsQuery
from api.resolvers.places import operations as place_resolvers
from api.resolvers.places import register as register_resolvers
from api.resolvers.points.root import PointsMutation, PointsQuery
from api.resolvers.reports.root import ReportMutation, ReportQuery, ReportSubscription
from api.resolvers.round_table.root import RoundTableMutation, RoundTableQuery
from api.resolvers.satisfaction.root import SatisfactionMutation, SatisfactionQuery
from api.resolvers.tags import operations as tag_resolvers
from api.resolvers.teams.root import TeamsMutation, TeamsQuery
from api.schema import abuse as abuse_types
from api.schema.accounts import inputs as account_types
from api.schema.accounts.types import Viewer
from api.schema.common import Connection
from api.schema.places import inputs as place_types
from api.schema.places import register as register_types
from api.schema.places.types import Community
from api.schema.tags import inputs as tag_types
from api.schema.teams.types import CleaningLog, MediationLog, PatrolLog, SnowClearingLog, TutoringLog


@strawberry.type
class CoreQuery:
    @strawberry.field(description="The signed-in person; null when the request carries no token.")
    async def me(self, info: Info) -> Viewer | None:
        return await account_resolvers.me(info)

    @strawberry.field(description="Fetch any object by its global id; null if it is not there for you.")
    async def node(self, info: Info, id: strawberry.ID) -> relay.Node | None:
        return await node_resolvers.node(info, id)

    @strawberry.field(description="A community you belong to.")
    async def community(self, info: Info, id: strawberry.ID) -> Community | None:
        return await place_resolvers.community(info, id)


@strawberry.type
class AccountMutation:
    account_register: account_types.SessionPayload = strawberry.mutation(
        resolver=account_resolvers.account_register, description="Create an account and sign in."
    )
    session_create: account_types.SessionPayload = strawberry.mutation(
        resolver=account_resolvers.session_create, description="Sign in with phone and password."
    )
    session_refresh: account_types.SessionPayload = strawberry.mutation(
        resolver=account_resolvers.session_refresh,
        description="Trade a refresh token for a new access and refresh token. "
        "Each refresh token works once.",
    )
    session_revoke: account_types.SessionRevokePayload = strawberry.mutation(
        resolver=account_resolvers.session_revoke,
        description="Sign out: ends the session of this refresh token.",
    )
    invite_create: account_types.InviteCreatePayload = strawberry.mutation(
        resolver=account_resolvers.invite_create, description="Staff: create an invite code for a community."
    )
    community_join: account_types.CommunityJoinPayload = strawberry.mutation(
        resolver=account_resolvers.community_join, description="Join a community with an invite code."
    )


@strawberry.type
class PlaceMutation:
    place_create: place_types.PlacePayload = strawberry.mutation(
        resolver=place_resolvers.place_create,
        description="Staff: add a compound, building, entrance or household.",
    )
    place_rename: place_types.PlacePayload = strawberry.mutation(
        resolver=place_resolvers.place_rename, description="Staff: rename a place."
    )
    household_care_tags_set: place_types.HouseholdCareTagsSetPayload = strawberry.mutation(
        resolver=place_resolvers.household_care_tags_set,
        description="Staff: replace a household's care tags.",
    )
    places_import: register_types.PlacesImportPayload = strawberry.mutation(
        resolver=register_resolvers.places_import,
        description="Staff: import the household register (CSV upload). Every problem is listed by "
        "line and nothing is imported while there is one; importing the same file again changes nothing.",
    )


@strawberry.type
class TagQuery:
    @strawberry.field(
        description="What a scanned code says. Anyone may scan; signed-out callers and non-members "
        "see where it is, but may not report."
    )
    async def scan_tag(self, info: Info, code: str) -> tag_types.TagScanPayload:
        return await tag_resolvers.scan_tag(info, code)


@strawberry.type
class TagMutation:
    tag_create: tag_types.TagPayload = strawberry.mutation(
        resolver=tag_resolvers.tag_create,
        description="Staff: a tag for one compound, building, entrance or asset.",
    )
    tags_create_for_building: tag_types.TagsCreatePayload = strawberry.mutation(
        resolver=tag_resolvers.tags_create_for_building,
        description="Staff: a tag for every entrance of a building that has none. Idempotent.",
    )
    tags_create_for_compound_assets: tag_types.TagsCreatePayload = strawberry.mutation(
        resolver=tag_resolvers.tags_create_for_compound_assets,
        description="Staff: a tag for every asset of a compound that has none. Idempotent.",
    )
    tag_revoke: tag_types.TagPayload = strawberry.mutation(
        resolver=tag_resolvers.tag_revoke,
        description="Staff: withdraw a tag; its code then says it is revoked.",
    )
    tag_reissue: tag_types.TagReissuePayload = strawberry.mutation(
        resolver=tag_resolvers.tag_reissue,
        description="Staff: revoke a tag and give its place a new one with a new code "
        "(for a lost or damaged sticker).",
    )


@strawberry.type
class AbuseQuery:
    abuse_flags: Connection[abuse_types.AbuseFlag] = strawberry.field(
        resolver=abuse_resolvers.abuse_flags,
        description="Staff: signs of points abuse (open ones by default), newest first, with their evidence.",
    )


@strawberry.type
class AbuseMutation:
    abuse_flag_decide: abuse_types.AbuseFlagPayload = strawberry.mutation(
        resolver=abuse_resolvers.abuse_flag_decide,
        description="Staff: dismiss a flag (its held points are paid, once) or confirm it (they are not).",
    )


QUERIES: tuple[type, ...] = (
    AbuseQuery,
    CoreQuery,
    PointsQuery,
    ReportQuery,
    TagQuery,
    TeamsQuery,
    OpinionsQuery,
    OpenBooksQuery,
    SatisfactionQuery,
    NoticeBoardQuery,
    RoundTableQuery,
    LeaderboardsQuery,
    CorridorFlagQuery,
    InspectionsQuery,
    FeesQuery,
    DistrictQuery,
    ObserversQuery,
    MediationRoomQuery,
    MembersQuery,
)
MUTATIONS: tuple[type, ...] = (
    AbuseMutation,
    AccountMutation,
    PlaceMutation,
    PointsMutation,
    ReportMutation,
    TagMutation,
    TeamsMutation,
    OpinionsMutation,
    OpenBooksMutation,
    SatisfactionMutation,
    NoticeBoardMutation,
    RoundTableMutation,
    InspectionsMutation,
    LeaderboardsMutation,
    CorridorFlagMutation,
    CommunityMutation,
    FeesMutation,
    DistrictMutation,
    ObserversMutation,
    MediationRoomMutation,
    MembersMutation,
)
SUBSCRIPTIONS: tuple[type, ...] = (ReportSubscription,)

# Implementations of interfaces that no field names directly, so the schema must be told of them.
TYPES: tuple[type, ...] = (PatrolLog, TutoringLog, MediationLog, SnowClearingLog, CleaningLog)

Query = merge_types("Query", QUERIES)
Mutation = merge_types("Mutation", MUTATIONS)
Subscription = merge_types("Subscription", SUBSCRIPTIONS)
