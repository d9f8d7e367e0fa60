"""What every web page handler gets: the visit (who is signed in, the cookies), the posted form
(its CSRF token already checked), and `run`, which executes a persisted document for the viewer.

A top-level UNAUTHENTICATED sends the person to sign in and back; FORBIDDEN is a page saying so;
a form post without a valid CSRF token is refused before anything runs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import Response

from api.web.messages import Shown, shown_all
from api.web.operations import Outcome, Runner
from api.web.pages import redirect, render
from api.web.session import CsrfRefused, Visit, check_csrf, open_visit
from runtime.settings import get_settings

MAX_FORM_FILES = 6
MAX_FORM_FIELDS = 60


class SignInNeeded(Exception):
    pass


class NotAllowed(Exception):
    pass


def safe_next(value: str | None, default: str = "/me") -> str:
    """Only a path of this site: never `//host` or a scheme (an open redirect)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    return value


@dataclass
class Page:
    request: Request
    visit: Visit
    runner: Runner
    form: FormData | None = None

    async def run(self, name: str, variables: dict[str, Any] | None = None, client: str = "web") -> Outcome:
        outcome = await self.runner.run(self.request, self.visit.viewer, name, variables, client)
        if outcome.refused_with("UNAUTHENTICATED"):
            raise SignInNeeded
        if outcome.refused_with("FORBIDDEN"):
            raise NotAllowed
        return outcome

    def render(
        self, template: str, status: int = 200, errors: list[Shown] | None = None, **context: Any
    ) -> Response:
        return render(self.visit, template, status, errors, **context)

    def redirect(self, url: str) -> Response:
        return redirect(self.visit, url)

    def value(self, name: str) -> str:
        raw = self.form.get(name) if self.form is not None else None
        return raw.strip() if isinstance(raw, str) else ""

    def values(self, *names: str) -> dict[str, str]:
        return {name: self.value(name) for name in names}

    def files(self, name: str) -> list[UploadFile]:
        if self.form is None:
            return []
        return [f for f in self.form.getlist(name) if isinstance(f, UploadFile) and f.filename]

    def sign_in_first(self) -> Response:
        path = self.request.url.path
        if self.request.method == "GET" and self.request.url.query:
            path += "?" + self.request.url.query
        return self.redirect("/login?next=" + quote(path, safe="/"))


Handler = Callable[[Page], Awaitable[Response]]


def endpoint(runner: Runner, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    async def serve(request: Request) -> Response:
        visit = await open_visit(request, runner)
        page = Page(request=request, visit=visit, runner=runner)
        if request.method == "POST":
            declared = request.headers.get("content-length", "")
            limit = MAX_FORM_FILES * get_settings().photo_max_bytes + 2**20
            if declared.isdigit() and int(declared) > limit:
                return render(
                    visit,
                    "problem.html",
                    413,
                    title="照片太大了",
                    message="照片太大了，请少选几张或换小一点的。",
                )
            page.form = await request.form(max_files=MAX_FORM_FILES * 2, max_fields=MAX_FORM_FIELDS)
            try:
                check_csrf(visit, page.form)
            except CsrfRefused:
                return render(
                    visit,
                    "problem.html",
                    403,
                    title="页面已过期",
                    message="这个页面已经过期，请返回、刷新后再提交一次。",
                )
        try:
            return await handler(page)
        except SignInNeeded:
            return page.sign_in_first()
        except NotAllowed:
            return render(visit, "problem.html", 403, title="没有权限", message="您没有权限查看这个页面。")
        finally:
            if page.form is not None:
                await page.form.close()

    return serve


def problems_of(outcome: Outcome) -> list[Shown]:
    return shown_all(outcome.problems)
