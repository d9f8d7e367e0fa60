"""A community's earning rules: versioned, priced by pure functions.

Every change writes a new version (the old rows stay), and each earning records the version that
priced it, so "why did I get 14 points in March" has an answer after the rules change.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from tortoise import connections
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.ledger import TransferKind
from models.places import Community
from models.rewards import PointRules
from points_engine.errors import ErrorCode, PointsError
from points_engine.localtime import zone
from runtime import clock
from runtime.database import placeholder
from runtime.i18n import N_

# The earnings rules price; caps and multipliers name these kinds.
EARNING_KINDS = (
    TransferKind.ATTENDANCE,
    TransferKind.REPORT,
    TransferKind.REPAIR,
    TransferKind.INSPECTION,
    TransferKind.RANKING,
)
MAX_POINTS = 100_000
MAX_PERCENT = 1000
MAX_RANKED = 20


@dataclass(frozen=True)
class Multiplier:
    """During [starts_at, ends_at) earnings of `kind` (and, for attendance, of `activity_kind`
    when given) are multiplied by percent/100. A snowstorm: attendance, snow_shift, 200."""

    kind: TransferKind
    percent: int
    starts_at: datetime
    ends_at: datetime
    activity_kind: str | None = None

    def applies(self, kind: TransferKind, activity_kind: str | None, at: datetime) -> bool:
        return (
            self.kind == kind
            and (self.activity_kind is None or self.activity_kind == activity_kind)
            and self.starts_at <= at < self.ends_at
        )


class ExpiryMode(StrEnum):
    NEVER = "never"
    END_OF_YEAR = "end_of_year"
    AFTER_DAYS = "after_days"


MAX_EXPIRY_YEARS = 10
MAX_EXPIRY_DAYS = 3650


@dataclass(frozen=True)
class ExpiryPolicy:
    """When points earned at a moment expire. Off by default.

    END_OF_YEAR: at the end of the calendar year `years_after` years after the one they were
    earned in (1: "at the end of the year after"), midnight in the community's time zone.
    AFTER_DAYS: `days` days after they were earned.
    """

    mode: ExpiryMode = ExpiryMode.NEVER
    years_after: int = 1
    days: int = 365

    def expires_at(self, earned_at: datetime, timezone: str) -> datetime | None:
        if self.mode == ExpiryMode.END_OF_YEAR:
            local = earned_at.astimezone(zone(timezone))
            return datetime(local.year + self.years_after + 1, 1, 1, tzinfo=zone(timezone))
        if self.mode == ExpiryMode.AFTER_DAYS:
            return earned_at + timedelta(days=self.days)
        return None


@dataclass(frozen=True)
class Rules:
    version: int = 0  # 0: the defaults, before a community wrote its own
    attendance_base: int = 10
    attendance_per_minute: int = 1
    attendance_min_minutes: int = 30
    report_validated: int = 5
    repair_base: int = 20
    repair_within_clock_bonus: int = 10
    repair_rating_bonus: int = 10
    inspection: int = 5
    ranking_bonus: tuple[int, ...] = (100, 60, 30)
    # Most points one member may earn of a kind in one local day; kinds not named are not capped.
    daily_caps: dict[str, int] = field(default_factory=lambda: {"report": 20, "inspection": 40})
    multipliers: tuple[Multiplier, ...] = ()
    redemption_pickup_days: int = 30
    # Fixed when points are earned: a later change of policy never shortens what members hold.
    expiry: ExpiryPolicy = field(default_factory=ExpiryPolicy)

    # Pricing: pure functions of the facts an event carries.
    def attendance(self, minutes: int) -> int:
        if minutes < self.attendance_min_minutes:
            return 0
        return self.attendance_base + self.attendance_per_minute * minutes

    def repair(self, within_clock: bool) -> int:
        return self.repair_base + (self.repair_within_clock_bonus if within_clock else 0)

    def rating_bonus(self, rating: int) -> int:
        return self.repair_rating_bonus if 4 <= rating <= 5 else 0

    def ranking(self, rank: int) -> int:
        return self.ranking_bonus[rank - 1] if 1 <= rank <= len(self.ranking_bonus) else 0

    def multiplied(self, points: int, kind: TransferKind, activity_kind: str | None, at: datetime) -> int:
        """The highest multiplier in force applies (two overlapping storms do not compound)."""
        percents = [m.percent for m in self.multipliers if m.applies(kind, activity_kind, at)]
        return points * max(percents) // 100 if percents else points

    def cap(self, kind: TransferKind) -> int | None:
        return self.daily_caps.get(str(kind))

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("version")
        data["ranking_bonus"] = list(self.ranking_bonus)
        data["multipliers"] = [
            {
                "kind": str(m.kind),
                "percent": m.percent,
                "starts_at": m.starts_at.isoformat(),
                "ends_at": m.ends_at.isoformat(),
                "activity_kind": m.activity_kind,
            }
            for m in self.multipliers
        ]
        data["expiry"] = {
            "mode": str(self.expiry.mode),
            "years_after": self.expiry.years_after,
            "days": self.expiry.days,
        }
        return data


def _int(value: object, name: str, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise PointsError(
            ErrorCode.INVALID_RULES,
            N_("{name} must be a whole number from {low} to {high}."),
            name,
            name=name,
            low=low,
            high=high,
        )
    return value


def validate(rules: Rules) -> Rules:
    for name in (
        "attendance_base",
        "attendance_per_minute",
        "report_validated",
        "repair_base",
        "repair_within_clock_bonus",
        "repair_rating_bonus",
        "inspection",
    ):
        _int(getattr(rules, name), name, 0, MAX_POINTS)
    _int(rules.attendance_min_minutes, "attendance_min_minutes", 0, 24 * 60)
    _int(rules.redemption_pickup_days, "redemption_pickup_days", 1, 365)
    if not isinstance(rules.expiry, ExpiryPolicy) or rules.expiry.mode not in set(ExpiryMode):
        raise PointsError(ErrorCode.INVALID_RULES, N_("Unknown expiry policy."), "expiry")
    _int(rules.expiry.years_after, "expiry", 0, MAX_EXPIRY_YEARS)
    _int(rules.expiry.days, "expiry", 1, MAX_EXPIRY_DAYS)
    if len(rules.ranking_bonus) > MAX_RANKED:
        raise PointsError(
            ErrorCode.INVALID_RULES,
            N_("At most {max_ranked} ranks earn a bonus."),
            "ranking_bonus",
            max_ranked=MAX_RANKED,
        )
    for points in rules.ranking_bonus:
        _int(points, "ranking_bonus", 0, MAX_POINTS)
    for kind, cap in rules.daily_caps.items():
        if kind not in {str(k) for k in EARNING_KINDS}:
            raise PointsError(
                ErrorCode.INVALID_RULES, N_("No earning is called {kind}."), "daily_caps", kind=kind
            )
        _int(cap, "daily_caps", 1, MAX_POINTS)
    for multiplier in rules.multipliers:
        if multiplier.kind not in EARNING_KINDS:
            raise PointsError(
                ErrorCode.INVALID_RULES, N_("Multipliers apply to earnings only."), "multipliers"
            )
        _int(multiplier.percent, "multipliers", 1, MAX_PERCENT)
        if multiplier.starts_at.tzinfo is None or multiplier.ends_at <= multiplier.starts_at:
            raise PointsError(
                ErrorCode.INVALID_RULES,
                N_("A multiplier needs a start before its end, with a time zone."),
                "multipliers",
            )
    return rules


def from_json(version: int, data: dict[str, Any]) -> Rules:
    defaults = Rules()
    known = {k: v for k, v in data.items() if k in Rules.__dataclass_fields__ and k != "version"}
    known["ranking_bonus"] = tuple(known.get("ranking_bonus", defaults.ranking_bonus))
    known["daily_caps"] = dict(known.get("daily_caps", defaults.daily_caps))
    known["multipliers"] = tuple(
        Multiplier(
            kind=TransferKind(m["kind"]),
            percent=int(m["percent"]),
            starts_at=datetime.fromisoformat(m["starts_at"]),
            ends_at=datetime.fromisoformat(m["ends_at"]),
            activity_kind=m.get("activity_kind"),
        )
        for m in known.get("multipliers", ())
    )
    expiry = known.get("expiry") or {}
    known["expiry"] = ExpiryPolicy(
        mode=ExpiryMode(expiry.get("mode", ExpiryMode.NEVER)),
        years_after=int(expiry.get("years_after", 1)),
        days=int(expiry.get("days", 365)),
    )
    return replace(defaults, version=version, **known)


async def current(community_id: int) -> Rules:
    row = await PointRules.filter(community_id=community_id).order_by("-version").first()
    return Rules() if row is None else from_json(row.version, row.config)


_CONFIG = PointRules._meta.fields_map["config"]


async def current_with_zone(community_id: int) -> tuple[Rules, str]:
    """The rules in force and the community's time zone, in one statement (a redemption needs
    both; two reads were two of its statements). NOT_FOUND for no such community."""
    sql = (
        'SELECT c."timezone", r."version", r."config" FROM "community" c '  # noqa: S608 - a placeholder only
        'LEFT JOIN "point_rules" r ON r."community_id" = c."id" '
        f'WHERE c."id" = {placeholder(1)} ORDER BY r."version" DESC LIMIT 1'
    )
    _, rows = await connections.get("default").execute_query(sql, [community_id])
    if not rows:
        raise PointsError(ErrorCode.NOT_FOUND, N_("No such community."), "communityId")
    row = rows[0]
    found = (
        Rules()
        if row["version"] is None
        else from_json(row["version"], _CONFIG.to_python_value(row["config"]))
    )
    return found, str(row["timezone"])


async def history(community_id: int) -> list[Rules]:
    rows = await PointRules.filter(community_id=community_id).order_by("-version")
    return [from_json(row.version, row.config) for row in rows]


async def update(community_id: int, actor_user_id: int | None, **changes: Any) -> Rules:
    """Write a new version: the current rules with `changes` applied."""
    unknown = set(changes) - set(Rules.__dataclass_fields__) | ({"version"} & set(changes))
    if unknown:
        raise PointsError(ErrorCode.INVALID_RULES, N_("Unknown rule: {rule}."), rule=sorted(unknown)[0])
    if not await Community.exists(id=community_id):
        raise PointsError(ErrorCode.NOT_FOUND, N_("No such community."), "communityId")
    async with in_transaction():
        base = await current(community_id)
        if "ranking_bonus" in changes:
            changes["ranking_bonus"] = tuple(changes["ranking_bonus"])
        if "multipliers" in changes:
            changes["multipliers"] = tuple(changes["multipliers"])
        new = validate(replace(base, version=base.version + 1, **changes))
        try:
            async with in_transaction():
                await PointRules.create(
                    community_id=community_id,
                    version=new.version,
                    config=new.to_json(),
                    created_at=clock.now(),
                    created_by_id=actor_user_id,
                )
        except IntegrityError:
            raise PointsError(
                ErrorCode.CONFLICT, N_("The rules were changed meanwhile; reload them and try again.")
            ) from None
    return new
