"""Errors of the economy. Services turn them into DomainErrors with the same code."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from runtime.i18n import Text


class PointsErrorCode(StrEnum):
    INVALID_INPUT = "INVALID_INPUT"
    NOT_FOUND = "NOT_FOUND"
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


class PointsError(Exception):
    """`message` is an English text marked N_ with named placeholders, `params` fill them; the
    service that catches it passes `text` on to its DomainError, rendered at the edge."""

    def __init__(self, code: PointsErrorCode, message: str, field: str | None = None, **params: Any) -> None:
        self.text = Text(message, params)
        self.message = str(self.text)
        super().__init__(self.message)
        self.code = code
        self.field = field
