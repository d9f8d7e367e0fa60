"""graphql-core's own refusals (a variable it cannot read as its declared type, a document that
does not fit the schema, a syntax error) read in the caller's language, with a stable code and the
field at fault, over HTTP as the app calls the API (persisted operations by hash). graphql-core's
English stays in `extensions.detail` for developers, without the values the client sent."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import httpx
import pytest

from api.app import create_app
from api.contract import operation_documents
from api.gate import document_hash
from runtime.settings import Settings

DOCS = operation_documents()
COMMUNITY = "Q29tbXVuaXR5OjE="  # Community:1; the variables are refused before it is looked up


def persisted(name: str, variables: dict[str, Any]) -> dict[str, Any]:
    return {
        "operationName": name,
        "variables": variables,
        "extensions": {"persistedQuery": {"version": 1, "sha256Hash": document_hash(DOCS[name])}},
    }


async def refusals(
    client: httpx.AsyncClient, body: dict[str, Any], language: str | None = None
) -> list[dict[str, Any]]:
    headers = {"accept-language": language} if language else {}
    response = await client.post("/graphql", json=body, headers=headers)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["data"] is None, answer
    errors: list[dict[str, Any]] = answer["errors"]
    return errors


def said(error: dict[str, Any]) -> tuple[str, str | None, str]:
    return error["extensions"]["code"], error["extensions"].get("field"), error["message"]


# (operation, variables, field, Chinese, English): each class of variable graphql-core refuses.
VARIABLES = [
    pytest.param(
        "OutpostRewards",
        {"month": "2024-05"},
        "districtId",
        "缺少 districtId：应填编号。",
        "districtId is missing: give an id.",
        id="required-variable-missing",
    ),
    pytest.param(
        "OutpostRewards",
        {"districtId": "RGlzdHJpY3Q6MQ==", "month": None},
        "month",
        "month 不能为空：应填月份（YYYY-MM）。",
        "month may not be empty: give a month, YYYY-MM.",
        id="required-variable-null",
    ),
    pytest.param(
        "OutpostRewards",
        {"districtId": "RGlzdHJpY3Q6MQ==", "month": 202405},
        "month",
        "month 应为月份（YYYY-MM）。",
        "month must be a month, YYYY-MM.",
        id="text-given-a-number",
    ),
    pytest.param(
        "ReportQueue",
        {"communityId": COMMUNITY, "queue": "UNCLAIMED", "first": "twenty"},
        "first",
        "first 应为整数。",
        "first must be a whole number.",
        id="int-given-text",
    ),
    pytest.param(
        "ReportQueue",
        {"communityId": COMMUNITY, "queue": "UNCLAIMED", "first": 2.5},
        "first",
        "first 应为整数。",
        "first must be a whole number.",
        id="int-given-a-fraction",
    ),
    pytest.param(
        "ReportQueue",
        {"communityId": COMMUNITY, "queue": "UNCLAIMD"},
        "queue",
        "queue 应为以下之一：UNCLAIMED, OVERDUE, ESCALATED。",
        "queue must be one of UNCLAIMED, OVERDUE, ESCALATED.",
        id="enum-value-unknown",
    ),
    pytest.param(
        "SignIn",
        {"input": {"phone": 13900001111, "password": "a-long-password"}},
        "phone",
        "phone 应为手机号码。",
        "phone must be a mobile phone number.",
        id="input-field-of-the-wrong-type",
    ),
    pytest.param(
        "SignIn",
        {"input": {"phone": "13900001111"}},
        "password",
        "缺少 password：应填文字。",
        "password is missing: give text.",
        id="required-input-field-missing",
    ),
    pytest.param(
        "SignIn",
        {"input": {"phone": "13900001111", "password": "a-long-password", "pasword": "x"}},
        "pasword",
        "pasword 不是 SessionCreateInput 的字段。",
        "pasword is not a field of SessionCreateInput.",
        id="input-field-unknown",
    ),
    pytest.param(
        "SignIn",
        {"input": "13900001111"},
        "input",
        "input 应为含 SessionCreateInput 各字段的对象。",
        "input must be an object with the fields of SessionCreateInput.",
        id="input-not-an-object",
    ),
    pytest.param(
        "NotificationMarkRead",
        {"input": {"ids": ["Tm90aWZpY2F0aW9uOjE=", None]}},
        "ids.1",
        "ids.1 不能为空：应填编号。",
        "ids.1 may not be empty: give an id.",
        id="list-item-null",
    ),
    pytest.param(
        "FeeOfferCreate",
        {
            "input": {
                "communityId": COMMUNITY,
                "name": "交一年送两月",
                "payMonths": 12,
                "freeMonths": 2,
                "validFrom": "2024-13-45",
            }
        },
        "validFrom",
        "validFrom 应为日期（YYYY-MM-DD）。",
        "validFrom must be a date, YYYY-MM-DD.",
        id="date-scalar-unreadable",
    ),
]


@pytest.mark.parametrize(("operation", "variables", "field", "chinese", "english"), VARIABLES)
async def test_a_variable_graphql_cannot_read_is_refused_in_the_callers_language(
    http: httpx.AsyncClient, operation: str, variables: dict[str, Any], field: str, chinese: str, english: str
) -> None:
    # given an app operation sent by hash with a variable of the wrong shape
    body = persisted(operation, variables)

    # when the caller reads Chinese (the default, and zh-CN), and when it asks for English
    default = await refusals(http, body)
    zh_cn = await refusals(http, body, "zh-CN")
    en = await refusals(http, body, "en")

    # then the same refusal, typed, naming the field, in each language
    assert [said(e) for e in default] == [said(e) for e in zh_cn] == [("BAD_USER_INPUT", field, chinese)]
    assert [said(e) for e in en] == [("BAD_USER_INPUT", field, english)]
    # and graphql-core's own English stays for developers
    assert default[0]["extensions"]["detail"].startswith("Variable '$")


async def test_each_bad_variable_of_a_request_is_refused_on_its_own(http: httpx.AsyncClient) -> None:
    body = persisted("ReportQueue", {"communityId": ["a"], "queue": "UNCLAIMD", "first": True})
    errors = await refusals(http, body, "en")
    assert [said(e) for e in errors] == [
        ("BAD_USER_INPUT", "communityId", "communityId must be an id."),
        ("BAD_USER_INPUT", "queue", "queue must be one of UNCLAIMED, OVERDUE, ESCALATED."),
        ("BAD_USER_INPUT", "first", "first must be a whole number."),
    ]


@pytest.fixture
async def production(settings: Settings) -> httpx.AsyncClient:
    app = create_app(replace(settings, production=True), manage_database=False)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


async def test_production_names_no_enum_values_and_echoes_no_input(production: httpx.AsyncClient) -> None:
    """A prober learns no names from a refusal in production, and what was sent (a password, a
    phone) is not echoed, in the message or the detail."""
    body = persisted("ReportQueue", {"communityId": COMMUNITY, "queue": "UNCLAIMD", "first": "13912345678"})
    errors = await refusals(production, body)
    assert [said(e) for e in errors] == [
        ("BAD_USER_INPUT", "queue", "queue 应为ReportQueue 类型的值。"),
        ("BAD_USER_INPUT", "first", "first 应为整数。"),
    ]
    text = str(errors)
    assert "UNCLAIMED" not in text and "UNCLAIMD" not in text and "13912345678" not in text, text


# (document, code, field, Chinese, English): what a stock client can send by mistake in development.
DOCUMENTS = [
    pytest.param(
        "{ nosuch }",
        "nosuch",
        "Query 没有字段 nosuch。",
        "Query has no field nosuch.",
        id="unknown-field",
    ),
    pytest.param(
        '{ community(id: "x", idd: "y") { id } }',
        "idd",
        "Query.community 不接受参数 idd。",
        "Query.community takes no argument idd.",
        id="unknown-argument",
    ),
    pytest.param(
        "{ community { id } }",
        "id",
        "Query.community 缺少参数 id：应填编号。",
        "Query.community needs the argument id: an id.",
        id="required-argument-missing",
    ),
    pytest.param(
        '{ reportQueue(communityId: "x", queue: UNCLAIMED, first: "ten") { totalCount } }',
        "first",
        "first 应为整数。",
        "first must be a whole number.",
        id="literal-of-the-wrong-type",
    ),
    pytest.param(
        'mutation { accountRegister(input: {phone: "13900001111", displayName: "新邻居"}) { __typename } }',
        "password",
        "缺少 password：应填文字。",
        "password is missing: give text.",
        id="literal-input-field-missing",
    ),
    pytest.param(
        "query Q($id: Int!) { community(id: $id) { id } }",
        "id",
        "变量 $id 的类型是 Int!，但使用处需要编号。",
        "The variable $id is of type Int!, but an id is needed where it is used.",
        id="variable-of-the-wrong-type",
    ),
    pytest.param(
        "query Q($first: Int) { __typename }",
        "first",
        "变量 $first 已声明但未使用。",
        "The variable $first is declared but not used.",
        id="variable-unused",
    ),
    pytest.param(
        "query Q { community(id: $id) { id } }",
        "id",
        "变量 $id 未声明就被使用。",
        "The variable $id is used but not declared.",
        id="variable-undeclared",
    ),
]


@pytest.mark.parametrize(("query", "field", "chinese", "english"), DOCUMENTS)
async def test_a_document_that_does_not_fit_the_schema_is_refused_in_the_callers_language(
    http: httpx.AsyncClient, query: str, field: str, chinese: str, english: str
) -> None:
    body = {"query": query}
    [zh] = await refusals(http, body)
    [en] = await refusals(http, body, "en")
    assert said(zh) == ("GRAPHQL_VALIDATION_FAILED", field, chinese)
    assert said(en) == ("GRAPHQL_VALIDATION_FAILED", field, english)
    assert zh["extensions"]["detail"] == en["extensions"]["detail"]


async def test_any_other_misfit_of_a_document_still_reads_in_chinese_with_its_detail(
    http: httpx.AsyncClient,
) -> None:
    [zh] = await refusals(http, {"query": "{ __typename ...Missing }"})
    assert said(zh) == ("GRAPHQL_VALIDATION_FAILED", None, "查询与接口定义不符（详见 extensions.detail）。")
    assert zh["extensions"]["detail"] == "Unknown fragment 'Missing'."


async def test_a_syntax_error_reads_in_the_callers_language_where_it_is(http: httpx.AsyncClient) -> None:
    body = {"query": "{ me { user { id } }"}
    [zh] = await refusals(http, body)
    [en] = await refusals(http, body, "en")
    assert said(zh) == ("GRAPHQL_PARSE_FAILED", None, "查询不是有效的 GraphQL（第 1 行第 21 列）。")
    assert said(en) == ("GRAPHQL_PARSE_FAILED", None, "The query is not valid GraphQL (line 1, column 21).")
    assert en["extensions"]["detail"] == "Syntax Error: Expected Name, found <EOF>."


def test_a_scalar_of_ours_that_refuses_with_a_domain_error_keeps_its_code_and_text() -> None:
    """The schema has none today; one that raises DomainError in parse_value (a month scalar, say)
    is answered with its own code and text, at the variable's path."""
    from graphql import (
        GraphQLArgument,
        GraphQLField,
        GraphQLNonNull,
        GraphQLObjectType,
        GraphQLScalarType,
        GraphQLSchema,
        GraphQLString,
        parse,
    )
    from graphql.execution.values import get_variable_values

    from api.graphql_refusals import variable_refusal
    from runtime.i18n import ENGLISH, N_
    from services.errors import DomainError, ErrorCode

    def month(value: object) -> str:
        raise DomainError(ErrorCode.INVALID_INPUT, N_("Give the month as YYYY-MM."), "month")

    scalar = GraphQLScalarType("Month", parse_value=month)
    field = GraphQLField(GraphQLString, args={"month": GraphQLArgument(GraphQLNonNull(scalar))})
    schema = GraphQLSchema(GraphQLObjectType("Query", {"book": field}))
    [operation] = parse("query Q($month: Month!) { book(month: $month) }").definitions
    variables = {"month": "May"}
    [error] = get_variable_values(schema, operation.variable_definitions, variables)  # type: ignore[attr-defined,misc]

    refusal = variable_refusal(error, schema, variables, production=False)

    assert refusal is not None
    assert (refusal.code, refusal.field, refusal.text.render(ENGLISH)) == (
        "INVALID_INPUT",
        "month",
        "Give the month as YYYY-MM.",
    )
    assert refusal.text.render("zh_Hans") != "Give the month as YYYY-MM."  # the catalog has it
