"""Sending one generated probe and telling what the caller got."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

# What a refused caller sees: not signed in, not allowed, or (outside the community) nothing there.
REFUSALS = frozenset({"UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND"})


@dataclass
class Outcome:
    got_data: bool
    refused: bool
    codes: list[str]
    leaked: Any  # what a refused caller was shown anyway (None when nothing)
    listed: int | None = None  # how many objects a list showed (None when it is no list)

    def label(self) -> str:
        if self.refused:
            return "refused"
        return "data" if self.got_data else f"other {self.codes}"


def _payload_codes(value: Any) -> list[str]:
    if isinstance(value, dict) and isinstance(value.get("errors"), list):
        return [str(e.get("code")) for e in value["errors"]]
    return []


def _shown(value: Any) -> Any:
    """The data in a field's value besides its typed errors; None when there is none."""
    if isinstance(value, dict):
        rest = {
            k: v for k, v in value.items() if k not in ("errors", "__typename") and v not in (None, [], False)
        }
        return rest or None
    return value if value not in (None, []) else None


async def send(
    http: httpx.AsyncClient, query: str, variables: dict[str, Any], token: str | None, field: str
) -> Outcome:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    response = await http.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    # Errors deeper than the field are field-level refusals (a care tag inside a household the
    # caller may see); the field itself is refused only by an error at its own path.
    top = [
        str(e.get("extensions", {}).get("code"))
        for e in body.get("errors", [])
        if len(e.get("path") or []) <= 1
    ]
    value = (body.get("data") or {}).get(field)
    codes = top + _payload_codes(value)
    refused = bool(REFUSALS & set(codes)) or (not codes and value is None)
    shown = _shown(value)
    listed = None
    if isinstance(value, dict) and isinstance(value.get("edges"), list):
        listed = len(value["edges"])
    return Outcome(
        got_data=not codes and shown is not None,
        refused=refused,
        codes=codes,
        leaked=shown if refused else None,
        listed=listed,
    )
