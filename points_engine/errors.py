"""Errors of the economy: a `PointsError` is a `DomainError` (runtime/errors.py) with a code of the
one `ErrorCode`, so services let it through and the API shows it as any other refusal; nothing
translates it."""

from __future__ import annotations

from runtime.errors import DomainError, ErrorCode

__all__ = ["ErrorCode", "PointsError"]


class PointsError(DomainError):
    """A refusal of the economy (`message` marked N_ with named placeholders, `params` fill them).
    Its own class so that the hooks that must not fail a posting (paying the repairer of a held
    repair, a ranking bonus) can catch the economy's refusals and nothing else."""
