"""Reports (work orders): a problem at a place, its timeline, "me too"s, photos and materials.

A report is filed at a compound, building or entrance (and maybe an asset there). The place
columns are all filled down to the level filed at, so "open reports at this entrance" and "this
compound's reports" are each one indexed lookup.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

from models.enums import ReportCategory

if TYPE_CHECKING:
    from models.people import User
    from models.places import Asset, Building, Community, Compound, Entrance


class ReportState(StrEnum):
    OPEN = "open"
    CLAIMED = "claimed"
    RESOLVED = "resolved"
    CONFIRMED = "confirmed"
    REOPENED = "reopened"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


# Someone still has to act on these; a new report of the same category at the same place
# becomes a "me too" on one of them.
ACTIVE_STATES = (ReportState.OPEN, ReportState.CLAIMED, ReportState.REOPENED)


class RejectReason(StrEnum):
    DUPLICATE = "duplicate"
    INVALID = "invalid"


class ReportEventKind(StrEnum):
    OPENED = "opened"
    CLAIMED = "claimed"
    RESOLVED = "resolved"
    CONFIRMED = "confirmed"
    AUTO_CONFIRMED = "auto_confirmed"
    REOPENED = "reopened"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    # Also each step of the report's dispatch beyond the community (level 2, the district:
    # referred to the street, dispatched, fed back …), its words in the note.
    ESCALATED = "escalated"


class PhotoKind(StrEnum):
    REPORT = "report"  # taken by the reporter when filing
    PROOF = "proof"  # taken by the repairer when resolving


class Report(Model):
    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="reports", on_delete=fields.RESTRICT
    )
    compound: fields.ForeignKeyRelation[Compound] = fields.ForeignKeyField(
        "models.Compound", related_name="reports", on_delete=fields.RESTRICT
    )
    building: fields.ForeignKeyNullableRelation[Building] = fields.ForeignKeyField(
        "models.Building", related_name="reports", null=True, on_delete=fields.RESTRICT
    )
    entrance: fields.ForeignKeyNullableRelation[Entrance] = fields.ForeignKeyField(
        "models.Entrance", related_name="reports", null=True, on_delete=fields.RESTRICT
    )
    asset: fields.ForeignKeyNullableRelation[Asset] = fields.ForeignKeyField(
        "models.Asset", related_name="reports", null=True, on_delete=fields.RESTRICT
    )
    category = fields.CharEnumField(ReportCategory, max_length=30)
    text = fields.CharField(max_length=1000)
    # The account that filed it. For a proxy report that is the staff member, captain or
    # volunteer who took the call; `proxy_for` is the resident it is for.
    reporter: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="reports_filed", on_delete=fields.RESTRICT
    )
    proxy_for: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="reports_by_proxy", null=True, on_delete=fields.RESTRICT
    )
    # How the resident hears back (e.g. "phone call", "door-to-door"); staff only.
    proxy_channel = fields.CharField(max_length=200, default="")
    idempotency_key = fields.CharField(max_length=64, null=True)
    state = fields.CharEnumField(ReportState, max_length=20, default=ReportState.OPEN)
    claimed_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="reports_claimed", null=True, on_delete=fields.RESTRICT
    )
    claim_due_at = fields.DatetimeField()
    resolve_due_at = fields.DatetimeField()
    # Escalation: level 1 (community coordinator) when the claim clock is missed, level 2
    # (district) when the resolution clock is missed. Each is set once, by a conditional update.
    escalation_level = fields.SmallIntField(default=0)
    claim_escalated_at = fields.DatetimeField(null=True)
    resolve_escalated_at = fields.DatetimeField(null=True)
    claimed_at = fields.DatetimeField(null=True)
    resolved_at = fields.DatetimeField(null=True)
    resolution_note = fields.CharField(max_length=1000, default="")
    closed_at = fields.DatetimeField(null=True)
    rating = fields.SmallIntField(null=True)
    comment = fields.CharField(max_length=1000, default="")
    auto_confirmed = fields.BooleanField(default=False)
    reject_reason = fields.CharEnumField(RejectReason, max_length=20, null=True)
    reopen_count = fields.SmallIntField(default=0)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    community_id: int
    compound_id: int
    building_id: int | None
    entrance_id: int | None
    asset_id: int | None
    reporter_id: int
    proxy_for_id: int | None
    claimed_by_id: int | None

    class Meta:
        table = "report"
        unique_together = (("reporter", "idempotency_key"),)
        indexes = (
            ("community", "state"),
            ("compound", "building", "entrance", "category"),
            ("reporter", "created_at"),
        )


class ReportEvent(Model):
    """One line of a report's timeline: who did what, when, and the state it moved between."""

    id = fields.IntField(primary_key=True)
    report: fields.ForeignKeyRelation[Report] = fields.ForeignKeyField(
        "models.Report", related_name="events", on_delete=fields.CASCADE
    )
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="report_events", on_delete=fields.RESTRICT
    )
    # None when the system acted (escalation, confirmation after 7 days).
    actor: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="report_events", null=True, on_delete=fields.RESTRICT
    )
    kind = fields.CharEnumField(ReportEventKind, max_length=20)
    from_state = fields.CharEnumField(ReportState, max_length=20, null=True)
    to_state = fields.CharEnumField(ReportState, max_length=20, null=True)
    escalation_level = fields.SmallIntField(null=True)
    # What a person wrote (a resolution or rejection note), shown as written.
    note = fields.CharField(max_length=1000, default="")
    # A note the system wrote (escalation, confirmation after 7 days): its message id and
    # parameters, rendered in each reader's language (runtime.i18n). Empty: `note` is the text.
    note_id = fields.CharField(max_length=300, default="")
    note_params: Any = fields.JSONField(null=True)
    created_at = fields.DatetimeField()

    report_id: int
    community_id: int
    actor_id: int | None

    class Meta:
        table = "report_event"
        indexes = (("report", "id"),)


class ReportMeToo(Model):
    """Someone else has the same problem at the same place. Once per person per report."""

    id = fields.IntField(primary_key=True)
    report: fields.ForeignKeyRelation[Report] = fields.ForeignKeyField(
        "models.Report", related_name="me_toos", on_delete=fields.CASCADE
    )
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="me_toos", on_delete=fields.CASCADE
    )
    created_at = fields.DatetimeField()

    report_id: int
    user_id: int

    class Meta:
        table = "report_me_too"
        unique_together = (("report", "user"),)


class ReportPhoto(Model):
    """A photo stored through services.photo_storage; the row holds where, not the bytes."""

    id = fields.IntField(primary_key=True)
    report: fields.ForeignKeyRelation[Report] = fields.ForeignKeyField(
        "models.Report", related_name="photos", on_delete=fields.CASCADE
    )
    kind = fields.CharEnumField(PhotoKind, max_length=10)
    uploaded_by: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="report_photos", on_delete=fields.RESTRICT
    )
    storage_key = fields.CharField(max_length=200, unique=True)
    content_type = fields.CharField(max_length=40)
    size = fields.IntField()
    width = fields.IntField()
    height = fields.IntField()
    created_at = fields.DatetimeField()

    report_id: int
    uploaded_by_id: int

    class Meta:
        table = "report_photo"
        indexes = (("report", "id"),)


class ReportMaterial(Model):
    """What a repair used. Public: every member sees what their repairs cost."""

    id = fields.IntField(primary_key=True)
    report: fields.ForeignKeyRelation[Report] = fields.ForeignKeyField(
        "models.Report", related_name="materials", on_delete=fields.CASCADE
    )
    item = fields.CharField(max_length=100)
    brand_model = fields.CharField(max_length=100, default="")
    quantity = fields.DecimalField(max_digits=10, decimal_places=2)
    cost = fields.DecimalField(max_digits=12, decimal_places=2)  # yuan, for the whole quantity
    created_at = fields.DatetimeField()

    report_id: int

    class Meta:
        table = "report_material"


class ReportClockPolicy(Model):
    """A community's own clocks, for all categories (category NULL) or one category.

    Without a row the defaults of services.report_clocks apply (30 min to claim, 48 h to fix).
    """

    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="report_clock_policies", on_delete=fields.CASCADE
    )
    category = fields.CharEnumField(ReportCategory, max_length=30, null=True)
    claim_minutes = fields.IntField()
    resolve_minutes = fields.IntField()
    updated_at = fields.DatetimeField()

    community_id: int

    class Meta:
        table = "report_clock_policy"
        unique_together = (("community", "category"),)


class Notification(Model):
    """A line in someone's inbox, written in the transaction of the change it tells about."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="notifications", on_delete=fields.CASCADE
    )
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="notifications", on_delete=fields.RESTRICT
    )
    report: fields.ForeignKeyNullableRelation[Report] = fields.ForeignKeyField(
        "models.Report", related_name="notifications", null=True, on_delete=fields.CASCADE
    )
    event = fields.CharField(max_length=40)  # the domain event name, e.g. report.claimed
    # The message id and parameters (runtime.i18n.Text), rendered in each reader's language.
    # Rows written before texts were translated have no id: their `text` is shown as it is.
    text_id = fields.CharField(max_length=300, default="")
    text_params: Any = fields.JSONField(null=True)
    # The text in English, as rendered when written: what a log or an old reader sees.
    text = fields.CharField(max_length=300)
    created_at = fields.DatetimeField()
    read_at = fields.DatetimeField(null=True)

    user_id: int
    community_id: int
    report_id: int | None

    class Meta:
        table = "notification"
        indexes = (("user", "read_at"),)
