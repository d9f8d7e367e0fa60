"""Who is asking, and what they may see: the checks every service runs on every object."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from models.enums import Role
from models.people import Membership, MembershipRole, User
from services.errors import DomainError, ErrorCode, Forbidden, NotAuthenticated

MANAGERS = frozenset({Role.STAFF, Role.ADMIN})


@dataclass
class Viewer:
    """The caller of one request. Anonymous when `user` is None."""

    user: User | None = None
    # community id → roles held there; loaded once per request.
    roles: dict[int, frozenset[Role]] = field(default_factory=dict)
    # community id → household id of the caller's own home there, if any.
    households: dict[int, int | None] = field(default_factory=dict)
    # Why the presented token was refused, so an operation that needs a user can say so.
    auth_problem: str | None = None

    @property
    def user_id(self) -> int:
        return self.require_user().id

    def require_user(self) -> User:
        if self.user is None:
            raise NotAuthenticated(self.auth_problem or "Sign in first.")
        return self.user

    def is_member(self, community_id: int) -> bool:
        return community_id in self.roles

    def has_role(self, community_id: int, *roles: Role) -> bool:
        return bool(self.roles.get(community_id, frozenset()) & set(roles))

    def is_staff(self, community_id: int) -> bool:
        """Staff see the sensitive register (households' care tags). Admin alone does not."""
        return self.has_role(community_id, Role.STAFF)

    def manages(self, community_id: int) -> bool:
        return self.has_role(community_id, *MANAGERS)

    def require_member(self, community_id: int) -> None:
        self.require_user()
        if not self.is_member(community_id):
            # Not a member: behave as if the object did not exist, so ids reveal nothing.
            raise DomainError(ErrorCode.NOT_FOUND, "Not found.")

    def require_manager(self, community_id: int) -> None:
        self.require_member(community_id)
        if not self.manages(community_id):
            raise Forbidden("Only the community office can do this.")

    def require_staff(self, community_id: int) -> None:
        self.require_member(community_id)
        if not self.is_staff(community_id):
            raise Forbidden("Only the community's staff can see this.")

    def community_ids(self) -> Iterable[int]:
        return self.roles.keys()


async def load_viewer(user_id: int | None, auth_problem: str | None = None) -> Viewer:
    if user_id is None:
        return Viewer(auth_problem=auth_problem)
    user = await User.get_or_none(id=user_id, is_active=True)
    if user is None:
        return Viewer(auth_problem="This account no longer exists.")
    memberships = await Membership.filter(user_id=user.id).values("id", "community_id", "household_id")
    role_rows = await MembershipRole.filter(membership_id__in=[m["id"] for m in memberships]).values(
        "membership_id", "role"
    )
    by_membership: dict[int, set[Role]] = {}
    for row in role_rows:
        by_membership.setdefault(row["membership_id"], set()).add(Role(row["role"]))
    return Viewer(
        user=user,
        roles={m["community_id"]: frozenset(by_membership.get(m["id"], set())) for m in memberships},
        households={m["community_id"]: m["household_id"] for m in memberships},
    )
