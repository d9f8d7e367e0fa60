"""What the demo communities hold, by name: read back rather than remembered, so a second run
reports the same numbers as the first and a test can compare two runs."""

from __future__ import annotations

from tortoise.functions import Count
from tortoise.models import Model

from models.boards import Inspection, MonthClose
from models.district import Dispatch, OutpostReward
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
from runtime.i18n import N_, Label, label, render, translate
from services.demo import register
from services.demo.district import DISTRICT

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
    # The district's: its dispatches (street snaps hold no community) and the rewards it paid.
    found["dispatches"] = await Dispatch.filter(district__name=DISTRICT).count()
    found["outpost_rewards"] = await OutpostReward.filter(district__name=DISTRICT).count()
    found["district_point_transfers"] = await PointTransfer.filter(
        community__ledger_of_district__name=DISTRICT
    ).count()
    return found


# The words of the counts, as the operator reads them after seeding (binhe_ counts are 滨河社区's).
WORDS: dict[str, Label] = {
    "compounds": label("demo count", "compounds"),
    "buildings": label("demo count", "buildings"),
    "entrances": label("demo count", "entrances"),
    "households": label("demo count", "households"),
    "assets": label("demo count", "assets"),
    "care_tags": label("demo count", "care tags"),
    "members": label("demo count", "members"),
    "residents": label("demo count", "residents"),
    "volunteers": label("demo count", "volunteers"),
    "captains": label("demo count", "captains"),
    "repairers": label("demo count", "repairers"),
    "cleaners": label("demo count", "cleaners"),
    "staff": label("demo count", "office staff"),
    "admins": label("demo count", "administrators"),
    "observers": label("demo count", "home observers"),
    "mediators": label("demo count", "mediators"),
    "tags": label("demo count", "QR tags"),
    "teams": label("demo count", "teams"),
    "team_members": label("demo count", "team members"),
    "activities": label("demo count", "activities"),
    "attendances": label("demo count", "attendances"),
    "activity_logs": label("demo count", "activity logs"),
    "emergencies": label("demo count", "emergencies"),
    "reports": label("demo count", "reports"),
    "rewards": label("demo count", "rewards"),
    "redemptions": label("demo count", "redemptions"),
    "inspections": label("demo count", "inspections"),
    "month_closes": label("demo count", "months closed"),
    "opinions": label("demo count", "opinions"),
    "observer_visits": label("demo count", "observer visits"),
    "dispute_interventions": label("demo count", "disputes stepped into"),
    "mediation_cases": label("demo count", "mediation cases"),
    "meetings": label("demo count", "meetings"),
    "agenda_topics": label("demo count", "agenda topics"),
    "surveys": label("demo count", "surveys"),
    "survey_responses": label("demo count", "survey answers"),
    "account_entries": label("demo count", "account entries"),
    "fee_bills": label("demo count", "fee bills"),
    "fee_payments": label("demo count", "fee payments"),
    "report_photos": label("demo count", "report photos"),
    "report_materials": label("demo count", "repair materials"),
    "votes": label("demo count", "votes"),
    "point_transfers": label("demo count", "point transfers"),
    "reports_open": label("demo count", "reports open"),
    "reports_claimed": label("demo count", "reports claimed"),
    "reports_resolved": label("demo count", "reports resolved"),
    "reports_confirmed": label("demo count", "reports confirmed"),
    "reports_reopened": label("demo count", "reports reopened"),
    "reports_rejected": label("demo count", "reports rejected"),
    "reports_cancelled": label("demo count", "reports cancelled"),
    "dispatches": label("demo count", "dispatches beyond the community"),
    "outpost_rewards": label("demo count", "outpost cash rewards"),
    "district_point_transfers": label("demo count", "district point transfers"),
}
# The district's counts, said on a line of their own after the communities'.
DISTRICT_COUNTS = ("dispatches", "outpost_rewards", "district_point_transfers")


def summary(counts: dict[str, int], language: str) -> list[str]:
    """One line per demo community, "红星社区：小区 8，楼栋 34，…", then the district's, in
    `language`. Every count has its words (WORDS): a new count without them fails here, rather
    than printing its English key to the operator."""
    lines = []
    district = {key: counts[key] for key in DISTRICT_COUNTS if key in counts}
    for name, mine in (
        ("红星社区", {k: n for k, n in counts.items() if not k.startswith("binhe_") and k not in district}),
        ("滨河社区", {k[len("binhe_") :]: n for k, n in counts.items() if k.startswith("binhe_")}),
        (DISTRICT, district),
    ):
        if not mine:
            continue
        words = [(WORDS[key], n) for key, n in mine.items()]
        items = [render(N_("{what} {count}"), {"what": what, "count": n}, language) for what, n in words]
        lines.append(
            render(
                N_("{community}: {counts}"),
                {"community": name, "counts": translate(N_(", "), language).join(items)},
                language,
            )
        )
    return lines
