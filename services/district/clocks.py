"""The dispatch clocks and the community events that reach the district.

The clocks are steps of the one clock job (`services.reports.clocks.run_clock_tick`), so the
CLI, a server's background task and several servers at once run them exactly as they run the
reports' clocks: each effect is a conditional move only one run can win.

- the street did not claim within 30 minutes → the coordinator's queue;
- the department did not claim within 30 minutes of the dispatch → the coordinator's queue;
- the department did not feed back within 48 hours → escalated (once) to the coordinator;
- an outpost reporter did not confirm the feedback within 7 days → confirmed by itself.

Events of community reports: a report that missed its resolution clock (escalated to level 2,
"the district") is referred to its street by the clock; a referred report confirmed by its
reporter confirms its dispatch.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tortoise.transactions import in_transaction

from models.district import Dispatch, DispatchEventKind, DispatchState, DistrictRoleKind
from runtime.i18n import N_, Text
from services.district import dispatch as flow
from services.district import points as outpost_points
from services.events import DomainEvent, subscribe, unsubscribe
from services.reports import clocks as report_clocks
from services.reports.moves import conditional_move


async def _ids(**conditions: Any) -> list[int]:
    rows: list[Any] = await Dispatch.filter(**conditions).order_by("id").values_list("id", flat=True)
    return [int(r) for r in rows]


async def _to_coordination(dispatch_id: int, now: datetime, waiting: DispatchState, due_field: str) -> bool:
    async with in_transaction():
        moved = await Dispatch.filter(id=dispatch_id, state=waiting, **{f"{due_field}__lte": now}).update(
            state=DispatchState.COORDINATION, coordination_at=now, updated_at=now
        )
        if not moved:
            return False
        dispatch = await Dispatch.get(id=dispatch_id)
        if waiting is DispatchState.REFERRED:
            said = N_(
                "Dispatch #{number}: the street did not claim it within 30 minutes; the district "
                "coordinator assigns a department."
            )
        else:
            said = N_(
                "Dispatch #{number}: the department did not claim it within 30 minutes; the district "
                "coordinator assigns a department."
            )
        await flow.record_step(
            dispatch,
            DispatchEventKind.ESCALATED,
            None,
            waiting,
            Text(said),
            await flow.holders(dispatch.district_id, DistrictRoleKind.DISTRICT_COORDINATOR),
        )
    return True


async def _street_due(now: datetime) -> list[int]:
    return await _ids(state=DispatchState.REFERRED, street_claim_due_at__lte=now)


async def _street_missed(dispatch_id: int, now: datetime) -> bool:
    return await _to_coordination(dispatch_id, now, DispatchState.REFERRED, "street_claim_due_at")


async def _department_due(now: datetime) -> list[int]:
    return await _ids(state=DispatchState.DISPATCHED, department_claim_due_at__lte=now)


async def _department_missed(dispatch_id: int, now: datetime) -> bool:
    return await _to_coordination(dispatch_id, now, DispatchState.DISPATCHED, "department_claim_due_at")


async def _fix_due(now: datetime) -> list[int]:
    return await _ids(state=DispatchState.IN_PROGRESS, fix_due_at__lte=now, fix_escalated_at__isnull=True)


async def _fix_missed(dispatch_id: int, now: datetime) -> bool:
    async with in_transaction():
        done = await Dispatch.filter(
            id=dispatch_id,
            state=DispatchState.IN_PROGRESS,
            fix_due_at__lte=now,
            fix_escalated_at__isnull=True,
        ).update(fix_escalated_at=now, updated_at=now)
        if not done:
            return False
        dispatch = await Dispatch.get(id=dispatch_id)
        await flow.record_step(
            dispatch,
            DispatchEventKind.ESCALATED,
            None,
            None,
            Text(
                N_(
                    "Dispatch #{number}: the department did not feed back within 48 hours; the district "
                    "coordinator follows it up."
                )
            ),
            await flow.holders(dispatch.district_id, DistrictRoleKind.DISTRICT_COORDINATOR),
        )
    return True


async def _confirm_due(now: datetime) -> list[int]:
    return await _ids(
        state=DispatchState.FED_BACK, report_id__isnull=True, fed_back_at__lte=now - flow.CONFIRM_WINDOW
    )


async def _confirm_by_itself(dispatch_id: int, now: datetime) -> bool:
    async with in_transaction():
        moved = await conditional_move(
            Dispatch, dispatch_id, [DispatchState.FED_BACK], DispatchState.CONFIRMED, closed_at=now
        )
        if moved is None:
            return False
        await flow.record_step(
            moved,
            DispatchEventKind.AUTO_CONFIRMED,
            None,
            DispatchState.FED_BACK,
            Text(N_("Dispatch #{number}: nobody confirmed it within 7 days; confirmed by itself.")),
        )
    return True


STEPS = (
    report_clocks.ClockedStep("dispatch_street_claim", _street_due, _street_missed),
    report_clocks.ClockedStep("dispatch_department_claim", _department_due, _department_missed),
    report_clocks.ClockedStep("dispatch_fix", _fix_due, _fix_missed),
    report_clocks.ClockedStep("dispatch_auto_confirm", _confirm_due, _confirm_by_itself),
)


# ── events of community reports ──────────────────────────────────────────────────────────


async def on_report_escalated(event: DomainEvent) -> None:
    if event.data.get("escalation_level") == 2 and event.data.get("clock") == "resolve":
        await flow.refer_by_clock(event.subject_id)


async def on_report_confirmed(event: DomainEvent) -> None:
    dispatch = await Dispatch.get_or_none(report_id=event.subject_id, state=DispatchState.FED_BACK)
    if dispatch is None:
        return
    rating = event.data.get("rating")
    await flow.close(
        dispatch.id,
        event.actor_user_id,
        rating if isinstance(rating, int) else None,
        Text(N_("Dispatch #{number}: the reporter confirmed the community's report."))
        if event.actor_user_id
        else Text(N_("Dispatch #{number}: the community's report confirmed itself after 7 days.")),
    )


async def on_report_claimed(event: DomainEvent) -> None:
    await outpost_points.on_community_report_claimed(event)


def install() -> None:
    for step in STEPS:
        report_clocks.register_step(step)
    subscribe("report.escalated", on_report_escalated)
    subscribe("report.confirmed", on_report_confirmed)
    subscribe("report.claimed", on_report_claimed)


def uninstall() -> None:
    for step in STEPS:
        report_clocks.unregister_step(step.name)
    unsubscribe("report.escalated", on_report_escalated)
    unsubscribe("report.confirmed", on_report_confirmed)
    unsubscribe("report.claimed", on_report_claimed)
