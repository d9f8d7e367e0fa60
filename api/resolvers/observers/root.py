"""Home observers (家园观察员): Query and Mutation fields of the area, merged into the root schema."""

from __future__ import annotations

import strawberry

from api.resolvers.observers import operations as resolve
from api.schema.common import Connection
from api.schema.observers import inputs
from api.schema.observers.types import ObserverMonthCounts, ObserverPost, ObserverVisit


@strawberry.type
class ObserversQuery:
    observer_posts: list[ObserverPost] = strawberry.field(
        resolver=resolve.observer_posts, description="Members: who observes which compound."
    )
    observer_visits: Connection[ObserverVisit] = strawberry.field(
        resolver=resolve.observer_visits,
        description="The office: every visit; an observer: their own. Newest first; of one month "
        "(YYYY-MM, in the community's time zone) when `month` is given.",
    )
    observer_month_counts: ObserverMonthCounts = strawberry.field(
        resolver=resolve.observer_month_counts,
        description="Members: the observers' month (visits, opinions, disputes) for the 家园议事会.",
    )


@strawberry.type
class ObserversMutation:
    observer_appoint: inputs.ObserverAppointPayload = strawberry.mutation(
        resolver=resolve.observer_appoint,
        description="The office: post a member to a compound as its observer.",
    )
    observer_stand_down: inputs.ObserverStandDownPayload = strawberry.mutation(
        resolver=resolve.observer_stand_down,
        description="The office: end a member's post at a compound (the observer role goes with their "
        "last post). Again: nothing changes.",
    )
    observer_visit_record: inputs.ObserverVisitPayload = strawberry.mutation(
        resolver=resolve.observer_visit_record,
        description="An observer of the compound: a visit, where and what was seen, with photos.",
    )
    observer_opinion_take: inputs.ObserverOpinionTakePayload = strawberry.mutation(
        resolver=resolve.observer_opinion_take,
        description="The visit's observer: an opinion residents gave, posted for the office to answer.",
    )
    observer_dispute_step_in: inputs.ObserverDisputeStepInPayload = strawberry.mutation(
        resolver=resolve.observer_dispute_step_in,
        description="The visit's observer: a dispute stepped into, settled on the spot or not.",
    )
    observer_dispute_refer: inputs.ObserverDisputeReferPayload = strawberry.mutation(
        resolver=resolve.observer_dispute_refer,
        description="The intervention's observer or the office: open a mediation case from it, once.",
    )
