"""Short signed codes: a few integers and an HMAC, in base32, checkable without the database.

Used for printed tags now, and meant for anything else that is printed or shown and must not be
guessable: volunteer cards, redemption pickup codes. Each use names a `purpose`; the key of a
purpose is derived from the server secret, so a code made for one purpose never verifies for
another, and rotating the server secret invalidates every code at once.

Layout: unsigned LEB128 varints of the numbers, then the first `MAC_BYTES` bytes of
HMAC-SHA256(purpose key, numbers). A tag (id < 2,097,152, version < 128) is 4 + 10 bytes,
23 base32 characters: small enough for a version-4 QR code with its URL.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Sequence
from functools import lru_cache

from runtime.settings import get_settings

MAC_BYTES = 10  # 80 bits: an online guesser needs ~2^79 requests per hit
_ALPHABET = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
MAX_CODE_LENGTH = 64


class SignedCodeError(Exception):
    """Base of the reasons a code is refused."""


class MalformedCode(SignedCodeError):
    """Not a code at all: wrong characters, truncated, or numbers that do not parse."""


class ForgedCode(SignedCodeError):
    """Well-formed, but the signature does not match: altered, invented, or another server's."""


def _purpose_key(purpose: str, secret: str | None = None) -> bytes:
    return _derived_key(purpose, secret if secret is not None else get_settings().secret_key)


@lru_cache(maxsize=64)
def _derived_key(purpose: str, secret: str) -> bytes:
    """Kept by purpose and secret (a rotated secret derives anew): a tag scan signs three codes,
    and deriving the key each time was ~1.6% of its CPU."""
    return hmac.new(
        secret.encode(), b"redsteward/signed-code/v1/" + purpose.encode(), hashlib.sha256
    ).digest()


def _varint(number: int) -> bytes:
    if number < 0:
        raise ValueError("signed codes carry non-negative integers only")
    out = bytearray()
    while True:
        byte, number = number & 0x7F, number >> 7
        out.append(byte | (0x80 if number else 0))
        if not number:
            return bytes(out)


def _read_varints(data: bytes, count: int) -> tuple[int, ...]:
    numbers: list[int] = []
    value = shift = 0
    for position, byte in enumerate(data):
        value |= (byte & 0x7F) << shift
        shift += 7
        if shift > 63:
            raise MalformedCode("number too long")
        if not byte & 0x80:
            # Minimal encoding only: a trailing zero byte would give one value two codes.
            if byte == 0 and shift > 7:
                raise MalformedCode("non-minimal number")
            numbers.append(value)
            value = shift = 0
            if len(numbers) == count:
                if position != len(data) - 1:
                    raise MalformedCode("trailing bytes")
                return tuple(numbers)
    raise MalformedCode("truncated")


def _mac(key: bytes, body: bytes) -> bytes:
    return hmac.new(key, body, hashlib.sha256).digest()[:MAC_BYTES]


def sign(purpose: str, numbers: Sequence[int], secret: str | None = None) -> str:
    body = b"".join(_varint(n) for n in numbers)
    raw = body + _mac(_purpose_key(purpose, secret), body)
    return base64.b32encode(raw).decode().rstrip("=")


def verify(purpose: str, code: str, count: int, secret: str | None = None) -> tuple[int, ...]:
    """The numbers a code carries, or MalformedCode / ForgedCode. Case-insensitive, so a code
    typed by hand in lower case still works."""
    text = (code or "").strip().upper()
    if not text or len(text) > MAX_CODE_LENGTH or not set(text) <= _ALPHABET:
        raise MalformedCode("not a code")
    try:
        raw = base64.b32decode(text + "=" * (-len(text) % 8))
    except (binascii.Error, ValueError):
        raise MalformedCode("not base32") from None
    # Re-encoding must give the same text: a truncated code rarely decodes to whole bytes.
    if base64.b32encode(raw).decode().rstrip("=") != text or len(raw) <= MAC_BYTES:
        raise MalformedCode("truncated")
    body, mac = raw[:-MAC_BYTES], raw[-MAC_BYTES:]
    if not hmac.compare_digest(mac, _mac(_purpose_key(purpose, secret), body)):
        raise ForgedCode("signature does not match")
    return _read_varints(body, count)
