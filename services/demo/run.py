"""Running the steps: once, in one transaction, on a movable clock put back afterwards."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from models.enums import Role
from models.places import Building, Community, Compound, Entrance
from runtime import clock
from runtime.i18n import N_
from services import events, subscribers
from services.demo import census, logins, people, register
from services.demo.people import DEMO_PASSWORD, DemoLogin, Person
from services.demo.steps import STORY_STEPS
from services.demo.story import Cast, Story
from services.passwords import hash_password
from services.points import wiring as points_wiring

DEFAULT_SEED = 2026
REGISTER_STEPS = (
    N_("compounds, buildings, entrances and households"),
    N_("residents' and volunteers' accounts"),
    N_("the second community, 滨河社区"),
)

# (steps done, steps in all, what runs now): the CLI draws a bar of it. What runs is a message id
# (N_), which the caller says in its reader's language.
Progress = Callable[[int, int, str], None]


@dataclass
class DemoSeedResult:
    created: bool
    counts: dict[str, int]
    logins: list[DemoLogin]
    seed: int


async def seed_register(progress: Progress | None = None, *, seed: int = DEFAULT_SEED) -> DemoSeedResult:
    """Only the places and people, for tests that build their own story on top."""
    return await seed_demo(progress, seed=seed, story=False)


async def seed_demo(
    progress: Progress | None = None, *, seed: int = DEFAULT_SEED, story: bool = True
) -> DemoSeedResult:
    """Create the demo communities unless 红星社区 exists; either way return what is there."""
    report = progress or (lambda _done, _total, _label: None)
    hongxing_people, binhe_people = people.hongxing_people(seed), people.binhe_people(seed)
    phones = {p.login_label: p.phone for p in (*hongxing_people, *binhe_people) if p.login_label}
    rows = logins.logins(phones, district=story)
    steps = STORY_STEPS if story else ()
    total = len(REGISTER_STEPS) + len(steps)
    if await Community.exists(slug=register.HONGXING):
        report(total, total, N_("the demo communities are already there; nothing changed"))
        return DemoSeedResult(created=False, counts=await census.counts(), logins=rows, seed=seed)
    # argon2 takes a good fraction of a second: once for every demo account, off the event loop,
    # and before the transaction so no write lock is held meanwhile.
    password_hash = await asyncio.to_thread(hash_password, DEMO_PASSWORD)
    rng = random.Random(seed)
    start = clock.now().replace(microsecond=0)
    movable = clock.MovableClock(start)
    previous = clock.use_clock(movable)
    # Points, inbox rows and board rows follow from events: the seed needs the same listeners
    # as the server, and leaves the process as it found it.
    had_listeners = events.is_subscribed("attendance.approved", points_wiring.on_attendance_approved)
    subscribers.install()
    try:
        # One transaction: a failed seed leaves nothing behind, and a second run sees all or nothing.
        async with in_transaction():
            await people.refuse_clashes(
                [*hongxing_people, *binhe_people], [register.HONGXING, register.BINHE]
            )
            report(0, total, REGISTER_STEPS[0])
            hongxing = await register.create_hongxing(seed)
            households = await register.household_ids(hongxing.id)
            report(1, total, REGISTER_STEPS[1])
            ids = await people.add_people(
                hongxing.id, hongxing_people, households, password_hash, random.Random(seed)
            )
            report(2, total, REGISTER_STEPS[2])
            binhe = await register.create_binhe()
            binhe_households = await register.household_ids(binhe.id)
            await people.add_people(
                binhe.id, binhe_people, binhe_households, password_hash, random.Random(seed)
            )
            told = await _story(hongxing, hongxing_people, ids, rng, movable)
            for done, step in enumerate(steps, start=len(REGISTER_STEPS)):
                report(done, total, step.label)
                await step.run(told)
            report(total, total, N_("done"))
    finally:
        clock.use_clock(previous)
        if not had_listeners:
            subscribers.uninstall()
    return DemoSeedResult(created=True, counts=await census.counts(), logins=rows, seed=seed)


async def _story(
    community: Community,
    persons: Sequence[Person],
    ids: dict[str, int],
    rng: random.Random,
    movable: clock.MovableClock,
) -> Story:
    def having(role: Role) -> list[int]:
        return [ids[p.phone] for p in persons if role in p.roles]

    volunteers = having(Role.VOLUNTEER)
    cast = Cast(
        admin=having(Role.ADMIN)[0],
        staff=having(Role.STAFF),
        captains=having(Role.CAPTAIN),
        repairers=having(Role.REPAIRER),
        volunteers=volunteers,
        cleaners=having(Role.CLEANER),
        residents=[i for i in having(Role.RESIDENT) if i not in set(volunteers)],
        logins={p.login_label: ids[p.phone] for p in persons if p.login_label},
    )
    told = Story(community=community, cast=cast, rng=rng, now=movable.now(), _clock=movable)
    told.compounds = await _ids(Compound, community.id)
    told.buildings = await _ids(Building, community.id)
    told.entrances = await _ids(Entrance, community.id)
    return told


async def _ids(model: type[Compound | Building | Entrance], community_id: int) -> list[int]:
    rows = await model.filter(community_id=community_id).order_by("id").values_list("id", flat=True)
    return [int(str(row)) for row in rows]
