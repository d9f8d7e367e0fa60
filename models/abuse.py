"""Signs that someone games the points economy, kept for the community office to judge."""

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.people import User
    from models.places import Community
    from models.reports import Report


class AbuseSignal(StrEnum):
    PAIRING = "pairing"  # the same two people report and repair for each other again and again
    SELF_DEALING = "self_dealing"  # a repairer fixed a report of their own household
    REPORT_BURST = "report_burst"  # one account filed many reports in a short time


class AbuseFlagState(StrEnum):
    OPEN = "open"
    DISMISSED = "dismissed"  # staff found it legitimate: held points are paid
    CONFIRMED = "confirmed"  # staff found it abusive: held points are never paid


class AbuseFlag(Model):
    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation["Community"] = fields.ForeignKeyField(
        "models.Community", related_name="abuse_flags", on_delete=fields.CASCADE
    )
    signal = fields.CharEnumField(AbuseSignal, max_length=20)
    state = fields.CharEnumField(AbuseFlagState, max_length=20, default=AbuseFlagState.OPEN)
    # Who the signal is about: the repairer (pairing, self-dealing) or the reporter (burst).
    user: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="abuse_flags", on_delete=fields.RESTRICT
    )
    # The other side of a pairing or self-dealing: the person the reports were for.
    partner: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="abuse_flags_as_partner", null=True, on_delete=fields.RESTRICT
    )
    # Set while open, cleared on decision: at most one open flag per signal and people.
    open_key = fields.CharField(max_length=100, null=True, unique=True)
    detail = fields.CharField(max_length=300)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()
    decided_by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="abuse_flags_decided", null=True, on_delete=fields.RESTRICT
    )
    decided_at = fields.DatetimeField(null=True)
    decision_note = fields.CharField(max_length=500, default="")

    community_id: int
    user_id: int
    partner_id: int | None
    decided_by_id: int | None

    class Meta:
        table = "abuse_flag"
        indexes = (("community", "state", "created_at"), ("community", "signal", "user", "partner"))


class AbuseFlagReport(Model):
    """A report the flag rests on. `held`: the repair's points were withheld when it was
    confirmed; `within_clock` and `rating` are what pays them if staff dismiss the flag."""

    id = fields.IntField(primary_key=True)
    flag: fields.ForeignKeyRelation[AbuseFlag] = fields.ForeignKeyField(
        "models.AbuseFlag", related_name="reports", on_delete=fields.CASCADE
    )
    report: fields.ForeignKeyRelation["Report"] = fields.ForeignKeyField(
        "models.Report", related_name="abuse_flags", on_delete=fields.CASCADE
    )
    held = fields.BooleanField(default=False)
    within_clock = fields.BooleanField(default=False)
    rating = fields.SmallIntField(null=True)
    released_at = fields.DatetimeField(null=True)

    flag_id: int
    report_id: int

    class Meta:
        table = "abuse_flag_report"
        unique_together = (("flag", "report"),)
