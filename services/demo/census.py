"""What the demo communities hold, by name: read back rather than remembered, so a second run
reports the same numbers as the first and a test can compare two runs."""

from __future__ import annotations

from tortoise.functions import Count
from tortoise.models import Model

from models.boards import Inspection, MonthClose
from models.fees import FeeBill, FeePayment
from models.ledger import PointTransfer
from models.mediation_room import MediationCase
from models.observers import DisputeIntervention, ObserverVisit
from models.open_books import AccountEntry
from models.places import Community
from models.reports import Report, ReportMaterial, ReportPhoto
from models.rewards import Redemption, Reward
from models.round_table import AgendaTopic, Meeting, TopicVote
from models.tags import Tag
from models.teams import Activity, ActivityLog, Attendance, Emergency, Team, TeamMember
from models.voice import Opinion, Survey, SurveyResponse
from services.demo import register

_STORY: dict[str, type[Model]] = {
    "tags": Tag,
    "teams": Team,
    "team_members": TeamMember,
    "activities": Activity,
    "attendances": Attendance,
    "activity_logs": ActivityLog,
    "emergencies": Emergency,
    "reports": Report,
    "rewards": Reward,
    "redemptions": Redemption,
    "inspections": Inspection,
    "month_closes": MonthClose,
    "opinions": Opinion,
    "observer_visits": ObserverVisit,
    "dispute_interventions": DisputeIntervention,
    "mediation_cases": MediationCase,
    "meetings": Meeting,
    "agenda_topics": AgendaTopic,
    "surveys": Survey,
    "survey_responses": SurveyResponse,
    "account_entries": AccountEntry,
    "fee_bills": FeeBill,
    "fee_payments": FeePayment,
}


async def counts() -> dict[str, int]:
    found = await register.counts()
    community = await Community.get_or_none(slug=register.HONGXING)
    if community is None:
        return found
    scope = {"community_id": community.id}
    for name, model in _STORY.items():
        found[name] = await model.filter(**scope).count()
    found["report_photos"] = await ReportPhoto.filter(report__community_id=community.id).count()
    found["report_materials"] = await ReportMaterial.filter(report__community_id=community.id).count()
    found["votes"] = await TopicVote.filter(topic__community_id=community.id).count()
    found["point_transfers"] = await PointTransfer.filter(**scope).count()
    states = await Report.filter(**scope).annotate(n=Count("id")).group_by("state").values_list("state", "n")
    for state, n in states:
        found[f"reports_{state}"] = n
    return found
