"""Volunteer teams: staff create them and appoint captains; people ask to join, a captain decides."""

from __future__ import annotations

from collections.abc import Sequence

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.people import Membership
from models.teams import JoinRequestStatus, Team, TeamJoinRequest, TeamKind, TeamMember
from runtime import clock
from services import idempotency
from services.access import Viewer
from services.errors import DomainError, ErrorCode, Forbidden

NAME_MAX = 100


def not_found(field: str | None = "id") -> DomainError:
    return DomainError(ErrorCode.NOT_FOUND, "Not found.", field)


async def get_team(viewer: Viewer, team_id: int, field: str = "teamId") -> Team:
    viewer.require_user()
    team = await Team.get_or_none(id=team_id)
    if team is None or not viewer.is_member(team.community_id):
        raise not_found(field)
    return team


async def membership(user_id: int, team_id: int) -> TeamMember | None:
    return await TeamMember.get_or_none(team_id=team_id, user_id=user_id)


async def is_captain(viewer: Viewer, team_id: int) -> bool:
    if viewer.user is None:
        return False
    return await TeamMember.exists(team_id=team_id, user_id=viewer.user.id, is_captain=True)


async def require_captain(viewer: Viewer, team: Team) -> None:
    """Only a captain of this very team (staff are not captains by office)."""
    viewer.require_member(team.community_id)
    if not await is_captain(viewer, team.id):
        raise Forbidden("Only a captain of this team can do this.")


async def require_captain_or_manager(viewer: Viewer, team: Team) -> None:
    viewer.require_member(team.community_id)
    if not viewer.manages(team.community_id) and not await is_captain(viewer, team.id):
        raise Forbidden("Only a captain of this team or the community office can see this.")


def _clean_name(name: str) -> str:
    cleaned = " ".join((name or "").split())
    if not 1 <= len(cleaned) <= NAME_MAX:
        raise DomainError(ErrorCode.INVALID_INPUT, f"Enter a name of 1 to {NAME_MAX} characters.", "name")
    return cleaned


async def create_team(
    viewer: Viewer, community_id: int, name: str, kind: TeamKind, idempotency_key: str | None = None
) -> Team:
    """With a key, a double-clicked creation answers with the team the first click made (rather
    than NAME_TAKEN for the office's own team)."""
    viewer.require_manager(community_id)
    cleaned = _clean_name(name)

    async def make() -> Team:
        try:
            async with in_transaction():
                return await Team.create(
                    community_id=community_id, name=cleaned, kind=kind, created_at=clock.now()
                )
        except IntegrityError:
            raise DomainError(ErrorCode.NAME_TAKEN, "A team with this name exists.", "name") from None

    return await idempotency.once(
        viewer.user_id,
        idempotency_key,
        "teamCreate",
        {"community": community_id, "name": cleaned, "kind": str(kind)},
        load=lambda first: Team.get_or_none(id=first, community_id=community_id),
        make=make,
    )


async def appoint_captain(viewer: Viewer, team: Team, user_id: int) -> TeamMember:
    """Staff make a member of the community a captain (and a member) of the team."""
    viewer.require_manager(team.community_id)
    if not await Membership.exists(user_id=user_id, community_id=team.community_id):
        raise not_found("userId")
    async with in_transaction():
        member = await TeamMember.filter(team_id=team.id, user_id=user_id).select_for_update().first()
        if member is None:
            try:
                async with in_transaction():
                    return await TeamMember.create(
                        community_id=team.community_id,
                        team_id=team.id,
                        user_id=user_id,
                        is_captain=True,
                        joined_at=clock.now(),
                    )
            except IntegrityError:
                member = await TeamMember.get(team_id=team.id, user_id=user_id)
        if not member.is_captain:
            member.is_captain = True
            await member.save(update_fields=["is_captain"])
    return member


async def request_join(viewer: Viewer, team: Team) -> TeamJoinRequest:
    """Ask to join. Asking again while pending returns the same request (a retry is harmless)."""
    viewer.require_member(team.community_id)
    user_id = viewer.user_id
    if await TeamMember.exists(team_id=team.id, user_id=user_id):
        raise DomainError(ErrorCode.ALREADY_MEMBER, "You are in this team already.", "teamId")
    async with in_transaction():
        row = await TeamJoinRequest.filter(team_id=team.id, user_id=user_id).select_for_update().first()
        if row is None:
            try:
                async with in_transaction():
                    return await TeamJoinRequest.create(
                        community_id=team.community_id,
                        team_id=team.id,
                        user_id=user_id,
                        created_at=clock.now(),
                    )
            except IntegrityError:
                return await TeamJoinRequest.get(team_id=team.id, user_id=user_id)
        if row.status != JoinRequestStatus.PENDING:
            row.status = JoinRequestStatus.PENDING
            row.created_at = clock.now()
            row.decided_at = None
            row.decided_by_id = None
            await row.save(update_fields=["status", "created_at", "decided_at", "decided_by_id"])
    return row


async def get_join_request(viewer: Viewer, request_id: int) -> TeamJoinRequest:
    viewer.require_user()
    row = await TeamJoinRequest.get_or_none(id=request_id)
    if row is None or not viewer.is_member(row.community_id):
        raise not_found("requestId")
    return row


async def decide_join(viewer: Viewer, request_id: int, approve: bool) -> TeamJoinRequest:
    """A captain approves or declines. The same decision twice returns the first."""
    row = await get_join_request(viewer, request_id)
    team = await Team.get(id=row.team_id)
    await require_captain(viewer, team)
    wanted = JoinRequestStatus.APPROVED if approve else JoinRequestStatus.DECLINED
    async with in_transaction():
        changed = await TeamJoinRequest.filter(id=row.id, status=JoinRequestStatus.PENDING).update(
            status=wanted, decided_at=clock.now(), decided_by_id=viewer.user_id
        )
        row = await TeamJoinRequest.get(id=row.id)
        if not changed:
            if row.status == wanted:
                return row
            raise DomainError(ErrorCode.ALREADY_DECIDED, "This request was decided otherwise.", "requestId")
        if approve:
            try:
                async with in_transaction():
                    await TeamMember.create(
                        community_id=team.community_id,
                        team_id=team.id,
                        user_id=row.user_id,
                        joined_at=clock.now(),
                    )
            except IntegrityError:
                pass  # joined meanwhile (appointed captain): the request is approved all the same
    return row


async def teams_of_community(
    viewer: Viewer, community_id: int, first: int, after_id: int | None
) -> list[Team]:
    viewer.require_member(community_id)
    query = Team.filter(community_id=community_id)
    if after_id is not None:
        query = query.filter(id__gt=after_id)
    return list(await query.order_by("id").limit(first + 1))


async def team_count(community_id: int) -> int:
    return await Team.filter(community_id=community_id).count()


async def pending_requests(
    viewer: Viewer, team: Team, first: int, after_id: int | None
) -> list[TeamJoinRequest]:
    await require_captain_or_manager(viewer, team)
    query = TeamJoinRequest.filter(team_id=team.id, status=JoinRequestStatus.PENDING)
    if after_id is not None:
        query = query.filter(id__gt=after_id)
    return list(await query.order_by("id").limit(first + 1))


async def pending_request_count(team_id: int) -> int:
    return await TeamJoinRequest.filter(team_id=team_id, status=JoinRequestStatus.PENDING).count()


async def memberships_of(user_id: int, team_ids: Sequence[int]) -> list[TeamMember | None]:
    """The given person's membership of each team, in order (one query)."""
    rows = {r.team_id: r for r in await TeamMember.filter(user_id=user_id, team_id__in=list(set(team_ids)))}
    return [rows.get(t) for t in team_ids]


async def teams_by_ids(ids: Sequence[int]) -> list[Team | None]:
    rows = {r.id: r for r in await Team.filter(id__in=list(set(ids)))}
    return [rows.get(i) for i in ids]


async def team_ids_of(user_id: int, community_id: int) -> list[int]:
    rows = await TeamMember.filter(user_id=user_id, community_id=community_id).values_list(
        "team_id", flat=True
    )
    return [int(r) for r in rows]  # type: ignore[call-overload]
