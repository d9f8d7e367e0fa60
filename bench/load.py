"""The load benchmark: the app's real persisted operations against real uvicorn servers on
loopback, driven by wrk, beside a `{ hello }` baseline measured in the same run. Not a test.

    python -m bench.load --scale small                  # SQLite, a few minutes
    python -m bench.load --scale large --database postgres://postgres@127.0.0.1:5432/test

For each database: build the synthetic city (bench/city.py) in a scratch database, start a
server (`api.asgi:app` through `redsteward serve`'s launcher, bench/serve.py; production mode:
persisted operations only) and, with the very same settings, the baseline (bench/hello_app.py).
Every scenario is one operation from mobile-contract/persisted-queries.json sent by hash
(Apollo's shape) with a real resident's token, rotating over many residents, places, activities
and gifts:

    scan        ScanTag           a tag on an entrance or building
    board       Leaderboard       a page of 20 of the monthly community board, with my rank
    history     MyPointsHistory   my balance and last 20 transfers
    report      ReportCreate      a new problem at an entrance (unique idempotency key)
    checkin     AttendanceCheckIn the current rotating code of an activity running now
    redeem      RewardRedeem      a gift (unique idempotency key)

Each scenario runs twice with wrk (one thread; the server needs the other core): flat out on 16
connections (saturation req/s), then paced at a fixed offered load of half of
min(its saturation, the baseline's) for p50/p95/p99. wrk cannot schedule an open-loop rate
(wrk2 is not in Debian): the pacing is wrk's `delay()` hook, every connection waiting a fixed
time between requests, so the achieved rate is reported next to the latencies. Peak RSS is each
worker's VmHWM after all scenarios. On PostgreSQL, reads are also run on two workers for the
scale-out ratio (SQLite serves one worker).

All load comes from 127.0.0.1, so the per-address limits on reports and redemptions
(120 an hour in production) are raised for the run (RS_RATE_LIMITS); the per-account limits
stay, and requests rotate over enough residents to stay under them. After the write scenarios
the ledger is checked (points_engine.audit.check_ledger, what `redsteward ledger-check` runs) and
the run fails if it finds a problem.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import functools
import json
import os
import platform
import random
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("RS_SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnop")
os.environ.setdefault("RS_ACCESS_TOKEN_TTL", str(24 * 3600))

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
READS = ("scan", "board", "history")
WRITES = ("report", "checkin", "redeem")
REQUESTS_PER_SCENARIO = 20_000
REPORT_TEXT = "楼道灯不亮了 (load benchmark)"


@dataclass(frozen=True)
class Timing:
    warmup: int
    saturation: int
    fixed: int
    connections: int = 16
    paced_connections: int = 8


TIMINGS = {
    "small": Timing(1, 3, 3),
    "medium": Timing(2, 8, 8),
    "large": Timing(3, 10, 12),
}


@dataclass
class Row:
    scenario: str
    workers: int
    saturation_rps: float
    offered_rps: float
    achieved_rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    ratio: float = 0.0
    # The `{ hello }` saturation run made just before this scenario's, on the same worker count:
    # the ratio is to it, so that a machine that slows down or speeds up during the run (another
    # process starting, the CPU's clock) moves both sides of the ratio alike.
    hello_rps: float = 0.0
    # `{ hello }`'s CPU per request (app + db) ÷ this scenario's, from the same adjacent pair of
    # runs: what the ratio would be if the machine did nothing else; less sensitive to load
    # than req/s.
    cpu_ratio: float = 0.0
    peak_rss_mb: list[float] = field(default_factory=list)
    failed: int = 0
    typed_errors: dict[str, int] = field(default_factory=dict)
    # CPU per request during the saturation run, by who spent it: the server's workers, the
    # PostgreSQL server's processes (SQLite works inside the workers), and wrk itself.
    app_cpu_ms: float = 0.0
    db_cpu_ms: float = 0.0
    wrk_cpu_ms: float = 0.0


def gid(type_name: str, row_id: int) -> str:
    return base64.b64encode(f"{type_name}:{row_id}".encode()).decode()


@functools.cache
def persisted_hash(name: str) -> str:
    """The hash the app sends for an operation, as mobile-contract/persisted-queries.json lists it."""
    from api.contract import operation_documents
    from api.gate import document_hash

    manifest = json.loads(
        (HERE.parent / "mobile-contract" / "persisted-queries.json").read_text(encoding="utf-8")
    )
    sha = document_hash(operation_documents()[name])
    if sha not in manifest:
        raise SystemExit(f"{name} is not in mobile-contract/persisted-queries.json; run `make contract`")
    return sha


def _persisted(name: str, variables: dict[str, Any]) -> str:
    body = {
        "operationName": name,
        "variables": variables,
        "extensions": {"persistedQuery": {"version": 1, "sha256Hash": persisted_hash(name)}},
    }
    return json.dumps(body, ensure_ascii=False)


def _lua_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def scenario_requests(city: Any, seconds_ahead: int) -> dict[str, dict[str, Any]]:
    """The requests of every scenario (token, body, activity) and the check-in codes they need."""
    from bench.city import BOARD_MONTH, CATEGORIES
    from services import signed_codes
    from services.tags import PURPOSE
    from services.teams import checkin_codes
    from services.tokens import issue_access_token

    rng = random.Random(city.seed)
    tokens: dict[int, str] = {}

    def token(user_id: int) -> str:
        if user_id not in tokens:
            tokens[user_id] = issue_access_token(user_id)[0]
        return tokens[user_id]

    def spread(items: list[Any]) -> list[Any]:
        picked = [items[i % len(items)] for i in range(min(REQUESTS_PER_SCENARIO, max(len(items), 1) * 50))]
        rng.shuffle(picked)
        return picked[:REQUESTS_PER_SCENARIO]

    people = [(c, u) for c in city.communities for u in c.users]
    earners = [(c, u) for c in city.communities for u, points in c.balances.items() if points >= 100]
    out: dict[str, dict[str, Any]] = {}
    out["scan"] = {
        "requests": [
            {"t": token(u), "b": _persisted("ScanTag", {"code": signed_codes.sign(PURPOSE, tag)})}
            for (c, u), tag in zip(
                spread(people), spread([t for c in city.communities for t in c.tags]), strict=False
            )
        ]
    }
    out["board"] = {
        "requests": [
            {
                "t": token(u),
                "b": _persisted(
                    "Leaderboard", {"communityId": gid("Community", c.id), "month": BOARD_MONTH, "first": 20}
                ),
            }
            for c, u in spread(people)
        ]
    }
    out["history"] = {
        "requests": [
            {
                "t": token(u),
                "b": _persisted("MyPointsHistory", {"communityId": gid("Community", c.id), "first": 20}),
            }
            for c, u in spread(earners)
        ]
    }
    # Every (entrance, category) once before any repeats: a second open report there would be a
    # duplicate, answered with DUPLICATE_REPORT (counted, not a failure).
    slots = [(c, e, k) for c in city.communities for e in c.entrances for k in CATEGORIES]
    rng.shuffle(slots)
    out["report"] = {
        "requests": [
            {
                "t": token(c.users[(i * 7919) % len(c.users)]),
                "b": _persisted(
                    "ReportCreate",
                    {
                        "input": {
                            "placeId": gid("Entrance", e),
                            "category": k.upper(),
                            "text": REPORT_TEXT,
                            "idempotencyKey": "@KEY@",
                        }
                    },
                ),
            }
            for i, (c, e, k) in enumerate(slots[:REQUESTS_PER_SCENARIO])
        ]
    }
    pairs = [(a, u) for c in city.communities for a, members in c.live for u in members]
    rng.shuffle(pairs)
    now = datetime.now(UTC)
    first = checkin_codes.step_of(now) - 1
    steps = range(first, first + seconds_ahead // checkin_codes.STEP_SECONDS + 3)
    out["checkin"] = {
        "requests": [
            {"t": token(u), "b": _persisted("AttendanceCheckIn", {"input": {"code": "@CODE@"}}), "a": a}
            for a, u in pairs[:REQUESTS_PER_SCENARIO]
        ],
        "codes": {
            a: {
                s: checkin_codes.rotating_code(
                    a, datetime.fromtimestamp(s * checkin_codes.STEP_SECONDS + 1, UTC)
                )
                for s in steps
            }
            for c in city.communities
            for a, _ in c.live
        },
    }
    out["redeem"] = {
        "requests": [
            {
                "t": token(u),
                "b": _persisted(
                    "RewardRedeem",
                    {
                        "input": {
                            "rewardId": gid("Reward", c.rewards[i % len(c.rewards)]),
                            "idempotencyKey": "@KEY@",
                        }
                    },
                ),
            }
            for i, (c, u) in enumerate(spread(earners))
        ]
    }
    out["hello"] = {"requests": [{"t": "", "b": json.dumps({"query": "{ hello }"})}]}
    return out


def write_lua(path: Path, data: dict[str, Any]) -> None:
    lines = ["return {", " requests = {"]
    for r in data["requests"]:
        activity = f", a = {r['a']}" if "a" in r else ""
        lines.append(f"  {{t = {_lua_string(r['t'])}, b = {_lua_string(r['b'])}{activity}}},")
    lines.append(" },")
    lines.append(" codes = {")
    for activity, codes in data.get("codes", {}).items():
        inner = ", ".join(f"[{step}] = {_lua_string(code)}" for step, code in codes.items())
        lines.append(f"  [{activity}] = {{{inner}}},")
    lines.append(" },")
    lines.append("}")
    path.write_text("\n".join(lines), encoding="utf-8")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(
    module: str, workers: int, env: dict[str, str], log: Path
) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """A uvicorn process on loopback started by the launcher `redsteward serve` uses (asyncio
    loop, h11, proxy headers, no server header, TCP_NODELAY on every worker); stopped on exit."""
    port = free_port()
    command = [sys.executable, "-m", "bench.serve", module, str(port), str(workers)]
    with log.open("ab") as sink:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            command, env=env, stdout=sink, stderr=subprocess.STDOUT, cwd=HERE.parent
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{module} did not start; see {log}") from None
                time.sleep(0.2)
        time.sleep(0.5 * workers)  # every worker listening, not only the first
        yield port, process
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def worker_pids(process: subprocess.Popen[bytes], workers: int) -> list[int]:
    if workers == 1:
        return [process.pid]
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
    # uvicorn spawns its workers with multiprocessing, which also starts a resource tracker.
    return [int(p) for p in children if b"resource_tracker" not in Path(f"/proc/{p}/cmdline").read_bytes()]


_TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU the processes have spent so far (gone processes count 0)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15 of stat
    return total / _TICK


def postgres_pids() -> list[int]:
    """Every PostgreSQL server process on this machine (backends, writers, the checkpointer)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def wrk(
    port: int,
    data: Path,
    seconds: int,
    connections: int,
    delay_ms: float,
    run: str,
    out: Path,
    offset: int = 0,
) -> dict[str, Any]:
    env = dict(
        os.environ,
        RS_BENCH_OFFSET=str(offset),
        RS_BENCH_DATA=str(data),
        RS_BENCH_DELAY_MS=f"{delay_ms:.0f}",
        RS_BENCH_RUN=run,
        RS_BENCH_OUT=str(out),
    )
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(HERE / "load.lua"),
        f"http://127.0.0.1:{port}/graphql",
    ]
    subprocess.run(command, env=env, check=True, capture_output=True, cwd=HERE)  # noqa: S603 - wrk, our script
    result: dict[str, Any] = json.loads(out.read_text())
    result["rps"] = result["requests"] / result["seconds"] if result["seconds"] else 0.0
    return result


def saturate(port: int, data: Path, timing: Timing, workdir: Path, workers: list[int]) -> Row:
    """`{ hello }`'s saturation rate and CPU per request, warmed up, without the paced run: the
    baseline each scenario is compared with, measured right before it."""
    warm = wrk(
        port, data, timing.warmup, timing.connections, 0, f"hello-warm-{time.time_ns()}", workdir / "out.json"
    )
    database = postgres_pids()
    app_before, db_before = cpu_seconds(workers), cpu_seconds(database)
    flat = wrk(
        port,
        data,
        timing.saturation,
        timing.connections,
        0,
        f"hello-sat-{time.time_ns()}",
        workdir / "out.json",
        offset=warm["requests"],
    )
    done = max(1, flat["requests"])
    return Row(
        scenario="hello",
        workers=len(workers),
        saturation_rps=round(flat["rps"], 1),
        offered_rps=0.0,
        achieved_rps=0.0,
        p50_ms=0.0,
        p95_ms=0.0,
        p99_ms=0.0,
        app_cpu_ms=round((cpu_seconds(workers) - app_before) * 1000 / done, 2),
        db_cpu_ms=round((cpu_seconds(database) - db_before) * 1000 / done, 2),
    )


def measure(
    port: int,
    name: str,
    data: Path,
    timing: Timing,
    workdir: Path,
    baseline_rps: float | None,
    workers: list[int],
) -> Row:
    warm = wrk(
        port,
        data,
        timing.warmup,
        timing.connections,
        0,
        f"{name}-warm-{time.time_ns()}",
        workdir / "out.json",
    )
    database = postgres_pids()
    app_before, db_before = cpu_seconds(workers), cpu_seconds(database)
    wrk_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    flat = wrk(
        port,
        data,
        timing.saturation,
        timing.connections,
        0,
        f"{name}-sat-{time.time_ns()}",
        workdir / "out.json",
        offset=warm["requests"],
    )
    wrk_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = max(1, flat["requests"])
    app_ms = (cpu_seconds(workers) - app_before) * 1000 / done
    db_ms = (cpu_seconds(database) - db_before) * 1000 / done
    wrk_s = (wrk_after.ru_utime + wrk_after.ru_stime) - (wrk_before.ru_utime + wrk_before.ru_stime)
    offered = 0.5 * min(flat["rps"], baseline_rps or flat["rps"])
    # Each paced connection sends one request, waits for the answer, then waits `delay`; the
    # service time at this load is about one request's share of the saturated run.
    # Few connections at a low rate, so that each still sends many requests within the run.
    connections = max(1, min(timing.paced_connections, int(offered // 25)))
    delay = max(0.0, connections * 1000 / offered - 1000 / flat["rps"])
    paced = wrk(
        port,
        data,
        timing.fixed,
        connections,
        delay,
        f"{name}-fix-{time.time_ns()}",
        workdir / "out.json",
        offset=warm["requests"] + flat["requests"],
    )
    typed = dict(flat["typed_errors"])
    for k, v in paced["typed_errors"].items():
        typed[k] = typed.get(k, 0) + v
    return Row(
        scenario=name,
        workers=0,
        saturation_rps=round(flat["rps"], 1),
        offered_rps=round(offered, 1),
        achieved_rps=round(paced["rps"], 1),
        p50_ms=round(paced["p50_ms"], 2),
        p95_ms=round(paced["p95_ms"], 2),
        p99_ms=round(paced["p99_ms"], 2),
        failed=int(
            flat["failed"]
            + paced["failed"]
            + flat["non_2xx"]
            + paced["non_2xx"]
            + flat["socket_errors"]
            + paced["socket_errors"]
        ),
        typed_errors=typed,
        app_cpu_ms=round(app_ms, 2),
        db_cpu_ms=round(db_ms, 2),
        wrk_cpu_ms=round(wrk_s * 1000 / done, 2),
    )


def run_database(admin: str, scale: str, workdir: Path) -> dict[str, Any]:
    from bench.city import build
    from bench.scratch import drop_pg, scratch_pg
    from runtime.database import close_database, open_database
    from runtime.migrations import upgrade

    dialect = "postgres" if admin else "sqlite"
    url = asyncio.run(scratch_pg(admin)) if admin else f"sqlite://{workdir / 'city.sqlite3'}"
    timing = TIMINGS[scale]
    print(f"== {dialect}: building the {scale} city", flush=True)

    async def make_city() -> Any:
        await upgrade(url)
        await open_database(url)
        try:
            return await build(scale)
        finally:
            await close_database()

    try:
        city = asyncio.run(make_city())
        ahead = 60 * 20 + len(READS + WRITES) * 3 * (timing.warmup + timing.saturation + timing.fixed)
        datasets = scenario_requests(city, ahead)
        files: dict[str, Path] = {}
        for name, data in datasets.items():
            files[name] = workdir / f"{dialect}-{name}.lua"
            write_lua(files[name], data)
        env = dict(
            os.environ,
            RS_DATABASE_URL=url,
            RS_PRODUCTION="1",
            RS_PHOTO_DIR=str(workdir / "photos"),
            RS_RATE_LIMITS="report.ip=100000000/3600,redeem.ip=100000000/3600",
            PYTHONPATH=str(HERE.parent),
        )
        env.pop("RS_ARGON2_FAST", None)
        log = workdir / f"{dialect}-servers.log"
        rows: list[Row] = []
        load_before = os.getloadavg()
        # Reads first, on one worker and then (PostgreSQL only: `redsteward serve` refuses
        # several workers on SQLite) on two, so that both read the same city; the writes come
        # last, since the reports, check-ins and transfers they add change what a read returns
        # (an earlier order had the two-worker scans reading ~1,400 more open reports).
        runs: list[tuple[int, tuple[str, ...]]] = [(1, READS)]
        if admin:
            runs.append((2, READS))
        runs.append((1, WRITES))
        for workers, scenarios in runs:
            with (
                server("bench.hello_app:app", workers, env, log) as (hello_port, hello_process),
                server("api.asgi:app", workers, env, log) as (port, process),
            ):
                hello_pids = worker_pids(hello_process, workers)
                pids = worker_pids(process, workers)
                if not any(r.scenario == "hello" and r.workers == workers for r in rows):
                    print(f"  {workers} worker(s): hello", flush=True)
                    hello = measure(hello_port, "hello", files["hello"], timing, workdir, None, hello_pids)
                    hello.workers = workers
                    hello.peak_rss_mb = [round(peak_rss_mb(p), 1) for p in hello_pids]
                    hello.ratio = hello.cpu_ratio = 1.0
                    hello.hello_rps = hello.saturation_rps
                    rows.append(hello)
                measured = []
                for name in scenarios:
                    print(f"  {workers} worker(s): {name}", flush=True)
                    adjacent = saturate(hello_port, files["hello"], timing, workdir, hello_pids)
                    row = measure(port, name, files[name], timing, workdir, adjacent.saturation_rps, pids)
                    row.workers = workers
                    row.hello_rps = adjacent.saturation_rps
                    row.ratio = round(row.saturation_rps / adjacent.saturation_rps, 2)
                    spent = row.app_cpu_ms + row.db_cpu_ms
                    row.cpu_ratio = (
                        round((adjacent.app_cpu_ms + adjacent.db_cpu_ms) / spent, 2) if spent else 0.0
                    )
                    measured.append(row)
                rss = [round(peak_rss_mb(p), 1) for p in pids]
                for row in measured:
                    row.peak_rss_mb = rss
                rows += measured
        order = ("hello", *READS, *WRITES)
        rows.sort(key=lambda r: (r.workers, order.index(r.scenario)))

        # In a process of its own: tortoise holds one global context per process, and the city
        # was built in this one. `ledger-check` is the very command an operator runs.
        check = subprocess.run(
            [sys.executable, "-m", "cli.main", "ledger-check"],
            env=env,
            capture_output=True,
            text=True,
            cwd=HERE.parent,
        )
        written = subprocess.run(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "bench.load", "--count-writes", url],
            env=env,
            capture_output=True,
            text=True,
            cwd=HERE.parent,
            check=True,
        )
        ledger = {
            "passed": check.returncode == 0,
            "output": check.stdout.strip().splitlines()[-1:]
            if check.stdout
            else check.stderr.strip().splitlines()[-3:],
            "written": json.loads(written.stdout),
        }
        return {
            "database": dialect,
            "city": city.counts,
            "city_seconds": round(city.seconds, 1),
            "rows": [asdict(r) for r in rows],
            "ledger_check": ledger,
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
        }
    finally:
        if admin:
            asyncio.run(drop_pg(admin, url))


async def count_writes(url: str) -> dict[str, int]:
    """What the write scenarios left behind (printed as JSON for the parent process)."""
    from models.reports import Report
    from models.rewards import Redemption
    from models.teams import Attendance
    from runtime.database import close_database, open_database

    await open_database(url)
    try:
        return {
            "reports": await Report.filter(text=REPORT_TEXT).count(),
            "attendances": await Attendance.all().count(),
            "redemptions": await Redemption.all().count(),
        }
    finally:
        await close_database()


def markdown(results: dict[str, Any]) -> str:
    lines = [
        f"# Load benchmark — {results['scale']} city, {results['started']}",
        "",
        f"Machine: {results['machine']}. wrk, 1 thread; saturation on 16 connections, then a fixed "
        "offered load (up to 8 paced connections) at half of min(scenario, baseline) saturation. "
        "× hello = scenario req/s ÷ the req/s of a `{ hello }` saturation run made just before it "
        "(same server settings, same worker count; that run's req/s in the next column). "
        "CPU × hello = `{ hello }`'s CPU per request (app + db) in that adjacent run ÷ the "
        "scenario's: the ratio a machine doing nothing else would show. "
        "CPU ms per request (saturation run, from /proc): the server's workers (app; SQLite works "
        "inside them), PostgreSQL's processes (db) and wrk's own (load tool), which share the "
        "machine's cores.",
        "",
    ]
    for db in results["databases"]:
        lines += [
            f"## {db['database']} — " + ", ".join(f"{v:,} {k}" for k, v in db["city"].items()),
            "",
            f"Load average before/after: {db['load_average_before']} / {db['load_average_after']}. "
            "`redsteward ledger-check` after the writes: "
            f"{'passed' if db['ledger_check']['passed'] else 'FAILED'} "
            f"({' '.join(db['ledger_check']['output'])}); written: {db['ledger_check']['written']}.",
            "",
            "| scenario | workers | req/s (saturation) | × hello | hello req/s | CPU × hello | "
            "offered req/s | achieved | p50 ms | p95 ms | p99 ms | CPU ms/req app · db · load tool | "
            "peak RSS MB/worker | failed | typed errors |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for r in db["rows"]:
            typed = ", ".join(f"{k} {v}" for k, v in sorted(r["typed_errors"].items())) or "—"
            lines.append(
                f"| {r['scenario']} | {r['workers']} | {r['saturation_rps']:.0f} | {r['ratio']:.2f} | "
                f"{r.get('hello_rps', 0):.0f} | {r.get('cpu_ratio', 0):.2f} | {r['offered_rps']:.0f} | "
                f"{r['achieved_rps']:.0f} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['p99_ms']:.1f} | "
                f"{r['app_cpu_ms']:.2f} · {r['db_cpu_ms']:.2f} · {r['wrk_cpu_ms']:.2f} | "
                f"{', '.join(f'{m:.0f}' for m in r['peak_rss_mb'])} | {r['failed']} | {typed} |"
            )
        one = {r["scenario"]: r["saturation_rps"] for r in db["rows"] if r["workers"] == 1}
        two = {r["scenario"]: r["saturation_rps"] for r in db["rows"] if r["workers"] == 2}
        scale_out = ", ".join(
            f"{name} {two[name] / one[name]:.2f}×" for name in READS if name in two and one.get(name)
        )
        lines.append("")
        if two:
            lines += [
                f"Two workers ÷ one worker (saturation req/s): {scale_out}; "
                f"hello {two['hello'] / one['hello']:.2f}×.",
                "",
            ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description="The load benchmark (see bench/load.py).")
    parser.add_argument("--scale", choices=sorted(TIMINGS), default="small")
    parser.add_argument(
        "--database", action="append", default=[], help="'sqlite' or a PostgreSQL admin URL; repeatable"
    )
    parser.add_argument("--out", default=str(RESULTS), help="where the markdown and JSON tables go")
    parser.add_argument("--count-writes", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--one-database", nargs=2, metavar=("DATABASE", "JSON"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.count_writes:
        print(json.dumps(asyncio.run(count_writes(args.count_writes))))
        return
    if args.one_database:
        database, into = args.one_database
        with tempfile.TemporaryDirectory(prefix="rs-load-") as tmp:
            db = run_database("" if database == "sqlite" else database, args.scale, Path(tmp))
        Path(into).write_text(json.dumps(db), encoding="utf-8")
        return
    if shutil.which("wrk") is None:
        sys.exit(
            "wrk is not installed: `apt-get install -y wrk` (Debian/Ubuntu) — `make bench` does this as root."
        )
    databases = args.database or ["sqlite"]
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    results: dict[str, Any] = {
        "scale": args.scale,
        "started": started,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "databases": [],
    }
    failed = False
    for database in databases:
        # Each database in a process of its own: tortoise keeps one global context per process.
        with tempfile.NamedTemporaryFile(suffix=".json") as into:
            subprocess.run(  # noqa: S603 - our own interpreter and module
                [
                    sys.executable,
                    "-m",
                    "bench.load",
                    "--scale",
                    args.scale,
                    "--one-database",
                    database,
                    into.name,
                ],
                check=True,
                cwd=HERE.parent,
            )
            db = json.loads(Path(into.name).read_text(encoding="utf-8"))
        results["databases"].append(db)
        failed = failed or not db["ledger_check"]["passed"] or any(r["failed"] for r in db["rows"])
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stem = f"load-{args.scale}"
    (out / f"{stem}.json").write_text(
        json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    table = markdown(results)
    (out / f"{stem}.md").write_text(table, encoding="utf-8")
    print(table)
    if failed:
        sys.exit("A request failed or the ledger does not add up; see the table above.")


if __name__ == "__main__":
    main()
