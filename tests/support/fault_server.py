"""The server with a planted bug, for proving that the fault harness can fail.

    RS_FAULT_PLANT=respond-before-commit python -m tests.support.fault_server --port 8123

It serves the real application (`api.app.create_app`) behind one extra ASGI layer that runs each
GraphQL POST inside an outer transaction and lets the response leave before that transaction
commits, then waits a moment (a slow disk, say) and commits. A server killed in that moment has
acknowledged writes it never made durable: exactly the bug `tests/support/fault_harness.py` must
catch. Without RS_FAULT_PLANT the layer is not installed and this is the plain server.

It lives under tests/, which the package does not install (pyproject's packages.find lists api,
services, points_engine, models, runtime and cli), so `redsteward serve` can never load it; it also
refuses to start in production mode.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

from starlette.types import ASGIApp, Receive, Scope, Send
from tortoise.transactions import in_transaction

from api.app import create_app
from runtime.settings import get_settings

PLANT_ENV = "RS_FAULT_PLANT"
RESPOND_BEFORE_COMMIT = "respond-before-commit"
# Long enough that a kill at a random moment usually finds acknowledged writes still uncommitted.
COMMIT_DELAY_SECONDS = 1.0


class RespondBeforeCommit:
    """The planted bug: the mutation's own transactions become savepoints of an outer one that
    commits only after the response has been sent."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "POST" or scope.get("path") != "/graphql":
            await self.app(scope, receive, send)
            return
        async with in_transaction():
            await self.app(scope, receive, send)
            await asyncio.sleep(COMMIT_DELAY_SECONDS)


def planted_app() -> ASGIApp:
    settings = get_settings()
    plant = os.environ.get(PLANT_ENV, "").strip()
    if plant and settings.production:
        raise SystemExit(f"{PLANT_ENV} is a test-only fault and is refused in production mode.")
    app = create_app(settings)
    if plant == RESPOND_BEFORE_COMMIT:
        return RespondBeforeCommit(app)
    if plant:
        raise SystemExit(f"unknown {PLANT_ENV}={plant!r}; the only plant is {RESPOND_BEFORE_COMMIT!r}")
    return app


def main(argv: list[str] | None = None) -> int:
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    uvicorn.run(
        planted_app(), host=args.host, port=args.port, log_config=None, server_header=False, lifespan="on"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
