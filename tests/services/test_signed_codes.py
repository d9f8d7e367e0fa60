"""Signed codes: what they carry comes back; anything altered, cut short or foreign is refused."""

from __future__ import annotations

import base64

import pytest

from services import signed_codes
from services.signed_codes import ForgedCode, MalformedCode

SECRET = "a-secret-for-these-tests-only-0123456789"


def test_a_code_carries_its_numbers_back() -> None:
    code = signed_codes.sign("tag", (4711, 3), SECRET)
    assert signed_codes.verify("tag", code, 2, SECRET) == (4711, 3)


def test_tag_codes_stay_short_enough_for_a_small_qr_code() -> None:
    assert len(signed_codes.sign("tag", (1, 1), SECRET)) == 20
    assert len(signed_codes.sign("tag", (2_000_000, 127), SECRET)) == 23


def test_codes_are_not_ids() -> None:
    first, second = (signed_codes.sign("tag", (n, 1), SECRET) for n in (1, 2))
    # Neighbouring ids share a prefix (the id bytes) but their signatures share nothing.
    assert first[-16:] != second[-16:]


def test_a_code_typed_in_lower_case_still_works() -> None:
    code = signed_codes.sign("tag", (12, 1), SECRET)
    assert signed_codes.verify("tag", code.lower(), 2, SECRET) == (12, 1)


def test_a_forged_signature_is_refused() -> None:
    code = signed_codes.sign("tag", (12, 1), SECRET)
    flipped = code[:-3] + ("A" if code[-3] != "A" else "B") + code[-2:]
    with pytest.raises(ForgedCode):
        signed_codes.verify("tag", flipped, 2, SECRET)


def test_a_tampered_version_is_refused() -> None:
    code = signed_codes.sign("tag", (12, 1), SECRET)
    raw = bytearray(base64.b32decode(code + "=" * (-len(code) % 8)))
    raw[1] = 2  # the version byte after the one-byte id
    tampered = base64.b32encode(bytes(raw)).decode().rstrip("=")
    with pytest.raises(ForgedCode):
        signed_codes.verify("tag", tampered, 2, SECRET)


@pytest.mark.parametrize("cut", [1, 2, 3, 5, 8, 12, 17])
def test_a_truncated_code_is_refused(cut: int) -> None:
    code = signed_codes.sign("tag", (12345, 2), SECRET)
    with pytest.raises((MalformedCode, ForgedCode)):
        signed_codes.verify("tag", code[:-cut], 2, SECRET)


@pytest.mark.parametrize("text", ["", "hello world", "ABC!", "1234", "A" * 200, "QnVpbGRpbmc6MTI="])
def test_things_that_are_not_codes_are_malformed(text: str) -> None:
    with pytest.raises(MalformedCode):
        signed_codes.verify("tag", text, 2, SECRET)


def test_a_code_from_another_secret_is_forged() -> None:
    code = signed_codes.sign("tag", (12, 1), SECRET)
    with pytest.raises(ForgedCode):
        signed_codes.verify("tag", code, 2, "another-server-s-secret-0123456789")


def test_a_code_for_one_purpose_does_not_work_for_another() -> None:
    pickup = signed_codes.sign("pickup", (12, 1), SECRET)
    with pytest.raises(ForgedCode):
        signed_codes.verify("tag", pickup, 2, SECRET)


def test_extra_numbers_are_refused_even_when_signed() -> None:
    code = signed_codes.sign("tag", (12, 1, 9), SECRET)
    with pytest.raises(MalformedCode):
        signed_codes.verify("tag", code, 2, SECRET)


def test_the_server_secret_is_the_default_key() -> None:
    code = signed_codes.sign("tag", (7, 1))
    assert signed_codes.verify("tag", code, 2) == (7, 1)
    with pytest.raises(ForgedCode):
        signed_codes.verify("tag", code, 2, SECRET)
