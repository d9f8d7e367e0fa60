"""Registering an account with a phone number and a password."""

from __future__ import annotations

import pytest

from models.people import User
from models.sessions import RefreshToken
from tests.api.accounts.operations import GOOD_PASSWORD, codes, fields_at_fault, me, register
from tests.support.graphql import GraphQLClient


async def test_a_new_resident_registers_and_is_signed_in(api: GraphQLClient) -> None:
    # when
    payload = await register(api, phone="138 0013 8000", name="王阿姨")
    # then
    assert payload["errors"] == []
    assert payload["viewer"]["phone"] == "+8613800138000"
    assert payload["accessTokenExpiresIn"] > 0
    assert payload["refreshToken"]
    viewer = await me(api, payload["accessToken"])
    assert viewer is not None
    assert viewer["user"]["displayName"] == "王阿姨"
    assert viewer["memberships"] == []


async def test_the_display_name_is_trimmed(api: GraphQLClient) -> None:
    payload = await register(api, name="  李师傅 ")
    assert payload["viewer"]["user"]["displayName"] == "李师傅"


@pytest.mark.parametrize(
    "written",
    [
        "13800138000",
        "138-0013-8000",
        "(138) 0013 8000",
        "+86 138 0013 8000",
        "0086 13800138000",
        "+8613800138000",
    ],
)
async def test_one_mobile_number_written_any_way_registers_once(api: GraphQLClient, written: str) -> None:
    # given
    await register(api, phone="138 0013 8000")
    # when
    payload = await register(api, phone=written, password="another-pass-77")
    # then
    assert codes(payload) == ["PHONE_TAKEN"]
    assert fields_at_fault(payload) == ["phone"]
    assert await User.all().count() == 1


@pytest.mark.parametrize(
    "written", ["１３８ ００１３ ８０００", "13８００１３８０００", "＋８６ 138－0013－8000"]
)
async def test_full_width_digits_typed_on_a_chinese_keyboard_are_the_same_number(
    api: GraphQLClient, written: str
) -> None:
    # given
    await register(api, phone="13800138000")
    # when
    payload = await register(api, phone=written)
    # then
    assert codes(payload) == ["PHONE_TAKEN"]


@pytest.mark.parametrize(
    "phone",
    [
        "",
        "12345",
        "1380013800",  # one digit short
        "138001380001",  # one digit long
        "12800138000",  # no mobile network starts 12
        "+86 10 6512 3456",  # a Beijing landline
        "86 13800138000",  # a country code without + or 00
        "+0 138 0013 8000",
        "138 0013 800O",  # a letter O for a zero
        "13٨٠٠١٣٨٠٠٠",  # Arabic-Indic digits are digits to Python, not to a phone network
        "+4४४४४४४४४",  # so are Devanagari ones
        "+86 138 0013 8000 ext 1",
    ],
)
async def test_a_malformed_phone_number_is_refused(api: GraphQLClient, phone: str) -> None:
    payload = await register(api, phone=phone)
    assert codes(payload) == ["INVALID_PHONE"]
    assert fields_at_fault(payload) == ["phone"]
    assert payload["accessToken"] is None


@pytest.mark.parametrize(
    "password",
    [
        "ab1-x",  # short
        "73920581",  # digits only
        "qingshan",  # letters only
        "Password1",  # on every leaked-password list
        "88888888",  # lucky, and common
        "aaaa1111",  # too few different characters
        "wang13800138000",  # the phone number
        "x" * 129,  # longer than any hash input we accept
    ],
)
async def test_a_weak_password_is_refused(api: GraphQLClient, password: str) -> None:
    payload = await register(api, phone="138 0013 8000", password=password)
    assert codes(payload) == ["WEAK_PASSWORD"]
    assert fields_at_fault(payload) == ["password"]


@pytest.mark.parametrize("name", ["", "   ", "名" * 61])
async def test_a_display_name_must_be_given_and_short(api: GraphQLClient, name: str) -> None:
    payload = await register(api, name=name)
    assert codes(payload) == ["INVALID_INPUT"]
    assert fields_at_fault(payload) == ["displayName"]


@pytest.mark.parametrize(
    ("phone", "password", "name"),
    [
        ("12345", GOOD_PASSWORD, "王阿姨"),
        ("138 0013 8000", "short", "王阿姨"),
        ("138 0013 8000", GOOD_PASSWORD, " "),
    ],
)
async def test_a_refused_registration_writes_nothing(
    api: GraphQLClient, phone: str, password: str, name: str
) -> None:
    payload = await register(api, phone=phone, password=password, name=name)
    assert payload["errors"]
    assert await User.all().count() == 0
    assert await RefreshToken.all().count() == 0


async def test_a_duplicate_registration_writes_nothing(api: GraphQLClient) -> None:
    # given
    await register(api, phone="138 0013 8000")
    # when
    await register(api, phone="+86 138 0013 8000")
    # then
    assert await User.all().count() == 1
    assert await RefreshToken.all().count() == 1


async def test_the_password_is_stored_only_as_an_argon2_hash(api: GraphQLClient) -> None:
    await register(api, password=GOOD_PASSWORD)
    user = await User.get()
    assert user.password_hash.startswith("$argon2id$")
    assert GOOD_PASSWORD not in user.password_hash
