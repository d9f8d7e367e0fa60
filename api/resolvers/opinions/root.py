"""Opinions (居民意见): members' suggestions and complaints, and how the office ends them.

Query and Mutation fields of the area, merged into the root schema."""

from __future__ import annotations

import strawberry

from api.resolvers.opinions import operations as resolve
from api.schema.common import Connection
from api.schema.opinions.types import Opinion, OpinionCounts, OpinionPayload


@strawberry.type
class OpinionsQuery:
    opinions: Connection[Opinion] = strawberry.field(
        resolver=resolve.opinions_list, description="Members: the community's opinions, newest first."
    )
    opinion_counts: OpinionCounts = strawberry.field(
        resolver=resolve.opinion_counts, description="Members: opinions collected, adopted, done …"
    )


@strawberry.type
class OpinionsMutation:
    opinion_post: OpinionPayload = strawberry.mutation(
        resolver=resolve.opinion_post, description="Members: a suggestion or complaint (not a repair)."
    )
    opinion_support: OpinionPayload = strawberry.mutation(
        resolver=resolve.opinion_support, description="Members: support someone else's opinion, once."
    )
    opinion_answer: OpinionPayload = strawberry.mutation(
        resolver=resolve.opinion_answer,
        description="Staff: adopt (with the action), answer, or decline (with the reason) an open opinion.",
    )
    opinion_done: OpinionPayload = strawberry.mutation(
        resolver=resolve.opinion_done, description="Staff: the action of an adopted opinion is carried out."
    )
