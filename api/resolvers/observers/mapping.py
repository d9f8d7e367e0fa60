"""Home observers: service rows to GraphQL types; a page's names, labels, opinions and
interventions read in a fixed number of statements."""

from __future__ import annotations

from collections.abc import Sequence

from strawberry import relay

from api.resolvers.opinions.operations import opinion_of
from api.schema.observers import types
from models.observers import DisputeIntervention, ObserverPost, ObserverVisit
from services import observers, opinions
from services.access import Viewer, user_names_by_ids
from services.places.labels import PlaceKind, labels_by_id
from services.reports.photos import PhotoOwner, photo_link


def _gid(type_name: str, row_id: int) -> relay.GlobalID:
    return relay.GlobalID(type_name, str(row_id))


def intervention(row: DisputeIntervention) -> types.DisputeIntervention:
    return types.DisputeIntervention(
        id=_gid("DisputeIntervention", row.id),
        category=row.category,
        summary=row.summary,
        settled_on_spot=row.settled_on_spot,
        case=_gid("MediationCase", row.case_id) if row.case_id is not None else None,
        created_at=row.created_at,
    )


async def posts(rows: Sequence[ObserverPost]) -> list[types.ObserverPost]:
    labels = await labels_by_id(PlaceKind.COMPOUND, [r.compound_id for r in rows])
    names = {
        n.id: n.display_name for n in await user_names_by_ids([r.user_id for r in rows]) if n is not None
    }
    return [
        types.ObserverPost(
            compound=_gid("Compound", r.compound_id),
            compound_name=labels.get(r.compound_id, ""),
            observer=_gid("User", r.user_id),
            observer_name=names.get(r.user_id, ""),
            appointed_at=r.appointed_at,
        )
        for r in rows
    ]


async def visits(viewer: Viewer, rows: Sequence[ObserverVisit]) -> list[types.ObserverVisit]:
    found = await observers.extras([r.id for r in rows])
    photos = await observers.visit_photos([r.id for r in rows])
    supported = await opinions.supported_by_me(viewer, [o.id for e in found for o in e.opinions])
    names = {
        n.id: n.display_name for n in await user_names_by_ids([r.observer_id for r in rows]) if n is not None
    }
    return [
        types.ObserverVisit(
            id=r.id,
            compound=_gid("Compound", r.compound_id),
            observer_name=names.get(r.observer_id, ""),
            visited_at=r.visited_at,
            spot=r.spot,
            seen=r.seen,
            opinions=[opinion_of(o, viewer, supported) for o in e.opinions],
            interventions=[intervention(i) for i in e.interventions],
            photos=[
                types.ObserverVisitPhoto(
                    id=_gid("ObserverVisitPhoto", p.id),
                    content_type=p.content_type,
                    width=p.width,
                    height=p.height,
                    size=p.size,
                    url=photo_link(p.id, PhotoOwner.VISIT),
                    created_at=p.created_at,
                )
                for p in photos[r.id]
            ],
        )
        for r, e in zip(rows, found, strict=True)
    ]
