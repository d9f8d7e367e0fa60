"""The office's side of membership: finding a member, and registering one directly.

Many elderly residents have no phone. The office registers them by name (and home), so they can
hold a volunteer card and have repairs filed for them; such an account has no phone and no
password and cannot sign in. When they get a phone, the office adds it with a first password.
Finding a member (by name, phone or home) is how the office files a phoned-in report for them.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from models.enums import Role
from models.people import Membership, MembershipRole, User
from models.places import Household
from runtime.i18n import N_
from services import idempotency, passwords
from services.access import Viewer
from services.errors import DomainError, ErrorCode
from services.phones import normalize_phone
from services.places.labels import full_label

# Never an argon2 hash, so no password ever matches it (services.passwords.verify_password).
NO_PASSWORD = "!"  # noqa: S105 - a marker, not a password
NAME_LIMIT = 60
SEARCH_LIMIT = 40
MAX_RESULTS = 50


@dataclass(frozen=True)
class Member:
    """One member as the office sees them: the phone in full (the office calls them back)."""

    membership_id: int
    user_id: int
    display_name: str
    phone: str | None
    household_id: int | None
    household_label: str | None
    roles: tuple[Role, ...]


def _name(display_name: str) -> str:
    name = " ".join((display_name or "").split())
    if not 1 <= len(name) <= NAME_LIMIT:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            N_("Enter a name of 1 to {limit} characters."),
            "displayName",
            limit=NAME_LIMIT,
        )
    return name


async def _phone_free(phone: str) -> None:
    if await User.exists(phone=phone):
        raise DomainError(ErrorCode.PHONE_TAKEN, N_("This phone number is already registered."), "phone")


async def add_member(
    viewer: Viewer,
    community_id: int,
    display_name: str,
    phone: str | None = None,
    household_id: int | None = None,
    idempotency_key: str | None = None,
) -> Member:
    """Staff register a resident directly: a new account (with or without a phone) and its
    membership as a resident, in one transaction; a replayed key returns the first member."""
    viewer.require_manager(community_id)
    name = _name(display_name)
    number = normalize_phone(phone) if phone and phone.strip() else None
    if household_id is not None and not await Household.exists(id=household_id, community_id=community_id):
        raise DomainError(ErrorCode.NOT_FOUND, N_("No such household in this community."), "householdId")

    async def make() -> Membership:
        if number is not None:
            await _phone_free(number)
        try:
            async with in_transaction():
                user = await User.create(phone=number, password_hash=NO_PASSWORD, display_name=name)
                membership = await Membership.create(
                    user_id=user.id, community_id=community_id, household_id=household_id
                )
                await MembershipRole.create(
                    membership_id=membership.id, community_id=community_id, role=Role.RESIDENT
                )
        except IntegrityError:
            # The same number registered at the same moment: the unique index decides.
            raise DomainError(
                ErrorCode.PHONE_TAKEN, N_("This phone number is already registered."), "phone"
            ) from None
        return membership

    membership = await idempotency.once(
        viewer.user_id,
        idempotency_key,
        "memberAdd",
        {"community": community_id, "name": name, "phone": number, "household": household_id},
        load=lambda first: Membership.get_or_none(id=first, community_id=community_id),
        make=make,
    )
    return (await _members(Q(id=membership.id)))[0]


async def set_phone(viewer: Viewer, community_id: int, user_id: int, phone: str, password: str) -> Member:
    """Staff give a phone-less member a phone and a first password (read to them at the office),
    so they can sign in from now on. A member who has a phone keeps it: it is theirs to change."""
    viewer.require_manager(community_id)
    membership = await Membership.get_or_none(user_id=user_id, community_id=community_id)
    user = await User.get_or_none(id=user_id) if membership else None
    if membership is None or user is None:
        raise DomainError(ErrorCode.NOT_FOUND, N_("No member of this community has this id."), "userId")
    if user.phone is not None:
        raise DomainError(ErrorCode.INVALID_INPUT, N_("This member already has a phone number."), "userId")
    number = normalize_phone(phone)
    passwords.check_strength(password, number)
    await _phone_free(number)
    # argon2 takes ~150 ms of CPU by design: in a thread, as sign-up does.
    password_hash = await asyncio.to_thread(passwords.hash_password, password)
    try:
        updated = await User.filter(id=user_id, phone=None).update(phone=number, password_hash=password_hash)
    except IntegrityError:
        raise DomainError(
            ErrorCode.PHONE_TAKEN, N_("This phone number is already registered."), "phone"
        ) from None
    if not updated:
        raise DomainError(ErrorCode.INVALID_INPUT, N_("This member already has a phone number."), "userId")
    return (await _members(Q(id=membership.id)))[0]


async def search(viewer: Viewer, community_id: int, text: str) -> list[Member]:
    """Staff: members whose name, phone or home ("3号楼 2单元 301", "301") holds the text; the
    first MAX_RESULTS by name. An empty search finds nobody rather than everybody."""
    viewer.require_manager(community_id)
    wanted = " ".join((text or "").split())[:SEARCH_LIMIT]
    if not wanted:
        return []
    match = Q(user__display_name__icontains=wanted) | Q(household__number__icontains=wanted)
    digits = "".join(ch for ch in wanted if ch.isdigit())
    if len(digits) >= 4:
        match |= Q(user__phone__contains=digits)
    # "1号楼 1单元 101": every word must name the home's building, entrance or number.
    words = wanted.split()
    if len(words) > 1:
        home = Q()
        for word in words:
            home &= (
                Q(household__number__icontains=word)
                | Q(household__entrance__name__icontains=word)
                | Q(household__entrance__building__name__icontains=word)
                | Q(household__entrance__building__compound__name__icontains=word)
            )
        match |= home
    return await _members(Q(community_id=community_id) & match, MAX_RESULTS)


async def _members(where: Q, limit: int = 1) -> list[Member]:
    """Memberships with their user, home label and roles: two statements for the page."""
    rows = (
        await Membership.filter(where)
        .order_by("user__display_name", "id")
        .limit(limit)
        .values(
            "id",
            "user_id",
            "user__display_name",
            "user__phone",
            "household_id",
            "household__number",
            "household__entrance__name",
            "household__entrance__building__name",
            "household__entrance__building__compound__name",
        )
    )
    roles: dict[int, list[Role]] = {}
    for membership_id, role in await MembershipRole.filter(
        membership_id__in=[r["id"] for r in rows]
    ).values_list("membership_id", "role"):
        roles.setdefault(membership_id, []).append(Role(role))
    return [
        Member(
            membership_id=r["id"],
            user_id=r["user_id"],
            display_name=r["user__display_name"],
            phone=r["user__phone"],
            household_id=r["household_id"],
            household_label=full_label(
                r["household__entrance__building__compound__name"],
                r["household__entrance__building__name"],
                r["household__entrance__name"],
                r["household__number"],
            )
            if r["household_id"]
            else None,
            roles=tuple(sorted(roles.get(r["id"], []))),
        )
        for r in rows
    ]
