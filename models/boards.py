"""Leaderboards, inspections and the civilized-corridor flag: what is stored.

`BoardEarning` is the leaderboard's index: points earned per member and period ("YYYY-MM" in the
community's time zone, or "all"), kept in the transaction that posts each transfer
(services/board_wiring). Team, building and entrance boards read it joined to memberships.
"""

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.people import User
    from models.places import Community, Entrance

ALL_TIME = "all"


class BoardEarning(Model):
    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation["Community"] = fields.ForeignKeyField(
        "models.Community", related_name="board_earnings", on_delete=fields.RESTRICT
    )
    user: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="board_earnings", on_delete=fields.CASCADE
    )
    period = fields.CharField(max_length=7)  # "YYYY-MM" or "all"
    points = fields.BigIntField(default=0)

    community_id: int
    user_id: int

    class Meta:
        table = "board_earning"
        unique_together = (("community", "period", "user"),)
        indexes = (("community", "period", "points", "user"),)


class BoardProfile(Model):
    """How a member appears on boards: by name (default) or by initials."""

    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation["Community"] = fields.ForeignKeyField(
        "models.Community", related_name="board_profiles", on_delete=fields.RESTRICT
    )
    user: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="board_profiles", on_delete=fields.CASCADE
    )
    by_initials = fields.BooleanField(default=False)

    community_id: int
    user_id: int

    class Meta:
        table = "board_profile"
        unique_together = (("community", "user"),)


class Inspection(Model):
    """A cleaner's or staff member's inspection of an entrance; one per inspector, entrance and day."""

    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation["Community"] = fields.ForeignKeyField(
        "models.Community", related_name="inspections", on_delete=fields.RESTRICT
    )
    entrance: fields.ForeignKeyRelation["Entrance"] = fields.ForeignKeyField(
        "models.Entrance", related_name="inspections", on_delete=fields.RESTRICT
    )
    inspector: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="inspections", on_delete=fields.RESTRICT
    )
    score = fields.SmallIntField()  # cleanliness 1–5
    notes = fields.CharField(max_length=1000, default="")
    local_day = fields.CharField(max_length=10)
    local_month = fields.CharField(max_length=7)
    created_at = fields.DatetimeField()

    community_id: int
    entrance_id: int
    inspector_id: int

    class Meta:
        table = "inspection"
        unique_together = (("inspector", "entrance", "local_day"),)
        indexes = (("community", "local_month", "entrance"),)


class InspectionPhoto(Model):
    """A photo taken at an inspection, stored through services.photo_storage; the row holds
    where, not the bytes. Seen by the inspector and the community's staff and admins."""

    id = fields.IntField(primary_key=True)
    inspection: fields.ForeignKeyRelation[Inspection] = fields.ForeignKeyField(
        "models.Inspection", related_name="photos", on_delete=fields.CASCADE
    )
    storage_key = fields.CharField(max_length=200, unique=True)
    content_type = fields.CharField(max_length=40)
    size = fields.IntField()
    width = fields.IntField()
    height = fields.IntField()
    created_at = fields.DatetimeField()

    inspection_id: int

    class Meta:
        table = "inspection_photo"
        indexes = (("inspection", "id"),)


class FlagSettings(Model):
    """A community's weights for the flag formula (services/flag.py); absent: the defaults."""

    id = fields.IntField(primary_key=True)
    community: fields.OneToOneRelation["Community"] = fields.OneToOneField(
        "models.Community", related_name="flag_settings", on_delete=fields.RESTRICT
    )
    inspection_weight = fields.IntField()
    volunteering_weight = fields.IntField()
    reports_weight = fields.IntField()
    min_inspections = fields.IntField()
    updated_at = fields.DatetimeField()

    community_id: int

    class Meta:
        table = "flag_settings"


class MonthClose(Model):
    """A closed month of a community: the flag award with every entrance's breakdown, and the
    ranks the ranking bonus paid. One row per community and month: closing again changes nothing."""

    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation["Community"] = fields.ForeignKeyField(
        "models.Community", related_name="month_closes", on_delete=fields.RESTRICT
    )
    month = fields.CharField(max_length=7)  # the month scored
    holds_month = fields.CharField(max_length=7)  # the month the winner holds the flag
    entrance: fields.ForeignKeyNullableRelation["Entrance"] = fields.ForeignKeyField(
        "models.Entrance", related_name="flags", null=True, on_delete=fields.RESTRICT
    )
    score = fields.FloatField(null=True)
    weights: Any = fields.JSONField()
    breakdown: Any = fields.JSONField()  # every entrance: components, score or why ineligible, rank
    ranks: Any = fields.JSONField()  # [{user_id, rank, points}] paid the ranking bonus
    closed_at = fields.DatetimeField()

    community_id: int
    entrance_id: int | None

    class Meta:
        table = "month_close"
        unique_together = (("community", "month"),)
        indexes = (("community", "holds_month"),)
