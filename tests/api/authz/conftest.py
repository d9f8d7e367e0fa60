"""The authorization tests' world (world.py), built once per worker and put back for each test.

Building it walks a whole day in the life and then some (~20–40 s of CPU a build); three tests
each built their own, in both passes. Now the first of them builds it (the tests share the
xdist group "authz", so one worker does), a snapshot of every row and photo is kept, and each
test gets the rows back into its emptied database, its own copy of the photos and the clock at
the moment the build ended: the same world it built for itself before, which it may change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from starlette.types import ASGIApp

from runtime import clock
from runtime.settings import Settings
from services.photo_storage import LocalDiskStorage, use_storage
from tests.api.authz.world import World, build_world
from tests.support import demo as demo_support


@dataclass(frozen=True)
class BuiltWorld:
    world: World
    clock_after: datetime  # the clock when the build ended: tokens and "now" agree with it
    snapshot: demo_support.Snapshot


@pytest.fixture(scope="session")
async def built_world(
    database: None, shared_app: ASGIApp, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> BuiltWorld:
    folder = tmp_path_factory.mktemp("authz-world")
    photo_dir = folder / "photos"
    await demo_support.empty_tables()
    movable = clock.MovableClock(demo_support.SUITE_MOMENT)
    previous_clock = clock.use_clock(movable)
    previous_storage = use_storage(LocalDiskStorage(photo_dir))
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=shared_app), base_url="http://testserver"
        ) as http:
            world = await build_world(http, movable, photo_dir, settings)
    finally:
        use_storage(previous_storage)
        clock.use_clock(previous_clock)
    snapshot = await demo_support.take_snapshot("rs_authz_world", folder, photo_dir)
    return BuiltWorld(world, movable.now(), snapshot)


@pytest.fixture
async def world(
    empty_tables: None, built_world: BuiltWorld, moved_clock: clock.MovableClock, photo_dir: Path
) -> World:
    """The built world, this test's own: its rows, its photos in `photo_dir`, its moment."""
    await built_world.snapshot.restore(photo_dir)
    moved_clock.set(built_world.clock_after)
    return built_world.world
