"""What a short answer means: a bare name after "品牌叫什么？", the field a bare correction is about."""

from __future__ import annotations

import math
import re

from planbot.core.brief import Brief
from planbot.core.catalog import PLATFORM_ALIASES, find_in_text
from planbot.core.extract import AMOUNT_FIELDS
from planbot.core.numbers import find_amounts, normalize

_BARE_NAME = re.compile(
    r"^\s*(?:(?:品牌)?(?:叫|是)|(?:it'?s|we'?re|called)\s+)?[「“\"'《]?([\w\u4e00-\u9fff&'·. -]{1,30}?)"
    r"[」”\"'》]?\s*[。.!！~]*\s*$",
    re.I,
)
_NO_NAME = re.compile(
    r"(没定|未定|待定|还没|没有|暂无|没名|不知道|^无$|none|no\s+(brand|name)|tbd|not\s+yet|undecided)", re.I
)


def bare_name(text: str, *not_names: re.Pattern[str]) -> str | None:
    """A message that is nothing but a name: the brand, when that is what was just asked."""
    m = _BARE_NAME.match(text)
    if not m or re.search(r"\d", text) or any(p.search(text) for p in (_NO_NAME, *not_names)):
        return None
    name = m.group(1).strip()
    if not name or len(name.split()) > 3 or find_in_text(name, PLATFORM_ALIASES):
        return None
    return name


def corrected_fields(brief: Brief, text: str) -> list[str]:
    """Fields a bare correction ("actually make it 400k") may be about: the money fields already set,
    the one nearest the new figure in size first (400k corrects a 350k budget, not a 2.6M target).
    Rates are left out: a loose "9%" in a correction is usually the wrong figure being named."""
    amounts = [a for a in find_amounts(normalize(text)) if a.value > 0]
    money = [f for f in sorted(AMOUNT_FIELDS) if isinstance(getattr(brief, f), int) and getattr(brief, f) > 0]
    if amounts:
        new = math.log(float(amounts[0].value))
        money.sort(key=lambda f: abs(math.log(getattr(brief, f)) - new))
    return money
