"""Printable sheets: every active code of a building on A4, each one read back by a real decoder."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import httpx
import zxingcpp
from PIL import Image

from models.enums import AssetKind
from models.places import Asset, Entrance
from runtime.settings import Settings
from services import tags
from services.access import load_viewer
from services.tags import printing as tag_printing
from tests.api.tags.conftest import TagWorld
from tests.support.people import gid
from tests.support.qr import decode_all, pdf_pages


async def tag_the_building(world: TagWorld) -> list[str]:
    """Eight entrances and a lamp: nine codes, two pages. Returns the URLs in print order."""
    viewer = await load_viewer(world.staff.user.id)
    for number in range(3, 9):
        await Entrance.create(
            community=world.place.community, building=world.place.building, name=f"{number}单元"
        )
    await tags.create_for_building(viewer, world.place.building)
    await tags.create_for_compound_assets(viewer, world.place.compound)
    revoked = await tags.create_tag(
        viewer,
        await Asset.create(
            community=world.place.community,
            compound=world.place.compound,
            building=world.place.building,
            kind=AssetKind.PIPE,
            name="供水管",
        ),
    )
    await tags.revoke(viewer, revoked)  # revoked codes are not printed
    _, printed = await tags.printable_building(world.place.building)
    return [p.url for p in printed]


async def test_staff_get_a_sheet_whose_every_code_reads_back(
    http: httpx.AsyncClient, world: TagWorld
) -> None:
    urls = await tag_the_building(world)
    assert len(urls) == 9
    response = await http.get(
        "/qr-sheet.pdf",
        params={"building": gid("Building", world.place.building.id)},
        headers={"authorization": f"Bearer {world.staff.token}"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    pages = pdf_pages(response.content)
    assert [p.size for p in pages] == [tag_printing.A4_PX] * 2  # A4 at 300 dpi
    assert all(p.getpixel((5, 5)) == 255 for p in pages)  # white paper, black ink
    read = [url for page in pages for url in decode_all(page)]
    assert read == urls


async def test_codes_on_the_sheet_are_big_enough_to_scan_from_a_metre(world: TagWorld) -> None:
    await tag_the_building(world)
    title, printed = await tags.printable_building(world.place.building)
    for page in tag_printing.sheet_pages(title, printed):
        found = zxingcpp.read_barcodes(page.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode)
        assert found
        for symbol in found:
            width_mm = (symbol.position.top_right.x - symbol.position.top_left.x) / tag_printing.PX_PER_MM
            # The symbol without its quiet zone: ≥ 5.5 cm, modules of ~1.8 mm.
            assert width_mm >= 55, width_mm


def _without_language() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "RS_LANGUAGE"}


async def test_the_cli_writes_png_pages_that_read_back(
    settings: Settings, world: TagWorld, tmp_path: Path
) -> None:
    urls = await tag_the_building(world)
    out = tmp_path / "sheet.png"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "cli.main",
            "qr-sheet",
            "--building",
            str(world.place.building.id),
            "--out",
            str(out),
        ],
        env={**_without_language(), "RS_DATABASE_URL": settings.database_url},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "休闲小区 4号楼：9 个二维码，共 2 页 A4，300 dpi" in result.stdout  # Chinese by default
    pages = [Image.open(tmp_path / f"sheet-{n}.png") for n in (1, 2)]
    assert pages[0].info["dpi"] == (300, 300) or round(pages[0].info["dpi"][0]) == 300
    assert [url for page in pages for url in decode_all(page)] == urls


async def test_the_cli_writes_a_pdf(settings: Settings, world: TagWorld, tmp_path: Path) -> None:
    urls = await tag_the_building(world)
    out = tmp_path / "sheet.pdf"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "cli.main",
            "qr-sheet",
            "--building",
            str(world.place.building.id),
            "--out",
            str(out),
        ],
        env={**os.environ, "RS_DATABASE_URL": settings.database_url, "RS_LANGUAGE": "en"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "休闲小区 4号楼: 9 codes on 2 A4 page(s) at 300 dpi" in result.stdout  # RS_LANGUAGE=en
    assert [url for page in pdf_pages(out.read_bytes()) for url in decode_all(page)] == urls


async def test_only_the_community_s_office_gets_the_sheet(http: httpx.AsyncClient, world: TagWorld) -> None:
    await tag_the_building(world)
    params = {"building": gid("Building", world.place.building.id)}

    async def status(token: str | None, query: dict[str, str] = params) -> int:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        return (await http.get("/qr-sheet.pdf", params=query, headers=headers)).status_code

    assert await status(None) == 401
    assert await status(world.resident.token) == 403
    assert await status(world.other_staff.token) == 404
    assert await status(world.staff.token, {"building": gid("Building", 987654)}) == 404
    assert await status(world.staff.token, {"building": gid("Entrance", world.place.entrance.id)}) == 404
    assert await status(world.staff.token, {}) == 404


async def test_a_tag_image_is_not_a_sheet_and_sheet_pngs_round_trip(world: TagWorld) -> None:
    await tag_the_building(world)
    title, printed = await tags.printable_building(world.place.building)
    pngs = tag_printing.sheet_pngs(tag_printing.sheet_pages(title, printed[:1]))
    assert len(pngs) == 1
    assert decode_all(Image.open(io.BytesIO(pngs[0]))) == [printed[0].url]


async def test_a_building_without_tags_has_no_sheet(
    http: httpx.AsyncClient, settings: Settings, world: TagWorld, tmp_path: Path
) -> None:
    response = await http.get(
        "/qr-sheet.pdf",
        params={"building": gid("Building", world.place.building.id)},
        headers={"authorization": f"Bearer {world.staff.token}"},
    )
    assert (response.status_code, response.json()["code"]) == (409, "NO_TAGS")
    env = {**os.environ, "RS_DATABASE_URL": settings.database_url}
    for building, status in ((world.place.building.id, 1), (987654, 2)):
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "cli.main",
                "qr-sheet",
                "--building",
                str(building),
                "--out",
                str(tmp_path / "x.pdf"),
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == status, result.stdout
    assert not (tmp_path / "x.pdf").exists()


ROOT = Path(__file__).resolve().parents[3]
DEFAULT_BASE = "http://127.0.0.1:8000"


def _cli_sheet(settings: Settings, out: Path, building_id: int, base: str | None) -> list[str]:
    """What a phone reads off the CLI's pages, RS_PUBLIC_BASE_URL set to `base` (or left out)."""
    env = {k: v for k, v in _without_language().items() if k != "RS_PUBLIC_BASE_URL"}
    env["RS_DATABASE_URL"] = settings.database_url
    if base is not None:
        env["RS_PUBLIC_BASE_URL"] = base
    out.parent.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "cli.main", "qr-sheet", "--building", str(building_id), "--out", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return [url for page in sorted(out.parent.glob("*.png")) for url in decode_all(Image.open(page))]


async def test_the_cli_links_to_its_own_rs_public_base_url_as_the_readme_says(
    settings: Settings, world: TagWorld, tmp_path: Path
) -> None:
    """The README's qr-sheet row says where the printed links lead: `<RS_PUBLIC_BASE_URL>/t/<code>`
    from the command's own environment (default http://127.0.0.1:8000), which `make run` sets for
    the server it starts and not for this command. Each claim checked against what runs."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    row = next(line for line in readme if line.startswith("| `redsteward qr-sheet"))
    assert "`<RS_PUBLIC_BASE_URL>/t/<code>`" in row and f"`{DEFAULT_BASE}`" in row
    codes = [url.rsplit("/t/", 1)[1] for url in await tag_the_building(world)]
    for base in ("http://192.168.1.20:8080", None):
        read = _cli_sheet(
            settings, tmp_path / str(len(base or "")) / "sheet.png", world.place.building.id, base
        )
        assert read == [f"{base or DEFAULT_BASE}/t/{code}" for code in codes]
    # `make run` (dry run): the server alone gets http://HOST:PORT unless the variable is given.
    env = {k: v for k, v in os.environ.items() if k != "RS_PUBLIC_BASE_URL"}
    dry = subprocess.run(
        ["make", "-n", "run", "PORT=8080", "HOST=0.0.0.0"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert dry.returncode == 0, dry.stderr
    setting = [line for line in dry.stdout.splitlines() if "RS_PUBLIC_BASE_URL" in line]
    assert len(setting) == 1 and "redsteward serve" in setting[0], dry.stdout
    assert "${RS_PUBLIC_BASE_URL:-http://0.0.0.0:8080}" in setting[0]
