"""The baseline of the load benchmark: strawberry answering `{ hello }` over the same Starlette
and uvicorn stack as the app, with no database. Every scenario is reported as a ratio to it,
measured in the same run on the same server settings (the machine's speed drifts between runs)."""

from __future__ import annotations

import strawberry
from starlette.applications import Starlette
from starlette.routing import Route
from strawberry.asgi import GraphQL


@strawberry.type
class Query:
    @strawberry.field
    def hello(self) -> str:
        return "world"


app = Starlette(routes=[Route("/graphql", GraphQL(strawberry.Schema(query=Query)), methods=["GET", "POST"])])
