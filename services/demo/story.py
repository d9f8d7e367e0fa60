"""What every step of the demo shares: the community, its cast, one random source and the clock.

The demo is a story told in order through the services, each action at its own moment: the step
sets the project's movable clock to that moment, then calls the service as that person would.
So every row carries the time it would have had, the points engine posts with real timelines,
and the clocks of reports (30 min to claim, 48 h to fix) escalate as they would have.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from models.places import Community
from models.teams import Team, TeamKind
from runtime import clock
from services.access import Viewer, load_viewer


@dataclass
class Cast:
    """Who plays which part in 红星社区, by user id, in the order the register created them."""

    admin: int
    staff: list[int]
    captains: list[int]  # one per team, in the order of services.demo.teams.TEAMS
    repairers: list[int]  # the repair team's captain first
    volunteers: list[int]  # every volunteer, captains and repairers among them
    cleaners: list[int]
    residents: list[int]  # residents who are not volunteers
    logins: dict[str, int] = field(default_factory=dict)  # login label → user id


@dataclass
class Story:
    community: Community
    cast: Cast
    rng: random.Random
    # The real moment the seed started: the story ends there, and "upcoming" means after it.
    now: datetime
    _clock: clock.MovableClock
    _viewers: dict[int, Viewer] = field(default_factory=dict)
    # Filled as the steps run, for the steps after them.
    teams: dict[TeamKind, Team] = field(default_factory=dict)
    members: dict[int, list[int]] = field(default_factory=dict)  # team id → user ids, captain first
    opinions: dict[str, int] = field(default_factory=dict)  # how an opinion ended → its id
    compounds: list[int] = field(default_factory=list)
    buildings: list[int] = field(default_factory=list)
    entrances: list[int] = field(default_factory=list)
    _counters: dict[str, int] = field(default_factory=dict)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.community.timezone)

    def at(self, moment: datetime) -> datetime:
        """Move the clock to `moment` (never past the story's end) and return it."""
        moment = min(moment, self.now)
        self._clock.set(moment)
        return moment

    def month_start(self, back: int) -> datetime:
        """Midnight, local time, of the first day of the month `back` months before the current one."""
        local = self.now.astimezone(self.zone)
        year, month = local.year, local.month - back
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
        return datetime(year, month, 1, tzinfo=self.zone).astimezone(UTC)

    def month_name(self, back: int) -> str:
        return self.month_start(back).astimezone(self.zone).strftime("%Y-%m")

    def local(self, back: int, day: int, hour: int, minute: int = 0) -> datetime:
        """A local wall-clock moment in the month `back` months ago, as UTC."""
        start = self.month_start(back).astimezone(self.zone)
        return start.replace(day=day, hour=hour, minute=minute).astimezone(UTC)

    def days_in(self, back: int) -> int:
        """How many days of that month the story has: all of a past month, today's so far."""
        end = self.month_start(back - 1) if back > 0 else self.now
        return max(1, (end - self.month_start(back)).days + (0 if back > 0 else 1))

    def recent(self, **before: float) -> datetime:
        """A moment the given time before the story's end."""
        return self.now - timedelta(**before)

    async def viewer(self, user_id: int) -> Viewer:
        """Each person's viewer, loaded once: their roles do not change while the story runs."""
        found = self._viewers.get(user_id)
        if found is None:
            found = self._viewers[user_id] = await load_viewer(user_id)
        return found

    def counter(self, name: str) -> int:
        """1, 2, 3 … for each call with `name`: "one in N" without drawing from the random source."""
        self._counters[name] = self._counters.get(name, 0) + 1
        return self._counters[name]

    def pick(self, people: Sequence[int], count: int) -> list[int]:
        return self.rng.sample(list(people), min(count, len(people)))
