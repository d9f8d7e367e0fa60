"""Signing in, registering (joining the community by the office's code) and signing out, as pages
and as a step inside another form (the report form keeps its text and photos meanwhile).

Each is the app's own document run for this visit: SignIn and Register (with the API's rate
limits by phone and address), JoinCommunity, SignOut."""

from __future__ import annotations

from starlette.responses import Response

from api.web.core import Page, safe_next
from api.web.messages import Shown, shown_all
from api.web.operations import Problem

ACCOUNT_FIELDS = ("phone", "display_name", "code")


async def join(page: Page, code: str, community_id: str | None) -> list[Problem]:
    variables = {"input": {"code": code, "communityId": community_id}}
    joined = await page.run("JoinCommunity", variables, client="app")
    if joined.ok:
        await page.visit.reload_viewer()
    return joined.problems


async def sign_in_or_register(page: Page, community_id: str | None = None) -> list[Problem]:
    """From the form's phone, password, and (for a first visit) name and code. Returns what went
    wrong; on success the visit is signed in and, with a code, a member of the community."""
    phone, password = page.value("phone"), page.form.get("password") if page.form else ""
    password = password if isinstance(password, str) else ""
    name, code = page.value("display_name"), page.value("code")
    missing = [
        Problem("INVALID_INPUT", "", field)
        for field, given in (("phone", phone), ("password", password))
        if not given
    ]
    if missing:
        return [Problem(p.code, p.message, p.field) for p in missing]
    if name or code:
        if not name:
            return [Problem("INVALID_INPUT", "", "displayName")]
        if not code:
            return [Problem("INVALID_INPUT", "", "code")]
        registered = await page.run(
            "Register", {"input": {"phone": phone, "password": password, "displayName": name}}, client="app"
        )
        session = registered
        if any(p.code == "PHONE_TAKEN" for p in registered.problems):
            # Already has an account and typed the code too: sign in, then join with it.
            session = await page.run(
                "SignIn", {"input": {"phone": phone, "password": password}}, client="app"
            )
            if not session.ok:
                return registered.problems
        elif not registered.ok:
            return registered.problems
        await page.visit.sign_in(session.payload)
        return await join(page, code, community_id)
    signed = await page.run("SignIn", {"input": {"phone": phone, "password": password}}, client="app")
    if not signed.ok:
        return signed.problems
    await page.visit.sign_in(signed.payload)
    return []


def account_errors(problems: list[Problem]) -> list[Shown]:
    """Empty required fields get a message of their own, the rest the API's."""
    shown = shown_all(problems)
    texts = {
        "phone": "请填写手机号。",
        "password": "请填写密码。",
        "display_name": "请填写您的称呼。",
        "code": "请填写邀请码。",
    }
    return [
        Shown(texts[s.field], s.field)
        if p.code == "INVALID_INPUT" and not p.message and s.field in texts
        else s
        for p, s in zip(problems, shown, strict=True)
    ]


async def login(page: Page) -> Response:
    target = safe_next(page.request.query_params.get("next"))
    if page.request.method == "GET":
        if page.visit.signed_in:
            return page.redirect(target)
        return page.render("login.html", values={}, next=target)
    problems = await sign_in_or_register(page)
    if problems:
        return page.render(
            "login.html",
            400,
            account_errors(problems),
            values=page.values(*ACCOUNT_FIELDS),
            next=target,
            register_open=bool(page.value("code") or page.value("display_name")),
        )
    return page.redirect(target)


async def logout(page: Page) -> Response:
    if page.visit.refresh_token:
        await page.run("SignOut", {"input": {"refreshToken": page.visit.refresh_token}}, client="app")
    page.visit.sign_out()
    return page.redirect("/login")


async def home(page: Page) -> Response:
    if not page.visit.signed_in:
        return page.sign_in_first()
    outcome = await page.run("WebHome")
    me = outcome.data.get("me") or {}
    if page.request.method == "POST":
        problems = await join(page, page.value("code"), None)
        if problems:
            return page.render(
                "home.html", 400, account_errors(problems), me=me, tab="me", values=page.values("code")
            )
        return page.redirect("/me")
    return page.render("home.html", me=me, tab="me", values={})
