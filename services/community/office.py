"""Settings the community office keeps about itself.

The office phone is offered on every tag's landing page to people who cannot use the app, so it
is public by nature; only the office (staff, admins) sets it. Setting the same number again
changes nothing, so a retried request is harmless without an idempotency key.
"""

from __future__ import annotations

import re

from models.places import Community
from runtime.i18n import N_
from services.access import Viewer
from services.errors import DomainError, ErrorCode
from services.places import get_community

# A landline with its area code ("0451-8888 6666"), an extension ("…转 801"), a mobile, or +86.
_PHONE = re.compile(r"\+?[0-9][0-9 ()\-]{4,28}(?:(?:转|ext\.?|x)\s*[0-9]{1,6})?")
MAX_DIGITS, MIN_DIGITS = 20, 5


def clean_office_phone(raw: str) -> str:
    """The number as the office wrote it, spaces tidied; "" clears it. Anything that is not a
    phone number (letters, a URL, markup) is refused: the landing page shows it as a link."""
    phone = " ".join(raw.split())
    if not phone:
        return ""
    digits = sum(c.isdigit() for c in phone)
    if not _PHONE.fullmatch(phone) or not MIN_DIGITS <= digits <= MAX_DIGITS:
        raise DomainError(
            ErrorCode.INVALID_PHONE,
            N_("Enter the office phone, e.g. 0451-8888 6666 or 13800138000 (an extension after 转 is fine)."),
            "phone",
        )
    return phone


async def set_office_phone(viewer: Viewer, community_id: int, raw: str) -> Community:
    viewer.require_user()
    community = await get_community(viewer, community_id, "communityId")
    viewer.require_manager(community.id)
    phone = clean_office_phone(raw)
    if community.office_phone != phone:
        await Community.filter(id=community.id).update(office_phone=phone)
        community.office_phone = phone
    return community


def dial_link(phone: str) -> str:
    """`tel:` target of a number: its digits and a leading +, the extension left out."""
    number = re.split(r"转|ext\.?|x", phone)[0]
    return "tel:" + "".join(c for c in number if c.isdigit() or c == "+")
