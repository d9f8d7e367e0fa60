"""Who listens to domain events: installed once by whatever runs the services (the server, the
CLI), so that a change and its consequences (points paid, inbox rows written) commit together."""

from __future__ import annotations

from services import notifications
from services.district import clocks as district_clocks
from services.leaderboards import sources as board_sources
from services.leaderboards import wiring as board_wiring
from services.mediation_room import wiring as mediation_wiring
from services.points import wiring as points_wiring
from services.teams import patrol_repairs


def install() -> None:
    points_wiring.register()
    board_wiring.register()
    notifications.install()
    board_sources.install()
    patrol_repairs.install()
    district_clocks.install()
    mediation_wiring.install()


def uninstall() -> None:
    points_wiring.unregister()
    board_wiring.unregister()
    notifications.uninstall()
    patrol_repairs.uninstall()
    district_clocks.uninstall()
    mediation_wiring.uninstall()
