"""Engine rows to points schema objects."""

from __future__ import annotations

from typing import TypeVar

from api.schema.points import types
from models.ledger import TransferKind
from models.rewards import Redemption
from points_engine import rules, statements
from runtime.settings import get_settings
from services import points
from services.access import Viewer

T = TypeVar("T")


def redemption(row: Redemption, viewer: Viewer) -> types.Redemption:
    code = points.pickup_code(viewer, row)
    qr = None
    if code is not None:
        qr = f"{get_settings().public_base_url}/pickup/{code}.png"
    return types.Redemption(
        id=row.id,
        cost=row.cost,
        status=row.status,
        created_at=row.created_at,
        expires_at=row.expires_at,
        fulfilled_at=row.fulfilled_at,
        closed_at=row.closed_at,
        pickup_code=code,
        pickup_qr_url=qr,
        reward_id=row.reward_id,
    )


def economy(summary: statements.Economy) -> types.EconomySummary:
    return types.EconomySummary(
        issued=summary.issued,
        redeemed=summary.redeemed,
        expired=summary.expired,
        outstanding=summary.outstanding,
        months=[
            types.EconomyMonth(
                month=m.month,
                issued=m.issued,
                redeemed=m.redeemed,
                expired=m.expired,
                outstanding=m.outstanding,
            )
            for m in summary.months
        ],
    )


def point_rules(current: rules.Rules) -> types.PointRules:
    return types.PointRules(
        version=current.version,
        attendance_base=current.attendance_base,
        attendance_per_minute=current.attendance_per_minute,
        attendance_min_minutes=current.attendance_min_minutes,
        report_validated=current.report_validated,
        repair_base=current.repair_base,
        repair_within_clock_bonus=current.repair_within_clock_bonus,
        repair_rating_bonus=current.repair_rating_bonus,
        inspection=current.inspection,
        ranking_bonus=list(current.ranking_bonus),
        daily_caps=[
            types.DailyCap(kind=TransferKind(k), points=v) for k, v in sorted(current.daily_caps.items())
        ],
        multipliers=[
            types.PointMultiplier(
                kind=m.kind,
                activity_kind=m.activity_kind,
                percent=m.percent,
                starts_at=m.starts_at,
                ends_at=m.ends_at,
            )
            for m in current.multipliers
        ],
        redemption_pickup_days=current.redemption_pickup_days,
        expiry=types.PointExpiryPolicy(
            mode=current.expiry.mode, years_after=current.expiry.years_after, days=current.expiry.days
        ),
    )
