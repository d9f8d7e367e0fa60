"""Running the contract's persisted documents in process, for the person signed in to a web page.

Every page and every form action of the web pages is one of these: the document is looked up by
client and name in mobile-contract/clients.json and its text taken from the persisted manifest,
so the pages run exactly what production serves, through the same schema, resolvers and
extensions as the app (one path for authorization, typed errors and idempotency). A page never
reads models itself; its template is a view of the operation's answer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import strawberry
from starlette.requests import Request

from api.context import Context
from api.gate import MANIFEST, persisted_documents
from services.access import Viewer

CLIENTS_FILE = MANIFEST.parent / "clients.json"


class UnknownDocument(LookupError):
    """A page names a document that is not in the contract: a bug, caught by the web tests."""


@lru_cache(maxsize=1)
def _clients() -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = json.loads(CLIENTS_FILE.read_text(encoding="utf-8"))
    return data


def document(client: str, name: str) -> str:
    """The persisted text of a client's operation (production serves nothing else)."""
    sha = _clients().get(client, {}).get(name)
    text = persisted_documents().get(sha) if sha else None
    if text is None:
        raise UnknownDocument(f"{client}/{name} is not a persisted document; run `make contract`")
    return text


@dataclass(frozen=True)
class Problem:
    """One typed error: a payload's `errors` entry or a top-level error's code."""

    code: str
    message: str
    field: str | None = None
    retry_after_seconds: int | None = None


@dataclass
class Outcome:
    data: dict[str, Any]
    # Top-level errors (UNAUTHENTICATED, FORBIDDEN, …): the operation did not run for this person.
    refused: list[Problem] = field(default_factory=list)

    @property
    def payload(self) -> dict[str, Any]:
        """The first root field's value (a mutation's payload); {} when it is null."""
        value = next(iter(self.data.values()), None) if self.data else None
        return value if isinstance(value, dict) else {}

    @property
    def problems(self) -> list[Problem]:
        """The payload's typed errors, after any top-level refusal."""
        listed = self.payload.get("errors") or []
        return [
            *self.refused,
            *(
                Problem(e["code"], e.get("message") or "", e.get("field"), e.get("retryAfterSeconds"))
                for e in listed
            ),
        ]

    @property
    def ok(self) -> bool:
        return not self.problems

    def refused_with(self, code: str) -> bool:
        return any(p.code == code for p in self.refused)


class Runner:
    """Runs a client's documents against the server's one schema."""

    def __init__(self, schema: strawberry.Schema, client: str = "web") -> None:
        self.schema = schema
        self.client = client

    async def run(
        self,
        request: Request,
        viewer: Viewer,
        name: str,
        variables: dict[str, Any] | None = None,
        client: str | None = None,
    ) -> Outcome:
        """`client="app"` runs one of the app's own documents (the mutations the app and the
        pages share: sign in, report, confirm, redeem …)."""
        text = document(client or self.client, name)
        result = await self.schema.execute(
            text,
            variable_values=variables or {},
            context_value=Context(request=request, response=None, viewer=viewer),
            operation_name=name,
        )
        refused = [
            Problem(
                str((error.extensions or {}).get("code", "INTERNAL_ERROR")),
                error.message,
                str((error.extensions or {}).get("field") or "") or None,
            )
            for error in result.errors or []
        ]
        return Outcome(data=result.data or {}, refused=refused)
