"""Domain errors: a stable code, a human message, and the input field at fault.

Services raise them; the API turns `DomainError` into payload errors and the two access
errors into top-level GraphQL errors with `extensions.code`. `ErrorCode` and `DomainError` live in
runtime/errors.py, so that the points engine raises the same ones; they are named here too, where
services and the API have always found them.
"""

from __future__ import annotations

from typing import Any

from runtime.errors import DomainError, ErrorCode
from runtime.i18n import ENGLISH, N_, Text

__all__ = ["DomainError", "DuplicateReport", "ErrorCode", "Forbidden", "NotAuthenticated", "RateLimited"]


class RateLimited(DomainError):
    """Too many of something in a window; the app may try again after `retry_after_seconds`."""

    def __init__(self, message: str, retry_after_seconds: int, **params: Any) -> None:
        super().__init__(ErrorCode.RATE_LIMITED, message, **params)
        self.retry_after_seconds = retry_after_seconds


class DuplicateReport(DomainError):
    """The place already has an active report of this category: offer "me too" on it instead."""

    def __init__(self, existing_report_id: int) -> None:
        super().__init__(
            ErrorCode.DUPLICATE_REPORT,
            N_('This problem is already reported here. Add "me too" to that report instead.'),
            "category",
        )
        self.existing_report_id = existing_report_id


class NotAuthenticated(Exception):
    """No valid access token where one is needed. Top-level error UNAUTHENTICATED."""

    def __init__(self, message: str = N_("Sign in first."), **params: Any) -> None:
        self.text = Text(message, params)
        self.message = self.text.render(ENGLISH)
        super().__init__(self.message)


class Forbidden(Exception):
    """The caller may not see or do this. Top-level error FORBIDDEN.

    Objects of another community are reported as not found by the API rather than forbidden,
    so ids cannot be used to probe what exists elsewhere.
    """

    def __init__(self, message: str = N_("You do not have access to this."), **params: Any) -> None:
        self.text = Text(message, params)
        self.message = self.text.render(ENGLISH)
        super().__init__(self.message)
