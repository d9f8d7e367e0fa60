"""Reading QR codes back the way a phone does (zxing-cpp), from PNGs and from our PDF sheets."""

from __future__ import annotations

import io
import re
import struct

import zxingcpp
from PIL import Image

_CCITT_IMAGE = re.compile(
    rb"/Width (\d+)\s*/Height (\d+)\s*/Filter \[ /CCITTFaxDecode \].*?/BlackIs1 (true|false)"
    rb".*?/Length (\d+)\s*>>stream\r?\n",
    re.DOTALL,
)


def decode_all(image: Image.Image) -> list[str]:
    """The text of every QR code zxing finds in the picture, top to bottom, left to right."""
    results = zxingcpp.read_barcodes(image.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode)
    placed = sorted(results, key=lambda r: (round(r.position.top_left.y / 100), r.position.top_left.x))
    return [r.text for r in placed]


def _tiff(width: int, height: int, black_is_1: bool, g4: bytes) -> bytes:
    """Wrap a CCITT G4 stream in a minimal TIFF so Pillow (libtiff) can decode it."""
    short, long_ = 3, 4
    entries = [
        (256, long_, width),
        (257, long_, height),
        (258, short, 1),
        (259, short, 4),  # CCITT group 4
        (262, short, 0 if black_is_1 else 1),  # WhiteIsZero when 1 means black
        (273, long_, 0),  # strip offset, patched below
        (277, short, 1),
        (278, long_, height),
        (279, long_, len(g4)),
    ]
    ifd_size = 2 + 12 * len(entries) + 4
    data_offset = 8 + ifd_size
    ifd = struct.pack("<H", len(entries))
    for tag, kind, value in entries:
        value = data_offset if tag == 273 else value
        packed = struct.pack("<HH", value, 0) if kind == short else struct.pack("<I", value)
        ifd += struct.pack("<HHI", tag, kind, 1) + packed
    return b"II*\x00" + struct.pack("<I", 8) + ifd + struct.pack("<I", 0) + g4


def pdf_pages(pdf: bytes) -> list[Image.Image]:
    """The page images of a PDF made of one CCITT-compressed picture per page (our sheets)."""
    pages = []
    for match in _CCITT_IMAGE.finditer(pdf):
        width, height, black, length = int(match[1]), int(match[2]), match[3] == b"true", int(match[4])
        stream = pdf[match.end() : match.end() + length]
        image = Image.open(io.BytesIO(_tiff(width, height, black, stream)))
        image.load()
        pages.append(image)
    return pages
