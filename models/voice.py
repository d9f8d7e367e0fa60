"""Residents' voice: opinions and their support, satisfaction surveys and their answers.

Rows carry `community_id` like every tenant row, so a tenant filter is one indexed column.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.people import User
    from models.places import Community
    from models.teams import Team


class OpinionKind(StrEnum):
    SUGGESTION = "suggestion"
    COMPLAINT = "complaint"


class OpinionTopic(StrEnum):
    """What an opinion is about: the community's life, not a repair (those are reports)."""

    PARKING = "parking"
    GREENING = "greening"
    NOISE = "noise"
    SANITATION = "sanitation"
    SAFETY = "safety"
    FACILITIES = "facilities"
    FEES = "fees"
    SERVICE = "service"
    OTHER = "other"


class OpinionStatus(StrEnum):
    OPEN = "open"  # collected, waiting for the office
    ADOPTED = "adopted"  # the office will act; `action` says what
    DONE = "done"  # an adopted opinion whose action is carried out
    ANSWERED = "answered"  # explained, nothing to change
    DECLINED = "declined"  # not taken up; `answer` gives the reason


class Opinion(Model):
    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="opinions", on_delete=fields.RESTRICT
    )
    author: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="opinions", on_delete=fields.RESTRICT
    )
    kind = fields.CharEnumField(OpinionKind, max_length=20)
    topic = fields.CharEnumField(OpinionTopic, max_length=20)
    text = fields.CharField(max_length=1000)
    status = fields.CharEnumField(OpinionStatus, max_length=20, default=OpinionStatus.OPEN)
    support_count = fields.IntField(default=0)
    answer = fields.CharField(max_length=1000, default="")  # the reply, or the reason declined
    action = fields.CharField(max_length=1000, default="")  # for adopted ones: what will be done
    answered_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="opinions_answered", null=True, on_delete=fields.RESTRICT
    )
    answered_at = fields.DatetimeField(null=True)
    done_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()

    community_id: int
    author_id: int
    answered_by_id: int | None

    class Meta:
        table = "opinion"
        indexes = (("community", "status"),)


class OpinionSupport(Model):
    """Someone else agrees. Once per person per opinion."""

    id = fields.IntField(primary_key=True)
    opinion: fields.ForeignKeyRelation[Opinion] = fields.ForeignKeyField(
        "models.Opinion", related_name="supports", on_delete=fields.CASCADE
    )
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="opinion_supports", on_delete=fields.CASCADE
    )
    created_at = fields.DatetimeField()

    opinion_id: int
    user_id: int

    class Meta:
        table = "opinion_support"
        unique_together = (("opinion", "user"),)


class Survey(Model):
    """A short satisfaction survey: each question is answered 1 (poor) to 5 (very good)."""

    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="surveys", on_delete=fields.RESTRICT
    )
    # The team the survey is about (e.g. the cleaners), or None for the service as a whole.
    team: fields.ForeignKeyNullableRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="surveys", null=True, on_delete=fields.RESTRICT
    )
    title = fields.CharField(max_length=200)
    questions: Any = fields.JSONField()  # list[str]
    opens_at = fields.DatetimeField()
    closes_at = fields.DatetimeField()
    created_by: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="surveys_created", on_delete=fields.RESTRICT
    )
    created_at = fields.DatetimeField()

    community_id: int
    team_id: int | None
    created_by_id: int

    class Meta:
        table = "survey"
        indexes = (("community", "opens_at"),)


class SurveyResponse(Model):
    """One member's answers to one survey, one score per question, in the questions' order."""

    id = fields.IntField(primary_key=True)
    survey: fields.ForeignKeyRelation[Survey] = fields.ForeignKeyField(
        "models.Survey", related_name="responses", on_delete=fields.CASCADE
    )
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="survey_responses", on_delete=fields.RESTRICT
    )
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="survey_responses", on_delete=fields.CASCADE
    )
    scores: Any = fields.JSONField()  # list[int], each 1..5
    month = fields.CharField(max_length=7)  # YYYY-MM in the community's time zone
    created_at = fields.DatetimeField()

    survey_id: int
    community_id: int
    user_id: int

    class Meta:
        table = "survey_response"
        unique_together = (("survey", "user"),)
        indexes = (("community", "month"),)
