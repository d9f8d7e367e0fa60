"""Helpers for the web pages' tests: read the CSRF token a page rendered, post its form."""

from __future__ import annotations

import re
from typing import Any

import httpx

_TOKEN = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


def csrf_of(page: str) -> str:
    found = _TOKEN.search(page)
    assert found is not None, "the page has no form with a CSRF token"
    return found[1]


async def post_form(
    http: httpx.AsyncClient, path: str, data: dict[str, Any], from_page: str | None = None, **options: Any
) -> httpx.Response:
    """GET the page (or `from_page`) for its token, then POST the form as a browser would."""
    page = (await http.get(from_page or path)).text
    return await http.post(path, data={"csrf_token": csrf_of(page), **data}, **options)


async def sign_in(http: httpx.AsyncClient, phone: str, password: str) -> httpx.Response:
    return await post_form(http, "/login", {"phone": phone, "password": password})
