"""An observer's visit photos go through the PhotoStorage like a report's: checked by content,
stripped of EXIF and GPS, stored with the visit or not at all, stored once for a retried visit,
and served by a signed link to those who may see the visit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from models.observers import ObserverVisit, ObserverVisitPhoto
from services.photo_storage import LocalDiskStorage, use_storage
from tests.api.mediation_room import support as m
from tests.support.district import DistrictApi
from tests.support.graphql import GraphQLClient
from tests.support.people import gid
from tests.support.photos import exif_of, jpeg_with_gps, png

VISIT = """
mutation OV($input: ObserverVisitRecordInput!) {
  observerVisitRecord(input: $input) {
    visit { id photos { id contentType width height size url } }
    errors { code field }
  }
}"""


@pytest.fixture(autouse=True)
def photo_dir(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "photos"
    previous = use_storage(LocalDiskStorage(folder))
    yield folder
    use_storage(previous)


async def _upload(http: httpx.AsyncClient, payload: dict[str, Any], photos: list[bytes], token: str) -> Any:
    """A multipart upload, as the district's tests send theirs (tests/support/district.py)."""
    data = await DistrictApi(GraphQLClient(http)).upload(VISIT, payload, photos, token)
    return data["observerVisitRecord"]


def _path(url: str) -> str:
    """The link without the server's public base (http://127.0.0.1:8000 in tests)."""
    return "/photos/" + url.split("/photos/", 1)[1]


def _stored(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


async def test_visit_photos_are_cleaned_stored_once_and_served_by_signed_link(
    api: GraphQLClient, http: httpx.AsyncClient, photo_dir: Path
) -> None:
    room = await m.make_room(api)
    visit_input = {
        "compoundId": gid("Compound", room.place.compound.id),
        "spot": "4号楼北侧车棚",
        "seen": "车棚顶棚漏雨",
        "idempotencyKey": "v-photos",
    }
    recorded = await _upload(http, visit_input, [jpeg_with_gps(), png()], room.observer.token)
    assert recorded["errors"] == []
    photos = recorded["visit"]["photos"]
    assert [(p["contentType"], p["width"]) for p in photos] == [("image/jpeg", 64), ("image/png", 32)]
    files = _stored(photo_dir)
    assert len(files) == 2
    assert all(f.relative_to(photo_dir).parts[:2] == ("visits", str(room.place.community.id)) for f in files)

    served = await http.get(_path(photos[0]["url"]))
    assert served.status_code == 200 and served.headers["content-type"] == "image/jpeg"
    assert exif_of(served.content) == {}  # no GPS, no camera
    # the link is signed for visit photos: the same id on the report or inspection path opens nothing
    path, query = _path(photos[0]["url"]).split("?", 1)
    for other in ("/photos/", "/photos/inspection/"):
        assert (await http.get(f"{other}{path.rsplit('/', 1)[-1]}?{query}")).status_code == 404
    tampered = _path(photos[0]["url"]).replace("sig=", "sig=0")
    assert (await http.get(tampered)).status_code == 404

    # a retried visit stores nothing again
    again = await _upload(http, visit_input, [jpeg_with_gps()], room.observer.token)
    assert again["visit"]["id"] == recorded["visit"]["id"] and len(again["visit"]["photos"]) == 2
    assert len(_stored(photo_dir)) == 2 and await ObserverVisitPhoto.all().count() == 2

    # the office sees them in the list too
    listed = (
        await api.data(
            "query V($c: ID!) { observerVisits(communityId: $c) { nodes { photos { id url } } } }",
            {"c": room.cid},
            room.staff.token,
        )
    )["observerVisits"]["nodes"]
    assert [p["id"] for p in listed[0]["photos"]] == [p["id"] for p in photos]


async def test_a_bad_photo_refuses_the_visit_and_stores_nothing(
    api: GraphQLClient, http: httpx.AsyncClient, photo_dir: Path
) -> None:
    room = await m.make_room(api)
    visit_input = {
        "compoundId": gid("Compound", room.place.compound.id),
        "spot": "门口",
        "seen": "正常",
        "idempotencyKey": "v-bad",
    }
    refused = await _upload(http, visit_input, [jpeg_with_gps(), b"not a picture"], room.observer.token)
    assert [(e["code"], e["field"]) for e in refused["errors"]] == [("PHOTO_INVALID", "photos")]
    assert refused["visit"] is None
    too_many = await _upload(
        http, {**visit_input, "idempotencyKey": "v-many"}, [png()] * 7, room.observer.token
    )
    assert [e["code"] for e in too_many["errors"]] == ["TOO_MANY_PHOTOS"]
    assert await ObserverVisit.all().count() == 0 and await ObserverVisitPhoto.all().count() == 0
    assert _stored(photo_dir) == []
