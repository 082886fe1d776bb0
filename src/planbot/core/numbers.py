"""Money, percentages and counts as marketers write them, in Chinese and English.

Marketers write 1.2亿, 1500万, 三百五十万, 80w, $4.5M, ¥1,234 or 百分之二十五 interchangeably;
every other module works on exact integers (money in the currency's base unit) and
fractions, so all parsing and formatting of figures lives here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import cn2an

from planbot.core.number_words import CURRENCY_WORDS, european, spelled

# Chinese numerals are read by cn2an; planbot keeps only the scale words around them (万, 亿, and the
# 十/百/千 written after Arabic digits, "3千万") and the characters a numeral may contain.
_CN_DIGIT = "〇零一二两三四五六七八九壹贰叁肆伍陆柒捌玖"
CN_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_BIG_UNITS = {"亿": 100_000_000, "万": 10_000}
_CN_CHARS = _CN_DIGIT + "".join(CN_SMALL_UNITS) + "".join(CN_BIG_UNITS) + "点"

LATIN_MULTIPLIERS = {"k": 1_000, "thousand": 1_000, "grand": 1_000, "w": 10_000, "kw": 10_000_000, "m": 1_000_000,
                     "mn": 1_000_000, "mil": 1_000_000, "mio": 1_000_000, "million": 1_000_000,
                     "b": 1_000_000_000, "bn": 1_000_000_000, "billion": 1_000_000_000}  # fmt: skip
SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "HKD": "HK$", "JPY": "JP¥"}
SUPPORTED_CURRENCIES = frozenset(SYMBOLS)

_PREFIX = r"(?P<pre>US\$|HK\$|\$|¥|€|£|(?:RMB|CNY|USD|EUR|GBP|HKD|JPY)(?![A-Za-z]))?\s*"
_ARABIC = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_MIXED_TAIL = rf"(?:\s*[亿万千百]+(?:(?:\d+|[{_CN_DIGIT}])+[亿万千百]*)*)?"
_NUM = rf"(?P<num>{_ARABIC}{_MIXED_TAIL}|[{_CN_CHARS}]+)"
_MULT = r"(?:\s*(?P<mult>thousand|grand|million|billion|mil|mio|mn|bn|kw|k|w|m|b)(?![A-Za-z]))?"
_SUFFIX = (
    r"(?:\s*(?P<suf>块钱|美元|美金|人民币|欧元|英镑|港币|港元|日元|元|块|刀|€|£|\$|"
    r"(?:RMB|CNY|USD|EUR|GBP|HKD|JPY|dollars?|bucks|yuan|euros?|pounds?)(?![A-Za-z])))?"
)
AMOUNT_RE = re.compile(_PREFIX + _NUM + _MULT + _SUFFIX, re.IGNORECASE)
PERCENT_RE = re.compile(
    r"(?:(?P<lo>\d+(?:\.\d+)?)\s*%?\s*(?:-|–|~|到|至|to)\s*)?"
    rf"(?P<num>\d+(?:\.\d+)?)\s*(?:ish\s*)?(?:%|percent(?![a-z])|pct\b|个百分点|个点)"
    rf"|百分之(?P<cn>[\d.{_CN_CHARS}]+)"
    rf"|(?P<pts>[{_CN_DIGIT}十点]+)(?:个百分点|个点)"
    rf"|(?P<tenths>[{_CN_DIGIT}]{{2}}|[{_CN_DIGIT}\d](?:点[{_CN_DIGIT}\d])?)成(?![本功为立交员品])",
    re.IGNORECASE,
)
# Phone numbers are digits, never figures: 13800138000, 415-555-0132, +1 (303) 555-0178
_PHONE = re.compile(
    r"(?<!\d)(?:\+\d{1,3}[\s-]?)?(?:\(\d{2,4}\)\s?|\d{3,4}[\s-])\d{3,4}[\s-]\d{4}(?!\d)|(?<!\d)1[3-9]\d{9}(?!\d)"
)
_RANGE_JOIN = re.compile(r"\s*(?:-|–|—|~|到|至|to)\s*", re.I)


@dataclass(frozen=True)
class Amount:
    """A figure found in text: its exact value, a currency when one was written, and where.

    `negative`: a minus sign stood before it (the value itself stays positive); `ranged`: the value is
    the midpoint of a range ("300-350万"); `scale`: the multiplier its unit word applied (万 = 10^4).
    """

    value: Decimal
    currency: str | None
    start: int
    end: int
    text: str
    negative: bool = False
    ranged: bool = False
    scale: Decimal = Decimal(1)

    def to_int(self) -> int:
        return int(self.value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Percent:
    value: Decimal  # a fraction: 25% -> 0.25
    start: int
    end: int
    text: str
    negative: bool = False
    ranged: bool = False  # the midpoint of "20%-25%"


_MEASURE_WORD = re.compile(r"(?<=[0-9一二两三四五六七八九十几])(?:个(?=[亿万])|来(?=[亿万千百块元]))")


# ① ② ⑴ ❶ number a list; NFKC would make them figures ("②明年预算35万" -> "2明年预算35万")
_LIST_MARK = re.compile("[\u2460-\u249b\u24eb-\u24ff\u2776-\u2793]")


def normalize(text: str) -> str:
    """NFKC turns 全角 digits, ％ and ￥ into their ASCII forms; "一个亿" is 一亿 and "100来万" is 100万."""
    return _MEASURE_WORD.sub("", unicodedata.normalize("NFKC", _LIST_MARK.sub("；", text)))


def _cn2an(text: str) -> Decimal:
    """A Chinese numeral without 万/亿 (三千五, 一百二, 一点二, 贰佰) through cn2an."""
    return Decimal(str(cn2an.cn2an(text, "normal")))


def _digit(ch: str) -> Decimal | None:
    if ch.isdigit():
        return Decimal(ch)
    return _cn2an(ch) if ch in _CN_DIGIT and ch not in "〇零" else None


def _section(text: str) -> Decimal:
    """Below 万: 350, 3千, 1.5千, 3千5, 三百五十, 一百二."""
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return Decimal(text)
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([十拾百佰千仟])(.*)", text)
    if m:
        unit = CN_SMALL_UNITS[m[2]]
        rest = m[3].lstrip("零〇")
        if not rest:
            return Decimal(m[1]) * unit
        d = _digit(rest) if len(rest) == 1 else None
        return Decimal(m[1]) * unit + (d * unit / 10 if d is not None else _section(rest))
    if re.search(r"\d", text) or (len(text) > 1 and all(c in _CN_DIGIT for c in text)):
        raise ValueError(text)  # 一二 (一二线) or 1二: not one numeral
    return _cn2an(text)


def _numeral(text: str) -> Decimal:
    for unit, size in CN_BIG_UNITS.items():
        head, sep, tail = text.partition(unit)
        if not sep:
            continue
        if not head:
            raise ValueError(text)  # a bare 万 is a word
        value = _numeral(head) * size
        tail = tail.lstrip("零〇")
        if not tail:
            return value
        d = _digit(tail) if len(tail) == 1 and not text[len(head) + 1 :].startswith(("零", "〇")) else None
        return value + (d * size / 10 if d is not None else _numeral(tail))  # 一万五 = 15000, 一亿二 = 1.2亿
    return _section(text)


def parse_numeral(numeral: str) -> Decimal | None:
    """Value of a numeral: 1500万, 1.2亿, 三百五十万, 一万五, 1亿2000万, 一点二亿, 1,234.5."""
    text = normalize(numeral).replace(",", "").replace(" ", "")
    if not text or text.startswith("点") or text.endswith("点"):
        return None
    try:
        return _numeral(text)
    except (ValueError, KeyError, IndexError, TypeError, ArithmeticError):
        return None


def _neighbour_range(num: str) -> Decimal | None:
    """两三百万 / 五六千 / 五六十: two neighbouring digits before a unit are a range; its midpoint."""
    if len(num) < 3 or num[0] not in _CN_DIGIT or num[1] not in _CN_DIGIT or num[2] not in "十百千万亿":
        return None
    lo, hi = _digit(num[0]), _digit(num[1])
    unit = parse_numeral("一" + num[2:])
    if lo is None or hi is None or unit is None or hi != lo + 1:
        return None
    return (lo + hi) / 2 * unit


def _minus_before(norm: str, start: int) -> bool:
    """A minus sign before a figure, not the dash of a range or a date ("300-350", "2027-03", "10%-20%")."""
    head = norm[:start].rstrip()
    if not head or head[-1] not in "-−–":
        return False
    before = head[:-1]
    prev = before.rstrip()[-1:]
    if not prev:
        return True
    joined = before == before.rstrip()
    if not joined and len(head) < start and (prev.isalpha() or prev in ":："):
        return False  # "traffic - 1.2M": a dash between a label and its figure
    return not (prev.isdigit() or prev in _CN_CHARS or prev == "%" or (joined and prev.isascii() and prev.isalpha()))


def _scale(num: str, mult: str | None) -> Decimal:
    scale = Decimal(LATIN_MULTIPLIERS[mult.lower()]) if mult else Decimal(1)
    # 350万 and 3千万 scale their digits; a Chinese numeral's own 百/千 do not (两百 is a number, 两百万 is scaled)
    tail = re.search(r"[十百千万亿]+$" if re.match(r"[\d.]+", num) else r"[万亿]+$", num)
    if tail:
        for ch in tail.group(0):
            scale *= CN_SMALL_UNITS.get(ch) or CN_BIG_UNITS[ch]
    return scale


def _raw_amounts(norm: str) -> list[Amount]:
    text = european(norm)
    phones = [m.span() for m in _PHONE.finditer(text)]
    found: list[Amount] = []
    for m in AMOUNT_RE.finditer(text):
        num, mult = m.group("num"), m.group("mult")
        if any(s < m.end() and m.start() < e for s, e in phones):
            continue
        neighbours = _neighbour_range(num)
        value = neighbours if neighbours is not None else parse_numeral(num)
        if value is None or (len(num) == 1 and num in _CN_CHARS and not m.group("suf")):
            continue  # the 一 of 一般, a bare 万
        scale = _scale(num, mult)
        if mult:
            value *= LATIN_MULTIPLIERS[mult.lower()]
        currency = None
        for part in (m.group("pre"), m.group("suf")):
            if part:
                currency = CURRENCY_WORDS.get(part.strip().lower(), currency)
        start = m.start("pre") if m.group("pre") else m.start("num")
        neg = _minus_before(text, start)
        found.append(Amount(value, currency, start, m.end(), norm[start : m.end()], neg,
                            neighbours is not None, scale))  # fmt: skip
    spelled = [w for w in spelled_amounts(norm) if not any(a.start < w.end and w.start < a.end for a in found)]
    return sorted(found + spelled, key=lambda a: a.start)


def _merge_ranges(norm: str, found: list[Amount]) -> list[Amount]:
    """ "300-350万", "$300-350k", "between 2 and 2.5 million": one figure, the midpoint."""
    out: list[Amount] = []
    for a in found:
        prev = out[-1] if out else None
        if prev is not None and not prev.ranged and not a.negative:
            gap = norm[prev.end : a.start]
            between = gap.strip().lower() == "and" and re.search(r"between\s*$", norm[: prev.start], re.I)
            if _RANGE_JOIN.fullmatch(gap) or between:
                lo = prev.value * a.scale if prev.scale == 1 and a.scale != 1 else prev.value
                if lo < a.value:
                    out[-1] = Amount((lo + a.value) / 2, prev.currency or a.currency, prev.start, a.end,
                                     norm[prev.start : a.end], prev.negative, True, a.scale)  # fmt: skip
                    continue
        out.append(a)
    return out


def find_amounts(text: str) -> list[Amount]:
    """Every figure in the text with its multiplier and currency, positions in normalize(text)."""
    norm = normalize(text)
    return _merge_ranges(norm, _raw_amounts(norm))


def parse_amount(text: str) -> Amount | None:
    """The first figure in the text, or None."""
    amounts = find_amounts(text)
    return amounts[0] if amounts else None


def find_percents(text: str) -> list[Percent]:
    norm = normalize(text)
    out: list[Percent] = []
    for m in PERCENT_RE.finditer(norm):
        neighbours = _neighbour_range(m.group("tenths") + "十") if m.group("tenths") else None
        if m.group("tenths") is not None:  # 三成 = 30%, 两三成 = 25%
            tenths = parse_numeral(m.group("tenths"))
            value = neighbours or (tenths * 10 if tenths is not None else None)
        else:
            value = parse_numeral(next(g for g in (m.group("num"), m.group("cn"), m.group("pts")) if g is not None))
        lo = parse_numeral(m.group("lo")) if m.group("lo") else None
        if value is None:
            continue
        ranged = (lo is not None and lo < value) or neighbours is not None
        value = (lo + value) / 2 if lo is not None and ranged else value
        out.append(Percent(value / 100, m.start(), m.end(), m.group(0), _minus_before(norm, m.start()), ranged))
    return out


def parse_percent(text: str) -> Decimal | None:
    """A percentage as a fraction (25% and 百分之二十五 give 0.25), or None."""
    found = find_percents(text)
    return found[0].value if found else None


def spelled_amounts(norm: str) -> list[Amount]:
    """Figures written in English words; only with a scale word (hundred, thousand, million...)."""
    return [Amount(v, cur, start, end, norm[start:end], scale=scale) for v, cur, start, end, scale in spelled(norm)]


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


def _places(x: Decimal) -> int:
    """Sensible precision for a figure in 万/亿/K/M units: 2,020万, 45.3万, 2.45万 (three significant digits,
    never fewer than the whole units): a plan's headline figures are targets, not ledger entries."""
    return 0 if x >= 100 else 1 if x >= 10 else 2


def _scaled(a: Decimal, scales: tuple[tuple[int, str], ...]) -> str | None:
    for size, suffix in scales:
        if a >= size:
            x = a / size
            return f"{_trim(x, _places(x))}{suffix}"
    return None


_ZH_SCALES = ((100_000_000, "亿"), (10_000, "万"))
_EN_SCALES = ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K"))


def format_money_compact(amount: int, currency: str, language: str) -> str:
    """How a reader expects a headline figure: ¥1,500万 / ¥1.2亿 in Chinese, $600K / $4.5M in English."""
    sign = "-" if amount < 0 else ""
    a = Decimal(abs(amount))
    scaled = _scaled(a, _ZH_SCALES if language == "zh" else _EN_SCALES)
    return f"{sign}{symbol(currency)}{scaled if scaled is not None else _trim(a, 0)}"


def format_count(n: int, language: str) -> str:
    """A count in prose: 2,020万 / 45.3万 in Chinese; 3.05M in English (exact below a million)."""
    scaled = _scaled(Decimal(n), _ZH_SCALES if language == "zh" else _EN_SCALES[:2])
    return scaled if scaled is not None else f"{n:,}"


def format_percent(x: float, places: int = 1) -> str:
    return f"{_trim(Decimal(str(x)) * 100, places)}%"
