"""A real `redsteward serve` process on a free loopback port, for tests that need one."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import httpx
import uvicorn
from starlette.types import ASGIApp


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def running_server(
    database_url: str,
    log_path: Path,
    extra_env: dict[str, str] | None = None,
    serve_args: tuple[str, ...] = (),
) -> Iterator[str]:
    """Migrates the database, starts the server, yields its base URL, stops it at the end."""
    env = {**os.environ, "RS_DATABASE_URL": database_url, **(extra_env or {})}
    migrate = subprocess.run(
        [sys.executable, "-m", "cli.main", "migrate"], env=env, capture_output=True, text=True, timeout=120
    )
    assert migrate.returncode == 0, migrate.stderr
    port = free_port()
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "cli.main", "serve", "--port", str(port), *serve_args],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            # Generous: under a loaded CI (two workers, several servers starting) startup took >30 s.
            deadline = time.monotonic() + 90
            while True:
                try:
                    if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("server did not start:\n" + log_path.read_text())
                time.sleep(0.1)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


@asynccontextmanager
async def serving_in_process(app: ASGIApp) -> AsyncIterator[str]:
    """uvicorn serving `app` on a free loopback port inside this test's event loop: a real socket
    (WebSockets included) that still shares the test's database connections and moved clock."""
    server = uvicorn.Server(
        uvicorn.Config(
            app, host="127.0.0.1", port=free_port(), lifespan="off", log_config=None, ws="websockets-sansio"
        )
    )
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            if task.done():
                task.result()  # raises what stopped it
                raise AssertionError("uvicorn stopped before it started")
            await asyncio.sleep(0.01)
        yield f"http://127.0.0.1:{server.config.port}"
    finally:
        server.should_exit = True
        await task
