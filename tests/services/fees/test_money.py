"""Amounts in Chinese capitals, as bank forms write them."""

from __future__ import annotations

import pytest

from services.fees.money import capitals, fen_of, yuan

CASES = [
    (0, "零元整"),
    (1, "壹分"),
    (10, "壹角"),
    (55, "伍角伍分"),
    (100, "壹元整"),
    (1000, "壹拾元整"),
    (1005, "壹拾元零伍分"),
    (1050, "壹拾元伍角"),
    (18000, "壹佰捌拾元整"),
    (36000, "叁佰陆拾元整"),
    (15660, "壹佰伍拾陆元陆角"),
    (32504, "叁佰贰拾伍元零肆分"),
    (140950, "壹仟肆佰零玖元伍角"),
    (168032, "壹仟陆佰捌拾元叁角贰分"),
    (600714, "陆仟零柒元壹角肆分"),
    (1640902, "壹万陆仟肆佰零玖元零贰分"),
    (1000500, "壹万零伍元整"),
    (10000000, "壹拾万元整"),
    (10700053, "壹拾万柒仟元伍角叁分"),
    (100000000, "壹佰万元整"),
    (1000000000, "壹仟万元整"),
    (10000000000, "壹亿元整"),
    (10005000000, "壹亿零伍万元整"),
    (10000000500, "壹亿零伍元整"),
    (10050000000, "壹亿零伍拾万元整"),
    (10000500000, "壹亿零伍仟元整"),
    (12345678900, "壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元整"),
    (100100, "壹仟零壹元整"),
    (1100000, "壹万壹仟元整"),
    (2000001, "贰万元零壹分"),
]


@pytest.mark.parametrize(("fen", "words"), CASES)
def test_capitals(fen: int, words: str) -> None:
    assert capitals(fen) == words


@pytest.mark.parametrize("bad", [-1, 10**16, 1.5, True, "100"])
def test_capitals_refuse_what_is_not_an_amount(bad: object) -> None:
    with pytest.raises(ValueError):
        capitals(bad)  # type: ignore[arg-type]


def test_every_amount_up_to_a_thousand_yuan_reads_back() -> None:
    """Parse the capitals back to a number for every fen up to 1,000 yuan (step 7 fen):
    the writing is unambiguous and loses nothing."""
    digit = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
    unit = {"拾": 10, "佰": 100, "仟": 1000}

    def parse(text: str) -> int:
        whole_text, _, rest = text.partition("元")
        if "元" not in text:
            whole_text, rest = "", text
        whole, current = 0, 0
        for ch in whole_text:
            if ch in digit:
                current = digit[ch]
            elif ch in unit:
                whole += current * unit[ch]
                current = 0
        whole += current
        fen = 0
        for i, ch in enumerate(rest):
            if ch == "角":
                fen += digit[rest[i - 1]] * 10
            elif ch == "分":
                fen += digit[rest[i - 1]]
        return whole * 100 + fen

    for amount in range(0, 100001, 7):
        assert parse(capitals(amount)) == amount, capitals(amount)


def test_yuan_and_fen() -> None:
    assert yuan(18000) == "180.00"
    assert yuan(5) == "0.05"
    assert yuan(-250) == "-2.50"
    from decimal import Decimal

    assert fen_of(Decimal("72.505")) == 7251
