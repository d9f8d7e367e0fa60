"""Running an ASGI app under uvicorn the way `redsteward serve` does, one worker or many.

uvicorn 0.54 binds the listening socket itself when it runs several workers, with `proto` left at
0 (Kludex/uvicorn#3149, open). Accepted sockets inherit it, and asyncio turns TCP_NODELAY on only
for sockets that say IPPROTO_TCP, so with `--workers 2` Nagle's algorithm holds back the body of
every keep-alive response until the phone's delayed ACK: ~40 ms added to every request after a
connection's first (measured: `{ hello }` p50 6.5 ms on one worker, 47 ms on two). One worker is
unaffected because asyncio builds that listener from getaddrinfo, which says IPPROTO_TCP.
"""

from __future__ import annotations

import logging
import socket
import sys
from typing import Any

import uvicorn
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors import Multiprocess

logger = logging.getLogger("uvicorn.error")


class WorkerListener(socket.socket):
    """The address the workers share. The supervisor binds it (so the port is taken and a bad
    address fails at once) but never listens on it; each worker, unpickling it, gets a listener
    of its own on the same address (SO_REUSEPORT), and the kernel spreads new connections over
    them. Through one shared listener the worker that wakes first accepts a whole burst: wrk's 16
    keep-alive connections, or a proxy's upstream pool, all landed on one of two workers and the
    other sat idle (measured: two workers at 0.78x of one on `{ hello }`)."""

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return _worker_listener, (self.family, self.getsockname())


def _tcp_bound(
    family: socket.AddressFamily, address: Any, reuse_port: bool, kind: type[socket.socket] = socket.socket
) -> socket.socket:
    """A TCP socket (saying IPPROTO_TCP, so asyncio sets TCP_NODELAY) bound to `address`."""
    sock = kind(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind(address)
    except OSError:
        sock.close()
        raise
    return sock


def _worker_listener(family: socket.AddressFamily, address: Any) -> socket.socket:
    return _tcp_bound(family, address, reuse_port=True)


class WorkersConfig(uvicorn.Config):
    """uvicorn's configuration, with a listening address that says it is TCP (see the module's
    docstring) and that each worker listens on for itself (see WorkerListener)."""

    def bind_socket(self) -> socket.socket:
        if self.uds is not None or self.fd is not None:
            return super().bind_socket()
        family = socket.AF_INET6 if self.host and ":" in self.host else socket.AF_INET
        # SO_REUSEPORT would also let us share the port with a server already on it (a stale one
        # from the last deploy, of the same user), silently splitting the phones between two
        # versions. A plain bind first fails on any listener there, as uvicorn's own does.
        address = (self.host, self.port)
        try:
            _tcp_bound(family, address, reuse_port=False).close()
            sock = _tcp_bound(family, address, reuse_port=True, kind=WorkerListener)
        except OSError as exc:
            logger.error("cannot listen on %s:%s: %s", self.host, self.port, exc)
            sys.exit(STARTUP_FAILURE)
        sock.set_inheritable(True)
        return sock


def serve(
    app: str,
    *,
    host: str,
    port: int,
    workers: int,
    proxy_headers: bool = True,
    forwarded_allow_ips: str | None = None,
    log_level: str | None = None,
) -> bool:
    """Serve `app` (an import string, so workers can import it) until stopped; False when the
    server did not start."""
    config = WorkersConfig(
        app,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=proxy_headers,
        forwarded_allow_ips=forwarded_allow_ips,
        log_config=None,
        log_level=log_level,
        server_header=False,
        access_log=False,
    )
    server = uvicorn.Server(config)
    try:
        if config.workers > 1:
            Multiprocess(config, sockets=[config.bind_socket()]).run()
            return True
        config.load_app()
        server.run()
    except KeyboardInterrupt:
        pass
    return server.started
