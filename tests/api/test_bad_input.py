"""Bad input the probes found (issue 16): each is refused with a typed, JSON-shaped error before
anything runs or is written, never a plain-text 400, a 500 or a database error."""

from __future__ import annotations

import asyncio
import json
import uuid
from dataclasses import replace
from datetime import timedelta
from typing import Any

import httpx
import jwt
import pytest

from api.app import create_app
from api.contract import operation_documents
from api.gate import document_hash
from api.graphql import MAX_TOKENS
from models.enums import Role
from models.people import User
from models.reports import Report
from runtime import clock
from runtime.settings import Settings
from services.tokens import ACCESS_TYPE, ALGORITHM
from tests.support.people import gid, make_neighbourhood, make_person

DOCS = operation_documents()


def _persisted(name: str, **variables: Any) -> dict[str, Any]:
    return {
        "operationName": name,
        "variables": variables,
        "extensions": {"persistedQuery": {"version": 1, "sha256Hash": document_hash(DOCS[name])}},
    }


def _errors(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.headers["content-type"].startswith("application/json"), response.text
    errors: list[dict[str, Any]] = response.json().get("errors", [])
    return errors


def _codes(response: httpx.Response) -> list[str]:
    return [e.get("extensions", {}).get("code") for e in _errors(response)]


@pytest.fixture
async def production(settings: Settings) -> httpx.AsyncClient:
    app = create_app(replace(settings, production=True), manage_database=False)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


# --- Control characters in text inputs --------------------------------------------------------

# NUL breaks PostgreSQL's text type; the others are invisible in a name or a report and have no
# business there; a lone surrogate cannot even be encoded as UTF-8. Tab, CR and LF stay allowed
# (a report's text has lines).
CONTROL = ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\ud800"]


@pytest.mark.parametrize("character", CONTROL, ids=[f"U+{ord(c):04X}" for c in CONTROL])
async def test_control_characters_in_a_sign_up_are_refused_before_any_write(
    http: httpx.AsyncClient, character: str
) -> None:
    before = await User.all().count()
    body = _persisted(
        "Register",
        input={"phone": "139 0000 4321", "password": "a-long-password", "displayName": f"新{character}邻居"},
    )
    # As JSON escapes (\u0000, \ud800): how a client sends them, and a lone surrogate has no UTF-8.
    response = await http.post(
        "/graphql", content=json.dumps(body), headers={"content-type": "application/json"}
    )
    [error] = _errors(response)
    assert (error["extensions"]["code"], error["extensions"]["field"]) == ("INVALID_INPUT", "displayName")
    assert await User.all().count() == before


async def test_control_characters_deep_in_a_signed_in_mutation_are_refused(http: httpx.AsyncClient) -> None:
    place = await make_neighbourhood()
    person = await make_person(place.community)
    response = await http.post(
        "/graphql",
        json=_persisted(
            "ReportCreate",
            input={
                "placeId": gid("Entrance", place.entrance.id),
                "category": "LIGHTING",
                "text": "楼道灯\x00不亮",
                "photos": [],
                "idempotencyKey": str(uuid.uuid4()),
            },
        ),
        headers={"authorization": f"Bearer {person.token}"},
    )
    [error] = _errors(response)
    assert (error["extensions"]["code"], error["extensions"]["field"]) == ("INVALID_INPUT", "text")
    assert await Report.all().count() == 0


async def test_text_with_lines_and_tabs_is_still_accepted(http: httpx.AsyncClient) -> None:
    response = await http.post(
        "/graphql",
        json=_persisted(
            "Register",
            input={"phone": "139 0000 4322", "password": "a-long-password", "displayName": "新\t邻居"},
        ),
    )
    assert response.json()["data"]["accountRegister"]["errors"] == []


async def test_a_control_character_in_a_literal_of_the_document_is_refused(http: httpx.AsyncClient) -> None:
    """Development runs any document: a literal string is input too."""
    query = 'mutation { accountRegister(input: {phone: "13900004323", password: "a-long-password", '
    query += 'displayName: "a\\u0000b"}) { errors { code } } }'
    response = await http.post("/graphql", json={"query": query})
    [error] = _errors(response)
    assert (error["extensions"]["code"], error["extensions"]["field"]) == ("INVALID_INPUT", "displayName")
    assert await User.all().count() == 0


# --- A malformed id inside a list input -------------------------------------------------------

MALFORMED_IDS = [
    "not-an-id",
    "",
    gid("Notification", ""),  # "Notification:"
    gid("Notification", "abc"),
    gid("Notification", "-1"),
    gid("Notification", "²"),  # a digit, but not our spelling of a number
    gid("Household", 1),  # an id of another kind
]


async def _mark_read(http: httpx.AsyncClient, person_token: str, ids: list[str]) -> dict[str, Any]:
    response = await http.post(
        "/graphql",
        json=_persisted("NotificationMarkRead", input={"ids": ids}),
        headers={"authorization": f"Bearer {person_token}"},
    )
    assert _errors(response) == []
    answer: dict[str, Any] = response.json()["data"]["notificationMarkRead"]
    return answer


@pytest.mark.parametrize("malformed", MALFORMED_IDS)
async def test_a_malformed_id_in_a_list_is_invalid_input_naming_its_place(
    http: httpx.AsyncClient, malformed: str
) -> None:
    """A list of ids (a bulk mutation's) with one that is no id at all is badly formed input:
    INVALID_INPUT naming the list and the index, before anything is written."""
    from models.reports import Notification

    place = await make_neighbourhood()
    person = await make_person(place.community)
    note = await Notification.create(
        user_id=person.user.id,
        community_id=place.community.id,
        event="report.opened",
        text="新报修",
        created_at=clock.now(),
    )
    answer = await _mark_read(http, person.token, [gid("Notification", note.id), malformed])
    assert [(e["code"], e["field"]) for e in answer["errors"]] == [("INVALID_INPUT", "ids.1")]
    assert answer["marked"] == 0 and (await Notification.get(id=note.id)).read_at is None


async def test_a_well_formed_id_in_a_list_that_names_nothing_stays_not_found(http: httpx.AsyncClient) -> None:
    place = await make_neighbourhood()
    person = await make_person(place.community)
    for names_nothing in (gid("Notification", 2**31), gid("Notification", 2**40)):
        answer = await _mark_read(http, person.token, [names_nothing])
        assert [(e["code"], e["field"]) for e in answer["errors"]] == [("NOT_FOUND", "ids")]


# --- A malformed single id -------------------------------------------------------------------

# An id that is no District id at all: INVALID_INPUT naming the argument, as a malformed item of an
# id list is; the request is badly formed, whatever rows exist.
NOT_BASE64 = ("这个编号无效。", "This id is not valid.")
NOT_A_DISTRICT = ("这不是 District 的编号。", "This is not the id of a District.")
NOT_DISTRICT_IDS = [
    ("not-an-id", NOT_BASE64),
    ("", NOT_BASE64),
    (gid("Report", 1), NOT_A_DISTRICT),  # an id of another kind
    (gid("District", "abc"), NOT_A_DISTRICT),
    (gid("District", "-1"), NOT_A_DISTRICT),
]


async def _outpost_rewards(http: httpx.AsyncClient, district_id: str, language: str) -> dict[str, Any]:
    response = await http.post(
        "/graphql",
        json=_persisted("OutpostRewards", districtId=district_id, month="2024-05"),
        headers={"accept-language": language},
    )
    [error] = _errors(response)
    return error


@pytest.mark.parametrize(("malformed", "said"), NOT_DISTRICT_IDS)
async def test_a_malformed_single_id_is_invalid_input_naming_its_field(
    http: httpx.AsyncClient, malformed: str, said: tuple[str, str]
) -> None:
    chinese = await _outpost_rewards(http, malformed, "zh-CN")
    english = await _outpost_rewards(http, malformed, "en")
    assert chinese["extensions"] == english["extensions"] == {"code": "INVALID_INPUT", "field": "districtId"}
    assert (chinese["message"], english["message"]) == said


async def test_a_well_formed_single_id_that_names_nothing_stays_not_found(http: httpx.AsyncClient) -> None:
    for names_nothing in (gid("District", 999), gid("District", 2**31)):
        chinese = await _outpost_rewards(http, names_nothing, "zh-CN")
        english = await _outpost_rewards(http, names_nothing, "en")
        assert chinese["extensions"]["code"] == english["extensions"]["code"] == "NOT_FOUND"
        assert chinese["extensions"]["field"] == english["extensions"]["field"] == "districtId"


# --- A signed token naming a user id no database can hold -------------------------------------


@pytest.mark.parametrize("sub", ["99999999999999999999999", "2147483648", "-1", "0"])
async def test_a_signed_token_with_an_impossible_user_id_is_unauthenticated(
    http: httpx.AsyncClient, settings: Settings, sub: str
) -> None:
    now = int(clock.now().timestamp())
    claims = {
        "sub": sub,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": now,
        "nbf": now,
        "exp": now + int(timedelta(minutes=15).total_seconds()),
        "jti": uuid.uuid4().hex,
        "typ": ACCESS_TYPE,
    }
    token = jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM)
    response = await http.post(
        "/graphql", json=_persisted("Me"), headers={"authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.text
    assert _codes(response) == ["UNAUTHENTICATED"]


# --- JSON members of the wrong type -----------------------------------------------------------

WRONG_TYPES = [
    ({"query": 5}, "query"),
    ({"query": ["{ __typename }"]}, "query"),
    ({"query": "{ __typename }", "variables": "x"}, "variables"),
    ({"query": "{ __typename }", "variables": [1]}, "variables"),
    ({"query": "{ __typename }", "operationName": 3}, "operationName"),
    ({"query": "{ __typename }", "extensions": "x"}, "extensions"),
    ({"extensions": {"persistedQuery": {"sha256Hash": 7}}}, "extensions.persistedQuery"),
]


@pytest.mark.parametrize(("body", "field"), WRONG_TYPES, ids=[f for _, f in WRONG_TYPES])
@pytest.mark.parametrize("mode", ["development", "production"])
async def test_members_of_the_wrong_json_type_get_a_graphql_shaped_error(
    http: httpx.AsyncClient, production: httpx.AsyncClient, mode: str, body: dict[str, Any], field: str
) -> None:
    client = production if mode == "production" else http
    response = await client.post("/graphql", json=body)
    assert response.status_code == 400
    [error] = _errors(response)
    assert error["extensions"] == {"code": "BAD_REQUEST", "field": field}


# --- Limits with codes ------------------------------------------------------------------------


async def test_the_token_limit_refusal_has_a_code(http: httpx.AsyncClient) -> None:
    query = "{ " + " ".join("__typename" for _ in range(MAX_TOKENS + 1)) + " }"
    response = await http.post("/graphql", json={"query": query})
    assert _codes(response) == ["TOO_MANY_TOKENS"]


NESTED = """
query Nested($id: ID!, $first: Int) {
  community(id: $id) {
    compounds(first: $first) { nodes {
      buildings(first: $first) { nodes {
        entrances(first: $first) { nodes {
          households(first: $first) { nodes { id } }
        } }
      } }
    } }
  }
}
"""


async def test_nested_connections_past_the_cost_budget_are_refused_before_execution(
    http: httpx.AsyncClient, queries: Any
) -> None:
    place = await make_neighbourhood()
    person = await make_person(place.community, (Role.STAFF,))
    variables = {"id": gid("Community", place.community.id), "first": 100}
    before = queries.count
    response = await http.post(
        "/graphql",
        json={"query": NESTED, "variables": variables},
        headers={"authorization": f"Bearer {person.token}"},
    )
    [error] = _errors(response)
    assert error["extensions"]["code"] == "QUERY_TOO_COSTLY"
    assert response.json()["data"] is None
    assert queries.count - before <= 3  # the caller is read; nothing of the query ran
    small = await http.post(
        "/graphql",
        json={"query": NESTED, "variables": {**variables, "first": 5}},
        headers={"authorization": f"Bearer {person.token}"},
    )
    assert "errors" not in small.json(), small.json()


def test_every_app_operation_fits_the_cost_budget_at_the_largest_pages() -> None:
    """Each `first` the app passes as a variable at its cap (100): the worst the app can ask."""
    from graphql import parse

    from api.graphql import build_schema
    from api.request_checks import MAX_COST, operation_cost

    schema = build_schema(production=True)._schema
    costs = {
        name: operation_cost(schema, parse(text), name, _largest_pages(parse(text)))
        for name, text in DOCS.items()
    }
    assert {name: cost for name, cost in costs.items() if cost > MAX_COST} == {}
    assert max(costs.values()) == costs["CompoundBuildings"] == 100 + 100 * 10  # what the budget is set from


def _largest_pages(document: Any) -> dict[str, Any]:
    from graphql import OperationDefinitionNode

    [operation] = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    return {
        v.variable.name.value: 100
        for v in operation.variable_definitions or ()
        if v.variable.name.value in ("first", "last") or v.variable.name.value.endswith("First")
    }


# --- Several operations and no operationName ---------------------------------------------------


async def test_two_anonymous_operations_are_refused(http: httpx.AsyncClient) -> None:
    """The spec's Lone Anonymous Operation rule: each anonymous one is reported."""
    response = await http.post("/graphql", json={"query": "query { __typename } query { __typename }"})
    assert response.json()["data"] is None
    assert _codes(response) == ["GRAPHQL_VALIDATION_FAILED"] * 2


@pytest.mark.parametrize(
    "query",
    ["query A { __typename } query B { __typename }", "query A { __typename } mutation B { __typename }"],
)
async def test_several_operations_without_an_operation_name_are_refused(
    http: httpx.AsyncClient, query: str
) -> None:
    """The spec's GetOperation: with several operations, operationName is required (the first
    one used to run)."""
    response = await http.post("/graphql", json={"query": query})
    assert response.json()["data"] is None
    assert _codes(response) == ["OPERATION_NAME_REQUIRED"]
    named = await http.post("/graphql", json={"query": query, "operationName": "A"})
    assert named.json() == {"data": {"__typename": "Query"}}


async def test_control_characters_in_a_subscriptions_variables_are_refused_for_that_subscription(
    settings: Settings,
) -> None:
    """strawberry's subscribe path runs no execute hook: the WebSocket gate applies the rule."""
    from tests.api.reports.test_subscriptions import connected
    from tests.support.server import serving_in_process

    person = await make_person((await make_neighbourhood()).community)
    async with serving_in_process(create_app(settings, manage_database=False)) as base:
        ws = await connected(base.replace("http://", "ws://"), person.token)
        try:
            subscribe = {
                "id": "1",
                "type": "subscribe",
                "payload": _persisted("NotificationAdded", after="a\x00b"),
            }
            await ws.send(json.dumps(subscribe))
            message = json.loads(await asyncio.wait_for(ws.recv(), 10))
        finally:
            await ws.close()
    assert (message["id"], message["type"]) == ("1", "error")
    assert message["payload"][0]["extensions"] == {"code": "INVALID_INPUT", "field": "after"}
