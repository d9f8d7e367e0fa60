"""GET /qr/<code>.png and .svg: the code reads back as its URL, the label is printed under it."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import httpx
from PIL import Image, ImageDraw

from models.places import Entrance
from services import signed_codes, tags
from services.access import load_viewer
from services.tags import printing as tag_printing
from tests.api.tags.conftest import TagWorld
from tests.support.qr import decode_all

SVG = "{http://www.w3.org/2000/svg}"


async def test_png_reads_back_as_the_tag_url(http: httpx.AsyncClient, world: TagWorld) -> None:
    tag = await tags.create_tag(await load_viewer(world.staff.user.id), world.place.entrance)
    response = await http.get(f"/qr/{tags.code_of(tag)}.png")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert decode_all(image) == [tags.url_of(tag)]
    # The label sits under the code: the bottom band has ink, the code itself is square on top.
    assert image.height > image.width
    band = image.convert("L").crop((0, image.width, image.width, image.height))
    assert band.getextrema()[0] < 64


def _rasterize(svg: ET.Element) -> Image.Image:
    """Draw the SVG's path of dark runs (our own simple path syntax) at 8 px a module."""
    width = int(float(svg.attrib["viewBox"].split()[2]))
    image = Image.new("L", (width * 8, width * 8), 255)
    draw = ImageDraw.Draw(image)
    path = svg.find(f"{SVG}path")
    assert path is not None
    for x, y, run in re.findall(r"M(\d+),(\d+)h(\d+)v1h-\d+z", path.attrib["d"]):
        left, top = int(x) * 8, int(y) * 8
        draw.rectangle((left, top, left + int(run) * 8 - 1, top + 7), fill=0)
    return image


def _label_lines(svg: ET.Element) -> list[str]:
    """The label's lines, each an outlined path that names its words."""
    label = svg.find(f"{SVG}g")
    assert label is not None
    return [path.attrib["aria-label"] for path in label.iter(f"{SVG}path")]


def test_the_svg_label_is_outlined_so_it_needs_no_font_to_show_or_print() -> None:
    text = tag_printing.tag_svg(
        tag_printing.PrintedTag(url="http://127.0.0.1:8000/t/AAAA", label="休闲小区 4号楼 2单元")
    )
    assert "<text" not in text and "font-family" not in text
    svg = ET.fromstring(text)  # noqa: S314 - our own output
    [line] = svg.find(f"{SVG}g").iter(f"{SVG}path")  # type: ignore[union-attr]
    # Every one of the 11 characters but the two spaces is drawn: one closed outline at least each.
    assert line.attrib["d"].count("Z") >= 9
    # Laid out inside the picture: centred, from the font's real advance widths.
    left, _ = (float(v) for v in re.findall(r"translate\(([\d.]+) ([\d.]+)\)", line.attrib["transform"])[0])
    width = float(svg.attrib["viewBox"].split()[2])
    assert 0 < left < width / 2


async def test_svg_is_xml_with_the_label_and_the_same_code(http: httpx.AsyncClient, world: TagWorld) -> None:
    tag = await tags.create_tag(await load_viewer(world.staff.user.id), world.place.entrance)
    response = await http.get(f"/qr/{tags.code_of(tag)}.svg")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    svg = ET.fromstring(response.content)  # noqa: S314 - our own server's output
    assert svg.tag == f"{SVG}svg"
    assert _label_lines(svg) == ["休闲小区 4号楼 2单元"]
    assert decode_all(_rasterize(svg)) == [tags.url_of(tag)]


async def test_labels_are_escaped_in_svg(http: httpx.AsyncClient, world: TagWorld) -> None:
    odd = await Entrance.create(
        community=world.place.community, building=world.place.building, name='3单元 <b>&"x"'
    )
    tag = await tags.create_tag(await load_viewer(world.staff.user.id), odd)
    response = await http.get(f"/qr/{tags.code_of(tag)}.svg")
    svg = ET.fromstring(response.content)  # noqa: S314 - our own server's output
    assert _label_lines(svg) == ['休闲小区 4号楼 3单元 <b>&"x"']
    title = svg.find(f"{SVG}title")
    assert title is not None and title.text == '休闲小区 4号楼 3单元 <b>&"x"'


def test_a_long_label_goes_on_two_lines_of_the_svg() -> None:
    label = "休闲小区 4号楼 2单元 东侧楼梯间三楼至四楼之间的声控楼道灯"
    svg = ET.fromstring(  # noqa: S314 - our own output
        tag_printing.tag_svg(tag_printing.PrintedTag(url="http://127.0.0.1:8000/t/AAAA", label=label))
    )
    lines = _label_lines(svg)
    assert len(lines) == 2
    assert "".join(lines).replace(" ", "") == label.replace(" ", "")


async def test_revoked_codes_are_gone_with_a_reason(http: httpx.AsyncClient, world: TagWorld) -> None:
    viewer = await load_viewer(world.staff.user.id)
    tag = await tags.revoke(viewer, await tags.create_tag(viewer, world.place.entrance))
    for extension in ("png", "svg"):
        response = await http.get(f"/qr/{tags.code_of(tag)}.{extension}")
        assert response.status_code == 410
        assert "撤下" in response.text


async def test_forged_unknown_and_malformed_codes_are_not_found(
    http: httpx.AsyncClient, world: TagWorld
) -> None:
    forged = signed_codes.sign("tag", (1, 1), "another-secret-0123456789-abcdef")
    unknown = signed_codes.sign("tag", (424242, 1))
    for path in (
        f"/qr/{forged}.png",
        f"/qr/{unknown}.svg",
        "/qr/ABC.gif",
        "/qr/%3Cscript%3E.png",
        "/qr/.png",
    ):
        response = await http.get(path)
        assert response.status_code == 404, path


def _drawn(char: str) -> bytes:
    image = Image.new("L", (64, 64), 255)
    ImageDraw.Draw(image).text((8, 0), char, font=tag_printing.font(48), fill=0)
    return image.tobytes()


def test_the_shipped_font_draws_chinese_not_boxes() -> None:
    """Names are arbitrary: common, rare (Extension A) and full-width characters all have glyphs."""
    box = _drawn("\U000f0000")  # a private-use code point: what a missing glyph looks like
    blank = _drawn(" ")
    for char in "休闲小区号楼单元红星社区䶮㐀鑫犇淼垚ＡＢ１（）":
        drawn = _drawn(char)
        assert drawn not in (box, blank), char
