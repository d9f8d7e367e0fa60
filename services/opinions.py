"""Opinions: a member's suggestion or complaint about community life, others' support, and the
office's answer. Every opinion ends adopted (with the action), answered, or declined with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.functions import Count
from tortoise.transactions import in_transaction

from models.voice import Opinion, OpinionKind, OpinionStatus, OpinionSupport, OpinionTopic
from runtime import clock
from runtime.i18n import N_
from services.access import Viewer
from services.errors import DomainError, ErrorCode

MAX_TEXT = 1000
# How an answer may end an opinion; DONE comes later, from ADOPTED only.
ENDINGS = (OpinionStatus.ADOPTED, OpinionStatus.ANSWERED, OpinionStatus.DECLINED)


@dataclass(frozen=True)
class OpinionCounts:
    collected: int
    open: int
    adopted: int  # adopted, including those since done
    done: int
    answered: int
    declined: int


def _text(value: str, field: str, required: bool = True) -> str:
    text = value.strip()
    if required and not text:
        raise DomainError(ErrorCode.INVALID_INPUT, N_("Write something."), field)
    if len(text) > MAX_TEXT:
        raise DomainError(
            ErrorCode.INVALID_INPUT, N_("At most {max_text} characters."), field, max_text=MAX_TEXT
        )
    return text


async def get_opinion(viewer: Viewer, opinion_id: int, field: str = "opinionId") -> Opinion:
    opinion = await Opinion.get_or_none(id=opinion_id)
    if opinion is None or not viewer.is_member(opinion.community_id):
        raise DomainError(ErrorCode.NOT_FOUND, N_("No such opinion."), field)
    return opinion


async def post(
    viewer: Viewer, community_id: int, kind: OpinionKind, topic: OpinionTopic, text: str
) -> Opinion:
    viewer.require_member(community_id)
    body = _text(text, "text")
    return await Opinion.create(
        community_id=community_id,
        author_id=viewer.user_id,
        kind=kind,
        topic=topic,
        text=body,
        created_at=clock.now(),
    )


async def support(viewer: Viewer, opinion: Opinion) -> Opinion:
    viewer.require_member(opinion.community_id)
    if opinion.author_id == viewer.user_id:
        raise DomainError(ErrorCode.OWN_OPINION, N_("This is your own opinion."), "opinionId")
    try:
        async with in_transaction():
            await OpinionSupport.create(opinion_id=opinion.id, user_id=viewer.user_id, created_at=clock.now())
            await Opinion.filter(id=opinion.id).update(support_count=F("support_count") + 1)
    except IntegrityError as exc:
        raise DomainError(ErrorCode.ALREADY_SUPPORTED, N_("You already support this."), "opinionId") from exc
    await opinion.refresh_from_db()
    return opinion


async def answer(
    viewer: Viewer, opinion: Opinion, outcome: OpinionStatus, answer_text: str, action: str
) -> Opinion:
    viewer.require_manager(opinion.community_id)
    if outcome not in ENDINGS:
        raise DomainError(ErrorCode.INVALID_INPUT, N_("Adopt, answer or decline."), "outcome")
    reply = _text(answer_text, "answer", required=outcome != OpinionStatus.ADOPTED)
    what = _text(action, "action", required=outcome == OpinionStatus.ADOPTED)
    async with in_transaction():
        # Conditional update: of two staff answering at once, one wins and the other is told.
        changed = await Opinion.filter(id=opinion.id, status=OpinionStatus.OPEN).update(
            status=outcome,
            answer=reply,
            action=what if outcome == OpinionStatus.ADOPTED else "",
            answered_by_id=viewer.user_id,
            answered_at=clock.now(),
        )
        if not changed:
            raise DomainError(ErrorCode.ALREADY_DECIDED, N_("This opinion has been answered."), "opinionId")
    await opinion.refresh_from_db()
    return opinion


async def mark_done(viewer: Viewer, opinion: Opinion) -> Opinion:
    viewer.require_manager(opinion.community_id)
    if opinion.status == OpinionStatus.DONE:
        return opinion
    async with in_transaction():
        changed = await Opinion.filter(id=opinion.id, status=OpinionStatus.ADOPTED).update(
            status=OpinionStatus.DONE, done_at=clock.now()
        )
        if not changed:
            raise DomainError(
                ErrorCode.INVALID_TRANSITION, N_("Only an adopted opinion can be done."), "opinionId"
            )
    await opinion.refresh_from_db()
    return opinion


async def supported_by_me(viewer: Viewer, opinion_ids: list[int]) -> set[int]:
    if viewer.user is None or not opinion_ids:
        return set()
    rows = await OpinionSupport.filter(opinion_id__in=opinion_ids, user_id=viewer.user.id).values_list(
        "opinion_id", flat=True
    )
    return {int(str(row)) for row in rows}


async def opinions(
    viewer: Viewer, community_id: int, status: OpinionStatus | None, first: int, before_id: int | None
) -> list[Opinion]:
    """Newest first; first+1 rows so the caller knows whether there is more."""
    viewer.require_member(community_id)
    query = Opinion.filter(community_id=community_id)
    if status is not None:
        query = query.filter(status=status)
    if before_id is not None:
        query = query.filter(id__lt=before_id)
    return list(await query.order_by("-id").limit(first + 1))


async def opinion_count(community_id: int, status: OpinionStatus | None) -> int:
    query = Opinion.filter(community_id=community_id)
    return await (query if status is None else query.filter(status=status)).count()


async def counts(viewer: Viewer | None, community_id: int) -> OpinionCounts:
    """`viewer` None: the public notice board, which checked publicity itself."""
    if viewer is not None:
        viewer.require_member(community_id)
    rows = (
        await Opinion.filter(community_id=community_id)
        .annotate(n=Count("id"))
        .group_by("status")
        .values("status", "n")
    )
    by_status = {status.value: 0 for status in OpinionStatus}
    for row in rows:
        by_status[str(row["status"])] = int(row["n"])
    return OpinionCounts(
        collected=sum(by_status.values()),
        open=by_status["open"],
        adopted=by_status["adopted"] + by_status["done"],
        done=by_status["done"],
        answered=by_status["answered"],
        declined=by_status["declined"],
    )
