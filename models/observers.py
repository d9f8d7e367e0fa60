"""Home observers (家园观察员): who is posted to which compound, what they saw on each visit, the
opinions they took down for residents, and the disputes they stepped into early.

Rows carry `community_id` like every tenant row, so a tenant filter is one indexed column.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.teams import MediationCategory

if TYPE_CHECKING:
    from models.mediation_room import MediationCase
    from models.people import User
    from models.places import Community, Compound
    from models.voice import Opinion


class ObserverPost(Model):
    """The office appointed someone observer of a compound. One person may watch several."""

    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="observer_posts", on_delete=fields.RESTRICT
    )
    compound: fields.ForeignKeyRelation[Compound] = fields.ForeignKeyField(
        "models.Compound", related_name="observer_posts", on_delete=fields.RESTRICT
    )
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="observer_posts", on_delete=fields.RESTRICT
    )
    appointed_by: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="observer_posts_made", on_delete=fields.RESTRICT
    )
    appointed_at = fields.DatetimeField()

    community_id: int
    compound_id: int
    user_id: int
    appointed_by_id: int

    class Meta:
        table = "observer_post"
        unique_together = (("compound", "user"),)
        indexes = (("community", "user"),)


class ObserverVisit(Model):
    """One walk through the compound: when, where in it, and what was seen."""

    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="observer_visits", on_delete=fields.RESTRICT
    )
    compound: fields.ForeignKeyRelation[Compound] = fields.ForeignKeyField(
        "models.Compound", related_name="observer_visits", on_delete=fields.RESTRICT
    )
    observer: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="observer_visits", on_delete=fields.RESTRICT
    )
    visited_at = fields.DatetimeField()
    spot = fields.CharField(max_length=200)  # where in the compound: "3号楼北侧车棚"
    seen = fields.CharField(max_length=1000)
    idempotency_key = fields.CharField(max_length=64)
    created_at = fields.DatetimeField()

    community_id: int
    compound_id: int
    observer_id: int

    class Meta:
        table = "observer_visit"
        unique_together = (("observer", "idempotency_key"),)
        indexes = (("community", "visited_at"),)


class VisitOpinion(Model):
    """An opinion (services.opinions) the observer took down for residents during a visit."""

    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="visit_opinions", on_delete=fields.RESTRICT
    )
    visit: fields.ForeignKeyRelation[ObserverVisit] = fields.ForeignKeyField(
        "models.ObserverVisit", related_name="opinions", on_delete=fields.RESTRICT
    )
    opinion: fields.OneToOneRelation[Opinion] = fields.OneToOneField(
        "models.Opinion", related_name="visit_link", on_delete=fields.RESTRICT
    )

    community_id: int
    visit_id: int
    opinion_id: int

    class Meta:
        table = "visit_opinion"
        indexes = (("visit", "id"),)


class DisputeIntervention(Model):
    """The observer stepped into a dispute early: settled on the spot, or later referred to the
    mediation room (`case`). The summary names people, so only the observers' office sees it."""

    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="dispute_interventions", on_delete=fields.RESTRICT
    )
    visit: fields.ForeignKeyRelation[ObserverVisit] = fields.ForeignKeyField(
        "models.ObserverVisit", related_name="interventions", on_delete=fields.RESTRICT
    )
    observer: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="dispute_interventions", on_delete=fields.RESTRICT
    )
    category = fields.CharEnumField(MediationCategory, max_length=20)
    summary = fields.CharField(max_length=1000)
    settled_on_spot = fields.BooleanField(default=False)
    case: fields.OneToOneNullableRelation[MediationCase] = fields.OneToOneField(
        "models.MediationCase", related_name="intervention", null=True, on_delete=fields.RESTRICT
    )
    created_at = fields.DatetimeField()

    community_id: int
    visit_id: int
    observer_id: int
    case_id: int | None

    class Meta:
        table = "dispute_intervention"
        indexes = (("community", "created_at"), ("visit", "id"))


class ObserverVisitPhoto(Model):
    """A photo taken on a visit, kept in the PhotoStorage (services.photo_storage) under
    `visits/<community>/<random>.<ext>`, cleaned like every photo (EXIF and GPS dropped)."""

    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="observer_visit_photos", on_delete=fields.RESTRICT
    )
    visit: fields.ForeignKeyRelation[ObserverVisit] = fields.ForeignKeyField(
        "models.ObserverVisit", related_name="photos", on_delete=fields.RESTRICT
    )
    storage_key = fields.CharField(max_length=200, unique=True)
    content_type = fields.CharField(max_length=40)
    width = fields.IntField()
    height = fields.IntField()
    size = fields.IntField()
    created_at = fields.DatetimeField()

    community_id: int
    visit_id: int

    class Meta:
        table = "observer_visit_photo"
        indexes = (("visit", "id"),)


class AppointedAs(StrEnum):
    OBSERVER = "observer"  # 家园观察员 of a compound
    MEDIATOR = "mediator"  # 红色调解室


class AppointmentEventKind(StrEnum):
    APPOINTED = "appointed"
    STOOD_DOWN = "stood_down"


class AppointmentEvent(Model):
    """The office's record of who it appointed or stood down as observer (of which compound) or
    mediator, when, by whom and why: a stand-down deletes the post or the role, this row stays."""

    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="appointment_events", on_delete=fields.RESTRICT
    )
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="appointment_events", on_delete=fields.RESTRICT
    )
    appointed_as = fields.CharEnumField(AppointedAs, max_length=20)
    compound: fields.ForeignKeyNullableRelation[Compound] = fields.ForeignKeyField(
        "models.Compound", related_name="appointment_events", null=True, on_delete=fields.RESTRICT
    )
    kind = fields.CharEnumField(AppointmentEventKind, max_length=20)
    reason = fields.CharField(max_length=300, default="")
    by: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="appointment_events_made", on_delete=fields.RESTRICT
    )
    at = fields.DatetimeField()

    community_id: int
    user_id: int
    compound_id: int | None
    by_id: int

    class Meta:
        table = "appointment_event"
        indexes = (("community", "user"),)
