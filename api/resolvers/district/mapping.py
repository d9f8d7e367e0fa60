"""Rows of the district's services to GraphQL types: a page of dispatches with a fixed number of
reads (streets, districts, departments, timelines), whatever its size; its photos come through the
request's loader (api/resolvers/district/loaders.py), only when asked for."""

from __future__ import annotations

import base64
from collections.abc import Sequence

import strawberry

from api.schema.district import types
from models.district import Department, Dispatch, District, DistrictRole, Street
from runtime.i18n import Text, translate
from services.access import Viewer
from services.district import dispatch as flow
from services.district import outpost, rewards, rollup
from services.district.reports import Seen


def gid(type_name: str, row_id: int) -> strawberry.ID:
    return strawberry.ID(base64.b64encode(f"{type_name}:{row_id}".encode()).decode())


async def names(model: type[Street] | type[District] | type[Department], ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {row["id"]: row["name"] for row in await model.filter(id__in=sorted(ids)).values("id", "name")}


async def dispatch_types(viewer: Viewer, rows: Sequence[Dispatch]) -> list[types.Dispatch]:
    steps = await flow.timeline([r.id for r in rows])
    streets = await names(Street, {r.street_id for r in rows})
    districts = await names(District, {r.district_id for r in rows})
    departments = await names(
        Department,
        {r.department_id for r in rows if r.department_id}
        | {e.department_id for events in steps.values() for e in events if e.department_id},
    )
    me = viewer.user.id if viewer.user else None
    return [
        types.Dispatch(
            id=gid("Dispatch", r.id),
            state=r.state,
            source=r.source,
            category=r.category,
            text=r.text,
            address=r.address,
            latitude=r.latitude,
            longitude=r.longitude,
            district_name=districts[r.district_id],
            street_name=streets[r.street_id],
            department_name=departments.get(r.department_id) if r.department_id else None,
            report_id=gid("Report", r.report_id) if r.report_id else None,
            mine=r.reporter_id == me,
            street_claim_due_at=r.street_claim_due_at,
            department_claim_due_at=r.department_claim_due_at,
            fix_due_at=r.fix_due_at,
            street_claimed_at=r.street_claimed_at,
            dispatched_at=r.dispatched_at,
            department_claimed_at=r.department_claimed_at,
            fed_back_at=r.fed_back_at,
            feedback_note=r.feedback_note,
            send_back_reason=r.send_back_reason,
            rating=r.rating,
            created_at=r.created_at,
            row_id=r.id,
            timeline=[
                types.DispatchStep(
                    kind=e.kind,
                    from_state=e.from_state,
                    to_state=e.to_state,
                    department_name=departments.get(e.department_id) if e.department_id else None,
                    note_text=Text.from_stored(e.note_id, e.note_params, e.note),
                    at=e.created_at,
                )
                for e in steps[r.id]
            ],
        )
        for r in rows
    ]


def district_report(seen: Seen) -> types.DistrictReport:
    r, dispatch = seen.report, seen.dispatch
    return types.DistrictReport(
        id=gid("Report", r.id),
        community_id=gid("Community", r.community_id),
        community_name=seen.community_name,
        street_id=gid("Street", seen.street_id),
        street_name=seen.street_name,
        place_label=seen.place_label,
        category=r.category,
        text=seen.text,
        state=r.state,
        escalation_level=r.escalation_level,
        created_at=r.created_at,
        claim_due_at=r.claim_due_at,
        resolve_due_at=r.resolve_due_at,
        claimed_at=r.claimed_at,
        resolved_at=r.resolved_at,
        closed_at=r.closed_at,
        rating=r.rating,
        dispatch_id=gid("Dispatch", dispatch.id) if dispatch is not None else None,
        dispatch_state=dispatch.state if dispatch is not None else None,
        department_name=seen.department_name,
    )


async def roles_held(rows: Sequence[DistrictRole]) -> list[types.DistrictRoleHeld]:
    districts = await names(District, {r.district_id for r in rows})
    streets = await names(Street, {r.street_id for r in rows if r.street_id})
    departments = await names(Department, {r.department_id for r in rows if r.department_id})
    return [
        types.DistrictRoleHeld(
            role=r.role,
            district_id=gid("District", r.district_id),
            district_name=districts[r.district_id],
            street_id=gid("Street", r.street_id) if r.street_id else None,
            street_name=streets.get(r.street_id) if r.street_id else None,
            department_id=gid("Department", r.department_id) if r.department_id else None,
            department_name=departments.get(r.department_id) if r.department_id else None,
        )
        for r in rows
    ]


def rank_row(row: outpost.RankRow) -> types.OutpostRankRow:
    return types.OutpostRankRow(
        rank=row.rank,
        user_id=gid("User", row.user_id),
        name=row.name,
        title=row.title,
        points=row.points,
        snaps=row.snaps,
    )


def reward(line: rewards.BookLine) -> types.OutpostReward:
    r = line.reward
    return types.OutpostReward(
        id=gid("OutpostReward", r.id),
        month=r.month,
        rank=r.rank,
        name=line.name,
        title=line.title,
        amount_fen=r.amount_fen,
        reverses_id=gid("OutpostReward", r.reverses_id) if r.reverses_id else None,
        reversed=line.reversed,
        created_at=r.created_at,
    )


def reward_book(book: rewards.Book, language: str) -> types.OutpostRewardBook:
    return types.OutpostRewardBook(
        month=book.month,
        total_fen=book.total_fen,
        rule=translate(rewards.TIE_RULE, language),
        rewards=[reward(line) for line in book.lines],
    )


def _rate(rate: rollup.Rate) -> types.OnTimeRate:
    return types.OnTimeRate(on_time=rate.on_time, total=rate.total, percent=rate.percent)


def _counts(by_state: dict[str, int]) -> list[types.StateCount]:
    return [types.StateCount(state=k, count=v) for k, v in sorted(by_state.items())]


def _fees(fees: rollup.Collection | None) -> types.FeeCollection | None:
    if fees is None:
        return None
    return types.FeeCollection(
        households_billed=fees.households_billed,
        households_paid=fees.households_paid,
        household_percent=fees.household_percent,
        money_percent=fees.money_percent,
    )


def rollup_row(r: rollup.RollupRow) -> types.DistrictRollupRow:
    return types.DistrictRollupRow(
        street_id=gid("Street", r.street_id) if r.street_id else None,
        name=r.name,
        reports_by_state=_counts(r.reports_by_state),
        dispatches_by_state=_counts(r.dispatches_by_state),
        community_claim=_rate(r.community_claim),
        community_fix=_rate(r.community_fix),
        street_claim=_rate(r.street_claim),
        department_claim=_rate(r.department_claim),
        department_fix=_rate(r.department_fix),
        satisfaction=r.satisfaction,
        outpost_snaps=r.outpost_snaps,
        mediations_settled=r.mediations_settled,
        fees=_fees(r.fees),
    )
