"""Number words that are no Chinese numeral: currency spellings, English words, European separators.

Kept apart from numbers.py so that module stays about the digits and scales; nothing here imports it.
"""

from __future__ import annotations

import re
from decimal import Decimal

_CURRENCY_SPELLINGS = {
    "USD": "us$ $ usd 美元 美金 刀 dollar dollars bucks",
    "CNY": "¥ rmb cny 元 块 块钱 人民币 yuan",
    "EUR": "€ eur euro euros 欧元",
    "GBP": "£ gbp pound pounds 英镑",
    "HKD": "hk$ hkd 港币 港元",
    "JPY": "jpy 日元",
}
CURRENCY_WORDS = {w: code for code, words in _CURRENCY_SPELLINGS.items() for w in words.split()}

# "1,2 million" and "95.000 €": a European decimal comma or thousands point, rewritten in place
_EU_DECIMAL = re.compile(
    r"(?<![\d,.])(\d{1,3}),(\d{1,2})(?=\s*(?:million|mil|mio|mn|bn|billion|thousand|k|m|b)(?![a-z]))", re.I
)
_EU_THOUSANDS = re.compile(r"(?<![\d,.])\d{1,3}(?:\.\d{3})+(?![\d.,])")


def european(norm: str) -> str:
    """Same-length rewrite so positions hold: 1,2 million -> 1.2 million; 95.000 € -> 95,000 €."""
    text = _EU_DECIMAL.sub(r"\1.\2", norm)

    def thousands(m: re.Match[str]) -> str:
        near = text[max(0, m.start() - 2) : m.end() + 6].lower()
        if m.group(0).count(".") > 1 or "€" in near or "eur" in near:
            return m.group(0).replace(".", ",")
        return m.group(0)

    return _EU_THOUSANDS.sub(thousands, text)


_EN_SMALL_WORDS = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
_EN_SMALL = {w: i for i, w in enumerate([*_EN_SMALL_WORDS.split(" "), "sixteen", "seventeen", "eighteen", "nineteen"])}
_TENS_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety"
_EN_TENS = {w: 10 * i for i, w in enumerate(_TENS_WORDS.split(" "), 2)}
_EN_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_EN_WORDS = re.compile(
    r"\b(?:(?:a|half|and|point|" + "|".join([*_EN_SMALL, *_EN_TENS, *_EN_SCALES]) + r")(?:[\s-]+|\b))+", re.I
)
_EN_CURRENCY_AFTER = re.compile(r"\s*(dollars?|bucks|euros?|pounds?|usd|eur|gbp|rmb|yuan)\b", re.I)


def _spelled_value(words: list[str]) -> Decimal:
    """ "two hundred and fifty thousand", "three point two million", "half a million"."""
    total, current, decimals, in_decimals = Decimal(0), Decimal(0), "", False
    for w in words:
        if w in _EN_SMALL and in_decimals:
            decimals += str(_EN_SMALL[w])
            continue
        if decimals:
            current += Decimal("0." + decimals)
            decimals, in_decimals = "", False
        if w == "half":
            current = Decimal("0.5")
        elif w == "a":
            current = current or Decimal(1)
        elif w == "point":
            in_decimals = True
        elif w in _EN_SMALL or w in _EN_TENS:
            current += _EN_SMALL.get(w, 0) + _EN_TENS.get(w, 0)
        elif w == "hundred":
            current = (current or Decimal(1)) * 100
        elif w in _EN_SCALES:
            total += (current or Decimal(1)) * _EN_SCALES[w]
            current = Decimal(0)
    return total + current + (Decimal("0." + decimals) if decimals else 0)


def spelled(norm: str) -> list[tuple[Decimal, str | None, int, int, Decimal]]:
    """(value, currency, start, end, scale) of each figure written in English words with a scale word."""
    out: list[tuple[Decimal, str | None, int, int, Decimal]] = []
    for m in _EN_WORDS.finditer(norm):
        spans = list(re.finditer(r"[A-Za-z]+", m.group(0)))
        while spans and spans[-1].group(0).lower() in ("a", "and", "point"):
            spans.pop()
        while spans and spans[0].group(0).lower() in ("and", "point"):
            spans.pop(0)
        words = [w.group(0).lower() for w in spans]
        if not any(w in _EN_SCALES for w in words) or all(w in _EN_SCALES or w == "and" for w in words):
            continue
        value = _spelled_value(words)
        if not value:
            continue
        start, end = m.start() + spans[0].start(), m.start() + spans[-1].end()
        cur = _EN_CURRENCY_AFTER.match(norm, end)
        currency = CURRENCY_WORDS.get(cur.group(1).lower()) if cur else None
        end = cur.end() if cur else end
        scale = Decimal(_EN_SCALES[words[-1]]) if words[-1] in _EN_SCALES else Decimal(1)
        out.append((value, currency, start, end, scale))
    return out
