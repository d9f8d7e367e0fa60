"""Phone numbers are the sign-in name. We store them in E.164 and never log them."""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

from runtime.i18n import N_
from runtime.settings import get_settings
from services.errors import DomainError, ErrorCode

_SEPARATORS = re.compile(r"[\s\-().]")
# ASCII only: Python's \d also matches Arabic-Indic, Devanagari, ... digits, which would let one
# number be stored (and registered) once per script.
_CN_MOBILE = re.compile(r"1[3-9]\d{9}", re.ASCII)
_E164 = re.compile(r"\+[1-9]\d{7,14}", re.ASCII)


def normalize_phone(raw: str, field: str = "phone") -> str:
    """'138 0013 8000', '+86 138-0013-8000' and '008613800138000' all become '+8613800138000'."""
    # NFKC turns the full-width digits, plus sign and spaces of a Chinese keyboard into ASCII.
    value = _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw or ""))
    if value.startswith("00"):
        value = "+" + value[2:]
    if _CN_MOBILE.fullmatch(value):
        return "+86" + value
    if value.startswith("+86"):
        if _CN_MOBILE.fullmatch(value[3:]):
            return value
    elif _E164.fullmatch(value):
        return value
    raise DomainError(ErrorCode.INVALID_PHONE, N_("Enter a mobile number such as 138 0013 8000."), field)


def phone_digest(phone: str) -> str:
    """A stable, non-reversible key for a phone number (throttling, logs).

    Keyed with the server secret: there are only ~10^10 mobile numbers, so a plain hash of one
    is reversed by hashing them all in minutes."""
    key = ("rs-phone:" + get_settings().secret_key).encode()
    return hmac.new(key, phone.encode(), hashlib.sha256).hexdigest()


def mask_phone(phone: str) -> str:
    """'+8613800138000' → '138****8000', what a person may see of someone else's number."""
    local = phone[3:] if phone.startswith("+86") else phone
    return local[:3] + "****" + local[-4:] if len(local) >= 8 else "****"
