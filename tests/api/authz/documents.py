"""Documents and arguments for any field of the schema, written from the schema itself.

The matrix must reach every field that takes an ID, including ones added after it was written,
so the query text and the arguments are generated: one level of scalars (and the ids of the
objects one level down) is enough to see whether a caller got data. Rows override arguments
only where a generated value would be refused before authorization could be seen.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLType,
    GraphQLUnionType,
    get_named_type,
    is_leaf_type,
)

from runtime import clock
from tests.api.authz.world import Side

# An ID argument or input field names an object of this kind, by its name.
ID_KINDS = {
    "dispatchId": "Dispatch",
    "districtId": "District",
    "streetId": "Street",
    "departmentId": "Department",
    "id": "Report",
    "communityId": "Community",
    "compoundId": "Compound",
    "buildingId": "Building",
    "entranceId": "Entrance",
    "householdId": "Household",
    "assetId": "Asset",
    "proxyForId": "User",
    "parentId": "Entrance",
    "placeId": "Entrance",
    "reportPlaceId": "Entrance",
    "targetId": "Entrance",
    "scopeId": "Team",
    "reportId": "Report",
    "teamId": "Team",
    "team": "Team",
    "activityId": "Activity",
    "attendanceId": "Attendance",
    "requestId": "TeamJoinRequest",
    "rewardId": "Reward",
    "redemptionId": "Redemption",
    "transferId": "PointTransfer",
    "notificationId": "Notification",
    "opinionId": "Opinion",
    "surveyId": "Survey",
    "meetingId": "Meeting",
    "topicId": "AgendaTopic",
    "userId": "User",
    "followUpById": "User",
    "corrects": "PointTransfer",
    "correctsId": "PointTransfer",
    "flagId": "AbuseFlag",
    "billIds": "FeeBill",
    "billId": "FeeBill",
    "paymentId": "FeePayment",
    "giftRewardId": "Reward",
    "giftRecipientId": "User",
    "outpostRewardId": "OutpostReward",
    "caseId": "MediationCase",
    "visitId": "ObserverVisit",
    "interventionId": "DisputeIntervention",
    "partyHouseholdIds": "Household",
    "mediatorIds": "User",
}


def unwrap(type_: GraphQLType) -> GraphQLType:
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        type_ = type_.of_type
    return type_


def takes_an_id(type_: GraphQLType, seen: frozenset[str] = frozenset()) -> bool:
    named = get_named_type(type_)
    if named.name == "ID":
        return True
    if isinstance(named, GraphQLInputObjectType) and named.name not in seen:
        return any(takes_an_id(f.type, seen | {named.name}) for f in named.fields.values())
    return False


def id_taking_fields(schema: GraphQLSchema) -> list[str]:
    """`Type.field` for every field of every object type with an argument that holds an ID."""
    found = []
    for name, type_ in sorted(schema.type_map.items()):
        if name.startswith("__") or not isinstance(type_, GraphQLObjectType):
            continue
        for field_name, field in type_.fields.items():
            if any(takes_an_id(arg.type) for arg in field.args.values()):
                found.append(f"{name}.{field_name}")
    return found


def node_types(schema: GraphQLSchema) -> list[str]:
    return sorted(t.name for t in schema.get_possible_types(schema.type_map["Node"]))  # type: ignore[arg-type]


def selection(type_: GraphQLType, depth: int = 2) -> str:
    named = unwrap(type_)
    if is_leaf_type(named):
        return ""
    if isinstance(named, GraphQLUnionType | GraphQLInterfaceType):
        return "{ __typename ... on Node { id } }"
    assert isinstance(named, GraphQLObjectType)
    parts = ["__typename"]
    for name, field in named.fields.items():
        if any(isinstance(a.type, GraphQLNonNull) for a in field.args.values()):
            continue
        inner = unwrap(field.type)
        if is_leaf_type(inner):
            parts.append(name)
        elif depth > 1:
            parts.append(f"{name} {selection(field.type, depth - 1)}")
        elif isinstance(inner, GraphQLObjectType) and "id" in inner.fields:
            parts.append(f"{name} {{ id }}")
    return "{ " + " ".join(parts) + " }"


def document(operation: str, field_name: str, field: GraphQLField, node_type: str | None = None) -> str:
    declared = ", ".join(f"${name}: {arg.type}" for name, arg in field.args.items())
    passed = ", ".join(f"{name}: ${name}" for name in field.args)
    if node_type:
        body = f"{{ __typename ... on {node_type} {selection_of_node(node_type)} }}"
    else:
        body = selection(field.type)
    head = f"{operation} Probe({declared})" if declared else operation
    return f"{head} {{ {field_name}{f'({passed})' if passed else ''} {body} }}"


_NODE_SELECTIONS: dict[str, str] = {}


def selection_of_node(node_type: str) -> str:
    return _NODE_SELECTIONS[node_type]


def remember_node_selections(schema: GraphQLSchema) -> None:
    for name in node_types(schema):
        _NODE_SELECTIONS[name] = selection(schema.type_map[name])


# `id` and `ids` name the object the field or input is about.
ID_OF = {
    "PlaceRenameInput.id": "Household",
    "TagRevokeInput.id": "Tag",
    "TagReissueInput.id": "Tag",
    "RewardUpdateInput.id": "Reward",
    "NotificationMarkReadInput.ids": "Notification",
    "AccountEntryRecordInput.correctsId": "AccountEntry",
    "report.id": "Report",
    "team.id": "Team",
    "activity.id": "Activity",
    "community.id": "Community",
    "dispatch.id": "Dispatch",
    "mediationCase.id": "MediationCase",
}


def value_for(name: str, type_: GraphQLType, side: Side, owner: str) -> Any:
    """A plausible value for an argument or input field of `owner` (a field or an input type),
    naming `side`'s objects; optional fields are left out unless they hold an ID."""
    named = unwrap(type_)
    is_list = isinstance(type_, GraphQLNonNull) and isinstance(type_.of_type, GraphQLList)
    is_list = is_list or isinstance(type_, GraphQLList)
    if named.name == "ID":
        value: Any = side.id(ID_OF.get(f"{owner}.{name}") or ID_KINDS[name])
    elif named.name == "String":
        value = {"month": clock.now().strftime("%Y-%m"), "idempotencyKey": f"probe-{name}"}.get(name, "探针")
    elif named.name == "Int":
        value = {"first": 5, "year": clock.now().year, "rating": 5, "score": 4}.get(name, 1)
    elif named.name == "Boolean":
        value = False
    elif named.name == "Decimal":
        value = "1"
    elif named.name == "Date":
        value = clock.now().date().isoformat()
    elif named.name == "DateTime":
        offset = {"endsAt": 2, "closesAt": 48}.get(name, 0)
        value = (clock.now() + timedelta(hours=offset)).isoformat()
    elif isinstance(named, GraphQLEnumType):
        value = next(iter(named.values))
    elif named.name == "Upload":
        return []
    elif isinstance(named, GraphQLInputObjectType):
        value = {}
        for field_name, field in named.fields.items():
            required = isinstance(field.type, GraphQLNonNull)
            if not (required or takes_an_id(field.type)):
                continue
            kind = ID_OF.get(f"{named.name}.{field_name}") or ID_KINDS.get(field_name)
            if not required and kind is not None and kind not in side.ids:
                continue  # an optional id of a kind this community has none of
            value[field_name] = value_for(field_name, field.type, side, named.name)
    else:
        raise AssertionError(f"no value for {name}: {type_}")
    return [value] if is_list else value
