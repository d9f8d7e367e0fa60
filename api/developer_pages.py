"""Pages for developers on their own machine: the start page `/` and the GraphQL explorer.

The explorer is GraphiQL, served from this server: its scripts and styles come from the pinned
PyPI package graphene-django-graphiql-static (GraphiQL's, React's and ReactDOM's production
builds, MIT; the package BSD-3), read from the installed package and never copied into this
repository, plus our own few lines in api/developer_static/explorer.js. Nothing comes from a CDN,
so it works on a machine with no internet (tests/api/test_developer_pages.py checks it in a
browser that may reach only this server). strawberry's own GraphiQL page loads from a CDN and
shows a blank "Loading…" offline; /graphql in a browser gets ours instead.

In production there is no explorer and `/` is a plain status page.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from importlib.util import find_spec
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from api.contract import CONTRACT
from models.district import District
from models.places import Community
from models.tags import Tag
from runtime.i18n import CHINESE
from services.tags import code_of

APP_NAME = "红管家"
OWN_STATIC = Path(__file__).resolve().parent / "developer_static"
# The files of GraphiQL's build that the page loads, by the name it asks for.
GRAPHIQL_FILES = (
    "react.production.min.js",
    "react-dom.production.min.js",
    "graphiql.min.js",
    "graphiql.min.css",
)
OWN_FILES = ("explorer.js",)
_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}

EXPLORER_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self' data:; "
    "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
PAGE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
_NO_CACHE = {"cache-control": "no-cache"}

DEFAULT_QUERY = """# 红管家 GraphQL 浏览器（仅开发环境）
#
# 先登录：运行下面的 SignIn（手机号和密码见首页的演示账号），
# 把返回的 accessToken 填到下方 Headers：{"Authorization": "Bearer <accessToken>"}，
# 再运行 Me。按 Ctrl-Enter 运行，Ctrl-Space 补全；右侧 Docs 里是整个接口的说明。

mutation SignIn {
  sessionCreate(input: {phone: "", password: ""}) {
    accessToken
    errors { code message field }
  }
}

query Me {
  me {
    memberships {
      community { id name slug }
    }
  }
}
"""


def graphiql_dir() -> Path:
    """Where the installed package keeps GraphiQL's build (`make install` puts it there)."""
    spec = find_spec("graphene_django_graphiql_static")
    if spec is None or spec.origin is None:
        raise RuntimeError("graphene-django-graphiql-static is not installed: run `make install`")
    return Path(spec.origin).parent / "static" / "graphene_django_graphiql_static"


def explorer_page() -> HTMLResponse:
    styles = '<link rel="stylesheet" href="/explorer/static/graphiql.min.css">'
    scripts = "".join(
        f'<script src="/explorer/static/{name}"></script>' for name in (*GRAPHIQL_FILES[:3], *OWN_FILES)
    )
    html = (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>GraphQL 浏览器 · {APP_NAME}</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"{styles}<style>html,body,#explorer{{height:100%;margin:0;overflow:hidden}}</style></head><body>"
        '<div id="explorer" data-endpoint="/graphql" '
        f'data-default-query="{escape(DEFAULT_QUERY, quote=True)}">'
        "正在加载 GraphQL 浏览器……</div>"
        f"{scripts}</body></html>"
    )
    return HTMLResponse(html, headers={"content-security-policy": EXPLORER_CSP, **_NO_CACHE})


async def explorer(request: Request) -> Response:
    return explorer_page()


async def explorer_static(request: Request) -> Response:
    """Only the files listed above, by exact name: nothing else of the disk is reachable."""
    name = request.path_params["name"]
    if name not in (*GRAPHIQL_FILES, *OWN_FILES):
        return PlainTextResponse("Not Found", status_code=404)
    folder = OWN_STATIC if name in OWN_FILES else graphiql_dir()
    return FileResponse(
        folder / name,
        media_type=_TYPES[Path(name).suffix],
        headers={"cache-control": "public, max-age=3600"},
    )


async def contract_readme(request: Request) -> Response:
    """The mobile contract's README, as the repository has it (development checkouts only)."""
    readme = CONTRACT / "README.md"
    if not readme.is_file():
        return PlainTextResponse("Not Found", status_code=404)
    return PlainTextResponse(readme.read_text(encoding="utf-8"), media_type="text/markdown; charset=utf-8")


async def status(request: Request) -> Response:
    """Production's `/`: says the server runs, and nothing about what it holds."""
    return PlainTextResponse(f"{APP_NAME} 服务运行中。健康检查：/healthz\n", headers=_NO_CACHE)


async def start(request: Request) -> Response:
    # A district's points space is a community row without places (models/district.py): it has
    # no notice board worth a link, every block of it would say the community has not opened it.
    ledgers = set(await District.all().values_list("ledger_community_id", flat=True))
    rows = await Community.all().order_by("id").values_list("id", "name", "slug")
    communities = [(name, slug) for community_id, name, slug in rows if community_id not in ledgers]
    logins = await _demo_logins()
    return HTMLResponse(
        start_page(list(communities), logins, await _entry_points()),
        headers={"content-security-policy": PAGE_CSP, **_NO_CACHE},
    )


async def _entry_points() -> list[tuple[str, str, str]]:
    """(link, words, who) of the pages a person opens in a browser: the office console, the
    resident's pages, the page a QR tag opens, and the district's Open311 feed, once they exist."""
    found = [
        ("/office/", "社区办公室后台", "用社区工作人员或管理员账号登录"),
        ("/me", "居民网页：我的报修、积分、物业费", "用居民账号登录；不装 App 也能用"),
    ]
    tag = await Tag.filter(revoked_at__isnull=True).order_by("id").first()
    if tag is not None:
        found.append((f"/t/{code_of(tag)}", "扫码页：一张二维码标签打开的页面", "不登录也能看，报修时再登录"))
    district = await District.all().order_by("id").first()
    if district is not None:
        found.append(
            (
                f"/open311/v2/requests.json?jurisdiction_id={district.id}",
                f"{district.name} Open311 公开报修数据（12345 热线等系统读取）",
                "无需登录，不含个人信息",
            )
        )
    return found


async def _demo_logins() -> list[tuple[str, str, str]]:
    """(role, phone, password) of the demo's sign-ins, once the demo is seeded (default seed)."""
    # Imported here: the demo's seed modules load only when a developer opens the start page.
    from services.demo import logins, people, register
    from services.demo.district import DISTRICT
    from services.demo.run import DEFAULT_SEED

    if not await Community.filter(slug=register.HONGXING).exists():
        return []
    seeded = (*people.hongxing_people(DEFAULT_SEED), *people.binhe_people(DEFAULT_SEED))
    phones = {p.login_label: p.phone for p in seeded if p.login_label}
    district = await District.exists(name=DISTRICT)
    return [
        (f"{logins.role_name(row.role, CHINESE)}（先试试 {row.try_first}）", row.phone, row.password)
        for row in logins.logins(phones, district=district)
    ]


_STYLE = """
body{margin:0;font-family:"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;background:#f6f1ee;
color:#222;line-height:1.6}
main{max-width:46rem;margin:0 auto;padding:0 1rem 2rem}
header{background:#b71c1c;color:#fff;padding:1.2rem 1rem}header h1{margin:0;font-size:1.5rem}
header p{margin:.2rem 0 0;opacity:.9}
section{background:#fff;margin:1rem 0;padding:1rem 1.2rem;border-radius:.6rem}
h2{margin:0 0 .5rem;font-size:1.15rem;color:#b71c1c}
a{color:#0b57d0}ul{margin:0;padding-left:1.2rem}
table{border-collapse:collapse;width:100%}
td,th{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #eee}
code{background:#f3f3f3;padding:0 .25rem;border-radius:.2rem}.muted{color:#666;font-size:.92rem}
"""


def start_page(
    communities: list[tuple[str, str]],
    logins: list[tuple[str, str, str]],
    entry_points: Sequence[tuple[str, str, str]] = (),
) -> str:
    pages = "".join(
        f'<li><a href="{escape(link, quote=True)}">{escape(words)}</a>'
        f'<span class="muted">（{escape(who)}）</span></li>'
        for link, words, who in entry_points
    )
    boards = "".join(
        f'<li><a href="/board/{escape(slug, quote=True)}">{escape(name)} 公告栏</a></li>'
        for name, slug in communities
    )
    passwords = {password for _, _, password in logins}
    if len(passwords) == 1:
        # One password for every demo account: said once, so the table fits a phone's width.
        rows = "".join(
            f"<tr><td>{escape(role)}</td><td><code>{escape(phone)}</code></td></tr>"
            for role, phone, _ in logins
        )
        accounts = (
            "<p>每个演示账号的密码都是 "
            f'<code data-testid="demo-password">{escape(passwords.pop())}</code></p>'
            f"<table><tr><th>角色</th><th>手机号</th></tr>{rows}</table>"
        )
    elif logins:
        rows = "".join(
            f"<tr><td>{escape(role)}</td><td><code>{escape(phone)}</code></td><td><code>{escape(password)}</code></td></tr>"
            for role, phone, password in logins
        )
        accounts = f"<table><tr><th>角色</th><th>手机号</th><th>密码</th></tr>{rows}</table>"
    else:
        accounts = (
            '<p class="muted">还没有演示数据：运行 <code>redsteward seed-demo</code>'
            "（<code>make run</code> 会自动运行）。</p>"
        )
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{APP_NAME} · 开发首页</title><style>{_STYLE}</style></head><body>"
        f"<header><h1>{APP_NAME} 后端</h1><p>开发环境首页（生产环境不显示此页）</p></header><main>"
        "<section><h2>GraphQL 浏览器</h2>"
        '<p><a href="/explorer/" data-testid="explorer-link">打开 GraphQL 浏览器</a>'
        "：在浏览器里写查询、看接口文档，不需要联网。</p></section>"
        '<section data-testid="web-pages"><h2>网页入口</h2>'
        f"<ul>{pages or '<li class=muted>还没有演示数据</li>'}</ul></section>"
        f"<section><h2>社区公告栏</h2><ul>{boards or '<li class=muted>还没有社区</li>'}</ul></section>"
        "<section><h2>演示账号</h2>"
        f"{accounts}</section>"
        "<section><h2>给 App 开发者</h2><ul>"
        '<li><a href="/contract/README.md">移动端接口约定（README）</a></li>'
        '<li><a href="/healthz">健康检查 /healthz</a></li></ul></section>'
        "</main></body></html>"
    )


def routes(production: bool) -> list[Route]:
    """Production: `/` says the server runs; the explorer and the developer links do not exist."""
    if production:
        return [Route("/", status, methods=["GET"])]
    return [
        Route("/", start, methods=["GET"]),
        Route("/explorer/", explorer, methods=["GET"]),
        Route("/explorer/static/{name}", explorer_static, methods=["GET"]),
        Route("/contract/README.md", contract_readme, methods=["GET"]),
    ]
