"""Pictures of tags: one code as PNG or SVG with its label, and A4 sheets of a building's codes.

Everything is drawn by Pillow with the font shipped in services/fonts, so labels in Chinese come
out the same on a fresh machine as on a developer's. Sheets are 1-bit at 300 dpi: what an office
laser printer prints, and a PDF of CCITT G4 pages is a few kilobytes a page.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape

import qrcode
import qrcode.constants
from PIL import Image, ImageDraw, ImageFont, TiffImagePlugin

from services.tags.outlines import em_width as outline_width
from services.tags.outlines import outlined_line

FONT_PATH = Path(__file__).resolve().parents[1] / "fonts" / "NotoSansSC-Regular.otf"
QUIET_MODULES = 4  # the quiet zone the QR standard asks for

# Sheet geometry, at 300 dpi (11.811 px per mm).
DPI = 300
PX_PER_MM = DPI / 25.4
A4_PX = (round(210 * PX_PER_MM), round(297 * PX_PER_MM))  # 2480 × 3508
SHEET_MARGIN_MM = 10
HEADER_MM = 30
COLUMNS, ROWS = 2, 3
# The symbol (without quiet zone) is ~60 mm wide: a phone reads ~1.8 mm modules from a metre.
SYMBOL_MM = 60
SHEET_INSTRUCTION = "用手机扫码：看这里已报的问题，或一键报修（照明、漏水堵塞、电路、安全隐患……）"
SHEET_CUT_HINT = "沿虚线剪下，贴在标签所写的位置（单元门口、灯旁、设备上），高度约1.5米。"


@dataclass(frozen=True)
class PrintedTag:
    url: str
    label: str


@lru_cache(maxsize=32)
def font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_PATH), size)


def qr_matrix(url: str) -> list[list[bool]]:
    """Dark modules of the symbol, without quiet zone. Level M survives ~15% damage."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(url)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]


def _symbol(url: str, module_px: int) -> Image.Image:
    """The symbol with its quiet zone, `module_px` pixels per module, 1-bit."""
    matrix = qr_matrix(url)
    side = len(matrix) + 2 * QUIET_MODULES
    small = Image.new("1", (side, side), 1)
    pixels = small.load()
    assert pixels is not None
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                pixels[x + QUIET_MODULES, y + QUIET_MODULES] = 0
    return small.resize((side * module_px, side * module_px), Image.Resampling.NEAREST)


def _text_width(text: str, face: ImageFont.FreeTypeFont) -> float:
    return face.getlength(text)


def _wrap(text: str, face: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy lines: break between words where possible, inside a word (CJK has none) otherwise."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if _text_width(candidate, face) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for char in word:
            if _text_width(line + char, face) > width and line:
                lines.append(line)
                line = ""
            line += char
    if line:
        lines.append(line)
    return lines


def fit_label(
    text: str, width: int, largest: int, smallest: int, max_lines: int = 2
) -> tuple[int, list[str]]:
    """The largest font size (and its lines) at which the label fits `max_lines` lines."""
    size = largest
    while True:
        lines = _wrap(text, font(size), width)
        if len(lines) <= max_lines or size <= smallest:
            return size, lines[:max_lines] if len(lines) <= max_lines else _ellipsize(
                lines, size, width, max_lines
            )
        size -= 2


def _ellipsize(lines: list[str], size: int, width: int, max_lines: int) -> list[str]:
    kept = lines[:max_lines]
    last = kept[-1]
    while last and _text_width(last + "…", font(size)) > width:
        last = last[:-1]
    kept[-1] = last + "…"
    return kept


def _draw_lines(
    draw: ImageDraw.ImageDraw, lines: Sequence[str], size: int, center_x: float, top: float, fill: int
) -> float:
    """Centred lines from `top`; returns the y below the last one."""
    face = font(size)
    step = round(size * 1.3)
    for index, line in enumerate(lines):
        draw.text((center_x, top + index * step), line, font=face, fill=fill, anchor="ma")
    return top + len(lines) * step


# ---- one tag -------------------------------------------------------------------------------


def tag_png(tag: PrintedTag, module_px: int = 12) -> bytes:
    """The code and its label underneath, for a screen or a single sticker."""
    symbol = _symbol(tag.url, module_px)
    side = symbol.width
    text_width = side - 2 * QUIET_MODULES * module_px // 2
    size, lines = fit_label(tag.label, text_width, largest=module_px * 3, smallest=module_px * 2)
    label_height = round(len(lines) * size * 1.3) + QUIET_MODULES * module_px
    image = Image.new("L", (side, side + label_height), 255)
    image.paste(symbol.convert("L"), (0, 0))
    draw = ImageDraw.Draw(image)
    _draw_lines(draw, lines, size, side / 2, side - module_px, fill=0)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def tag_svg(tag: PrintedTag) -> str:
    """Vector code with the label outlined under it (paths, no font needed), in module units."""
    matrix = qr_matrix(tag.url)
    n = len(matrix)
    side = n + 2 * QUIET_MODULES
    # One horizontal run per path segment keeps the file small and the edges exact.
    runs: list[str] = []
    for y, row in enumerate(matrix):
        x = 0
        while x < n:
            if row[x]:
                start = x
                while x < n and row[x]:
                    x += 1
                runs.append(f"M{start + QUIET_MODULES},{y + QUIET_MODULES}h{x - start}v1h{start - x}z")
            else:
                x += 1
    # The label is outlined from the shipped font (no system font needed to show or print it);
    # its exact width picks a size that fits under the symbol; a long label goes on two lines.
    lines = [tag.label]
    size = min(2.4, (side - 2) / max(outline_width(tag.label), 1))
    if size < 1.6:
        lines = _split_in_two(tag.label)
        size = min(2.4, (side - 2) / max(max(outline_width(line) for line in lines), 1))
    height = side + size * (0.4 + 1.3 * len(lines))
    label = "".join(
        outlined_line(line, size, side / 2, side + size * (0.95 + 1.3 * i)) for i, line in enumerate(lines)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {height:.2f}" '
        f'width="{side * 8}" height="{height * 8:.0f}">\n'
        f"<title>{escape(tag.label)}</title>\n"
        f'<rect width="{side}" height="{height:.2f}" fill="#fff"/>\n'
        f'<path fill="#000" shape-rendering="crispEdges" d="{"".join(runs)}"/>\n'
        f'<g class="label">{label}</g>\n'
        "</svg>\n"
    )


def _em_width(text: str) -> float:
    return sum(0.6 if ord(char) < 0x2E80 else 1.0 for char in text)


def _split_in_two(text: str) -> list[str]:
    """Two lines of about equal width, at a space when there is one near the middle."""
    half = _em_width(text) / 2
    best, best_gap = len(text) // 2, float("inf")
    for index in range(1, len(text)):
        gap = abs(_em_width(text[:index]) - half) - (0.8 if text[index - 1] == " " else 0)
        if gap < best_gap:
            best, best_gap = index, gap
    return [text[:best].strip(), text[best:].strip()]


# ---- sheets --------------------------------------------------------------------------------


def _mm(value: float) -> int:
    return round(value * PX_PER_MM)


def _dotted(draw: ImageDraw.ImageDraw, start: tuple[int, int], end: tuple[int, int]) -> None:
    (x0, y0), (x1, y1) = start, end
    length = max(abs(x1 - x0), abs(y1 - y0))
    for offset in range(0, length, 24):
        t0, t1 = offset / length, min(offset + 12, length) / length
        draw.line(
            (x0 + (x1 - x0) * t0, y0 + (y1 - y0) * t0, x0 + (x1 - x0) * t1, y0 + (y1 - y0) * t1),
            fill=0,
            width=3,
        )


def iter_sheet_pages(title: str, tags: Sequence[PrintedTag]) -> Iterator[Image.Image]:
    """A4 pages at 300 dpi, six codes a page, 1-bit, drawn one at a time (a page is ~9 MB in
    memory, so a 300-code sheet is never held whole). `title` names the community and building."""
    width, height = A4_PX
    margin = _mm(SHEET_MARGIN_MM)
    header = _mm(HEADER_MM)
    cell_w = (width - 2 * margin) // COLUMNS
    cell_h = (height - 2 * margin - header) // ROWS
    per_page = COLUMNS * ROWS
    total = page_count(tags)
    for page_index in range(total):
        page = Image.new("1", A4_PX, 1)
        draw = ImageDraw.Draw(page)
        size, lines = fit_label(title, width - 2 * margin, largest=72, smallest=48, max_lines=1)
        draw.text((margin, margin), lines[0], font=font(size), fill=0)
        draw.text((margin, margin + _mm(9)), SHEET_INSTRUCTION, font=font(40), fill=0)
        draw.text((margin, margin + _mm(15)), SHEET_CUT_HINT, font=font(34), fill=0)
        draw.text(
            (width - margin, margin + _mm(22)),
            f"第 {page_index + 1} / {total} 页",
            font=font(34),
            fill=0,
            anchor="ra",
        )
        top = margin + header
        for column in range(COLUMNS + 1):
            x = margin + column * cell_w
            _dotted(draw, (x, top), (x, top + ROWS * cell_h))
        for row in range(0, ROWS + 1):
            y = top + row * cell_h
            _dotted(draw, (margin, y), (width - margin, y))
        for slot, tag in enumerate(tags[page_index * per_page : (page_index + 1) * per_page]):
            column, row = slot % COLUMNS, slot // COLUMNS
            cell_x, cell_y = margin + column * cell_w, top + row * cell_h
            modules = len(qr_matrix(tag.url))
            module_px = max(1, _mm(SYMBOL_MM) // modules)
            symbol = _symbol(tag.url, module_px)
            page.paste(symbol, (cell_x + (cell_w - symbol.width) // 2, cell_y + _mm(3)))
            label_top = cell_y + _mm(3) + symbol.width - QUIET_MODULES * module_px + _mm(2)
            size, lines = fit_label(tag.label, cell_w - _mm(8), largest=60, smallest=40)
            _draw_lines(draw, lines, size, cell_x + cell_w / 2, label_top, fill=0)
        yield page


def sheet_pages(title: str, tags: Sequence[PrintedTag]) -> list[Image.Image]:
    return list(iter_sheet_pages(title, tags))


def page_count(tags: Sequence[PrintedTag]) -> int:
    return max(1, -(-len(tags) // (COLUMNS * ROWS)))


def _g4(page: Image.Image) -> bytes:
    """The page as one CCITT group 4 strip, the compression fax machines and PDF share."""
    tiff = io.BytesIO()
    page.save(tiff, "TIFF", compression="group4", strip_size=-(-page.width // 8) * page.height)
    with TiffImagePlugin.TiffImageFile(io.BytesIO(tiff.getvalue())) as parsed:
        offset, length = parsed.tag_v2[273], parsed.tag_v2[279]
    start = offset[0] if isinstance(offset, tuple) else offset
    size = length[0] if isinstance(length, tuple) else length
    return tiff.getvalue()[start : start + size]


def write_sheet_pdf(pages: Iterable[Image.Image], out: BinaryIO) -> int:
    """Write a PDF of 1-bit A4 pages to `out`, one page in memory at a time; returns the page count.

    Objects: 1 catalog, 2 page tree (written last, once the pages are known), then per page an
    image, its content stream and the page itself."""
    offsets: dict[int, int] = {}
    written = 0

    def emit(data: bytes) -> None:
        nonlocal written
        out.write(data)
        written += len(data)

    def obj(number: int, head: str, stream: bytes | None = None) -> None:
        offsets[number] = written
        if stream is None:
            emit(f"{number} 0 obj\n{head}\nendobj\n".encode())
        else:
            emit(f"{number} 0 obj\n{head[:-2]} /Length {len(stream)} >>\nstream\n".encode())
            emit(stream + b"\nendstream\nendobj\n")

    emit(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    obj(1, "<< /Type /Catalog /Pages 2 0 R >>")
    kids = []
    number = 3
    for page in pages:
        width, height = page.size
        width_pt, height_pt = width * 72 / DPI, height * 72 / DPI
        obj(
            number,
            f"<< /Type /XObject /Subtype /Image /Width {width} /Height {height} /BitsPerComponent 1 "
            f"/ColorSpace /DeviceGray /Filter [ /CCITTFaxDecode ] /DecodeParms [ << /K -1 /BlackIs1 true "
            f"/Columns {width} /Rows {height} >> ] >>",
            _g4(page),
        )
        obj(number + 1, "<< >>", f"q {width_pt:.2f} 0 0 {height_pt:.2f} 0 0 cm /Im Do Q".encode())
        obj(
            number + 2,
            f"<< /Type /Page /Parent 2 0 R /MediaBox [ 0 0 {width_pt:.2f} {height_pt:.2f} ] "
            f"/Resources << /XObject << /Im {number} 0 R >> >> /Contents {number + 1} 0 R >>",
        )
        kids.append(f"{number + 2} 0 R")
        number += 3
    obj(2, f"<< /Type /Pages /Kids [ {' '.join(kids)} ] /Count {len(kids)} >>")
    xref = written
    emit(f"xref\n0 {number}\n0000000000 65535 f \n".encode())
    for n in range(1, number):
        emit(f"{offsets[n]:010d} 00000 n \n".encode())
    emit(f"trailer\n<< /Size {number} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return len(kids)


def sheet_pdf(pages: Iterable[Image.Image]) -> bytes:
    out = io.BytesIO()
    write_sheet_pdf(pages, out)
    return out.getvalue()


def sheet_png(page: Image.Image) -> bytes:
    out = io.BytesIO()
    page.save(out, "PNG", dpi=(DPI, DPI), optimize=True)
    return out.getvalue()


def sheet_pngs(pages: Iterable[Image.Image]) -> list[bytes]:
    return [sheet_png(page) for page in pages]
