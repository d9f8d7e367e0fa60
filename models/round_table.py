"""The round-table: the residents' consultation meeting, its agenda, attendance, and votes."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

from models.enums import ReportCategory

if TYPE_CHECKING:
    from models.people import User
    from models.places import Community, Household
    from models.voice import Opinion


class TopicSource(StrEnum):
    STAFF = "staff"  # put on the agenda by the office directly
    OPINION = "opinion"  # from a resident's opinion
    REPORTS = "reports"  # from a cluster of repeated reports at one place


class Meeting(Model):
    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="meetings", on_delete=fields.RESTRICT
    )
    title = fields.CharField(max_length=200)
    location = fields.CharField(max_length=200, default="")
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    created_by: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="meetings_created", on_delete=fields.RESTRICT
    )
    created_at = fields.DatetimeField()

    community_id: int
    created_by_id: int

    class Meta:
        table = "meeting"
        indexes = (("community", "starts_at"),)


class MeetingAttendance(Model):
    """Someone was there: checked in with the meeting's rotating code. Once per person."""

    id = fields.IntField(primary_key=True)
    meeting: fields.ForeignKeyRelation[Meeting] = fields.ForeignKeyField(
        "models.Meeting", related_name="attendances", on_delete=fields.CASCADE
    )
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="meeting_attendances", on_delete=fields.CASCADE
    )
    checked_in_at = fields.DatetimeField()

    meeting_id: int
    user_id: int

    class Meta:
        table = "meeting_attendance"
        unique_together = (("meeting", "user"),)


class AgendaTopic(Model):
    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="agenda_topics", on_delete=fields.RESTRICT
    )
    meeting: fields.ForeignKeyRelation[Meeting] = fields.ForeignKeyField(
        "models.Meeting", related_name="topics", on_delete=fields.RESTRICT
    )
    title = fields.CharField(max_length=200)
    source = fields.CharEnumField(TopicSource, max_length=10)
    opinion: fields.ForeignKeyNullableRelation[Opinion] = fields.ForeignKeyField(
        "models.Opinion", related_name="agenda_topics", null=True, on_delete=fields.RESTRICT
    )
    # For a topic from repeated reports: the category and the place (as "<Type>:<id>").
    report_category = fields.CharEnumField(ReportCategory, max_length=30, null=True)
    report_place = fields.CharField(max_length=40, default="")
    # Empty: yes / no / abstain. Otherwise the choices, voted by their text.
    choices: Any = fields.JSONField(default=list)
    one_vote_per_household = fields.BooleanField(default=False)
    closed_at = fields.DatetimeField(null=True)
    decision = fields.CharField(max_length=1000, default="")
    follow_up_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="topics_followed_up", null=True, on_delete=fields.RESTRICT
    )
    follow_up = fields.CharField(max_length=500, default="")
    created_at = fields.DatetimeField()

    community_id: int
    meeting_id: int
    opinion_id: int | None
    follow_up_by_id: int | None

    class Meta:
        table = "agenda_topic"


class TopicVote(Model):
    """One vote per person per topic; with one vote per household, also one per household."""

    id = fields.IntField(primary_key=True)
    topic: fields.ForeignKeyRelation[AgendaTopic] = fields.ForeignKeyField(
        "models.AgendaTopic", related_name="votes", on_delete=fields.CASCADE
    )
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="topic_votes", on_delete=fields.CASCADE
    )
    # Set only when the topic takes one vote per household; NULLs never collide in the unique index.
    household: fields.ForeignKeyNullableRelation[Household] = fields.ForeignKeyField(
        "models.Household", related_name="topic_votes", null=True, on_delete=fields.RESTRICT
    )
    choice = fields.CharField(max_length=100)
    created_at = fields.DatetimeField()

    topic_id: int
    user_id: int
    household_id: int | None

    class Meta:
        table = "topic_vote"
        unique_together = (("topic", "user"), ("topic", "household"))
