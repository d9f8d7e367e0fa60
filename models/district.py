"""Above the community: city ⊃ district ⊃ street ⊃ community, the district's departments, the
people who hold a role at street or district level, and dispatches (派单): problems referred
beyond a community, or snapped by the outpost (前哨) on a street outside every compound.

Areas are polygons of [latitude, longitude] pairs (WGS-84, as a phone reports them), stored as
JSON: a district holds a few hundred compounds, so finding the one that holds a point is a scan
in Python, not a spatial index the SQLite default does not have.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

from models.enums import ReportCategory

if TYPE_CHECKING:
    from models.people import User
    from models.places import Community, Compound
    from models.reports import Report


class City(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100, unique=True)

    class Meta:
        table = "city"


class District(Model):
    id = fields.IntField(primary_key=True)
    city: fields.ForeignKeyRelation[City] = fields.ForeignKeyField(
        "models.City", related_name="districts", on_delete=fields.RESTRICT
    )
    name = fields.CharField(max_length=100)
    area: Any = fields.JSONField(default=list)
    # The district's own account space in the points engine: a community row without places,
    # whose members are the outpost reporters. The engine stays keyed by community, so the
    # district ledger obeys exactly the same invariants (double entry, source keys, lots).
    ledger_community: fields.OneToOneRelation[Community] = fields.OneToOneField(
        "models.Community", related_name="ledger_of_district", on_delete=fields.RESTRICT
    )
    timezone = fields.CharField(max_length=60, default="Asia/Shanghai")

    city_id: int
    ledger_community_id: int

    class Meta:
        table = "district"
        unique_together = (("city", "name"),)


class Street(Model):
    id = fields.IntField(primary_key=True)
    district: fields.ForeignKeyRelation[District] = fields.ForeignKeyField(
        "models.District", related_name="streets", on_delete=fields.RESTRICT
    )
    name = fields.CharField(max_length=100)
    area: Any = fields.JSONField(default=list)

    district_id: int

    class Meta:
        table = "street"
        unique_together = (("district", "name"),)


class StreetCommunity(Model):
    """A community belongs to one street."""

    id = fields.IntField(primary_key=True)
    street: fields.ForeignKeyRelation[Street] = fields.ForeignKeyField(
        "models.Street", related_name="communities", on_delete=fields.RESTRICT
    )
    district: fields.ForeignKeyRelation[District] = fields.ForeignKeyField(
        "models.District", related_name="communities", on_delete=fields.RESTRICT
    )
    community: fields.OneToOneRelation[Community] = fields.OneToOneField(
        "models.Community", related_name="street_link", on_delete=fields.RESTRICT
    )

    street_id: int
    district_id: int
    community_id: int

    class Meta:
        table = "street_community"


class CompoundArea(Model):
    """Where a compound lies on the map, so a snapped location finds its community."""

    id = fields.IntField(primary_key=True)
    district: fields.ForeignKeyRelation[District] = fields.ForeignKeyField(
        "models.District", related_name="compound_areas", on_delete=fields.RESTRICT
    )
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="compound_areas", on_delete=fields.RESTRICT
    )
    compound: fields.OneToOneRelation[Compound] = fields.OneToOneField(
        "models.Compound", related_name="area", on_delete=fields.CASCADE
    )
    area: Any = fields.JSONField(default=list)

    district_id: int
    community_id: int
    compound_id: int

    class Meta:
        table = "compound_area"


class Department(Model):
    """A department (职能部门) of a district: 住建, 城管, 供水, 供电 …"""

    id = fields.IntField(primary_key=True)
    district: fields.ForeignKeyRelation[District] = fields.ForeignKeyField(
        "models.District", related_name="departments", on_delete=fields.RESTRICT
    )
    name = fields.CharField(max_length=100)

    district_id: int

    class Meta:
        table = "department"
        unique_together = (("district", "name"),)


class DepartmentCategory(Model):
    """A category a department owns; one owner per category in a district."""

    id = fields.IntField(primary_key=True)
    district: fields.ForeignKeyRelation[District] = fields.ForeignKeyField(
        "models.District", related_name="category_owners", on_delete=fields.RESTRICT
    )
    department: fields.ForeignKeyRelation[Department] = fields.ForeignKeyField(
        "models.Department", related_name="categories", on_delete=fields.CASCADE
    )
    category = fields.CharEnumField(ReportCategory, max_length=30)

    district_id: int
    department_id: int

    class Meta:
        table = "department_category"
        unique_together = (("district", "category"),)


class DistrictRoleKind(StrEnum):
    STREET_LIAISON = "street_liaison"  # 街道联络员: street set
    DISTRICT_COORDINATOR = "district_coordinator"  # 区协调 (营商局)
    DEPARTMENT_MEMBER = "department_member"  # department set
    OUTPOST_REPORTER = "outpost_reporter"  # 前哨: street set, or null for the whole district


class DistrictRole(Model):
    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="district_roles", on_delete=fields.CASCADE
    )
    district: fields.ForeignKeyRelation[District] = fields.ForeignKeyField(
        "models.District", related_name="roles", on_delete=fields.RESTRICT
    )
    street: fields.ForeignKeyNullableRelation[Street] = fields.ForeignKeyField(
        "models.Street", related_name="roles", null=True, on_delete=fields.RESTRICT
    )
    department: fields.ForeignKeyNullableRelation[Department] = fields.ForeignKeyField(
        "models.Department", related_name="members", null=True, on_delete=fields.RESTRICT
    )
    role = fields.CharEnumField(DistrictRoleKind, max_length=30)
    # Who they are at the outpost (快递员, 社区工作者); shown on the ranking.
    title = fields.CharField(max_length=40, default="")
    # "<role>:<district>:<street or ->:<department or ->": one row per scope, nulls included.
    scope_key = fields.CharField(max_length=80)

    user_id: int
    district_id: int
    street_id: int | None
    department_id: int | None

    class Meta:
        table = "district_role"
        unique_together = (("user", "scope_key"),)
        indexes = (("district", "role"),)


class DispatchState(StrEnum):
    REFERRED = "referred"  # waiting for the street's liaison to claim (30 min)
    STREET_CLAIMED = "street_claimed"  # the liaison holds it: dispatch or send back
    DISPATCHED = "dispatched"  # waiting for the department to claim
    IN_PROGRESS = "in_progress"  # the department works it (48 h from dispatch)
    FED_BACK = "fed_back"  # the department reported back with proof
    CONFIRMED = "confirmed"  # the reporter (or 7 days) accepted the feedback
    COORDINATION = "coordination"  # unclaimed or disputed: the district coordinator decides
    SENT_BACK = "sent_back"  # back to the community, with the liaison's reason


OPEN_DISPATCH_STATES = (
    DispatchState.REFERRED,
    DispatchState.STREET_CLAIMED,
    DispatchState.DISPATCHED,
    DispatchState.IN_PROGRESS,
    DispatchState.COORDINATION,
)


class DispatchSource(StrEnum):
    COMMUNITY = "community"  # staff of the community referred their report
    CLOCK = "clock"  # the community's report missed its resolution clock
    OUTPOST = "outpost"  # an outpost reporter snapped it outside every compound


class Dispatch(Model):
    id = fields.IntField(primary_key=True)
    district: fields.ForeignKeyRelation[District] = fields.ForeignKeyField(
        "models.District", related_name="dispatches", on_delete=fields.RESTRICT
    )
    street: fields.ForeignKeyRelation[Street] = fields.ForeignKeyField(
        "models.Street", related_name="dispatches", on_delete=fields.RESTRICT
    )
    community: fields.ForeignKeyNullableRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="dispatches", null=True, on_delete=fields.RESTRICT
    )
    # The community's report it carries beyond the community; unique: referred at most once.
    report: fields.ForeignKeyNullableRelation[Report] = fields.ForeignKeyField(
        "models.Report", related_name="dispatches", null=True, unique=True, on_delete=fields.RESTRICT
    )
    department: fields.ForeignKeyNullableRelation[Department] = fields.ForeignKeyField(
        "models.Department", related_name="dispatches", null=True, on_delete=fields.RESTRICT
    )
    source = fields.CharEnumField(DispatchSource, max_length=20)
    category = fields.CharEnumField(ReportCategory, max_length=30)
    text = fields.CharField(max_length=1000)
    latitude = fields.FloatField(null=True)
    longitude = fields.FloatField(null=True)
    address = fields.CharField(max_length=200, default="")
    reporter: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="dispatches_reported", on_delete=fields.RESTRICT
    )
    idempotency_key = fields.CharField(max_length=64, null=True)
    state = fields.CharEnumField(DispatchState, max_length=20, default=DispatchState.REFERRED)
    street_claimed_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="dispatches_street_claimed", null=True, on_delete=fields.RESTRICT
    )
    department_claimed_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="dispatches_department_claimed", null=True, on_delete=fields.RESTRICT
    )
    # Each step's clock: the street claims (30 min), the department claims (30 min), fixes (48 h).
    street_claim_due_at = fields.DatetimeField()
    department_claim_due_at = fields.DatetimeField(null=True)
    fix_due_at = fields.DatetimeField(null=True)
    street_claimed_at = fields.DatetimeField(null=True)
    dispatched_at = fields.DatetimeField(null=True)
    department_claimed_at = fields.DatetimeField(null=True)
    fed_back_at = fields.DatetimeField(null=True)
    fix_escalated_at = fields.DatetimeField(null=True)
    coordination_at = fields.DatetimeField(null=True)
    feedback_note = fields.CharField(max_length=1000, default="")
    send_back_reason = fields.CharField(max_length=1000, default="")
    rating = fields.SmallIntField(null=True)
    closed_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    district_id: int
    street_id: int
    community_id: int | None
    report_id: int | None
    department_id: int | None
    reporter_id: int
    street_claimed_by_id: int | None
    department_claimed_by_id: int | None

    class Meta:
        table = "dispatch"
        unique_together = (("reporter", "idempotency_key"),)
        indexes = (("district", "state"), ("street", "state"), ("department", "state"))


class DispatchEventKind(StrEnum):
    OPENED = "opened"
    STREET_CLAIMED = "street_claimed"
    DISPATCHED = "dispatched"
    SENT_BACK = "sent_back"
    DEPARTMENT_CLAIMED = "department_claimed"
    DISPUTED = "disputed"
    FED_BACK = "fed_back"
    CONFIRMED = "confirmed"
    AUTO_CONFIRMED = "auto_confirmed"
    ESCALATED = "escalated"


class DispatchEvent(Model):
    """One step of a dispatch's timeline, public to the community and the reporter."""

    id = fields.IntField(primary_key=True)
    dispatch: fields.ForeignKeyRelation[Dispatch] = fields.ForeignKeyField(
        "models.Dispatch", related_name="events", on_delete=fields.CASCADE
    )
    actor: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="dispatch_events", null=True, on_delete=fields.RESTRICT
    )
    kind = fields.CharEnumField(DispatchEventKind, max_length=20)
    from_state = fields.CharEnumField(DispatchState, max_length=20, null=True)
    to_state = fields.CharEnumField(DispatchState, max_length=20, null=True)
    department: fields.ForeignKeyNullableRelation[Department] = fields.ForeignKeyField(
        "models.Department", related_name="dispatch_events", null=True, on_delete=fields.RESTRICT
    )
    # The step in English (logs); `note_id` and `note_params` keep the text (runtime.i18n) so
    # each reader sees it in their language, a person's own words (a reason) as a parameter.
    note = fields.CharField(max_length=1000, default="")
    note_id = fields.CharField(max_length=300, default="")
    note_params: Any = fields.JSONField(null=True)
    created_at = fields.DatetimeField()

    dispatch_id: int
    actor_id: int | None
    department_id: int | None

    class Meta:
        table = "dispatch_event"
        indexes = (("dispatch", "id"),)


class DispatchPhoto(Model):
    id = fields.IntField(primary_key=True)
    dispatch: fields.ForeignKeyRelation[Dispatch] = fields.ForeignKeyField(
        "models.Dispatch", related_name="photos", on_delete=fields.CASCADE
    )
    proof = fields.BooleanField(default=False)  # taken by the department with its feedback
    uploaded_by: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="dispatch_photos", on_delete=fields.RESTRICT
    )
    storage_key = fields.CharField(max_length=200, unique=True)
    content_type = fields.CharField(max_length=40)
    size = fields.IntField()
    created_at = fields.DatetimeField()

    dispatch_id: int
    uploaded_by_id: int

    class Meta:
        table = "dispatch_photo"


class OutpostSnap(Model):
    """One problem an outpost reporter snapped (随手拍), and where it went: a community's report
    when a compound holds the spot, else a dispatch on the street. The monthly outpost ranking
    counts these; the points are paid on the district's ledger when the problem is taken up."""

    id = fields.IntField(primary_key=True)
    district: fields.ForeignKeyRelation[District] = fields.ForeignKeyField(
        "models.District", related_name="outpost_snaps", on_delete=fields.RESTRICT
    )
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="outpost_snaps", on_delete=fields.RESTRICT
    )
    report: fields.ForeignKeyNullableRelation[Report] = fields.ForeignKeyField(
        "models.Report", related_name="outpost_snap", null=True, unique=True, on_delete=fields.RESTRICT
    )
    dispatch: fields.ForeignKeyNullableRelation[Dispatch] = fields.ForeignKeyField(
        "models.Dispatch", related_name="outpost_snap", null=True, unique=True, on_delete=fields.RESTRICT
    )
    idempotency_key = fields.CharField(max_length=64, null=True)
    # The month in the district's time zone (YYYY-MM), for the ranking.
    month = fields.CharField(max_length=7)
    created_at = fields.DatetimeField()

    district_id: int
    user_id: int
    report_id: int | None
    dispatch_id: int | None

    class Meta:
        table = "outpost_snap"
        unique_together = (("user", "idempotency_key"),)
        indexes = (("district", "month"),)


class OutpostReward(Model):
    """A cash reward the district paid for its monthly outpost ranking (排名奖励), in its own
    public accounts: who, for which month and rank, how much (fen). A mistake is a reversal
    (a row with `reverses_id` and the negative amount), never an edit."""

    id = fields.IntField(primary_key=True)
    district: fields.ForeignKeyRelation[District] = fields.ForeignKeyField(
        "models.District", related_name="outpost_rewards", on_delete=fields.RESTRICT
    )
    month = fields.CharField(max_length=7)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="outpost_rewards", on_delete=fields.RESTRICT
    )
    rank = fields.IntField()
    amount_fen = fields.IntField()
    # Unique: a reward is reversed at most once (a plain column, as account_entry.corrects_id).
    reverses_id = fields.IntField(null=True, unique=True)
    # "<district>:<month>:<user>" for a payment; null on a reversal. One payment per person and
    # month, so a replayed request cannot pay twice.
    payment_key = fields.CharField(max_length=60, null=True, unique=True)
    entered_by: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="outpost_rewards_entered", on_delete=fields.RESTRICT
    )
    created_at = fields.DatetimeField()

    district_id: int
    user_id: int
    entered_by_id: int

    class Meta:
        table = "outpost_reward"
        indexes = (("district", "month"),)
