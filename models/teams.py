"""Volunteer teams, their activities, who attended, and what each kind of activity logged.

Rows carry `community_id` like every tenant row, so a tenant filter is one indexed column.
"""

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.people import User
    from models.places import Building, Community, Compound, Entrance


class TeamKind(StrEnum):
    REPAIR = "repair"
    RIVER_PATROL = "river_patrol"
    TUTORING = "tutoring"
    MEDIATION = "mediation"
    SNOW_CLEARING = "snow_clearing"
    MUTUAL_AID = "mutual_aid"
    OBSERVERS = "observers"
    CLEANING = "cleaning"


class JoinRequestStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


class CheckInMethod(StrEnum):
    SCAN = "scan"  # the volunteer scanned the captain's rotating code
    CARD = "card"  # the captain scanned the volunteer's printed personal card
    HAND = "hand"  # the captain entered it by hand: marked, for the captain's approval to weigh


class AttendanceStatus(StrEnum):
    OPEN = "open"  # checked in, not yet out
    CLOSED = "closed"  # checked out; waiting for the captain
    AUTO_CLOSED = "auto_closed"  # left open past the end plus grace; closed by the system, flagged
    APPROVED = "approved"
    ADJUSTED = "adjusted"  # approved with minutes the captain set
    REJECTED = "rejected"


class LogKind(StrEnum):
    PATROL = "patrol"
    TUTORING = "tutoring"
    MEDIATION = "mediation"
    SNOW_CLEARING = "snow_clearing"
    CLEANING = "cleaning"


class MediationCategory(StrEnum):
    NOISE = "noise"
    WATER_LEAK = "water_leak"
    PARKING = "parking"
    PETS = "pets"
    SHARED_SPACE = "shared_space"
    PROPERTY_FEES = "property_fees"
    FAMILY = "family"
    OTHER = "other"


class Team(Model):
    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation["Community"] = fields.ForeignKeyField(
        "models.Community", related_name="teams", on_delete=fields.RESTRICT
    )
    name = fields.CharField(max_length=100)
    kind = fields.CharEnumField(TeamKind, max_length=20)
    created_at = fields.DatetimeField()

    community_id: int

    class Meta:
        table = "team"
        unique_together = (("community", "name"),)


class TeamMember(Model):
    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation["Community"] = fields.ForeignKeyField(
        "models.Community", related_name="team_members", on_delete=fields.RESTRICT
    )
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="members", on_delete=fields.CASCADE
    )
    user: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="team_memberships", on_delete=fields.CASCADE
    )
    is_captain = fields.BooleanField(default=False)
    joined_at = fields.DatetimeField()

    community_id: int
    team_id: int
    user_id: int

    class Meta:
        table = "team_member"
        unique_together = (("team", "user"),)
        indexes = (("user", "community"),)


class TeamJoinRequest(Model):
    """One row per person and team; asking again after a decline reopens it."""

    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation["Community"] = fields.ForeignKeyField(
        "models.Community", related_name="team_join_requests", on_delete=fields.RESTRICT
    )
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="join_requests", on_delete=fields.CASCADE
    )
    user: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="team_join_requests", on_delete=fields.CASCADE
    )
    status = fields.CharEnumField(JoinRequestStatus, max_length=20, default=JoinRequestStatus.PENDING)
    created_at = fields.DatetimeField()
    decided_at = fields.DatetimeField(null=True)
    decided_by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="team_join_decisions", null=True, on_delete=fields.SET_NULL
    )

    community_id: int
    team_id: int
    user_id: int
    decided_by_id: int | None

    class Meta:
        table = "team_join_request"
        unique_together = (("team", "user"),)
        indexes = (("team", "status", "id"),)


class Emergency(Model):
    """A call-out declared by staff (a snowstorm): in its window open activities accept anyone of
    the community, and the points rules carry a multiplier for the same window."""

    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation["Community"] = fields.ForeignKeyField(
        "models.Community", related_name="emergencies", on_delete=fields.RESTRICT
    )
    title = fields.CharField(max_length=100)
    # Null: every kind of activity is open and multiplied.
    activity_kind = fields.CharEnumField(TeamKind, max_length=20, null=True)
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    multiplier_percent = fields.IntField()
    rules_version = fields.IntField(description="The points rules version that added its multiplier.")
    declared_by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="emergencies_declared", null=True, on_delete=fields.SET_NULL
    )
    idempotency_key = fields.CharField(max_length=64)
    created_at = fields.DatetimeField()

    community_id: int

    class Meta:
        table = "emergency"
        unique_together = (("community", "idempotency_key"),)
        indexes = (("community", "ends_at"),)


class Activity(Model):
    """A patrol, a class, a snow shift … at one place (a compound, building or entrance)."""

    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation["Community"] = fields.ForeignKeyField(
        "models.Community", related_name="activities", on_delete=fields.RESTRICT
    )
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="activities", on_delete=fields.RESTRICT
    )
    title = fields.CharField(max_length=100)
    kind = fields.CharEnumField(TeamKind, max_length=20)
    # Exactly one of the three is set (services.teams.activities checks it).
    compound: fields.ForeignKeyNullableRelation["Compound"] = fields.ForeignKeyField(
        "models.Compound", related_name="activities", null=True, on_delete=fields.RESTRICT
    )
    building: fields.ForeignKeyNullableRelation["Building"] = fields.ForeignKeyField(
        "models.Building", related_name="activities", null=True, on_delete=fields.RESTRICT
    )
    entrance: fields.ForeignKeyNullableRelation["Entrance"] = fields.ForeignKeyField(
        "models.Entrance", related_name="activities", null=True, on_delete=fields.RESTRICT
    )
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    capacity = fields.IntField(null=True)
    requires_signup = fields.BooleanField(default=False)
    # Counted by conditional updates, so capacity holds under concurrent check-ins.
    attendee_count = fields.IntField(default=0)
    signup_count = fields.IntField(default=0)
    created_by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="activities_scheduled", null=True, on_delete=fields.SET_NULL
    )
    idempotency_key = fields.CharField(max_length=64)
    created_at = fields.DatetimeField()

    community_id: int
    team_id: int
    compound_id: int | None
    building_id: int | None
    entrance_id: int | None

    class Meta:
        table = "activity"
        unique_together = (("team", "idempotency_key"),)
        indexes = (("team", "starts_at"), ("community", "starts_at"), ("ends_at",))


class ActivitySignup(Model):
    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation["Community"] = fields.ForeignKeyField(
        "models.Community", related_name="activity_signups", on_delete=fields.RESTRICT
    )
    activity: fields.ForeignKeyRelation[Activity] = fields.ForeignKeyField(
        "models.Activity", related_name="signups", on_delete=fields.CASCADE
    )
    user: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="activity_signups", on_delete=fields.CASCADE
    )
    created_at = fields.DatetimeField()

    community_id: int
    activity_id: int
    user_id: int

    class Meta:
        table = "activity_signup"
        unique_together = (("activity", "user"),)


class VolunteerCard(Model):
    """The printed personal card of a volunteer without a smartphone. The card's code is this
    random nonce signed with the server's key: opaque, and not an id."""

    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation["Community"] = fields.ForeignKeyField(
        "models.Community", related_name="volunteer_cards", on_delete=fields.RESTRICT
    )
    user: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="volunteer_cards", on_delete=fields.CASCADE
    )
    nonce = fields.CharField(max_length=32, unique=True)
    issued_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)

    community_id: int
    user_id: int

    class Meta:
        table = "volunteer_card"
        indexes = (("user", "community"),)


class Attendance(Model):
    """One per volunteer and activity: a second check-in returns the first."""

    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation["Community"] = fields.ForeignKeyField(
        "models.Community", related_name="attendances", on_delete=fields.RESTRICT
    )
    activity: fields.ForeignKeyRelation[Activity] = fields.ForeignKeyField(
        "models.Activity", related_name="attendances", on_delete=fields.RESTRICT
    )
    # Copied from the activity so hours by team, kind and month are one indexed group-by.
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="attendances", on_delete=fields.RESTRICT
    )
    kind = fields.CharEnumField(TeamKind, max_length=20)
    user: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="attendances", on_delete=fields.RESTRICT
    )
    method = fields.CharEnumField(CheckInMethod, max_length=10)
    checked_in_by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="attendances_checked_in", null=True, on_delete=fields.SET_NULL
    )
    checked_in_at = fields.DatetimeField()
    checked_out_at = fields.DatetimeField(null=True)
    out_method = fields.CharEnumField(CheckInMethod, max_length=10, null=True)
    status = fields.CharEnumField(AttendanceStatus, max_length=20, default=AttendanceStatus.OPEN)
    flagged = fields.BooleanField(default=False)
    # YYYY-MM of the check-in in the community's time zone: service hours count by it.
    local_month = fields.CharField(max_length=7)
    credited_minutes = fields.IntField(null=True)
    decided_at = fields.DatetimeField(null=True)
    decided_by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="attendances_decided", null=True, on_delete=fields.SET_NULL
    )
    note = fields.CharField(max_length=200, default="")

    community_id: int
    activity_id: int
    team_id: int
    user_id: int
    checked_in_by_id: int | None
    decided_by_id: int | None

    class Meta:
        table = "attendance"
        unique_together = (("activity", "user"),)
        indexes = (("status", "activity"), ("user", "community", "status"), ("team", "status"))


class ActivityLog(Model):
    """What an activity did, with the fields of its kind (the others stay null)."""

    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation["Community"] = fields.ForeignKeyField(
        "models.Community", related_name="activity_logs", on_delete=fields.RESTRICT
    )
    activity: fields.ForeignKeyRelation[Activity] = fields.ForeignKeyField(
        "models.Activity", related_name="logs", on_delete=fields.RESTRICT
    )
    kind = fields.CharEnumField(LogKind, max_length=20)
    author: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="activity_logs", on_delete=fields.RESTRICT
    )
    idempotency_key = fields.CharField(max_length=64)
    created_at = fields.DatetimeField()
    # patrol
    distance_km = fields.DecimalField(max_digits=6, decimal_places=2, null=True)
    duration_minutes = fields.IntField(null=True)
    # tutoring
    pupils = fields.IntField(null=True)
    subject = fields.CharField(max_length=60, null=True)
    # mediation: no names, on purpose
    settled = fields.BooleanField(null=True)
    category = fields.CharEnumField(MediationCategory, max_length=20, null=True)
    # snow clearing, cleaning
    area_m2 = fields.DecimalField(max_digits=10, decimal_places=2, null=True)
    volume_m3 = fields.DecimalField(max_digits=10, decimal_places=2, null=True)
    bags = fields.IntField(null=True)
    note = fields.CharField(max_length=500, default="")

    community_id: int
    activity_id: int
    author_id: int

    class Meta:
        table = "activity_log"
        unique_together = (("activity", "author", "idempotency_key"),)
        indexes = (("activity", "id"),)


class PatrolFinding(Model):
    """Something a patrol found at a place. Stored with its place so a repair report can be
    opened from it; `report_id` is filled by the reports workflow when it does."""

    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation["Community"] = fields.ForeignKeyField(
        "models.Community", related_name="patrol_findings", on_delete=fields.RESTRICT
    )
    log: fields.ForeignKeyRelation[ActivityLog] = fields.ForeignKeyField(
        "models.ActivityLog", related_name="findings", on_delete=fields.CASCADE
    )
    compound: fields.ForeignKeyNullableRelation["Compound"] = fields.ForeignKeyField(
        "models.Compound", related_name="patrol_findings", null=True, on_delete=fields.RESTRICT
    )
    building: fields.ForeignKeyNullableRelation["Building"] = fields.ForeignKeyField(
        "models.Building", related_name="patrol_findings", null=True, on_delete=fields.RESTRICT
    )
    entrance: fields.ForeignKeyNullableRelation["Entrance"] = fields.ForeignKeyField(
        "models.Entrance", related_name="patrol_findings", null=True, on_delete=fields.RESTRICT
    )
    description = fields.CharField(max_length=500)
    wants_repair = fields.BooleanField(default=False)
    report_id = fields.IntField(null=True)
    created_at = fields.DatetimeField()

    community_id: int
    log_id: int
    compound_id: int | None
    building_id: int | None
    entrance_id: int | None

    class Meta:
        table = "patrol_finding"
        indexes = (("community", "wants_repair", "report_id"),)
