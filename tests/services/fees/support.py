"""A small community with a fee schedule, staff and residents, built through the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from models.enums import Role
from models.fees import BillingPeriod, BillTiming
from models.places import Household
from services.access import Viewer, load_viewer
from services.fees import schedule
from tests.support.people import Neighbourhood, Person, make_neighbourhood, make_person

PRICE_FEN = 30  # 0.3 yuan per m² a month: the seeds' price


@dataclass
class FeeWorld:
    place: Neighbourhood
    staff: Person
    resident: Person
    staff_viewer: Viewer
    resident_viewer: Viewer

    @property
    def community_id(self) -> int:
        return self.place.community.id

    @property
    def home(self) -> Household:
        return self.place.households[0]


async def fee_world(
    period: BillingPeriod = BillingPeriod.QUARTER,
    timing: BillTiming = BillTiming.PERIOD_START,
    slug: str = "hongxing",
    name: str = "红星社区",
) -> FeeWorld:
    place = await make_neighbourhood(slug, name)
    staff = await make_person(place.community, (Role.STAFF,), name="王会计")
    resident = await make_person(
        place.community, (Role.RESIDENT,), household=place.households[0], name="李阿姨"
    )
    staff_viewer = await load_viewer(staff.user.id)
    await schedule.set_schedule(
        staff_viewer,
        place.community.id,
        unit_price_fen=PRICE_FEN,
        period=period,
        timing=timing,
        applies_from=date(2026, 1, 1),
    )
    return FeeWorld(place, staff, resident, staff_viewer, await load_viewer(resident.user.id))
