"""What a model read in a message is kept only where the message says it.

A language model asked to fill a schema fills it: a message with no period comes back with the
schema's placeholder date, a brief for Tmall and Douyin gains "TikTok Shop" and 黑五. So every
field a model proposes must be grounded in the user's own words before it joins the brief:
figures are figures the text states, names are copied from it, platforms and campaigns are ones
it names (by any alias), a period rests on a date expression in it, and "not sure" is kept only
where the text says so. The offline parse of the same text always has the last word.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from planbot.core import calendar as C
from planbot.core.brief import BriefUpdate
from planbot.core.catalog import platform_key, platform_name
from planbot.core.extract import AMOUNT_FIELDS, PERCENT_FIELDS, language_of, says_unsure
from planbot.core.extract.periods import period_grounded
from planbot.core.extract.places import mentioned_keys
from planbot.core.numbers import normalize
from planbot.core.prose_check import figures

NAME_FIELDS = ("brand", "category", "audience")
KNOWN_FIELDS = {*AMOUNT_FIELDS, *PERCENT_FIELDS, *NAME_FIELDS, "platforms", "period", "campaigns"}


def _percent_key(value: Any) -> str | None:
    try:
        return f"%{Decimal(str(value)).normalize()}"
    except (InvalidOperation, ValueError):
        return None


def grounded_values(text: str, today: date, proposed: Mapping[str, Any]) -> dict[str, object]:
    """The proposed fields the text backs, in the brief's terms; everything else is dropped."""
    norm = normalize(text)
    low = norm.lower()
    lang = language_of(text)
    literal = figures(text)
    out: dict[str, object] = {}
    for name in AMOUNT_FIELDS:
        v = proposed.get(name)
        if isinstance(v, int | float) and v > 0 and f"#{round(v)}" in literal:
            out[name] = round(v)
    for name in PERCENT_FIELDS:
        v = proposed.get(name)
        if isinstance(v, int | float) and _percent_key(v) in literal:
            out[name] = float(v)
    for name in NAME_FIELDS:
        v = proposed.get(name)
        if isinstance(v, str) and v.strip() and v.strip().lower() in low:  # copied from the message, never made up
            out[name] = v.strip()[:200]
    named = mentioned_keys(norm)
    platforms = [
        platform_name(k, lang) for p in proposed.get("platforms") or [] if (k := platform_key(str(p))) in named
    ]
    if platforms:
        out["platforms"] = list(dict.fromkeys(platforms))
    said = set(C.find_campaigns(norm))
    campaigns = [
        C.SPECS[k].name(lang) for c in proposed.get("campaigns") or [] if (k := C.match_campaign(str(c))) in said
    ]
    if campaigns:
        out["campaigns"] = list(dict.fromkeys(campaigns))
    start, end = proposed.get("period_start"), proposed.get("period_end")
    if isinstance(start, date) and isinstance(end, date) and start <= end and period_grounded(text, today, start, end):
        out["period"] = {"start": start, "end": end}
    currency = proposed.get("currency")
    if isinstance(currency, str) and len(currency) == 3 and currency.upper() in norm.upper():
        out["currency"] = currency.upper()
    return out


def grounded_update(text: str, today: date, offline: BriefUpdate, proposed: Mapping[str, Any]) -> BriefUpdate:
    """The model's grounded fields where the offline parse found nothing; the offline parse on top."""
    values = grounded_values(text, today, proposed)
    values.update(offline.values)
    for name in offline.rejected:  # "预算-500万": refused by the literal parse, never taken from the model
        values.pop(name, None)
    unsure = says_unsure(normalize(text))  # "not sure" only where the user says it
    said_unknown = [str(u) for u in proposed.get("unknown") or [] if unsure and u in KNOWN_FIELDS]
    unknown = list(dict.fromkeys([*offline.unknown, *said_unknown]))
    return offline.model_copy(update={"values": values, "unknown": [u for u in unknown if u not in values]})
