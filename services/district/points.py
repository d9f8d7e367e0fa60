"""Outpost points: the district's "report validated" points for a snap, paid once on the
district's own ledger (the points engine, a district-level account space) when the problem is
taken up: the street's liaison claims its dispatch, or a community's repairer claims its report."""

from __future__ import annotations

from models.district import District, OutpostSnap
from models.ledger import TransferKind
from points_engine import earning, rules
from points_engine.errors import PointsError
from services.events import DomainEvent


async def pay(snap_row: OutpostSnap) -> None:
    """The district's "report validated" points, once per snap (its source key), on the
    district's own ledger. Someone no longer in the outpost earns nothing; the snap stands."""
    district = await District.get(id=snap_row.district_id)
    space = district.ledger_community_id
    priced = await rules.current(space)
    try:
        await earning.earn(
            space,
            snap_row.user_id,
            TransferKind.REPORT,
            f"outpost:{snap_row.id}:validated",
            priced.report_validated,
            priced.version,
            f"outpost snap {snap_row.id} taken up",
            priced_by=priced,
        )
    except PointsError:
        pass


async def pay_for_dispatch(dispatch_id: int) -> None:
    row = await OutpostSnap.get_or_none(dispatch_id=dispatch_id)
    if row is not None:
        await pay(row)


async def on_community_report_claimed(event: DomainEvent) -> None:
    row = await OutpostSnap.get_or_none(report_id=event.subject_id)
    if row is not None:
        await pay(row)
