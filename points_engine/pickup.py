"""Pickup codes: a random nonce signed with the server's key, so the code is opaque (it names no
id) and a forged or mistyped one is refused before the database is asked."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from runtime.settings import get_settings

NONCE_BYTES = 10
SIGNATURE_BYTES = 10
PREFIX = "RP"


def new_nonce() -> str:
    return secrets.token_hex(NONCE_BYTES)


def _signature(nonce: bytes) -> bytes:
    key = get_settings().secret_key.encode()
    return hmac.new(key, b"rs-pickup:" + nonce, hashlib.sha256).digest()[:SIGNATURE_BYTES]


def code_for(nonce_hex: str) -> str:
    nonce = bytes.fromhex(nonce_hex)
    raw = base64.b32encode(nonce + _signature(nonce)).decode().rstrip("=")
    return PREFIX + "-" + "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def nonce_of(code: str) -> str | None:
    """The nonce inside a well-signed code, or None."""
    cleaned = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if not cleaned.startswith(PREFIX):
        return None
    body = cleaned[len(PREFIX) :]
    try:
        raw = base64.b32decode(body + "=" * (-len(body) % 8))
    except ValueError:
        return None
    if len(raw) != NONCE_BYTES + SIGNATURE_BYTES:
        return None
    nonce, signature = raw[:NONCE_BYTES], raw[NONCE_BYTES:]
    if not hmac.compare_digest(signature, _signature(nonce)):
        return None
    return nonce.hex()
