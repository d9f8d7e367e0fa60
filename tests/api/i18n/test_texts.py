"""A notification, a timeline note and an error read in Chinese by default and in English with
`Accept-Language: en` (issue 17's "Chinese first"), over HTTP as the app calls the API."""

from __future__ import annotations

import base64
from typing import Any

import httpx

from runtime.clock import MovableClock
from services.reports.clocks import run_clock_tick
from tests.support.people import Person
from tests.support.reports import CLAIM, REJECT, ReportsApi, make_cast

INBOX = "query { myInbox(first: 10) { nodes { event text } } }"
TIMELINE = """
query Read($id: ID!) { report(id: $id) { timeline(first: 10) { nodes { kind note } } } }"""
UNREAD = "query { myUnreadCount }"


async def ask(
    http: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any] | None = None,
    person: Person | None = None,
    language: str | None = None,
) -> httpx.Response:
    headers = {"authorization": f"Bearer {person.token}"} if person else {}
    if language is not None:
        headers["accept-language"] = language
    response = await http.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
    )
    assert response.status_code == 200, response.text
    return response


def without_heading(text: str) -> str:
    """A report's notification is headed by its place's full label, the same in every language."""
    assert text.startswith("【休闲小区 ") and "单元】" in text, text
    return text.split("】", 1)[1]


async def test_a_notification_reads_in_the_callers_language(reports_api: ReportsApi) -> None:
    cast = await make_cast()
    report_id = (await reports_api.create(cast))["report"]["id"]
    await reports_api.move(CLAIM, cast.repairer, reportId=report_id)
    number = report_number(report_id)

    def claimed(body: dict[str, Any]) -> str:
        [text] = [n["text"] for n in body["data"]["myInbox"]["nodes"] if n["event"] == "report.claimed"]
        return without_heading(str(text))

    chinese = await ask(reports_api.http, INBOX, person=cast.resident)
    assert claimed(chinese.json()) == f"您的照明报修单 #{number} 已由维修队员接单。"
    assert chinese.headers["content-language"] == "zh-Hans"
    assert "accept-language" in chinese.headers["vary"].lower()
    english = await ask(reports_api.http, INBOX, person=cast.resident, language="en-GB,en;q=0.9,zh;q=0.5")
    assert claimed(english.json()) == f"Your lighting report #{number} was claimed by a repairer."
    assert english.headers["content-language"] == "en"
    # The same stored row, read by a caller preferring Chinese over English by q-value.
    preferring = await ask(reports_api.http, INBOX, person=cast.resident, language="en;q=0.4, zh-CN;q=0.8")
    assert claimed(preferring.json()) == claimed(chinese.json())


async def test_the_systems_timeline_note_reads_in_the_callers_language(
    reports_api: ReportsApi, moved_clock: MovableClock
) -> None:
    cast = await make_cast()
    report_id = (await reports_api.create(cast, text="楼道灯坏了，没人管"))["report"]["id"]
    moved_clock.advance(minutes=31)
    assert (await run_clock_tick()).claim_escalations == 1

    def escalated(response: httpx.Response) -> str:
        nodes = response.json()["data"]["report"]["timeline"]["nodes"]
        [note] = [n["note"] for n in nodes if n["kind"] == "ESCALATED"]
        return str(note)

    chinese = await ask(reports_api.http, TIMELINE, {"id": report_id}, cast.staff)
    assert escalated(chinese) == "未按时接单：已上报社区协调员。"
    english = await ask(reports_api.http, TIMELINE, {"id": report_id}, cast.staff, "en")
    assert escalated(english) == "Not claimed in time: escalated to the community coordinator."


async def test_a_payload_error_reads_in_the_callers_language_and_keeps_its_code(
    reports_api: ReportsApi,
) -> None:
    cast = await make_cast()
    report_id = (await reports_api.create(cast))["report"]["id"]
    await reports_api.move(CLAIM, cast.repairer, reportId=report_id)
    variables = {"input": {"reportId": report_id}}

    chinese = await ask(reports_api.http, CLAIM, variables, cast.repairer2)
    [error] = chinese.json()["data"]["reportClaim"]["errors"]
    assert (error["code"], error["message"]) == ("ALREADY_CLAIMED", "这张报修单已经有人接了。")
    english = await ask(reports_api.http, CLAIM, variables, cast.repairer2, "en")
    [error] = english.json()["data"]["reportClaim"]["errors"]
    assert (error["code"], error["message"]) == ("ALREADY_CLAIMED", "Someone has already claimed this order.")


async def test_a_top_level_error_reads_in_the_callers_language(http: httpx.AsyncClient) -> None:
    chinese = (await ask(http, UNREAD)).json()["errors"][0]
    assert (chinese["extensions"]["code"], chinese["message"]) == ("UNAUTHENTICATED", "请先登录。")
    english = (await ask(http, UNREAD, language="en")).json()["errors"][0]
    assert (english["extensions"]["code"], english["message"]) == ("UNAUTHENTICATED", "Sign in first.")


def report_number(global_id: str) -> int:
    return int(base64.b64decode(global_id).decode().split(":", 1)[1])


async def test_a_refusal_of_the_gate_reads_in_the_callers_language(http: httpx.AsyncClient) -> None:
    batch = [{"query": UNREAD}, {"query": UNREAD}]
    chinese = await http.post("/graphql", json=batch)
    english = await http.post("/graphql", json=batch, headers={"accept-language": "en"})
    assert chinese.status_code == english.status_code == 400
    [said] = chinese.json()["errors"]
    assert (said["extensions"]["code"], said["message"]) == (
        "BATCHING_NOT_SUPPORTED",
        "每个请求只能发送一个操作。",
    )
    [said] = english.json()["errors"]
    assert said["message"] == "Send one operation per request."


async def test_the_document_limits_read_in_the_callers_language(http: httpx.AsyncClient) -> None:
    from api.graphql import MAX_ALIASES, MAX_DIRECTIVES

    aliases = "{ " + " ".join(f"a{i}: __typename" for i in range(MAX_ALIASES + 1)) + " }"
    directives = "{ __typename " + "@include(if: true) " * (MAX_DIRECTIVES + 1) + "}"
    cases = [
        (aliases, f"文档中有 {MAX_ALIASES + 1} 个别名，最多允许 {MAX_ALIASES} 个。"),
        (directives, f"一个文档中的指令超过了 {MAX_DIRECTIVES} 个。"),
    ]
    for query, chinese in cases:
        said = [e["message"] for e in (await ask(http, query)).json()["errors"]]
        assert chinese in said, said
        english = [e["message"] for e in (await ask(http, query, language="en")).json()["errors"]]
        assert not any("个" in m for m in english), english


async def test_the_token_limit_reads_in_the_callers_language(http: httpx.AsyncClient) -> None:
    # graphql-core refuses it while parsing, before the errors are shaped like the other limits'
    from api.graphql import MAX_TOKENS

    query = "{ " + " ".join("__typename" for _ in range(MAX_TOKENS + 1)) + " }"
    [chinese] = (await ask(http, query)).json()["errors"]
    [english] = (await ask(http, query, language="en")).json()["errors"]
    assert (chinese["message"], chinese["extensions"]) == (
        f"文档超过了 {MAX_TOKENS} 个词法单元。",
        {"code": "TOO_MANY_TOKENS"},
    )
    assert english["message"] == f"Document contains more than {MAX_TOKENS} tokens."


LABELS = "query Read($id: ID!) { report(id: $id) { category categoryLabel rejectReason rejectReasonLabel } }"


async def test_a_rejection_names_its_reason_in_words_never_the_raw_value(reports_api: ReportsApi) -> None:
    cast = await make_cast()
    report_id = (await reports_api.create(cast))["report"]["id"]
    rejected = await reports_api.move(REJECT, cast.staff, reportId=report_id, reason="DUPLICATE")
    assert rejected["errors"] == []
    number = report_number(report_id)

    def closed(body: dict[str, Any]) -> str:
        [text] = [n["text"] for n in body["data"]["myInbox"]["nodes"] if n["event"] == "report.rejected"]
        return without_heading(str(text))

    assert closed((await ask(reports_api.http, INBOX, person=cast.resident)).json()) == (
        f"报修单 #{number} 已关闭，原因：重复报修。"
    )
    english = await ask(reports_api.http, INBOX, person=cast.resident, language="en")
    assert closed(english.json()) == f"Report #{number} was closed as a duplicate."

    chinese = (await ask(reports_api.http, LABELS, {"id": report_id}, cast.resident)).json()["data"]["report"]
    assert chinese == {
        "category": "LIGHTING",
        "categoryLabel": "照明",
        "rejectReason": "DUPLICATE",
        "rejectReasonLabel": "重复报修",
    }
    english = await ask(reports_api.http, LABELS, {"id": report_id}, cast.resident, "en")
    report = english.json()["data"]["report"]
    assert (report["categoryLabel"], report["rejectReasonLabel"]) == ("lighting", "a duplicate")
