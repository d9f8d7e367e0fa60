"""Fixtures of the fee tests: the small community with its schedule, and its current bill."""

from __future__ import annotations

import pytest

from models.fees import FeeBill
from tests.services.fees.support import FeeWorld, billed, fee_world


@pytest.fixture
async def world() -> FeeWorld:
    return await fee_world()


@pytest.fixture
async def bill(world: FeeWorld) -> FeeBill:
    """The first household's bill of the current quarter (both households are billed)."""
    return await billed(world)
