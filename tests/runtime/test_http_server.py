"""`redsteward serve` with several workers: every worker gets connections, and every connection
gets TCP_NODELAY (uvicorn's own multi-worker listener gives neither; runtime/http_server.py)."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from multiprocessing.reduction import ForkingPickler
from pathlib import Path

import pytest

from runtime.http_server import WorkersConfig
from tests.support.server import free_port


def _as_a_spawned_worker_gets_it(sock: socket.socket) -> socket.socket:
    # uvicorn hands the listener to each worker through multiprocessing's pickler.
    copy: socket.socket = ForkingPickler.loads(bytes(ForkingPickler.dumps(sock)))
    return copy


async def test_a_worker_listens_on_its_own_tcp_socket_and_its_connections_skip_nagle() -> None:
    config = WorkersConfig("api.asgi:app", host="127.0.0.1", port=free_port(), workers=2)
    shared = config.bind_socket()
    first, second = _as_a_spawned_worker_gets_it(shared), _as_a_spawned_worker_gets_it(shared)
    try:
        assert shared.proto == socket.IPPROTO_TCP
        assert first.getsockname() == second.getsockname() == shared.getsockname()
        assert len({shared.fileno(), first.fileno(), second.fileno()}) == 3

        accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        class Probe(asyncio.Protocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                sock = transport.get_extra_info("socket")
                accepted.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                transport.close()

        # What uvicorn's worker does with the listener it was given.
        server = await asyncio.get_running_loop().create_server(Probe, sock=first)
        try:
            _, writer = await asyncio.open_connection(*shared.getsockname())
            assert await asyncio.wait_for(accepted, 10) == 1
            writer.close()
        finally:
            server.close()
    finally:
        for sock in (shared, first, second):
            sock.close()


def _workers(supervisor: int) -> list[int]:
    children = Path(f"/proc/{supervisor}/task/{supervisor}/children").read_text().split()
    return [
        int(pid) for pid in children if b"resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_bytes()
    ]


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    return inodes


def _sockets_on(port: int, pid: int, state: str) -> int:
    """How many TCP sockets on local `port` in `state` (01 established, 0A listening) `pid` holds."""
    inodes = _socket_inodes(pid)
    held = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port and fields[3] == state and fields[9] in inodes:
            held += 1
    return held


def _get_healthz(sock: socket.socket) -> bytes:
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
    answer = b""
    while b"\r\n\r\n" not in answer:
        answer += sock.recv(65536)
    head, body = answer.split(b"\r\n\r\n", 1)
    length = next(
        int(h.split(b":")[1]) for h in head.split(b"\r\n") if h.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        chunk = sock.recv(65536)
        assert chunk, "server closed a keep-alive connection"
        body += chunk
    return head


@pytest.mark.own_sqlite
def test_several_workers_on_sqlite_are_refused_with_the_reason(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "RS_LANGUAGE"}
    env["RS_DATABASE_URL"] = f"sqlite://{tmp_path / 'serve.sqlite3'}"
    started = subprocess.run(
        [sys.executable, "-m", "cli.main", "serve", "--port", str(free_port()), "--workers", "2"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert started.returncode == 2
    # Said in Chinese, the operator's default language (RS_LANGUAGE=en would say it in English).
    assert "SQLite 只能单进程服务" in started.stderr and "Uvicorn running" not in started.stderr


@pytest.mark.postgres
@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's /proc")
def test_two_workers_share_sixteen_keep_alive_connections(tmp_path: Path, pg_url: str) -> None:
    env = {**os.environ, "RS_DATABASE_URL": pg_url}
    migrate = subprocess.run(
        [sys.executable, "-m", "cli.main", "migrate"], env=env, capture_output=True, text=True, timeout=120
    )
    assert migrate.returncode == 0, migrate.stderr
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "cli.main", "serve", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    connections: list[socket.socket] = []
    try:
        deadline = time.monotonic() + 90
        while len(_workers(process.pid)) < 2 or any(
            _sockets_on(port, pid, "0A") == 0 for pid in _workers(process.pid)
        ):
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        # Opened in one burst, as a proxy's pool or wrk opens them.
        connections = [socket.create_connection(("127.0.0.1", port), timeout=30) for _ in range(16)]
        for sock in connections:
            for _ in range(3):  # keep-alive: the connection stays with the worker that took it
                assert _get_healthz(sock).startswith(b"HTTP/1.1 200")
        held = {pid: _sockets_on(port, pid, "01") for pid in _workers(process.pid)}
        assert sum(held.values()) == 16, held
        assert min(held.values()) >= 1, f"one worker took every connection: {held}"
    finally:
        for sock in connections:
            sock.close()
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def test_a_port_another_server_listens_on_is_refused_even_one_that_shares_ports() -> None:
    """Each worker's SO_REUSEPORT listener must not join a stale server's on the same port."""
    port = free_port()
    stale = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    stale.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    stale.bind(("127.0.0.1", port))
    stale.listen()
    try:
        with pytest.raises(SystemExit) as refused:
            WorkersConfig("api.asgi:app", host="127.0.0.1", port=port, workers=2).bind_socket()
        assert refused.value.code == 3
    finally:
        stale.close()
