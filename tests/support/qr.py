"""Reading QR codes back the way a phone does (zxing-cpp), from PNGs and from our PDF sheets."""

from __future__ import annotations

import io
import re
import struct

import zxingcpp
from PIL import Image

# An image object's dictionary, followed by its stream.
_IMAGE_OBJECT = re.compile(
    rb"<<((?:(?!stream).)*?/CCITTFaxDecode(?:(?!stream).)*?)>>\s*stream\r?\n", re.DOTALL
)


def _number(dictionary: bytes, key: bytes) -> int:
    found = re.search(rb"/" + key + rb"\s+(\d+)", dictionary)
    assert found, key
    return int(found[1])


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
        # Photometric as Pillow reads its own G4 strips: MinIsBlack for PDF's BlackIs1 streams.
        (262, short, 1 if black_is_1 else 0),
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
    for match in _IMAGE_OBJECT.finditer(pdf):
        dictionary = match[1]
        width, height = _number(dictionary, b"Width"), _number(dictionary, b"Height")
        black = re.search(rb"/BlackIs1\s+true", dictionary) is not None
        stream = pdf[match.end() : match.end() + _number(dictionary, b"Length")]
        image = Image.open(io.BytesIO(_tiff(width, height, black, stream)))
        image.load()
        pages.append(image)
    return pages
