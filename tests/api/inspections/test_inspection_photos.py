"""Inspection photos: checked and cleaned like a report's, stored whole or not at all, and served
by signed links only to those who may see the inspection (its inspector, staff and admins)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from models.boards import Inspection, InspectionPhoto
from models.enums import Role
from services import events
from services.errors import DomainError, ErrorCode
from services.photo_storage import LocalDiskStorage, use_storage
from tests.api.leaderboards.support import Town, entrance_code, make_town
from tests.support.graphql import GraphQLClient
from tests.support.people import Person, make_neighbourhood, make_person
from tests.support.photos import exif_of, gps_of, jpeg_with_gps, png, webp
from tests.support.reports import ReportsApi

INSPECT = """
mutation Inspect($input: InspectionRecordInput!) {
  inspectionRecord(input: $input) {
    inspection { score photos { contentType width height size url } }
    errors { code field message }
  }
}"""
LIST = """
query Inspections($communityId: ID!, $month: String) {
  inspections(communityId: $communityId, month: $month) {
    totalCount nodes { entranceName score photos { contentType url } }
  }
}"""
BASE = "http://127.0.0.1:8000"


@pytest.fixture(autouse=True)
def photo_dir(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "photos"
    previous = use_storage(LocalDiskStorage(folder))
    yield folder
    use_storage(previous)


def stored(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


async def inspect(api: GraphQLClient, who: Person, code: str, photos: list[bytes]) -> dict[str, Any]:
    files = [(f"p{i}.jpg", data, "image/jpeg") for i, data in enumerate(photos)]
    variables = {"input": {"code": code, "score": 4, "photos": [None] * len(files)}}
    data = await ReportsApi(api).upload(INSPECT, variables, files, "variables.input.photos", who.token)
    payload: dict[str, Any] = data["inspectionRecord"]
    return payload


async def listed(api: GraphQLClient, town: Town, who: Person) -> dict[str, Any]:
    data = await api.data(LIST, {"communityId": town.cid}, who.token)
    result: dict[str, Any] = data["inspections"]
    return result


async def test_photos_are_stripped_of_exif_stored_and_served_by_signed_link(
    api: GraphQLClient, photo_dir: Path
) -> None:
    # Given a cleaner at an entrance's tag with a phone photo that carries a GPS position
    town = await make_town()
    code = await entrance_code(town, town.e1)
    original = jpeg_with_gps(size=(320, 240))
    assert gps_of(original) and exif_of(original)

    # When they record the inspection with it, a PNG and a WebP
    answer = await inspect(api, town.cleaner, code, [original, png(), webp()])

    # Then the inspection holds three cleaned photos, on disk without EXIF or GPS
    assert answer["errors"] == []
    photos = answer["inspection"]["photos"]
    assert [(p["contentType"], p["width"], p["height"]) for p in photos] == [
        ("image/jpeg", 320, 240),
        ("image/png", 32, 32),
        ("image/webp", 32, 32),
    ]
    files = stored(photo_dir)
    assert len(files) == 3 and all(f.relative_to(photo_dir).parts[0] == "inspections" for f in files)
    for path in files:
        data = path.read_bytes()
        assert exif_of(data) == {} and gps_of(data) == {} and b"TestPhone" not in data
    assert await InspectionPhoto.all().count() == 3

    # And the link serves the cleaned JPEG, while the same id and signature under the report
    # photos' path (a report photo with that id) opens nothing
    path = photos[0]["url"].removeprefix(BASE)
    served = await api.http.get(path)
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/jpeg"
    assert gps_of(served.content) == {}
    assert (await api.http.get(path.replace("/photos/inspection/", "/photos/"))).status_code == 404
    assert (await api.http.get(path[:-4] + "0000")).status_code == 404


async def test_limits_refuse_the_inspection_and_store_nothing(api: GraphQLClient, photo_dir: Path) -> None:
    # Given a cleaner at an entrance's tag
    town = await make_town()
    code = await entrance_code(town, town.e1)

    # When they send seven photos, a renamed text file, or a photo over 8 MB
    too_many = await inspect(api, town.cleaner, code, [png()] * 7)
    not_a_photo = await inspect(api, town.cleaner, code, [png(), b"just text, renamed .jpg" * 40])
    too_big = await inspect(api, town.cleaner, code, [jpeg_with_gps() + b"\0" * (9 * 1024 * 1024)])

    # Then each is refused with its code, and no inspection and no file is left
    assert [(e["code"], e["field"]) for e in too_many["errors"]] == [("TOO_MANY_PHOTOS", "photos")]
    assert [(e["code"], e["field"]) for e in not_a_photo["errors"]] == [("PHOTO_INVALID", "photos")]
    assert "第 2 张照片" in not_a_photo["errors"][0]["message"]  # the message names which photo
    assert [(e["code"], e["field"]) for e in too_big["errors"]] == [("PHOTO_TOO_LARGE", "photos")]
    assert too_many["inspection"] is None and not_a_photo["inspection"] is None
    assert await Inspection.all().count() == 0
    assert stored(photo_dir) == []


async def test_a_failure_after_the_files_were_written_removes_them(
    api: GraphQLClient, photo_dir: Path
) -> None:
    # Given a subscriber of inspection.recorded that refuses the change (it runs in the transaction)
    town = await make_town()
    code = await entrance_code(town, town.e1)

    async def refuse(event: events.DomainEvent) -> None:
        assert stored(photo_dir), "the photos were written before the refusal"
        raise DomainError(ErrorCode.INVALID_INPUT, "refused by a subscriber", "code")

    events.subscribe("inspection.recorded", refuse)
    try:
        # When a cleaner records an inspection with two photos
        answer = await inspect(api, town.cleaner, code, [jpeg_with_gps(), png()])
    finally:
        events.unsubscribe("inspection.recorded", refuse)

    # Then it is refused, and neither the rows nor the files remain
    assert [e["code"] for e in answer["errors"]] == ["INVALID_INPUT"]
    assert await Inspection.all().count() == 0
    assert await InspectionPhoto.all().count() == 0
    assert stored(photo_dir) == []


async def test_a_second_inspection_the_same_day_keeps_only_the_first_photos(
    api: GraphQLClient, photo_dir: Path
) -> None:
    # Given a cleaner who inspected an entrance with one photo
    town = await make_town()
    code = await entrance_code(town, town.e1)
    assert (await inspect(api, town.cleaner, code, [png()]))["errors"] == []
    first = stored(photo_dir)

    # When they try again the same day with two photos
    again = await inspect(api, town.cleaner, code, [png(), webp()])

    # Then it is refused and only the first inspection's photo is on disk
    assert [(e["code"], e["field"]) for e in again["errors"]] == [("ALREADY_INSPECTED", "code")]
    assert stored(photo_dir) == first and len(first) == 1


async def test_the_inspector_staff_and_admins_see_the_photos_residents_and_other_cleaners_do_not(
    api: GraphQLClient,
) -> None:
    # Given an inspection with a photo by one cleaner, and another cleaner, an admin and a resident
    town = await make_town()
    code = await entrance_code(town, town.e1)
    assert (await inspect(api, town.cleaner, code, [png()]))["errors"] == []
    other_cleaner = await make_person(town.place.community, (Role.CLEANER,), name="Liu")
    admin = await make_person(town.place.community, (Role.ADMIN,), name="Boss")

    # When each lists the community's inspections
    seen = {
        name: await listed(api, town, who)
        for name, who in (
            ("inspector", town.cleaner),
            ("staff", town.staff),
            ("admin", admin),
            ("other cleaner", other_cleaner),
            ("resident", town.a),
        )
    }

    # Then the inspector, staff and admin see it with a working photo link; the others see nothing
    for name in ("inspector", "staff", "admin"):
        assert seen[name]["totalCount"] == 1, name
        node = seen[name]["nodes"][0]
        assert (node["entranceName"], node["score"]) == (town.e1.name, 4)
        [photo] = node["photos"]
        assert (await api.http.get(photo["url"].removeprefix(BASE))).status_code == 200
    for name in ("other cleaner", "resident"):
        assert seen[name] == {"totalCount": 0, "nodes": []}, name


async def test_outsiders_cannot_list_a_communitys_inspections(api: GraphQLClient) -> None:
    # Given an inspection in one community and a staff member of another
    town = await make_town()
    code = await entrance_code(town, town.e1)
    assert (await inspect(api, town.cleaner, code, [png()]))["errors"] == []
    elsewhere = await make_neighbourhood(slug="lanting", name="兰亭社区")
    outsider = await make_person(elsewhere.community, (Role.STAFF,), name="Zhou")

    # When the outsider asks for the first community's inspections
    codes = await api.error_codes(LIST, {"communityId": town.cid}, outsider.token)

    # Then the answer is a typed error, as if the community did not exist
    assert codes == ["NOT_FOUND"]
