"""The authorization matrix's objects of the mediation room and the home observers, in each
community (tests/api/authz/world.py): the side's observer posted to its first compound with a
visit and a dispute stepped into, and a case its mediator works. The side's ids of those kinds
name these objects, so the observer and the mediator of the matrix act on their own."""

from __future__ import annotations

from models.enums import Role
from models.places import Compound, Household
from models.teams import MediationCategory
from services import mediation_room, observers
from services.access import load_viewer
from tests.support.people import Person, gid


async def mediation_objects(community_id: int, people: dict[Role, Person], ids: dict[str, str]) -> None:
    staff = await load_viewer(people[Role.STAFF].user.id)
    observer_id, mediator_id = people[Role.OBSERVER].user.id, people[Role.MEDIATOR].user.id
    compound = await Compound.filter(community_id=community_id).order_by("id").first()
    assert compound is not None
    await observers.appoint(staff, compound, observer_id)
    observer = await load_viewer(observer_id)
    visit = await observers.record_visit(observer, compound, None, "花园", "有人争吵", "matrix-visit")
    stepped = await observers.step_in(observer, visit, MediationCategory.NOISE, "楼上楼下噪音", False)
    await mediation_room.appoint_mediator(staff, community_id, mediator_id)
    households = (
        await Household.filter(community_id=community_id).order_by("id").limit(2).values_list("id", flat=True)
    )
    case = await mediation_room.open_case(
        staff,
        community_id,
        MediationCategory.NOISE,
        "楼上楼下噪音",
        [int(str(h)) for h in households],
        [mediator_id],
    )
    ids.update(
        {
            "ObserverVisit": gid("ObserverVisit", visit.id),
            "DisputeIntervention": gid("DisputeIntervention", stepped.id),
            "MediationCase": gid("MediationCase", case.id),
        }
    )
