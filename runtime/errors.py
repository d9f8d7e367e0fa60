"""The refusals every layer shares: a stable code, a human message, and the input field at fault.

Here, below the points engine and the services, so that both raise the same `DomainError` with
codes of the one `ErrorCode`: the engine's `PointsError` is a `DomainError`, and the API turns
any of them into a payload error (mobile-contract/errors.md documents each code).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from runtime.i18n import ENGLISH, Text


class ErrorCode(StrEnum):
    """Every code the app can receive. mobile-contract/errors.md documents each one."""

    INVALID_INPUT = "INVALID_INPUT"
    INVALID_PHONE = "INVALID_PHONE"
    WEAK_PASSWORD = "WEAK_PASSWORD"  # noqa: S105 - an error code, not a password
    PHONE_TAKEN = "PHONE_TAKEN"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    TOO_MANY_ATTEMPTS = "TOO_MANY_ATTEMPTS"
    INVALID_REFRESH_TOKEN = "INVALID_REFRESH_TOKEN"  # noqa: S105 - an error code
    INVITE_INVALID = "INVITE_INVALID"
    INVITE_EXPIRED = "INVITE_EXPIRED"
    INVITE_USED_UP = "INVITE_USED_UP"
    ALREADY_MEMBER = "ALREADY_MEMBER"
    NOT_FOUND = "NOT_FOUND"
    NAME_TAKEN = "NAME_TAKEN"
    INVALID_PARENT = "INVALID_PARENT"
    # The red points economy (points_engine raises them as PointsError)
    INVALID_AMOUNT = "INVALID_AMOUNT"
    UNKNOWN_ACCOUNT = "UNKNOWN_ACCOUNT"
    INSUFFICIENT_POINTS = "INSUFFICIENT_POINTS"
    OUT_OF_STOCK = "OUT_OF_STOCK"
    OVER_MONTHLY_LIMIT = "OVER_MONTHLY_LIMIT"
    REWARD_UNAVAILABLE = "REWARD_UNAVAILABLE"
    ALREADY_FULFILLED = "ALREADY_FULFILLED"
    REDEMPTION_CLOSED = "REDEMPTION_CLOSED"
    ALREADY_REVERSED = "ALREADY_REVERSED"
    NOT_REVERSIBLE = "NOT_REVERSIBLE"
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"
    INVALID_RULES = "INVALID_RULES"
    CONFLICT = "CONFLICT"
    # Reports
    INVALID_TRANSITION = "INVALID_TRANSITION"
    ALREADY_CLAIMED = "ALREADY_CLAIMED"
    NOT_REPORTER = "NOT_REPORTER"
    NOT_CLAIMER = "NOT_CLAIMER"
    REOPEN_WINDOW_CLOSED = "REOPEN_WINDOW_CLOSED"
    DUPLICATE_REPORT = "DUPLICATE_REPORT"
    OWN_REPORT = "OWN_REPORT"
    RATE_LIMITED = "RATE_LIMITED"
    PHOTO_INVALID = "PHOTO_INVALID"
    PHOTO_TOO_LARGE = "PHOTO_TOO_LARGE"
    TOO_MANY_PHOTOS = "TOO_MANY_PHOTOS"
    # Tags
    TAG_CODE_INVALID = "TAG_CODE_INVALID"  # forged, altered, truncated: not a code we printed
    TAG_REVOKED = "TAG_REVOKED"  # a real code whose tag was revoked or re-issued
    TAG_EXISTS = "TAG_EXISTS"  # the target already has an active tag
    # Volunteer teams and activities
    NOT_TEAM_MEMBER = "NOT_TEAM_MEMBER"
    CHECKIN_CODE_INVALID = "CHECKIN_CODE_INVALID"
    CHECKIN_CODE_EXPIRED = "CHECKIN_CODE_EXPIRED"
    CHECKIN_CODE_WRONG_ACTIVITY = "CHECKIN_CODE_WRONG_ACTIVITY"
    CARD_INVALID = "CARD_INVALID"
    OUTSIDE_ACTIVITY_WINDOW = "OUTSIDE_ACTIVITY_WINDOW"
    ACTIVITY_FULL = "ACTIVITY_FULL"
    SIGNUP_REQUIRED = "SIGNUP_REQUIRED"
    NOT_CHECKED_IN = "NOT_CHECKED_IN"
    ATTENDANCE_OPEN = "ATTENDANCE_OPEN"
    ALREADY_DECIDED = "ALREADY_DECIDED"
    LOG_KIND_MISMATCH = "LOG_KIND_MISMATCH"
    # Residents' voice and open books
    ALREADY_SUPPORTED = "ALREADY_SUPPORTED"
    OWN_OPINION = "OWN_OPINION"
    ALREADY_CORRECTED = "ALREADY_CORRECTED"
    ALREADY_ANSWERED = "ALREADY_ANSWERED"
    SURVEY_CLOSED = "SURVEY_CLOSED"
    ALREADY_VOTED = "ALREADY_VOTED"
    HOUSEHOLD_ALREADY_VOTED = "HOUSEHOLD_ALREADY_VOTED"
    NO_HOUSEHOLD = "NO_HOUSEHOLD"
    VOTING_CLOSED = "VOTING_CLOSED"
    # Leaderboards, inspections, the corridor flag
    NOT_IN_SCOPE = "NOT_IN_SCOPE"
    ALREADY_INSPECTED = "ALREADY_INSPECTED"
    MONTH_NOT_ENDED = "MONTH_NOT_ENDED"
    # Property fees
    FEE_OVERPAID = "FEE_OVERPAID"
    FEE_BILL_SETTLED = "FEE_BILL_SETTLED"
    FEE_NO_SCHEDULE = "FEE_NO_SCHEDULE"
    FEE_PERIOD_BILLED = "FEE_PERIOD_BILLED"
    FEE_BILL_PAID = "FEE_BILL_PAID"
    # Streets, districts and the outpost
    OUT_OF_JURISDICTION = "OUT_OF_JURISDICTION"  # a street/district role acting beyond its own scope
    ALREADY_REFERRED = "ALREADY_REFERRED"
    NOT_IN_A_STREET = "NOT_IN_A_STREET"  # the community is not linked to a street yet
    OUTSIDE_DISTRICT = "OUTSIDE_DISTRICT"
    LOCATION_UNKNOWN = "LOCATION_UNKNOWN"  # neither the point nor the address names a place we know


class DomainError(Exception):
    """A rule refused the request. `message` is the English text with named placeholders
    (marked `N_`, it is the catalog's message id) and `params` fill them; the API renders it in
    the caller's language (`text.render(language)`), `str(error)` and `.message` read English."""

    def __init__(self, code: ErrorCode, message: str | Text, field: str | None = None, **params: Any) -> None:
        # A Text passes through whole: an error of the points engine keeps its id and parameters.
        self.text = message if isinstance(message, Text) else Text(message, params)
        self.message = self.text.render(ENGLISH)
        super().__init__(self.message)
        self.code = code
        self.field = field
