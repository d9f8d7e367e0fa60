"""The department "feeds back with proof", and the proof is seen: `Dispatch.photos` carries the
outpost reporter's photo and the department's proof, each with a signed link to its cleaned
bytes, for everyone who reads the dispatch; a community's report carries the proof in its own
`photos` (PROOF) and on its web page, as a repairer's proof. Nobody else gets the dispatch or a
link, and a tampered or expired link opens nothing."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path
from typing import Any

import httpx
from PIL import Image

from models.district import DispatchPhoto
from models.reports import PhotoKind, ReportPhoto
from runtime.clock import MovableClock
from services.reports.photos import clean_photo
from tests.api.web.support import sign_in
from tests.support.district import (
    ASSIGN,
    DEPARTMENT_CLAIM,
    REFER,
    STREET_CLAIM,
    DistrictApi,
    Town,
)
from tests.support.graphql import GraphQLClient
from tests.support.people import PASSWORD, Person, gid, make_neighbourhood, make_person
from tests.support.photos import jpeg_with_gps, png

PHOTO_FIELDS = "photos { id kind contentType size url createdAt }"
PHOTOS = f"query R($id: ID!) {{ dispatch(id: $id) {{ id {PHOTO_FIELDS} }} }}"
FEEDBACK = (
    "mutation M($input: DispatchFeedbackInput!) { dispatchFeedback(input: $input) "
    f"{{ dispatch {{ id state {PHOTO_FIELDS} }} errors {{ code field }} }} }}"
)
REPORT_PHOTOS = "query R($id: ID!) { report(id: $id) { id state photos { id kind width height url } } }"
CREATE = """
mutation C($input: ReportCreateInput!) {
  reportCreate(input: $input) { report { id } errors { code } }
}"""
# The department's proof: a picture unlike the courier's, so each link is told apart by its bytes.
PROOF = jpeg_with_gps((80, 60), colour="green")


def _path(url: str) -> str:
    """The link without the server's public base."""
    return "/photos/" + url.split("/photos/", 1)[1]


def _pixels(data: bytes) -> tuple[str, tuple[int, int], bytes]:
    with Image.open(io.BytesIO(data)) as image:
        return image.format or "", image.size, image.tobytes()


async def _photos(api: GraphQLClient, dispatch_id: str, person: Person) -> list[dict[str, Any]] | None:
    found = (await api.data(PHOTOS, {"id": dispatch_id}, person.token))["dispatch"]
    return None if found is None else list(found["photos"])


async def _to_the_department(district_api: DistrictApi, town: Town, dispatch_id: str) -> None:
    await district_api.move(STREET_CLAIM, town.liaison, dispatchId=dispatch_id)
    await district_api.move(
        ASSIGN, town.liaison, dispatchId=dispatch_id, departmentId=gid("Department", town.zhujian.id)
    )
    await district_api.move(DEPARTMENT_CLAIM, town.builder, dispatchId=dispatch_id)


def _stored(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


async def test_the_departments_proof_is_seen_by_every_reader_of_the_dispatch_and_nobody_else(
    district_api: DistrictApi,
    api: GraphQLClient,
    http: httpx.AsyncClient,
    town: Town,
    moved_clock: MovableClock,
) -> None:
    # Given a courier's snap on the street, claimed and dispatched to 住建
    snapped = (await district_api.snap(town, photos=[png()]))["dispatch"]
    assert [p["kind"] for p in await _photos(api, snapped["id"], town.courier) or []] == ["REPORT"]
    await _to_the_department(district_api, town, snapped["id"])

    # When 住建 feeds back with a photo of the work done
    fed = await district_api.move(
        FEEDBACK, town.builder, photos=[PROOF], dispatchId=snapped["id"], note="已更换新井盖"
    )
    assert fed["errors"] == []
    assert [(p["kind"], p["contentType"]) for p in fed["dispatch"]["photos"]] == [
        ("REPORT", "image/png"),
        ("PROOF", "image/jpeg"),
    ]

    # Then the courier, the street's liaison, the department and the coordinator each see both
    seen = {
        name: await _photos(api, snapped["id"], person)
        for name, person in {
            "courier": town.courier,
            "liaison": town.liaison,
            "builder": town.builder,
            "coordinator": town.coordinator,
        }.items()
    }
    ids = [p["id"] for p in fed["dispatch"]["photos"]]
    assert all(photos is not None and [p["id"] for p in photos] == ids for photos in seen.values()), seen
    # and the proof's link serves the cleaned picture: the same pixels, no EXIF, the stored bytes
    proof = (seen["courier"] or [])[1]
    served = await http.get(_path(proof["url"]))
    assert served.status_code == 200 and served.headers["content-type"] == "image/jpeg"
    cleaned = clean_photo(PROOF)
    assert served.content == cleaned.data and len(served.content) == proof["size"]
    assert _pixels(served.content) == _pixels(cleaned.data) and _pixels(served.content)[1] == (80, 60)
    report_photo = await http.get(_path((seen["liaison"] or [])[0]["url"]))
    assert report_photo.status_code == 200 and report_photo.content == clean_photo(png()).data

    # A tampered link, the same signature on another photo kind's path, or another id, opens nothing
    path, query = _path(proof["url"]).split("?", 1)
    number = path.rsplit("/", 1)[-1]
    assert (await http.get(_path(proof["url"]).replace("sig=", "sig=0"))).status_code == 404
    for other in ("/photos/", "/photos/visit/", "/photos/inspection/"):
        assert (await http.get(f"{other}{number}?{query}")).status_code == 404
    neighbour_id = int(number) - 1
    assert (await http.get(f"/photos/dispatch/{neighbour_id}?{query}")).status_code == 404

    # Someone outside gets neither the dispatch nor its photos: another district's department, a
    # resident of a community of this street, a resident of another community
    elsewhere = await make_neighbourhood("xinxing", "新兴社区")
    outsider = await make_person(elsewhere.community, name="外小区居民")
    for person in (town.stranger, town.resident, outsider, town.sweeper):
        assert await _photos(api, snapped["id"], person) is None, person.user.display_name

    # Two hours later the link has expired; asking again gives a fresh one
    moved_clock.advance(hours=2, minutes=1)
    assert (await http.get(_path(proof["url"]))).status_code == 404
    fresh = (await _photos(api, snapped["id"], town.courier) or [])[1]
    assert fresh["url"] != proof["url"] and (await http.get(_path(fresh["url"]))).content == cleaned.data


async def test_a_referred_reports_proof_is_on_the_report_for_its_reporter_app_and_web(
    district_api: DistrictApi,
    api: GraphQLClient,
    http: httpx.AsyncClient,
    town: Town,
    photo_dir: Path,
) -> None:
    # Given a resident's report, referred by the office and dispatched to 住建
    created = await api.data(
        CREATE,
        {
            "input": {
                "placeId": gid("Entrance", town.place.entrance.id),
                "category": "PUBLIC_FACILITY",
                "text": "单元门前路面塌陷",
            }
        },
        town.resident.token,
    )
    report_id = created["reportCreate"]["report"]["id"]
    dispatch = (await district_api.move(REFER, town.staff, reportId=report_id, note="路面属市政"))["dispatch"]
    assert await _photos(api, dispatch["id"], town.staff) == []  # the report's photos stay on it
    await _to_the_department(district_api, town, dispatch["id"])

    # When 住建 feeds back with its proof
    fed = await district_api.move(
        FEEDBACK, town.builder, photos=[PROOF], dispatchId=dispatch["id"], note="已回填压实"
    )
    assert fed["errors"] == [] and [p["kind"] for p in fed["dispatch"]["photos"]] == ["PROOF"]

    # Then the resident sees it on their report, as PROOF, at its cleaned size, serving the bytes
    report = (await api.data(REPORT_PHOTOS, {"id": report_id}, town.resident.token))["report"]
    assert report["state"] == "RESOLVED"
    assert [(p["kind"], p["width"], p["height"]) for p in report["photos"]] == [("PROOF", 80, 60)]
    served = await http.get(_path(report["photos"][0]["url"]))
    assert served.status_code == 200 and served.content == clean_photo(PROOF).data
    # the same stored file as the dispatch's proof: nothing copied
    dispatch_row = await DispatchPhoto.get(proof=True)
    mirrored = await ReportPhoto.filter(kind=PhotoKind.PROOF).values_list("storage_key", flat=True)
    assert list(mirrored) == [dispatch_row.storage_key] and len(_stored(photo_dir)) == 1
    # the office (a member of the community) sees it on the dispatch too
    assert [p["kind"] for p in await _photos(api, dispatch["id"], town.staff) or []] == ["PROOF"]

    # and on the web report page, where a repairer's proof shows
    await sign_in(http, town.resident.phone, PASSWORD)
    page = await http.get(f"/me/reports/{report_id}")
    assert page.status_code == 200 and 'data-testid="proof"' in page.text
    assert page.text.count("修好后的照片") == 1
    shown = re.search(r'<div class="photos" data-testid="proof"><img src="([^"]+)"', page.text)
    assert shown is not None and shown[1].split("?")[0] == _path(report["photos"][0]["url"]).split("?")[0]
    assert (await http.get(html.unescape(shown[1]))).content == clean_photo(PROOF).data

    # A replayed feedback writes nothing again: no row, no file
    again = await district_api.move(
        FEEDBACK, town.builder, photos=[PROOF], dispatchId=dispatch["id"], note="已回填压实"
    )
    assert again["errors"] == [] and len(again["dispatch"]["photos"]) == 1
    assert await ReportPhoto.all().count() == 1 and await DispatchPhoto.all().count() == 1
    assert len(_stored(photo_dir)) == 1

    # A resident of another community gets neither the report nor the dispatch
    elsewhere = await make_neighbourhood("xinxing", "新兴社区")
    outsider = await make_person(elsewhere.community, name="外小区居民")
    assert (await api.data(REPORT_PHOTOS, {"id": report_id}, outsider.token))["report"] is None
    assert await _photos(api, dispatch["id"], outsider) is None
