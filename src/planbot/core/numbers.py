"""Money, percentages and counts as marketers write them, in Chinese and English.

Marketers write 1.2亿, 1500万, 三百五十万, 80w, $4.5M, ¥1,234 or 百分之二十五 interchangeably;
every other module works on exact integers (money in the currency's base unit) and
fractions, so all parsing and formatting of figures lives here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "贰": 2,
    "两": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
CN_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
_CN_CHARS = "".join(CN_DIGITS) + "".join(CN_SMALL_UNITS) + "".join(CN_BIG_UNITS) + "点"

LATIN_MULTIPLIERS = {
    "k": 1_000,
    "thousand": 1_000,
    "w": 10_000,
    "m": 1_000_000,
    "mn": 1_000_000,
    "million": 1_000_000,
    "b": 1_000_000_000,
    "bn": 1_000_000_000,
    "billion": 1_000_000_000,
}

CURRENCY_WORDS = {
    "us$": "USD",
    "$": "USD",
    "usd": "USD",
    "美元": "USD",
    "美金": "USD",
    "刀": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "¥": "CNY",
    "rmb": "CNY",
    "cny": "CNY",
    "元": "CNY",
    "块": "CNY",
    "块钱": "CNY",
    "人民币": "CNY",
    "yuan": "CNY",
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "欧元": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "英镑": "GBP",
    "hk$": "HKD",
    "hkd": "HKD",
    "港币": "HKD",
    "港元": "HKD",
    "jpy": "JPY",
    "日元": "JPY",
}
SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "HKD": "HK$", "JPY": "JP¥"}
SUPPORTED_CURRENCIES = frozenset(SYMBOLS)

_PREFIX = r"(?P<pre>US\$|HK\$|\$|¥|€|£|(?:RMB|CNY|USD|EUR|GBP|HKD|JPY)(?![A-Za-z]))?\s*"
_ARABIC = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_MIXED_TAIL = rf"(?:\s*[亿万千百](?:(?:\d+|[{''.join(CN_DIGITS)}])+[亿万千百]?)*)?"
_CN_NUMERAL = rf"[{_CN_CHARS}]+"
_NUM = rf"(?P<num>{_ARABIC}{_MIXED_TAIL}|{_CN_NUMERAL})"
_MULT = r"(?:\s*(?P<mult>thousand|million|billion|mn|bn|k|w|m|b)(?![A-Za-z]))?"
_SUFFIX = (
    r"(?:\s*(?P<suf>块钱|美元|美金|人民币|欧元|英镑|港币|港元|日元|元|块|刀|"
    r"(?:RMB|CNY|USD|EUR|GBP|HKD|JPY|dollars?|yuan|euros?)(?![A-Za-z])))?"
)
AMOUNT_RE = re.compile(_PREFIX + _NUM + _MULT + _SUFFIX, re.IGNORECASE)
PERCENT_RE = re.compile(
    rf"(?P<num>\d+(?:\.\d+)?)\s*(?:%|percent(?![a-z])|个百分点|个点)|百分之(?P<cn>[\d.{_CN_CHARS}]+)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Amount:
    """A figure found in text: its exact value, a currency when one was written, and where."""

    value: Decimal
    currency: str | None
    start: int
    end: int
    text: str

    def to_int(self) -> int:
        return int(self.value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Percent:
    value: Decimal  # a fraction: 25% -> 0.25
    start: int
    end: int
    text: str


_MEASURE_WORD = re.compile(r"(?<=[0-9一二两三四五六七八九十几])个(?=[亿万])")


def normalize(text: str) -> str:
    """NFKC turns 全角 digits, ％ and ￥ into their ASCII forms; "一个亿" is said for 一亿."""
    return _MEASURE_WORD.sub("", unicodedata.normalize("NFKC", text))


def _tokens(numeral: str) -> list[Decimal | str] | None:
    """Split a numeral into numbers, unit characters and 零; 点 joins a decimal fraction."""
    tokens: list[Decimal | str] = []
    i = 0
    while i < len(numeral):
        ch = numeral[i]
        if ch in "零〇":
            tokens.append("零")
            i += 1
        elif ch.isdigit() or ch in CN_DIGITS:
            j = i
            while j < len(numeral) and (
                numeral[j].isdigit() or (numeral[j] in CN_DIGITS and numeral[j] not in "零〇") or numeral[j] in ".点"
            ):
                j += 1
            run = numeral[i:j]
            digits = "".join(str(CN_DIGITS[c]) if c in CN_DIGITS else ("." if c == "点" else c) for c in run)
            try:
                tokens.append(Decimal(digits))
            except InvalidOperation:
                return None
            i = j
        elif ch in CN_SMALL_UNITS or ch in CN_BIG_UNITS:
            tokens.append(ch)
            i += 1
        else:
            return None
    return tokens


def parse_numeral(numeral: str) -> Decimal | None:
    """Value of a numeral: 1500万, 1.2亿, 三百五十万, 一万五, 1亿2000万, 一点二亿, 1,234.5."""
    text = normalize(numeral).replace(",", "").replace(" ", "")
    if not text:
        return None
    tokens = _tokens(text)
    if not tokens:
        return None
    total = Decimal(0)  # parts already multiplied by 亿
    wan = Decimal(0)  # parts already multiplied by 万, below 亿
    sec = Decimal(0)  # below 万
    num: Decimal | None = None
    last_unit: int | None = None
    for tok in tokens:
        if isinstance(tok, Decimal):
            if num is not None:
                return None  # two numbers in a row: not one numeral
            num = tok
        elif tok == "零":
            last_unit = None  # 一百零五: the 五 is units, not tens
        elif tok in CN_SMALL_UNITS:
            sec += (num if num is not None else Decimal(1)) * CN_SMALL_UNITS[tok]
            num, last_unit = None, CN_SMALL_UNITS[tok]
        elif tok == "万":
            wan += (sec + (num or 0)) * 10_000
            sec, num, last_unit = Decimal(0), None, 10_000
        else:  # 亿
            total += (wan + sec + (num or 0)) * 100_000_000
            wan, sec, num, last_unit = Decimal(0), Decimal(0), None, 100_000_000
    if num is not None:
        if last_unit is not None and num < 10 and num == num.to_integral_value():
            sec += num * last_unit // 10  # colloquial 一万五 = 15000, 三千五 = 3500
        else:
            sec += num
    if not any(isinstance(t, Decimal) for t in tokens) and tokens[0] not in CN_SMALL_UNITS and tokens != ["零"]:
        return None  # a bare 万 or 亿 is a word, not a number
    return total + wan + sec


def find_amounts(text: str) -> list[Amount]:
    """Every figure in the text with its multiplier and currency, positions in normalize(text)."""
    norm = normalize(text)
    found: list[Amount] = []
    for m in AMOUNT_RE.finditer(norm):
        value = parse_numeral(m.group("num"))
        if value is None:
            continue
        mult = m.group("mult")
        if mult:
            value *= LATIN_MULTIPLIERS[mult.lower()]
        currency = None
        for part in (m.group("pre"), m.group("suf")):
            if part:
                currency = CURRENCY_WORDS.get(part.strip().lower(), currency)
        found.append(Amount(value, currency, m.start(), m.end(), m.group(0).strip()))
    return found


def parse_amount(text: str) -> Amount | None:
    """The first figure in the text, or None."""
    amounts = find_amounts(text)
    return amounts[0] if amounts else None


def find_percents(text: str) -> list[Percent]:
    norm = normalize(text)
    out: list[Percent] = []
    for m in PERCENT_RE.finditer(norm):
        raw = m.group("num") if m.group("num") is not None else m.group("cn")
        value = parse_numeral(raw)
        if value is None:
            continue
        out.append(Percent(value / 100, m.start(), m.end(), m.group(0)))
    return out


def parse_percent(text: str) -> Decimal | None:
    """A percentage as a fraction (25% and 百分之二十五 give 0.25), or None."""
    found = find_percents(text)
    return found[0].value if found else None


def to_base_units(value: Decimal) -> int:
    # to_integral_value, not quantize: quantize fails beyond the context's 28 digits (a pasted ID number)
    return int(value.to_integral_value(rounding=ROUND_HALF_UP))


def symbol(currency: str) -> str:
    return SYMBOLS.get(currency, currency + " ")


def format_money(amount: int, currency: str) -> str:
    """Exact amount to the last yuan/dollar: ¥15,000,000 or $600,000."""
    sign = "-" if amount < 0 else ""
    return f"{sign}{symbol(currency)}{abs(amount):,}"


def _trim(x: Decimal, places: int) -> str:
    q = x.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    s = f"{q:,.{places}f}"
    return s.rstrip("0").rstrip(".") if "." in s else s


def format_money_compact(amount: int, currency: str, language: str) -> str:
    """How a reader expects a headline figure: ¥1,500万 / ¥1.2亿 in Chinese, $600K / $4.5M in English."""
    sign = "-" if amount < 0 else ""
    a = Decimal(abs(amount))
    sym = symbol(currency)
    if language == "zh":
        if a >= 100_000_000:
            return f"{sign}{sym}{_trim(a / 100_000_000, 2)}亿"
        if a >= 10_000:
            return f"{sign}{sym}{_trim(a / 10_000, 2)}万"
        return f"{sign}{sym}{_trim(a, 0)}"
    for size, suffix in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K")):
        if a >= size:
            return f"{sign}{sym}{_trim(a / size, 2)}{suffix}"
    return f"{sign}{sym}{_trim(a, 0)}"


def format_count(n: int, language: str) -> str:
    if language == "zh" and n >= 100_000_000:
        return f"{_trim(Decimal(n) / 100_000_000, 2)}亿"
    if language == "zh" and n >= 10_000:
        return f"{_trim(Decimal(n) / 10_000, 2)}万"
    return f"{n:,}"


def format_percent(x: float, places: int = 1) -> str:
    return f"{_trim(Decimal(str(x)) * 100, places)}%"
