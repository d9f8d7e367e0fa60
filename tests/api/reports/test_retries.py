"""The app retries after a timeout: the same action twice must answer as the first did."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from tortoise.exceptions import IntegrityError

from models.guards import IdempotencyRecord
from models.reports import Report, ReportPhoto
from runtime import clock
from runtime.clock import MovableClock
from services import idempotency
from services.errors import DomainError
from services.tokens import issue_access_token
from tests.conftest import QueryCounter
from tests.support.photos import jpeg_with_gps
from tests.support.reports import CANCEL, CLAIM, CONFIRM, ME_TOO, ReportsApi, make_cast


async def test_a_replay_with_the_same_photo_returns_the_first_and_another_photo_is_another_input(
    reports_api: ReportsApi,
) -> None:
    cast = await make_cast()
    photo = jpeg_with_gps(colour="orange")
    first = await reports_api.create(cast, photos=[photo], idempotencyKey="k-photo")
    again = await reports_api.create(cast, photos=[photo], idempotencyKey="k-photo")
    assert again["report"]["id"] == first["report"]["id"]
    other = await reports_api.create(cast, photos=[jpeg_with_gps(colour="blue")], idempotencyKey="k-photo")
    assert [e["code"] for e in other["errors"]] == ["IDEMPOTENCY_KEY_REUSED"]
    assert await Report.all().count() == 1
    assert await ReportPhoto.all().count() == 1


async def test_after_24_hours_the_key_is_forgotten_but_still_names_its_report(
    reports_api: ReportsApi, moved_clock: MovableClock
) -> None:
    cast = await make_cast()
    first = await reports_api.create(cast, idempotencyKey="k-old")
    moved_clock.advance(hours=24, minutes=1)
    cast.resident.token, _ = issue_access_token(cast.resident.user.id)
    # The record has expired, so another input is no longer refused as a reused key…
    again = await reports_api.create(cast, idempotencyKey="k-old", text="过了一天")
    # …yet the report's own unique key still answers with the first report, never a second one.
    assert again["errors"] == [] and again["report"]["id"] == first["report"]["id"]
    assert await Report.all().count() == 1


async def test_the_record_is_written_with_the_mutation_and_only_then() -> None:
    cast = await make_cast()
    user = cast.resident.user.id
    digest = idempotency.input_hash({"a": 1})
    assert await idempotency.replayed(user, "k", "op", digest) is None
    await idempotency.remember(user, "k", "op", digest, 42)
    assert await idempotency.replayed(user, "k", "op", digest) == 42
    with pytest.raises(DomainError) as reused:
        await idempotency.replayed(user, "k", "otherOp", digest)
    assert reused.value.code == "IDEMPOTENCY_KEY_REUSED"
    with pytest.raises(DomainError):
        await idempotency.replayed(user, "k", "op", idempotency.input_hash({"a": 2}))
    # Another person's key of the same name is theirs.
    assert await idempotency.replayed(cast.neighbour.user.id, "k", "op", digest) is None
    assert await IdempotencyRecord.all().count() == 1


async def test_expired_records_are_forgotten(moved_clock: MovableClock) -> None:
    cast = await make_cast()
    await idempotency.remember(cast.resident.user.id, "k", "op", "h", 1)
    moved_clock.advance(hours=23)
    assert await idempotency.forget_expired() == 0
    moved_clock.advance(hours=1)
    assert clock.now() - (await IdempotencyRecord.get()).created_at >= timedelta(hours=24)
    assert await idempotency.forget_expired() == 1


async def test_retried_transitions_answer_with_the_report_as_it_stands(reports_api: ReportsApi) -> None:
    cast = await make_cast()
    report_id = (await reports_api.create(cast))["report"]["id"]
    for _ in range(2):
        claimed = await reports_api.move(CLAIM, cast.repairer, reportId=report_id)
        assert claimed["errors"] == [] and claimed["report"]["state"] == "CLAIMED"
    for _ in range(2):
        resolved = await reports_api.resolve(report_id, cast.repairer)
        assert resolved["errors"] == [] and resolved["report"]["state"] == "RESOLVED"
    assert await ReportPhoto.all().count() == 1  # the retry's proof photo was not stored again
    for _ in range(2):
        confirmed = await reports_api.move(CONFIRM, cast.resident, reportId=report_id, rating=4, comment="")
        assert confirmed["errors"] == [] and confirmed["report"]["rating"] == 4
    changed_mind = await reports_api.move(CONFIRM, cast.resident, reportId=report_id, rating=1, comment="")
    assert [e["code"] for e in changed_mind["errors"]] != []

    second = (await reports_api.create(cast, category="SANITATION"))["report"]["id"]
    for _ in range(2):
        cancelled = await reports_api.move(CANCEL, cast.resident, reportId=second, note="")
        assert cancelled["errors"] == [] and cancelled["report"]["state"] == "CANCELLED"


def _without_links(report: dict[str, Any]) -> dict[str, Any]:
    # A photo's link is signed with its own expiry, so two reads a moment apart may differ in it.
    return {**report, "photos": [{k: v for k, v in p.items() if k != "url"} for p in report["photos"]]}


async def test_a_new_report_answers_what_reading_it_back_shows_and_a_replay_is_read_afresh(
    reports_api: ReportsApi,
) -> None:
    """reportCreate answers a report it opened from what it wrote (no me-toos, its own photos,
    the place it was given) instead of reading them back; that answer must be the very one a
    read gives, and a replayed key's report, which may have changed since, is read as usual."""
    cast = await make_cast()
    photo = jpeg_with_gps(colour="green")
    first = await reports_api.create(cast, photos=[photo], idempotencyKey="k-fresh")
    assert first["errors"] == [] and len(first["report"]["photos"]) == 1
    assert all(p["url"] for p in first["report"]["photos"])
    read = await reports_api.read(first["report"]["id"], cast.resident)
    assert read is not None and _without_links(first["report"]) == _without_links(read)
    assert first["report"]["place"]["name"] and first["report"]["reporterName"]

    await reports_api.move(ME_TOO, cast.neighbour, reportId=first["report"]["id"])
    again = await reports_api.create(cast, photos=[photo], idempotencyKey="k-fresh")
    assert again["report"]["id"] == first["report"]["id"]
    assert again["report"]["meTooCount"] == 1


async def test_a_key_past_the_window_is_taken_by_the_next_action_and_a_live_one_is_not(
    moved_clock: MovableClock, queries: QueryCounter
) -> None:
    cast = await make_cast()
    user = cast.resident.user.id
    # given: a key remembered for a first action
    await idempotency.remember(user, "k", "op", "h1", 1)
    # when: a second first call with the live key
    with pytest.raises(IntegrityError):
        await idempotency.remember(user, "k", "op", "h2", 2)
    # then: the first record stands
    assert await idempotency.replayed(user, "k", "op", "h1") == 1
    # when: past the window the key starts a new action, in one statement
    moved_clock.advance(hours=24)
    queries.statements.clear()
    await idempotency.remember(user, "k", "other", "h3", 3)
    # then
    assert len(queries.statements) == 1
    assert await idempotency.replayed(user, "k", "other", "h3") == 3
    assert await IdempotencyRecord.all().count() == 1
