"""The printable hours certificate: the volunteer (or the office) fetches a PNG with the
community's name, the volunteer's name, hours by kind and a number that verifies."""

from __future__ import annotations

import io
from dataclasses import replace

import httpx
from PIL import Image, ImageChops

from models.enums import Role
from models.teams import TeamKind
from runtime import clock
from runtime.clock import MovableClock
from services.access import load_viewer
from services.teams import hours_certificate
from services.teams.hours_certificate import Certificate, render_png
from tests.api.teams import support
from tests.api.teams.test_approval import _decide, _served
from tests.support.graphql import GraphQLClient
from tests.support.people import gid, make_neighbourhood, make_person

ROUTE = "/certificates/hours.png"


def _image(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _changed_box(one: bytes, other: bytes) -> tuple[int, int, int, int] | None:
    return ImageChops.difference(_image(one).convert("RGB"), _image(other).convert("RGB")).getbbox()


async def _served_and_approved(api: GraphQLClient, squad: support.Squad, moved_clock: MovableClock) -> None:
    attendance_id = await _served(api, squad, moved_clock, 90)
    approved = await _decide(
        api, support.APPROVE, "attendanceApprove", squad.captain.token, attendanceId=attendance_id
    )
    assert approved["errors"] == []


async def test_a_volunteer_fetches_a_certificate_of_their_hours(
    api: GraphQLClient, http: httpx.AsyncClient, moved_clock: MovableClock
) -> None:
    squad = await support.make_squad(api)
    await _served_and_approved(api, squad, moved_clock)
    volunteer = squad.volunteers[0]
    month = clock.now().strftime("%Y-%m")  # the test clock sits mid-month, so UTC and local agree
    params = {"community": squad.community_id, "from": month, "to": month}

    got = await http.get(ROUTE, params=params, headers={"authorization": f"Bearer {volunteer.token}"})
    assert got.status_code == 200 and got.headers["content-type"] == "image/png"
    image = _image(got.content)
    assert (image.format, image.size, image.mode) == ("PNG", (1754, 1240), "RGB")

    # The number carries who, where, when and how much, and verifies.
    number = got.headers["x-certificate-number"]
    community_id = squad.place.community.id
    assert hours_certificate.verify_number(number) == (community_id, volunteer.user.id, month, month, 90)

    # What was drawn: the same certificate, rebuilt from the service, renders to the same pixels …
    viewer_cert = await hours_certificate.certificate(
        await load_viewer(volunteer.user.id), community_id, volunteer.user.id, month, month
    )
    assert viewer_cert.minutes_by_kind == ((TeamKind.SNOW_CLEARING, 90),)
    assert viewer_cert.volunteer_name == "v0" and viewer_cert.community_name == "红星社区"
    assert _changed_box(render_png(viewer_cert), got.content) is None
    # … and each piece of text shows up where it belongs when it is left out.
    width, height = image.size
    for blank, (top, bottom) in (
        (replace(viewer_cert, volunteer_name=""), (300, 460)),  # the sentence naming them
        (replace(viewer_cert, community_name=""), (100, 190)),  # the heading (and the footer)
        (replace(viewer_cert, minutes_by_kind=()), (300, 1000)),  # the table and the total
        (replace(viewer_cert, number=""), (height - 240, height - 60)),  # the footer
    ):
        box = _changed_box(render_png(blank), got.content)
        assert box is not None, blank
        assert box[1] < bottom and box[3] > top, (blank, box)
    # Ink in the table, none between it and the footer on a one-kind certificate.
    gray = image.convert("L")
    assert gray.crop((420, 480, width - 420, 700)).getextrema()[0] < 80
    assert gray.crop((120, 760, width - 120, 980)).getextrema() == (255, 255)


async def test_the_office_may_print_anyones_certificate_and_others_may_not(
    api: GraphQLClient, http: httpx.AsyncClient, moved_clock: MovableClock
) -> None:
    squad = await support.make_squad(api)
    await _served_and_approved(api, squad, moved_clock)
    month = clock.now().strftime("%Y-%m")
    of_volunteer = {
        "community": squad.community_id,
        "from": month,
        "to": month,
        "user": gid("User", squad.volunteers[0].user.id),
    }

    async def status(token: str | None, **changes: str) -> tuple[int, str | None]:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        got = await http.get(ROUTE, params={**of_volunteer, **changes}, headers=headers)
        code = None if got.headers["content-type"] == "image/png" else got.json()["code"]
        return got.status_code, code

    assert await status(squad.staff.token) == (200, None)
    assert await status(squad.volunteers[1].token) == (403, "FORBIDDEN")
    assert await status(None) == (401, "UNAUTHENTICATED")
    outsider = await make_person((await make_neighbourhood(slug="other")).community, (Role.STAFF,))
    assert await status(outsider.token) == (404, "NOT_FOUND")
    assert await status(squad.staff.token, to="2026-13") == (400, "INVALID_INPUT")
    assert await status(squad.staff.token, **{"from": "2030-01", "to": "2029-12"}) == (400, "INVALID_INPUT")
    assert await status(squad.staff.token, user=gid("User", outsider.user.id)) == (404, "NOT_FOUND")


def test_a_long_name_and_every_kind_stay_inside_the_frame() -> None:
    cert = Certificate(
        community_name="红星社区" * 12,
        volunteer_name="欧阳" * 30,
        first_month="2026-01",
        last_month="2026-12",
        minutes_by_kind=tuple((kind, 600) for kind in TeamKind),
        number="A" * 34,
        issued_on="2026-12-31",
    )
    image = _image(render_png(cert)).convert("L")
    width, height = image.size
    # The margin outside the inner frame line stays white: nothing ran off or over it.
    for strip in ((80, 80, 120, height - 80), (width - 120, 80, width - 80, height - 80)):
        assert image.crop(strip).getextrema() == (255, 255)
