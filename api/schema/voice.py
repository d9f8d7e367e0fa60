"""Residents' voice and open books: opinions, public accounts, satisfaction, notice-board publicity."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import Enum

import strawberry
from strawberry import relay

from api.schema.common import UserError
from models.enums import ReportCategory
from models.open_books import AccountCategory
from models.voice import OpinionKind, OpinionStatus, OpinionTopic

strawberry.enum(OpinionKind)
strawberry.enum(OpinionTopic, description="What an opinion is about. Repairs are reports, not opinions.")
strawberry.enum(
    OpinionStatus,
    description="OPEN: collected. ADOPTED: the office will act (`action`). DONE: the action is carried "
    "out. ANSWERED: explained. DECLINED: not taken up (`answer` gives the reason).",
)
strawberry.enum(
    AccountCategory,
    description="Income: FEES, ADVERTISING, GRANTS, OTHER_INCOME. Spending: LABOUR, MATERIALS, "
    "OTHER_SPENDING.",
)


@strawberry.enum(description="How the office ends an opinion.")
class OpinionOutcome(Enum):
    ADOPTED = "adopted"
    ANSWERED = "answered"
    DECLINED = "declined"


@strawberry.type(description="A member's suggestion or complaint about community life.")
class Opinion(relay.Node):
    id: relay.NodeID[int]
    kind: OpinionKind
    topic: OpinionTopic
    text: str
    status: OpinionStatus
    support_count: int
    answer: str = strawberry.field(description="The office's reply, or why it was declined.")
    action: str = strawberry.field(description="For adopted opinions: what the office will do.")
    answered_at: datetime | None
    done_at: datetime | None
    created_at: datetime
    is_mine: bool
    supported_by_me: bool


@strawberry.type(description="How many opinions were collected and how they ended.")
class OpinionCounts:
    collected: int
    open: int
    adopted: int = strawberry.field(description="Adopted, including those since done.")
    done: int
    answered: int
    declined: int


@strawberry.input
class OpinionPostInput:
    community_id: strawberry.ID
    kind: OpinionKind
    topic: OpinionTopic
    text: str


@strawberry.input
class OpinionSupportInput:
    opinion_id: strawberry.ID


@strawberry.input
class OpinionAnswerInput:
    opinion_id: strawberry.ID
    outcome: OpinionOutcome
    answer: str = ""
    action: str = strawberry.field(default="", description="Required when adopting.")


@strawberry.input
class OpinionDoneInput:
    opinion_id: strawberry.ID


@strawberry.type
class OpinionPayload:
    opinion: Opinion | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


# Public accounts -------------------------------------------------------------------------------


@strawberry.type(description="One line of the public accounts. Never changed; corrected by a new entry.")
class AccountEntry(relay.Node):
    id: relay.NodeID[int]
    month: str
    category: AccountCategory
    is_income: bool
    amount: Decimal
    memo: str
    brand_model: str
    corrects: relay.GlobalID | None = strawberry.field(description="The entry this one replaces.")
    created_at: datetime


@strawberry.type(description="Materials a repair used, counted in the month it was recorded.")
class RepairMaterialLine:
    report: relay.GlobalID
    item: str
    brand_model: str
    quantity: Decimal
    cost: Decimal


@strawberry.type
class AccountCategoryTotal:
    category: AccountCategory
    is_income: bool
    amount: Decimal
    share_percent: float = strawberry.field(description="Of its side (income or spending), 0–100.")


@strawberry.type(description="A month's public accounts: entries in force plus repair materials.")
class AccountStatement:
    month: str
    income: Decimal
    spending: Decimal
    balance: Decimal
    categories: list[AccountCategoryTotal]
    entries: list[AccountEntry] = strawberry.field(description="Entries in force (not corrected).")
    repair_materials: list[RepairMaterialLine]
    repair_materials_total: Decimal


@strawberry.input
class AccountEntryRecordInput:
    community_id: strawberry.ID
    month: str = strawberry.field(description="YYYY-MM")
    category: AccountCategory | None = strawberry.field(description="Required; null is refused.")
    amount: Decimal = strawberry.field(description="Yuan, above zero, at most two decimals.")
    memo: str = ""
    brand_model: str = strawberry.field(default="", description="For MATERIALS.")
    corrects_id: strawberry.ID | None = strawberry.field(
        default=None, description="The entry this one replaces in the statement."
    )
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="A fresh key per action; a retry with it within 24 h returns the first result.",
    )


@strawberry.type
class AccountEntryPayload:
    entry: AccountEntry | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


# Satisfaction ----------------------------------------------------------------------------------


@strawberry.type(description="Scores of 1–5; the rate is the share of 4s and 5s.")
class SatisfactionTally:
    count: int
    rate_percent: float | None
    average: float | None


@strawberry.type
class MonthSatisfaction:
    month: str
    repairs: SatisfactionTally = strawberry.field(description="Ratings of confirmed repairs.")
    surveys: SatisfactionTally = strawberry.field(description="Survey answers.")
    overall: SatisfactionTally


@strawberry.type(description="Satisfaction attributable to one team in one month.")
class TeamSatisfaction:
    team: relay.GlobalID
    team_name: str
    month: str
    tally: SatisfactionTally


@strawberry.type(description="A short survey; every question is answered 1 (poor) to 5 (very good).")
class Survey(relay.Node):
    id: relay.NodeID[int]
    title: str
    questions: list[str]
    opens_at: datetime
    closes_at: datetime
    team: relay.GlobalID | None
    answered_by_me: bool


@strawberry.input
class SurveyCreateInput:
    community_id: strawberry.ID
    title: str
    questions: list[str]
    opens_at: datetime
    closes_at: datetime
    team_id: strawberry.ID | None = None


@strawberry.input
class SurveyAnswerInput:
    survey_id: strawberry.ID
    scores: list[int] = strawberry.field(description="One score 1–5 per question, in order.")


@strawberry.type
class SurveyPayload:
    survey: Survey | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class SurveyAnswerPayload:
    answered: bool = False
    errors: list[UserError] = strawberry.field(default_factory=list)


# Notice board ----------------------------------------------------------------------------------


@strawberry.type(description="What the notice board at /board/<slug> shows without sign-in.")
class BoardPublicity:
    flag: bool
    volunteers: bool
    repairs: bool
    satisfaction: bool
    accounts: bool
    url: str


@strawberry.input
class BoardPublicitySetInput:
    community_id: strawberry.ID
    flag: bool
    volunteers: bool
    repairs: bool
    satisfaction: bool
    accounts: bool


@strawberry.type
class BoardPublicityPayload:
    publicity: BoardPublicity | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type(description="Repairs fixed in a month, and how many before their clock ran out.")
class RepairsDone:
    month: str
    done: int
    on_time: int
    on_time_percent: float | None


# Round-table -----------------------------------------------------------------------------------


@strawberry.enum(description="Where an agenda topic came from.")
class TopicSource(Enum):
    STAFF = "staff"
    OPINION = "opinion"
    REPORTS = "reports"


@strawberry.type(description="A round-table: the residents' consultation meeting.")
class Meeting(relay.Node):
    id: relay.NodeID[int]
    title: str
    location: str
    starts_at: datetime
    ends_at: datetime
    community_id: strawberry.Private[int]


@strawberry.type
class VoteCount:
    choice: str
    votes: int


@strawberry.type(description="A topic on a meeting's agenda, its votes, and the decision.")
class AgendaTopic(relay.Node):
    id: relay.NodeID[int]
    title: str
    source: TopicSource
    opinion: relay.GlobalID | None
    report_category: ReportCategory | None
    report_place: relay.GlobalID | None
    choices: list[str] = strawberry.field(description="What a vote may say: yes/no/abstain or the choices.")
    one_vote_per_household: bool
    is_open: bool
    results: list[VoteCount]
    my_vote: str | None
    decision: str
    follow_up_by: relay.GlobalID | None
    follow_up: str


@strawberry.type(description="Repeated reports of one category at one place: a candidate topic.")
class ReportCluster:
    place: relay.GlobalID
    category: ReportCategory
    reports: int


@strawberry.type(description="The round-table's agenda and attendance.")
class MeetingAgenda:
    meeting: Meeting
    attendance_count: int
    topics: list[AgendaTopic]


@strawberry.type
class MeetingCheckInCode:
    code: str
    seconds_to_rotation: int


@strawberry.input
class MeetingCreateInput:
    community_id: strawberry.ID
    title: str
    location: str = ""
    starts_at: datetime
    ends_at: datetime


@strawberry.type
class MeetingPayload:
    meeting: Meeting | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class AgendaTopicAddInput:
    meeting_id: strawberry.ID
    title: str
    opinion_id: strawberry.ID | None = None
    report_place_id: strawberry.ID | None = strawberry.field(
        default=None, description="With reportCategory: a cluster the app suggested."
    )
    report_category: ReportCategory | None = None
    choices: list[str] = strawberry.field(default_factory=list, description="Empty: yes/no/abstain.")
    one_vote_per_household: bool = False


@strawberry.type
class AgendaTopicPayload:
    topic: AgendaTopic | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class TopicVoteInput:
    topic_id: strawberry.ID
    choice: str


@strawberry.input
class TopicCloseInput:
    topic_id: strawberry.ID
    decision: str
    follow_up_by_id: strawberry.ID | None = None
    follow_up: str = ""


@strawberry.input
class MeetingCheckInInput:
    meeting_id: strawberry.ID
    code: str


@strawberry.type
class MeetingCheckInPayload:
    checked_in_at: datetime | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)
