"""Signed codes of the volunteers' side: the captain's rotating check-in code, the personal card.

Rotating code: `<activity id>.<step>.<mac>`, the mac an HMAC of the activity and the 30-second
time step under a key derived from the server's secret. The code of the current step and of the
steps next to it are accepted (one step of drift, so a code scanned as it rotates still works);
anything older is expired, so a forwarded screenshot is useless within a minute. The mac is
checked before the step, so a forged code is always "invalid", never "expired".

Card code: a services.signed_codes code (purpose "volunteer-card") of the card row's id, like the
tags' codes: printed, checkable before any database read, a guessed or altered code fails, and a
replaced card's row is revoked so its code stops working. It names the card, not the person.

The rotating code keeps its own `<activity>.<step>.<mac>` form rather than a signed_codes code:
it is never printed, lives for a minute, and its check is about time (the step against the clock,
with one step of drift, "expired" distinct from "invalid"), which signed_codes does not model;
putting (activity, step) through signed_codes would change the captain screen's format for no
gain in safety. Both derive their keys from the server secret per purpose.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
from datetime import datetime

from runtime.settings import get_settings
from services import signed_codes
from services.errors import DomainError, ErrorCode

STEP_SECONDS = 30
DRIFT_STEPS = 1
_MAC_BYTES = 10  # 80 bits: 16 base32 characters
CARD_PURPOSE = "volunteer-card"


def _key(purpose: str) -> bytes:
    secret = get_settings().secret_key.encode()
    return hmac.new(secret, f"redsteward:{purpose}".encode(), hashlib.sha256).digest()


def _mac(purpose: str, message: str) -> str:
    digest = hmac.new(_key(purpose), message.encode(), hashlib.sha256).digest()[:_MAC_BYTES]
    return base64.b32encode(digest).decode().rstrip("=")


def step_of(moment: datetime) -> int:
    return math.floor(moment.timestamp() / STEP_SECONDS)


def seconds_to_rotation(moment: datetime) -> int:
    """Whole seconds until the next step begins (1 … 30)."""
    return max(1, math.ceil((step_of(moment) + 1) * STEP_SECONDS - moment.timestamp()))


def rotating_code(activity_id: int, moment: datetime, purpose: str = "checkin") -> str:
    """`purpose` keeps codes of different things apart (a meeting's code is no activity's)."""
    step = step_of(moment)
    return f"{activity_id}.{step}.{_mac(purpose, f'{activity_id}:{step}')}"


CHECKIN_PATH = "/c/"


def checkin_url(code: str) -> str:
    """What the captain's screen shows as the QR: the web check-in page of this code, so a phone
    camera (or WeChat's scanner) without the app opens it. It rotates with the code."""
    return f"{get_settings().public_base_url}{CHECKIN_PATH}{code}"


def code_of_scan(scanned: str) -> str:
    """The code in what a scanner read: the code itself, or the check-in URL that carries it."""
    scanned = (scanned or "").strip()
    if "://" in scanned and CHECKIN_PATH in scanned:
        return scanned.rsplit(CHECKIN_PATH, 1)[1].split("?", 1)[0].split("#", 1)[0]
    return scanned


def _digits(raw: str) -> int | None:
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 12 else None


def verify_rotating_code(code: str, moment: datetime, purpose: str = "checkin") -> int:
    """The activity id of a genuine, current code; otherwise a typed error."""
    parts = code_of_scan(code).split(".")
    invalid = DomainError(ErrorCode.CHECKIN_CODE_INVALID, "This is not a check-in code.", "code")
    if len(parts) != 3:
        raise invalid
    activity_id, step = _digits(parts[0]), _digits(parts[1])
    if activity_id is None or step is None or not parts[2].isascii():
        raise invalid
    if not hmac.compare_digest(parts[2].upper(), _mac(purpose, f"{activity_id}:{step}")):
        raise invalid
    current = step_of(moment)
    if step > current + DRIFT_STEPS:
        raise invalid  # never issued yet: not a clock drift the server could have produced
    if step < current - DRIFT_STEPS:
        raise DomainError(
            ErrorCode.CHECKIN_CODE_EXPIRED, "This code has expired; scan the captain's screen again.", "code"
        )
    return activity_id


def card_code(card_id: int) -> str:
    """The code printed on a personal card: the card row's id, signed for this purpose only."""
    return signed_codes.sign(CARD_PURPOSE, [card_id])


def card_id_of(code: str) -> int | None:
    """The card id of a well-signed card code, else None (before any database read)."""
    try:
        (card_id,) = signed_codes.verify(CARD_PURPOSE, code, 1)
    except signed_codes.SignedCodeError:
        return None
    return card_id
