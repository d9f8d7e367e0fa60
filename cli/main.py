"""`redsteward`: run the server and the community office's chores from a terminal.

Every command reads the same settings as the server (RS_DATABASE_URL, RS_SECRET_KEY, ...).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any

from runtime.i18n import N_, operator_language, render
from runtime.settings import SettingsError, get_settings

EPILOG = """environment:
  RS_DATABASE_URL     database (default: sqlite://./redsteward.sqlite3; postgres://user@host:5432/db)
  RS_SECRET_KEY       signing key (development: generated once into .redsteward-secret)
  RS_PUBLIC_BASE_URL  base of printed QR links (default http://127.0.0.1:8000)
  RS_PRODUCTION       1 to refuse development defaults and hide GraphiQL and introspection
"""


def say(msgid: str, **params: Any) -> str:
    """A line for the operator, in RS_LANGUAGE (Simplified Chinese unless it asks for English)."""
    return render(msgid, params, operator_language())


def _run(work: Callable[[], Coroutine[Any, Any, int]]) -> int:
    return asyncio.run(work())


async def _with_database(work: Callable[[], Awaitable[int]]) -> int:
    from runtime.database import close_database, open_database
    from services import subscribers

    await open_database(get_settings().database_url)
    subscribers.install()
    try:
        return await work()
    finally:
        await close_database()


def cmd_serve(args: argparse.Namespace) -> int:
    from runtime.http_server import serve

    settings = get_settings()  # fail here, loudly, on a bad configuration rather than in each worker
    if settings.is_sqlite and args.workers > 1:
        # Two processes writing one SQLite file refuse each other ("database is locked") as soon
        # as a transaction that read goes on to write; SQLite is the one-process default.
        print(
            say(
                N_(
                    "configuration error: SQLite serves one worker; use --workers 1, or PostgreSQL "
                    "(RS_DATABASE_URL=postgres://...) for several"
                )
            ),
            file=sys.stderr,
        )
        return 2
    started = serve(
        "api.asgi:app",
        host=args.host,
        port=args.port,
        workers=args.workers,
        # Per-address rate limits need the phone's address, not the proxy's: uvicorn takes it from
        # X-Forwarded-For / X-Forwarded-Proto, but only from the proxies listed here.
        proxy_headers=args.proxy_headers,
        forwarded_allow_ips=args.forwarded_allow_ips,
    )
    return 0 if started else 3


def cmd_migrate(args: argparse.Namespace) -> int:
    from runtime.migrations import upgrade

    started = time.perf_counter()
    applied = asyncio.run(upgrade(get_settings().database_url))
    for name in applied:
        print(say(N_("applied {name}"), name=name))
    print(
        say(
            N_("database is at the current schema ({count} applied, {seconds} s)"),
            count=len(applied),
            seconds=f"{time.perf_counter() - started:.1f}",
        )
    )
    return 0


def cmd_makemigration(args: argparse.Namespace) -> int:
    from runtime.migration_author import make_migration

    path = make_migration(args.name)
    print(say(N_("wrote {path}"), path=path) if path else say(N_("models unchanged; no migration written")))
    return 0


def cmd_seed_demo(args: argparse.Namespace) -> int:
    from services.demo import census, seed_demo, table

    language = operator_language()

    def bar(done: int, total: int, label: str) -> None:
        # On stderr, redrawn in place: the table of logins on stdout stays clean to copy.
        width = 24
        filled = width * done // max(total, 1)
        end = "\n" if done >= total else ""
        print(
            f"\r\033[K[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {say(label)}",
            end=end,
            file=sys.stderr,
            flush=True,
        )

    async def work() -> int:
        started = time.perf_counter()
        result = await seed_demo(bar, seed=args.seed)
        took = time.perf_counter() - started
        if result.created:
            print(
                say(
                    N_("Demo data created (random seed {seed}) in {seconds} s:"),
                    seed=result.seed,
                    seconds=f"{took:.1f}",
                )
            )
        else:
            print(say(N_("The demo data is already there; nothing changed.")))
        for line in census.summary(result.counts, language):
            print(f"  {line}")
        print(table(result.logins, language))
        return 0

    return _run(lambda: _with_database(work))


def cmd_import_places(args: argparse.Namespace) -> int:
    from models.places import Community
    from services.places.importer import PlaceImportError, import_places

    async def work() -> int:
        community = await Community.get_or_none(slug=args.community)
        if community is None:
            print(
                say(
                    N_("no community with slug {slug}; create it with `redsteward community-create`"),
                    slug=args.community,
                )
            )
            return 2
        started = time.perf_counter()

        def progress(done: int, total: int) -> None:
            print(say(N_("  … {done}/{total} rows"), done=done, total=total), flush=True)

        try:
            with Path(args.file).open(  # noqa: ASYNC230 - a CLI, nothing else runs on this loop
                encoding="utf-8-sig", newline=""
            ) as source:
                summary = await import_places(community, source, progress)
        except UnicodeDecodeError:
            print(
                say(N_("the file is not UTF-8; save it as 'CSV UTF-8' and try again. Nothing was imported."))
            )
            return 1
        except PlaceImportError as exc:
            print(exc.text.render(operator_language()))
            for problem in exc.problems:
                column = f" [{problem.column}]" if problem.column else ""
                said = problem.text.render(operator_language())
                print(
                    say(
                        N_("  line {line}{column}: {problem}"), line=problem.line, column=column, problem=said
                    )
                )
            return 1
        print(
            say(
                N_(
                    "imported {rows} rows in {seconds} s: {compounds} compounds, {buildings} buildings, "
                    "{entrances} entrances, {households} households created; {updated} updated, "
                    "{unchanged} unchanged"
                ),
                rows=summary.rows,
                seconds=f"{time.perf_counter() - started:.1f}",
                compounds=summary.compounds_created,
                buildings=summary.buildings_created,
                entrances=summary.entrances_created,
                households=summary.households_created,
                updated=summary.households_updated,
                unchanged=summary.households_unchanged,
            )
        )
        return 0

    return _run(lambda: _with_database(work))


def cmd_community_create(args: argparse.Namespace) -> int:
    from models.places import Community

    async def work() -> int:
        community, created = await Community.get_or_create(
            slug=args.slug, defaults={"name": args.name, "timezone": args.timezone}
        )
        if created:
            print(say(N_("created community {name} ({slug})"), name=community.name, slug=community.slug))
        else:
            print(
                say(N_("already there: community {name} ({slug})"), name=community.name, slug=community.slug)
            )
        return 0

    return _run(lambda: _with_database(work))


def cmd_invite_create(args: argparse.Namespace) -> int:
    """Bootstraps an office: the first staff have nobody to invite them through the app."""
    from models.enums import Role
    from models.places import Community
    from services.bootstrap import office_invite

    async def work() -> int:
        community = await Community.get_or_none(slug=args.community)
        if community is None:
            print(say(N_("no community with slug {slug}"), slug=args.community))
            return 2
        roles = [Role(r.strip()) for r in args.roles.split(",") if r.strip()]
        code = await office_invite(community, roles, args.uses, args.days)
        print(
            say(
                N_("invite code for {name} ({roles}; {uses} use(s), {days} days):"),
                name=community.name,
                roles=", ".join(roles),
                uses=args.uses,
                days=args.days,
            )
        )
        print(f"  {code}")
        return 0

    return _run(lambda: _with_database(work))


def cmd_qr_sheet(args: argparse.Namespace) -> int:
    from models.places import Building
    from services import tags
    from services.tags import printing as tag_printing

    async def work() -> int:
        building_id = _id_arg(args.building, "Building")
        building = await Building.get_or_none(id=building_id) if building_id is not None else None
        if building is None:
            print(
                say(
                    N_(
                        "No building numbered {building}; "
                        "`redsteward places --community SLUG` lists the numbers."
                    ),
                    building=args.building,
                )
            )
            return 2
        started = time.perf_counter()
        title, printed = await tags.printable_building(building)
        if not printed:
            print(
                say(
                    N_("{building} has no active tags; create them first (tagsCreateForBuilding)."),
                    building=title,
                )
            )
            return 1
        pages = tag_printing.iter_sheet_pages(title, printed)
        count = tag_printing.page_count(printed)
        out = Path(args.out)
        if out.suffix.lower() == ".png":
            written = []
            for number, page in enumerate(pages, start=1):
                path = out if count == 1 else out.with_name(f"{out.stem}-{number}{out.suffix}")
                path.write_bytes(tag_printing.sheet_png(page))
                written.append(str(path))
            where = ", ".join(written)
        else:
            with out.open("wb") as file:  # noqa: ASYNC230 - a CLI, nothing else runs on this loop
                tag_printing.write_sheet_pdf(pages, file)
            where = str(out)
        print(
            say(
                N_("{building}: {codes} codes on {pages} A4 page(s) at {dpi} dpi in {seconds} s → {where}"),
                building=title,
                codes=len(printed),
                pages=count,
                dpi=tag_printing.DPI,
                seconds=f"{time.perf_counter() - started:.1f}",
                where=where,
            )
        )
        return 0

    return _run(lambda: _with_database(work))


def cmd_tick(args: argparse.Namespace) -> int:
    """The report clock job, as the server's background task runs it; safe to run from cron."""
    from services.reports.clocks import run_clock_tick

    async def work() -> int:
        result = await run_clock_tick()
        print(
            say(
                N_(
                    "clock tick: {claims} claim escalation(s), {resolutions} resolution escalation(s), "
                    "{confirmed} auto-confirmed"
                ),
                claims=result.claim_escalations,
                resolutions=result.resolve_escalations,
                confirmed=result.auto_confirmed,
            )
        )
        return 0

    return _run(lambda: _with_database(work))


def cmd_run_jobs(args: argparse.Namespace) -> int:
    from services import jobs

    async def work() -> int:
        from cli.sentences import job_sentences

        for line in await job_sentences(await jobs.run_once(jobs.periodic_jobs(60))):
            print(line)
        return 0

    return _run(lambda: _with_database(work))


def cmd_export_contract(args: argparse.Namespace) -> int:
    from api.contract import generated_files

    for path, text in generated_files().items():
        path.write_text(text, encoding="utf-8")
        print(say(N_("wrote {path} ({lines} lines)"), path=path, lines=len(text.splitlines())))
    return 0


def cmd_ledger_check(args: argparse.Namespace) -> int:
    from points_engine.audit import check_ledger

    async def work() -> int:
        count, problems = await check_ledger()
        for problem in problems:
            print(problem.message)
        if problems:
            print(
                say(
                    N_("ledger-check: {problems} problem(s) in {count} accounts"),
                    problems=len(problems),
                    count=count,
                )
            )
            return 1
        print(
            say(
                N_(
                    "ledger-check: {count} accounts, every balance equals its transfers, every community "
                    "sums to 0, every member's lots hold the balance"
                ),
                count=count,
            )
        )
        return 0

    return _run(lambda: _with_database(work))


def cmd_expire_redemptions(args: argparse.Namespace) -> int:
    from services.points import expire_due

    async def work() -> int:
        total = 0
        while True:
            expired = await expire_due()
            total += expired
            if expired == 0:
                break
        print(
            say(
                N_("expired {total} redemption(s) past their pickup window; points refunded, stock restored"),
                total=total,
            )
        )
        return 0

    return _run(lambda: _with_database(work))


def cmd_expire_points(args: argparse.Namespace) -> int:
    from services.points import expire_points

    async def work() -> int:
        run = await expire_points()
        print(
            say(
                N_(
                    "expired {points} point(s) of {members} member(s) in {transfers} transfer(s) "
                    "to the expiry accounts"
                ),
                points=run.points,
                members=run.members,
                transfers=run.transfers,
            )
        )
        return 0

    return _run(lambda: _with_database(work))


def cmd_close_attendances(args: argparse.Namespace) -> int:
    from services.teams.attendance import close_overdue

    async def work() -> int:
        closed = await close_overdue()
        print(
            say(
                N_("closed {closed} attendance(s) left open past their activity's end plus grace; flagged"),
                closed=closed,
            )
        )
        return 0

    return _run(lambda: _with_database(work))


async def _communities(slug: str | None) -> list[int]:
    from models.places import Community

    query = Community.all().order_by("id")
    if slug is not None:
        query = query.filter(slug=slug)
    return [row["id"] for row in await query.values("id")]


def cmd_rebuild_boards(args: argparse.Namespace) -> int:
    from services.leaderboards import analyze, rebuild

    async def work() -> int:
        ids = await _communities(args.community)
        if not ids:
            print(say(N_("no community {slug}"), slug=args.community))
            return 1
        for community_id in ids:
            rows = await rebuild(community_id)
            print(
                say(
                    N_("community {community}: {rows} board row(s) recomputed from the ledger"),
                    community=community_id,
                    rows=rows,
                )
            )
        if await analyze():
            print(say(N_("board tables analyzed (fresh planner statistics)")))
        return 0

    return _run(lambda: _with_database(work))


def cmd_close_month(args: argparse.Namespace) -> int:
    from models.places import Community
    from services.corridor_flag import close_month
    from services.errors import DomainError

    language = operator_language()

    async def work() -> int:
        ids = await _communities(args.community)
        if not ids:
            print(say(N_("no community {slug}"), slug=args.community))
            return 1
        names = dict(await Community.filter(id__in=ids).values_list("id", "name"))
        failed = 0
        for community_id in ids:
            community = names.get(community_id, str(community_id))
            try:
                done = await close_month(community_id, args.month)
            except DomainError as exc:
                print(
                    say(
                        N_("{community}: {code}: {problem}"),
                        community=community,
                        code=exc.code,
                        problem=exc.text.render(language),
                    )
                )
                failed += 1
                continue
            close = done.close
            what = N_("closed") if done.created else N_("already closed; nothing changed")
            if close.entrance_id:
                winner = say(
                    N_("the flag of {holds_month} goes to {entrance} ({score} points)"),
                    holds_month=close.holds_month,
                    entrance=await _entrance_label(close.entrance_id),
                    score=f"{close.score:.1f}" if close.score is not None else "—",
                )
            else:
                winner = say(
                    N_("no entrance qualifies for the flag of {holds_month}"), holds_month=close.holds_month
                )
            print(
                say(
                    N_("{community} {month}: {what}; {winner}; {bonuses} ranking bonus(es)"),
                    community=community,
                    month=close.month,
                    what=say(what),
                    winner=winner,
                    bonuses=len(close.ranks),
                )
            )
        return 1 if failed else 0

    return _run(lambda: _with_database(work))


def _id_arg(value: str, type_name: str) -> int | None:
    """A number, or the global id the API shows for a `type_name`; None when it is neither."""
    from api.ids import decode_id_or_number
    from services.errors import DomainError

    try:
        return decode_id_or_number(value, type_name, type_name.lower())
    except DomainError:
        return None


async def _entrance_label(entrance_id: int) -> str:
    from services.places.labels import PlaceKind, labels_by_id

    return (await labels_by_id(PlaceKind.ENTRANCE, [entrance_id])).get(entrance_id, f"#{entrance_id}")


def cmd_places(args: argparse.Namespace) -> int:
    from cli.places import print_places

    async def work() -> int:
        return await print_places(args.community)

    return _run(lambda: _with_database(work))


def cmd_issue_bills(args: argparse.Namespace) -> int:
    from datetime import date

    from models.places import Community
    from points_engine.localtime import zone
    from runtime import clock
    from services.errors import DomainError
    from services.fees.billing import issue_due

    async def work() -> int:
        ids = await _communities(args.community)
        if not ids:
            print(f"no community {args.community!r}")
            return 1
        failed = 0
        for community_id in ids:
            community = await Community.get(id=community_id)
            day = (
                date.fromisoformat(args.date)
                if args.date
                else clock.now().astimezone(zone(community.timezone)).date()
            )
            try:
                issued = await issue_due(community_id, day)
            except DomainError as exc:
                print(f"community {community_id}: {exc.code}: {exc.message}")
                failed += 1 if args.community else 0  # a community without fees is not an error in a sweep
                continue
            if issued.period is None:
                print(f"community {community_id}: nothing due on {day} (the first period has not ended)")
                continue
            print(
                f"community {community_id} {issued.period.label}: {issued.created} bill(s) issued, "
                f"{issued.existing} already there; {len(issued.unbillable)} household(s) without an area"
            )
        return 1 if failed else 0

    return _run(lambda: _with_database(work))


def cmd_fees_check(args: argparse.Namespace) -> int:
    from services.fees.check import check_fees

    async def work() -> int:
        checked = await check_fees()
        for problem in checked.problems:
            print(problem.message)
        if checked.problems:
            print(f"fees-check: {len(checked.problems)} problem(s)")
            return 1
        print(
            f"fees-check: {checked.bills} bills, {checked.payments} payments and reversals, "
            f"{checked.receipts} receipts, {checked.adjustments} waivers and reductions: every paid amount "
            "equals its payments, every waiver and reduction its entries, receipt numbers have no gap"
        )
        return 0

    return _run(lambda: _with_database(work))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="redsteward",
        description="Red Steward: the backend of community-run red property service.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("serve", help="run the HTTP/GraphQL server with uvicorn")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        help="worker processes, each with its own listener on the port (default 1; PostgreSQL only)",
    )
    p.add_argument(
        "--forwarded-allow-ips",
        default=None,
        help="comma-separated addresses (or networks, or *) of the reverse proxies whose X-Forwarded-For "
        "is trusted (default: $FORWARDED_ALLOW_IPS, else 127.0.0.1,::1)",
    )
    p.add_argument(
        "--no-proxy-headers",
        dest="proxy_headers",
        action="store_false",
        help="ignore X-Forwarded-For even from the trusted proxies (no proxy in front)",
    )
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("migrate", help="bring the database to the current schema (aerich migrations)")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser(
        "makemigration", help="developers: write a migration for model changes (needs local PostgreSQL)"
    )
    p.add_argument("name", help="short name, e.g. add_reports")
    p.set_defaults(func=cmd_makemigration)

    p = sub.add_parser("seed-demo", help="create the demo communities and print demo logins (idempotent)")
    p.add_argument("--seed", type=int, default=2026, help="random seed: the same seed gives the same demo")
    p.set_defaults(func=cmd_seed_demo)

    p = sub.add_parser(
        "import-places",
        help="load a community's register from CSV (compound,building,entrance,household,area_m2)",
        description="Idempotent: existing places are matched by name; a file with any bad row imports "
        "nothing and every problem is listed by line number.",
    )
    p.add_argument("file", help="CSV file, UTF-8, with a header row")
    p.add_argument("--community", required=True, help="slug of the community")
    p.set_defaults(func=cmd_import_places)

    p = sub.add_parser("community-create", help="create a community (the tenant)")
    p.add_argument("--slug", required=True, help="short unique name, e.g. hongxing")
    p.add_argument("--name", required=True, help="display name, e.g. 红星社区")
    p.add_argument("--timezone", default="Asia/Shanghai", help="IANA time zone (default Asia/Shanghai)")
    p.set_defaults(func=cmd_community_create)

    p = sub.add_parser("invite-create", help="print an invite code, e.g. for a community's first staff")
    p.add_argument("--community", required=True, help="slug of the community")
    p.add_argument("--roles", default="staff,admin", help="comma-separated roles (default staff,admin)")
    p.add_argument("--uses", type=int, default=1, help="how many people may use it (default 1)")
    p.add_argument("--days", type=int, default=7, help="days it stays valid (default 7)")
    p.set_defaults(func=cmd_invite_create)

    p = sub.add_parser(
        "ledger-check",
        help="verify the points ledger: balances equal transfers, communities sum to 0, lots hold balances",
        description="Exits 1 and lists every mismatch when the ledger does not add up.",
    )
    p.set_defaults(func=cmd_ledger_check)

    p = sub.add_parser(
        "expire-redemptions",
        help="refund redemptions not picked up in time (idempotent; run it daily)",
    )
    p.set_defaults(func=cmd_expire_redemptions)

    p = sub.add_parser(
        "expire-points",
        help="move points past their community's expiry date to the expiry account (idempotent; run daily)",
    )
    p.set_defaults(func=cmd_expire_points)

    p = sub.add_parser(
        "close-attendances",
        help="close attendances left open past their activity's end plus grace, flagged (idempotent)",
    )
    p.set_defaults(func=cmd_close_attendances)

    p = sub.add_parser(
        "rebuild-boards",
        help="recompute the leaderboards' earnings from the ledger (all communities, or --community)",
    )
    p.add_argument("--community", help="slug of one community")
    p.set_defaults(func=cmd_rebuild_boards)

    p = sub.add_parser(
        "close-month",
        help="close a month: award the corridor flag and pay the ranking bonuses (idempotent)",
        description="Default: the month before the current one, every community. "
        "A month that has not ended is refused.",
    )
    p.add_argument("--community", help="slug of one community")
    p.add_argument("--month", help="YYYY-MM (default: the previous month)")
    p.set_defaults(func=cmd_close_month)

    p = sub.add_parser(
        "issue-bills",
        help="issue the property-fee bills due today (or on --date) for every household (idempotent)",
        description="Each community's schedule says the period and whether bills go out as it starts "
        "or after it ends. Households without an area are counted, not billed.",
    )
    p.add_argument("--community", help="slug of one community")
    p.add_argument("--date", help="YYYY-MM-DD, in the community's time zone (default: today)")
    p.set_defaults(func=cmd_issue_bills)

    p = sub.add_parser(
        "fees-check",
        help="prove bills, payments, reversals and receipts add up; exit 1 listing any problem",
    )
    p.set_defaults(func=cmd_fees_check)

    p = sub.add_parser(
        "export-contract",
        help="write mobile-contract/: schema.graphql, the persisted-query manifests, errors.md",
    )
    p.set_defaults(func=cmd_export_contract)

    p = sub.add_parser(
        "run-jobs",
        help="run every periodic job once: report clocks, closing attendances, expiring redemptions "
        "and points (idempotent; the server runs them in the background)",
    )
    p.set_defaults(func=cmd_run_jobs)

    p = sub.add_parser(
        "tick",
        help="run the report clock job once: escalate missed clocks, confirm fixes left 7 days (idempotent)",
    )
    p.set_defaults(func=cmd_tick)

    p = sub.add_parser(
        "places",
        help="list a community's compounds, buildings and entrances with their numbers and global ids",
        description="Each place with its database number and the API's global id: either one is "
        "accepted wherever a command or page asks for an id (qr-sheet --building, /qr-sheet.pdf).",
    )
    p.add_argument("--community", required=True, help="slug of the community")
    p.set_defaults(func=cmd_places)

    p = sub.add_parser(
        "qr-sheet",
        help="print every active tag of a building on A4 pages (PDF, or PNG pages)",
        description="Six codes a page at 300 dpi, each with its place under it, cut lines between. "
        "An output ending in .png writes one PNG per page (NAME-1.png, NAME-2.png, …). Each code is "
        "the link RS_PUBLIC_BASE_URL/t/<code>, from this command's environment (default "
        "http://127.0.0.1:8000; `make run` sets it for its server only).",
    )
    p.add_argument(
        "--building",
        required=True,
        help="the building: its number or the API's global id (both listed by `redsteward places`)",
    )
    p.add_argument("--out", required=True, help="output file: .pdf (default) or .png")
    p.set_defaults(func=cmd_qr_sheet)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except SettingsError as exc:
        print(say(N_("configuration error: {problem}"), problem=exc), file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":
    sys.exit(main())
