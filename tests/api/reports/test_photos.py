"""Photos: checked by content, stripped of EXIF/GPS, stored whole or not at all, served by signed link."""

from __future__ import annotations

import json
from pathlib import Path

from models.reports import Report, ReportPhoto
from runtime.clock import MovableClock
from services.photo_storage import LocalDiskStorage, use_storage
from tests.api.reports.conftest import stored_files
from tests.support.photos import exif_of, gps_of, jpeg_with_gps, png, webp
from tests.support.reports import CLAIM, CREATE, ReportsApi, make_cast


async def test_gps_and_exif_are_stripped_before_storing(reports_api: ReportsApi, photo_dir: Path) -> None:
    original = jpeg_with_gps(size=(640, 480))
    assert gps_of(original) and exif_of(original)  # the test photo does carry a position

    cast = await make_cast()
    created = await reports_api.create(cast, photos=[original, png(), webp()])
    assert created["errors"] == []
    photos = created["report"]["photos"]
    assert [(p["contentType"], p["width"], p["height"]) for p in photos] == [
        ("image/jpeg", 640, 480),
        ("image/png", 32, 32),
        ("image/webp", 32, 32),
    ]
    files = stored_files(photo_dir)
    assert len(files) == 3
    for path in files:
        data = path.read_bytes()
        assert exif_of(data) == {}
        assert gps_of(data) == {}
        assert b"TestPhone" not in data

    served = await reports_api.http.get(photos[0]["url"].split("http://127.0.0.1:8000", 1)[1])
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/jpeg"
    assert gps_of(served.content) == {}


async def test_a_renamed_text_file_is_refused_and_nothing_is_stored(
    reports_api: ReportsApi, photo_dir: Path
) -> None:
    cast = await make_cast()
    text = "这不是照片，是一个改了名字的文本文件。\n".encode() * 50
    answer = await reports_api.create(cast, photos=[jpeg_with_gps(), text])
    assert answer["report"] is None
    assert [(e["code"], e["field"]) for e in answer["errors"]] == [("PHOTO_INVALID", "photos")]
    assert "第 2 张照片" in answer["errors"][0]["message"]  # the message names which photo
    assert await Report.all().count() == 0
    assert stored_files(photo_dir) == []


async def test_a_50_mb_photo_is_refused(reports_api: ReportsApi, photo_dir: Path) -> None:
    cast = await make_cast()
    huge = jpeg_with_gps() + b"\0" * (50 * 1024 * 1024)
    answer = await reports_api.create(cast, photos=[huge])
    assert [e["code"] for e in answer["errors"]] == ["PHOTO_TOO_LARGE"]
    assert await Report.all().count() == 0
    assert stored_files(photo_dir) == []


async def test_at_most_six_photos(reports_api: ReportsApi, photo_dir: Path) -> None:
    cast = await make_cast()
    answer = await reports_api.create(cast, photos=[png()] * 7)
    assert [e["code"] for e in answer["errors"]] == ["TOO_MANY_PHOTOS"]
    assert stored_files(photo_dir) == []


async def test_a_proof_photo_that_fails_leaves_the_report_claimed(
    reports_api: ReportsApi, photo_dir: Path
) -> None:
    cast = await make_cast()
    report_id = (await reports_api.create(cast))["report"]["id"]
    await reports_api.move(CLAIM, cast.repairer, reportId=report_id)
    answer = await reports_api.resolve(
        report_id, cast.repairer, photos=[jpeg_with_gps(), b"GIF89a not really"]
    )
    assert [e["code"] for e in answer["errors"]] == ["PHOTO_INVALID"]
    assert (await Report.get()).state == "claimed"
    assert stored_files(photo_dir) == []


class BreaksOnSecondPut(LocalDiskStorage):
    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.puts = 0

    async def put(self, key: str, data: bytes) -> None:
        self.puts += 1
        if self.puts == 2:
            raise OSError("disk full")
        await super().put(key, data)


async def test_a_storage_failure_midway_removes_what_was_written(
    reports_api: ReportsApi, photo_dir: Path
) -> None:
    cast = await make_cast()
    storage = BreaksOnSecondPut(photo_dir)
    previous = use_storage(storage)
    try:
        body = await reports_api.api.http.post(
            "/graphql",
            data={
                "operations": json.dumps(
                    {
                        "query": CREATE,
                        "variables": {
                            "input": {
                                "placeId": cast.entrance_id,
                                "category": "LIGHTING",
                                "text": "灯",
                                "photos": [None, None],
                            }
                        },
                    }
                ),
                "map": json.dumps({"0": ["variables.input.photos.0"], "1": ["variables.input.photos.1"]}),
            },
            files={"0": ("a.jpg", jpeg_with_gps(), "image/jpeg"), "1": ("b.png", png(), "image/png")},
            headers={"authorization": f"Bearer {cast.resident.token}"},
        )
    finally:
        use_storage(previous)
    assert storage.puts == 2
    assert [e["extensions"]["code"] for e in body.json()["errors"]] == ["INTERNAL_ERROR"]
    assert await Report.all().count() == 0
    assert await ReportPhoto.all().count() == 0
    assert stored_files(photo_dir) == []


async def test_photo_links_are_signed_and_expire(reports_api: ReportsApi, moved_clock: MovableClock) -> None:
    cast = await make_cast()
    url = (await reports_api.create(cast, photos=[png()]))["report"]["photos"][0]["url"]
    path = url.split("http://127.0.0.1:8000", 1)[1]
    assert (await reports_api.http.get(path)).status_code == 200
    forged = path[:-4] + ("0000" if not path.endswith("0000") else "1111")
    assert (await reports_api.http.get(forged)).status_code == 404
    photo_id = int(path.split("/photos/", 1)[1].split("?", 1)[0])
    other_photo = path.replace(f"/photos/{photo_id}?", f"/photos/{photo_id + 1}?")
    assert other_photo != path
    assert (await reports_api.http.get(other_photo)).status_code == 404
    moved_clock.advance(hours=3)
    assert (await reports_api.http.get(path)).status_code == 404


async def test_an_upload_without_a_bearer_header_is_refused(reports_api: ReportsApi, photo_dir: Path) -> None:
    """A cross-site form can post multipart but cannot add a header (CSRF)."""
    response = await reports_api.http.post(
        "/graphql",
        data={"operations": json.dumps({"query": "{ __typename }"}), "map": "{}"},
        files={"0": ("a.png", png(), "image/png")},
    )
    assert response.status_code == 401
    assert [e["extensions"]["code"] for e in response.json()["errors"]] == ["UNAUTHENTICATED"]
    assert stored_files(photo_dir) == []
