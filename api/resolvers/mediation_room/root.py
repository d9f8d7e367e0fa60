"""The mediation room (红色调解室): Query and Mutation fields of the area, merged into the root schema."""

from __future__ import annotations

import strawberry

from api.resolvers.mediation_room import operations as resolve
from api.schema.common import Connection
from api.schema.mediation_room import inputs
from api.schema.mediation_room.types import AppointmentEvent, MediationCase, MediationCounts, Mediator


@strawberry.type
class MediationRoomQuery:
    mediation_cases: Connection[MediationCase] = strawberry.field(
        resolver=resolve.mediation_cases,
        description="The office: every case; a mediator: their own cases. Newest first; `state` or "
        "`states` (any of them) narrow it.",
    )
    mediators: list[Mediator] = strawberry.field(
        resolver=resolve.mediators,
        description="The office: the mediation room's mediators by name, with the cases still open "
        "that each mediates.",
    )
    mediation_case: MediationCase = strawberry.field(
        resolver=resolve.mediation_case, description="The case's mediators and the office."
    )
    appointment_events: Connection[AppointmentEvent] = strawberry.field(
        resolver=resolve.appointment_events,
        description="The community's staff: who the office appointed or stood down as observer (of "
        "which compound) or mediator, by whom, when and why. Newest first.",
    )
    mediation_counts: MediationCounts = strawberry.field(
        resolver=resolve.mediation_counts,
        description="Members: cases settled in a year (this year by default), by category. No names.",
    )


@strawberry.type
class MediationRoomMutation:
    mediator_appoint: inputs.MediatorAppointPayload = strawberry.mutation(
        resolver=resolve.mediator_appoint, description="The office: make a member a mediator."
    )
    mediator_stand_down: inputs.MediatorStandDownPayload = strawberry.mutation(
        resolver=resolve.mediator_stand_down,
        description="The office: end a member's service as a mediator (their open cases need other "
        "mediators first). Again: nothing changes.",
    )
    mediation_case_mediators_set: inputs.MediationCasePayload = strawberry.mutation(
        resolver=resolve.mediation_case_mediators_set,
        description="The office: change who mediates a case still open (on its timeline).",
    )
    mediation_case_open: inputs.MediationCasePayload = strawberry.mutation(
        resolver=resolve.mediation_case_open,
        description="The office: open a case with the households on each side and its mediators.",
    )
    mediation_session_record: inputs.MediationSessionPayload = strawberry.mutation(
        resolver=resolve.mediation_session_record,
        description="The case's mediators or the office: a session with the parties.",
    )
    mediation_agreement_record: inputs.MediationCasePayload = strawberry.mutation(
        resolver=resolve.mediation_agreement_record,
        description="The case's mediators or the office: the agreement the parties signed.",
    )
    mediation_follow_up_record: inputs.MediationCasePayload = strawberry.mutation(
        resolver=resolve.mediation_follow_up_record,
        description="The case's mediators or the office: the follow-up visit after the agreement.",
    )
    mediation_case_close: inputs.MediationCasePayload = strawberry.mutation(
        resolver=resolve.mediation_case_close,
        description="The case's mediators or the office: settled (after the follow-up), not settled, "
        "or referred.",
    )
