"""The round-table: staff set a meeting and its agenda (from opinions, from clusters of repeated
reports the app suggests, or directly), members check in with the meeting's rotating code and
vote once per topic, and staff record the decision and who follows it up. Results are public to
the community's members."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.enums import ReportCategory
from models.people import Membership
from models.reports import Report
from models.round_table import AgendaTopic, Meeting, MeetingAttendance, TopicSource, TopicVote
from models.voice import Opinion
from runtime import clock
from runtime.i18n import N_
from services.access import Viewer
from services.errors import DomainError, ErrorCode
from services.teams import checkin_codes

CODE_PURPOSE = "meeting"  # a meeting's code is never an activity's, nor the other way round
EARLY_CHECK_IN = timedelta(minutes=30)
YES_NO_ABSTAIN = ("yes", "no", "abstain")
CLUSTER_DAYS = 90
CLUSTER_MIN_REPORTS = 3
MAX_CHOICES = 10


@dataclass(frozen=True)
class ReportCluster:
    """Repeated reports of one category at one place: a candidate topic."""

    place_type: str
    place_id: int
    category: ReportCategory
    reports: int


@dataclass(frozen=True)
class TopicResult:
    choice: str
    votes: int


def _text(value: str, field: str, limit: int, required: bool = True) -> str:
    text = value.strip()
    if (required and not text) or len(text) > limit:
        raise DomainError(ErrorCode.INVALID_INPUT, N_("1 to {limit} characters."), field, limit=limit)
    return text


async def create_meeting(
    viewer: Viewer, community_id: int, title: str, location: str, starts_at: datetime, ends_at: datetime
) -> Meeting:
    viewer.require_manager(community_id)
    if ends_at <= starts_at:
        raise DomainError(ErrorCode.INVALID_INPUT, N_("A meeting ends after it starts."), "endsAt")
    return await Meeting.create(
        community_id=community_id,
        title=_text(title, "title", 200),
        location=_text(location, "location", 200, required=False),
        starts_at=starts_at,
        ends_at=ends_at,
        created_by_id=viewer.user_id,
        created_at=clock.now(),
    )


async def get_meeting(viewer: Viewer, meeting_id: int, field: str = "meetingId") -> Meeting:
    meeting = await Meeting.get_or_none(id=meeting_id)
    if meeting is None or not viewer.is_member(meeting.community_id):
        raise DomainError(ErrorCode.NOT_FOUND, N_("No such meeting."), field)
    return meeting


async def get_topic(viewer: Viewer, topic_id: int, field: str = "topicId") -> AgendaTopic:
    topic = await AgendaTopic.get_or_none(id=topic_id)
    if topic is None or not viewer.is_member(topic.community_id):
        raise DomainError(ErrorCode.NOT_FOUND, N_("No such topic."), field)
    return topic


async def add_topic(
    viewer: Viewer,
    meeting: Meeting,
    title: str,
    *,
    opinion_id: int | None = None,
    report_category: ReportCategory | None = None,
    report_place: str = "",
    choices: list[str] | None = None,
    one_vote_per_household: bool = False,
) -> AgendaTopic:
    viewer.require_manager(meeting.community_id)
    source = TopicSource.STAFF
    if opinion_id is not None:
        if not await Opinion.exists(id=opinion_id, community_id=meeting.community_id):
            raise DomainError(ErrorCode.NOT_FOUND, N_("No such opinion."), "opinionId")
        source = TopicSource.OPINION
    elif report_category is not None:
        source = TopicSource.REPORTS
    options = [c.strip() for c in choices or []]
    if options and (
        len(options) < 2
        or len(options) > MAX_CHOICES
        or len(set(options)) != len(options)
        or any(not c or len(c) > 100 for c in options)
    ):
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            N_("2 to {max_choices} different choices."),
            "choices",
            max_choices=MAX_CHOICES,
        )
    return await AgendaTopic.create(
        community_id=meeting.community_id,
        meeting_id=meeting.id,
        title=_text(title, "title", 200),
        source=source,
        opinion_id=opinion_id,
        report_category=report_category,
        report_place=report_place[:40],
        choices=options,
        one_vote_per_household=one_vote_per_household,
        created_at=clock.now(),
    )


async def suggested_clusters(viewer: Viewer, community_id: int) -> list[ReportCluster]:
    """Places with CLUSTER_MIN_REPORTS or more reports of one category in the last CLUSTER_DAYS,
    counted at the most precise place filed (entrance, else building, else compound)."""
    viewer.require_manager(community_id)
    since = clock.now() - timedelta(days=CLUSTER_DAYS)
    rows = await Report.filter(community_id=community_id, created_at__gte=since).values(
        "compound_id", "building_id", "entrance_id", "category"
    )
    counts: Counter[tuple[str, int, str]] = Counter()
    for row in rows:
        if row["entrance_id"] is not None:
            place = ("Entrance", int(row["entrance_id"]))
        elif row["building_id"] is not None:
            place = ("Building", int(row["building_id"]))
        else:
            place = ("Compound", int(row["compound_id"]))
        counts[(place[0], place[1], str(row["category"]))] += 1
    return [
        ReportCluster(kind, pid, ReportCategory(category), n)
        for (kind, pid, category), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if n >= CLUSTER_MIN_REPORTS
    ]


def meeting_code(viewer: Viewer, meeting: Meeting) -> tuple[str, int]:
    viewer.require_manager(meeting.community_id)
    now = clock.now()
    return checkin_codes.rotating_code(meeting.id, now, CODE_PURPOSE), checkin_codes.seconds_to_rotation(now)


async def check_in(viewer: Viewer, meeting: Meeting, code: str) -> MeetingAttendance:
    viewer.require_member(meeting.community_id)
    now = clock.now()
    if checkin_codes.verify_rotating_code(code, now, CODE_PURPOSE) != meeting.id:
        raise DomainError(
            ErrorCode.CHECKIN_CODE_WRONG_ACTIVITY, N_("This code is for another meeting."), "code"
        )
    if not meeting.starts_at - EARLY_CHECK_IN <= now <= meeting.ends_at:
        raise DomainError(ErrorCode.OUTSIDE_ACTIVITY_WINDOW, N_("The meeting is not on now."), "code")
    existing = await MeetingAttendance.get_or_none(meeting_id=meeting.id, user_id=viewer.user_id)
    if existing is not None:
        return existing  # checking in again returns the first
    try:
        async with in_transaction():
            return await MeetingAttendance.create(
                meeting_id=meeting.id, user_id=viewer.user_id, checked_in_at=now
            )
    except IntegrityError:
        return await MeetingAttendance.get(meeting_id=meeting.id, user_id=viewer.user_id)


async def attendance_count(meeting_id: int) -> int:
    return await MeetingAttendance.filter(meeting_id=meeting_id).count()


def allowed_choices(topic: AgendaTopic) -> tuple[str, ...]:
    return tuple(topic.choices) if topic.choices else YES_NO_ABSTAIN


async def vote(viewer: Viewer, topic: AgendaTopic, choice: str) -> TopicVote:
    viewer.require_member(topic.community_id)
    if topic.closed_at is not None:
        raise DomainError(ErrorCode.VOTING_CLOSED, N_("Voting on this topic has closed."), "topicId")
    if choice not in allowed_choices(topic):
        raise DomainError(ErrorCode.INVALID_INPUT, N_("Not one of the topic's choices."), "choice")
    household_id = None
    if topic.one_vote_per_household:
        household_id = viewer.households.get(topic.community_id)
        if household_id is None:
            raise DomainError(
                ErrorCode.NO_HOUSEHOLD, N_("This vote is by household; yours is not known."), "topicId"
            )
    if await TopicVote.exists(topic_id=topic.id, user_id=viewer.user_id):
        raise DomainError(ErrorCode.ALREADY_VOTED, N_("You voted on this topic."), "topicId")
    try:
        async with in_transaction():
            # Closing and voting race: re-read the topic inside the transaction.
            if await AgendaTopic.filter(id=topic.id, closed_at__not_isnull=True).exists():
                raise DomainError(ErrorCode.VOTING_CLOSED, N_("Voting on this topic has closed."), "topicId")
            return await TopicVote.create(
                topic_id=topic.id,
                user_id=viewer.user_id,
                household_id=household_id,
                choice=choice,
                created_at=clock.now(),
            )
    except IntegrityError as exc:
        if await TopicVote.exists(topic_id=topic.id, user_id=viewer.user_id):
            raise DomainError(ErrorCode.ALREADY_VOTED, N_("You voted on this topic."), "topicId") from exc
        raise DomainError(
            ErrorCode.HOUSEHOLD_ALREADY_VOTED, N_("Your household has voted on this topic."), "topicId"
        ) from exc


async def close(
    viewer: Viewer, topic: AgendaTopic, decision: str, follow_up_by: int | None, follow_up: str
) -> AgendaTopic:
    viewer.require_manager(topic.community_id)
    text = _text(decision, "decision", 1000)
    note = _text(follow_up, "followUp", 500, required=False)
    if follow_up_by is not None:
        if not await Membership.exists(user_id=follow_up_by, community_id=topic.community_id):
            raise DomainError(ErrorCode.NOT_FOUND, N_("No such person."), "followUpById")
    async with in_transaction():
        changed = await AgendaTopic.filter(id=topic.id, closed_at__isnull=True).update(
            closed_at=clock.now(), decision=text, follow_up_by_id=follow_up_by, follow_up=note
        )
        if not changed:
            raise DomainError(ErrorCode.VOTING_CLOSED, N_("This topic is closed already."), "topicId")
    await topic.refresh_from_db()
    return topic


async def results(topic_ids: list[int]) -> dict[int, list[TopicResult]]:
    """Votes per choice of each topic, one query; callers checked the viewer may see them."""
    if not topic_ids:
        return {}
    counts: dict[int, Counter[str]] = {tid: Counter() for tid in topic_ids}
    for row in await TopicVote.filter(topic_id__in=topic_ids).values("topic_id", "choice"):
        counts[int(row["topic_id"])][str(row["choice"])] += 1
    topics = {t.id: t for t in await AgendaTopic.filter(id__in=topic_ids)}
    return {tid: [TopicResult(c, counts[tid][c]) for c in allowed_choices(topics[tid])] for tid in topic_ids}


async def topics_of(viewer: Viewer, meeting: Meeting) -> list[AgendaTopic]:
    viewer.require_member(meeting.community_id)
    return list(await AgendaTopic.filter(meeting_id=meeting.id).order_by("id"))


async def my_votes(viewer: Viewer, topic_ids: list[int]) -> dict[int, str]:
    if viewer.user is None or not topic_ids:
        return {}
    rows = await TopicVote.filter(topic_id__in=topic_ids, user_id=viewer.user.id).values("topic_id", "choice")
    return {int(r["topic_id"]): str(r["choice"]) for r in rows}


async def meetings(viewer: Viewer, community_id: int, first: int, before_id: int | None) -> list[Meeting]:
    viewer.require_member(community_id)
    query = Meeting.filter(community_id=community_id)
    if before_id is not None:
        query = query.filter(id__lt=before_id)
    return list(await query.order_by("-id").limit(first + 1))


async def meeting_count(community_id: int) -> int:
    return await Meeting.filter(community_id=community_id).count()
