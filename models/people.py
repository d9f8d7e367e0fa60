"""Users and what they are in each community."""

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

from models.enums import Role

if TYPE_CHECKING:
    from models.places import Community, Household


class User(Model):
    id = fields.IntField(primary_key=True)
    # E.164, normalised by services.phones before it is stored. Null for a member the office
    # registered without one (many elderly residents have no phone): unique only when present, as
    # a UNIQUE column is on both SQLite and PostgreSQL (NULLs never collide). Such an account
    # cannot sign in until the office gives it a phone and a password.
    phone = fields.CharField(max_length=20, unique=True, null=True)
    # "!" for an account made by the office without a password: no argon2 hash ever matches it.
    password_hash = fields.CharField(max_length=200)
    display_name = fields.CharField(max_length=60)
    is_active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "user_account"


class Membership(Model):
    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="memberships", on_delete=fields.CASCADE
    )
    community: fields.ForeignKeyRelation["Community"] = fields.ForeignKeyField(
        "models.Community", related_name="memberships", on_delete=fields.RESTRICT
    )
    household: fields.ForeignKeyNullableRelation["Household"] = fields.ForeignKeyField(
        "models.Household", related_name="memberships", null=True, on_delete=fields.SET_NULL
    )
    joined_at = fields.DatetimeField(auto_now_add=True)

    user_id: int
    community_id: int
    household_id: int | None

    class Meta:
        table = "membership"
        unique_together = (("user", "community"),)


class MembershipRole(Model):
    """One row per role so "every repairer of this community" is an indexed lookup."""

    id = fields.IntField(primary_key=True)
    membership: fields.ForeignKeyRelation[Membership] = fields.ForeignKeyField(
        "models.Membership", related_name="roles", on_delete=fields.CASCADE
    )
    community: fields.ForeignKeyRelation["Community"] = fields.ForeignKeyField(
        "models.Community", related_name="member_roles", on_delete=fields.RESTRICT
    )
    # The column's comment stays the one the table was made with: aerich cannot alter a comment on
    # SQLite, and tortoise would otherwise derive it from the enum, which grew observer and mediator.
    role = fields.CharEnumField(
        Role,
        max_length=20,
        description="RESIDENT: resident\nVOLUNTEER: volunteer\nCAPTAIN: captain\nREPAIRER: repairer\n"
        "CLEANER: cleaner\nSTAFF: staff\nADMIN: admin",
    )

    membership_id: int
    community_id: int

    class Meta:
        table = "membership_role"
        unique_together = (("membership", "role"),)
        indexes = (("community", "role"),)


class Invite(Model):
    """A code staff hand out to let someone join a community, maybe bound to a household."""

    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation["Community"] = fields.ForeignKeyField(
        "models.Community", related_name="invites", on_delete=fields.RESTRICT
    )
    household: fields.ForeignKeyNullableRelation["Household"] = fields.ForeignKeyField(
        "models.Household", related_name="invites", null=True, on_delete=fields.SET_NULL
    )
    # sha256 of the code: the code itself is shown once, when it is created.
    code_hash = fields.CharField(max_length=64, unique=True)
    roles: Any = fields.JSONField(default=list)
    max_uses = fields.IntField(default=1)
    uses = fields.IntField(default=0)
    expires_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="invites_created", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    community_id: int
    household_id: int | None

    class Meta:
        table = "invite"
