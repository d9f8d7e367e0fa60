"""Money as integer fen: shown in yuan, and written in Chinese capitals on receipts.

The capitals follow the rules printed on Chinese bank forms (中国人民银行《支付结算办法》附件):
digits 零壹贰叁肆伍陆柒捌玖, units 拾佰仟万亿, "整" after 元 when there are no jiao or fen,
one 零 for any run of zeros inside the yuan, "元零X分" when the jiao is zero, and 壹拾 written out
(a bare 拾 is easy to turn into 贰拾).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

DIGITS = "零壹贰叁肆伍陆柒捌玖"
SMALL_UNITS = ("", "拾", "佰", "仟")
GROUP_UNITS = ("", "万", "亿", "万亿")
MAX_FEN = 10**16 - 1  # below 一万亿亿: more than any bill, and what GROUP_UNITS can spell


def yuan(fen: int) -> str:
    """1234 → "12.34"; negative amounts keep their sign."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}.{cents:02d}"


def fen_of(amount: Decimal) -> int:
    """A yuan amount (Decimal) to fen, rounding half up (the way a cashier rounds)."""
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _group(value: int) -> str:
    """0 < value < 10000, without leading zero handling across groups."""
    text = ""
    zero_pending = False
    for position in range(3, -1, -1):
        digit = value // 10**position % 10
        if digit == 0:
            zero_pending = bool(text)
            continue
        if zero_pending:
            text += "零"
            zero_pending = False
        text += DIGITS[digit] + SMALL_UNITS[position]
    return text


def _whole(value: int) -> str:
    groups: list[int] = []
    while value:
        value, group = divmod(value, 10000)
        groups.append(group)
    text = ""
    previous_zero = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            previous_zero = bool(text)
            continue
        if text and (previous_zero or group < 1000):
            text += "零"
        text += _group(group) + GROUP_UNITS[index]
        previous_zero = False
    return text


def capitals(fen: int) -> str:
    """An amount in fen as written on a receipt: 18000 → "壹佰捌拾元整"."""
    if not isinstance(fen, int) or isinstance(fen, bool) or not 0 <= fen <= MAX_FEN:
        raise ValueError(f"capitals are written for 0 to {MAX_FEN} fen, not {fen!r}")
    whole, rest = divmod(fen, 100)
    jiao, cents = divmod(rest, 10)
    if whole == 0 and rest == 0:
        return "零元整"
    text = _whole(whole) + "元" if whole else ""
    if rest == 0:
        return text + "整"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif whole:
        text += "零"
    if cents:
        text += DIGITS[cents] + "分"
    return text
