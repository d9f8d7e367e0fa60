"""The mediation room (红色调解室): cases between neighbours, their parties, mediators, sessions,
agreement, follow-up and outcome, and each step on a timeline.

Names (parties, session notes) are private to the case's mediators and the office; the public
sees only counts. Rows carry `community_id` like every tenant row.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.teams import MediationCategory

if TYPE_CHECKING:
    from models.people import User
    from models.places import Community, Household
    from models.teams import ActivityLog


class CaseState(StrEnum):
    OPEN = "open"  # mediators meet the parties in sessions
    AGREED = "agreed"  # an agreement is signed; a follow-up visit comes next
    FOLLOWED_UP = "followed_up"  # the follow-up visit saw how the agreement holds
    SETTLED = "settled"
    NOT_SETTLED = "not_settled"
    REFERRED = "referred"  # sent on (to the street, a court, …)


CLOSED_STATES = frozenset({CaseState.SETTLED, CaseState.NOT_SETTLED, CaseState.REFERRED})


class CaseEventKind(StrEnum):
    OPENED = "opened"
    SESSION = "session"
    AGREED = "agreed"
    FOLLOWED_UP = "followed_up"
    SETTLED = "settled"
    NOT_SETTLED = "not_settled"
    REFERRED = "referred"
    MEDIATORS_CHANGED = "mediators_changed"  # the office changed who mediates an open case


class MediationCase(Model):
    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="mediation_cases", on_delete=fields.RESTRICT
    )
    category = fields.CharEnumField(MediationCategory, max_length=20)
    summary = fields.CharField(max_length=1000, default="")
    state = fields.CharEnumField(CaseState, max_length=20, default=CaseState.OPEN)
    opened_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="mediation_cases_opened", null=True, on_delete=fields.RESTRICT
    )
    opened_at = fields.DatetimeField()
    agreement = fields.CharField(max_length=2000, default="")
    agreement_signed_on = fields.DateField(null=True)
    follow_up_on = fields.DateField(null=True)
    follow_up_note = fields.CharField(max_length=1000, default="")
    outcome_note = fields.CharField(max_length=1000, default="")  # why not settled, or referred where
    closed_at = fields.DatetimeField(null=True)
    # A case recorded from an anonymous mediation log (settled + category, no names): the counts
    # read cases only, and these keep the logs' counts (migration 15, services.mediation_room).
    from_log: fields.OneToOneNullableRelation[ActivityLog] = fields.OneToOneField(
        "models.ActivityLog", related_name="mediation_case", null=True, on_delete=fields.RESTRICT
    )

    community_id: int
    opened_by_id: int | None
    from_log_id: int | None

    class Meta:
        table = "mediation_case"
        indexes = (("community", "state"), ("community", "closed_at"))


class MediationParty(Model):
    """A household on one side of the dispute."""

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[MediationCase] = fields.ForeignKeyField(
        "models.MediationCase", related_name="parties", on_delete=fields.CASCADE
    )
    household: fields.ForeignKeyRelation[Household] = fields.ForeignKeyField(
        "models.Household", related_name="mediation_parties", on_delete=fields.RESTRICT
    )

    case_id: int
    household_id: int

    class Meta:
        table = "mediation_party"
        unique_together = (("case", "household"),)


class CaseMediator(Model):
    """A mediator (a person holding the mediator role) on this case: they alone, with the
    office, see its names and notes."""

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[MediationCase] = fields.ForeignKeyField(
        "models.MediationCase", related_name="mediators", on_delete=fields.CASCADE
    )
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="mediation_cases", on_delete=fields.RESTRICT
    )

    case_id: int
    user_id: int

    class Meta:
        table = "case_mediator"
        unique_together = (("case", "user"),)
        indexes = (("user", "case"),)


class MediationSession(Model):
    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[MediationCase] = fields.ForeignKeyField(
        "models.MediationCase", related_name="sessions", on_delete=fields.CASCADE
    )
    held_on = fields.DateField()
    attended = fields.CharField(max_length=500)  # who came, as the mediator wrote it
    notes = fields.CharField(max_length=2000, default="")
    recorded_by: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="mediation_sessions", on_delete=fields.RESTRICT
    )
    idempotency_key = fields.CharField(max_length=64)
    created_at = fields.DatetimeField()

    case_id: int
    recorded_by_id: int

    class Meta:
        table = "mediation_session"
        unique_together = (("case", "idempotency_key"),)
        indexes = (("case", "held_on"),)


class MediationCaseEvent(Model):
    """The case's timeline: one row per step, written in the step's transaction."""

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[MediationCase] = fields.ForeignKeyField(
        "models.MediationCase", related_name="events", on_delete=fields.CASCADE
    )
    # The column's comment stays the one the table was made with (aerich cannot alter a comment
    # on SQLite; tortoise would otherwise derive it from the enum, which grew MEDIATORS_CHANGED).
    kind = fields.CharEnumField(
        CaseEventKind,
        max_length=20,
        description="OPENED: opened\nSESSION: session\nAGREED: agreed\nFOLLOWED_UP: followed_up\n"
        "SETTLED: settled\nNOT_SETTLED: not_settled\nREFERRED: referred",
    )
    actor: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="mediation_events", null=True, on_delete=fields.RESTRICT
    )
    at = fields.DatetimeField()

    case_id: int
    actor_id: int | None

    class Meta:
        table = "mediation_case_event"
        indexes = (("case", "id"),)
