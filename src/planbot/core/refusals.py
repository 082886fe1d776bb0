"""A message's brief update applied to the brief, refusing each value out of range by name.

A marketer who writes "转化率150%，天猫和抖音，预算500万" keeps the platforms and the budget; only
the conversion rate is refused, in their language, with what a usable value looks like.
"""

from __future__ import annotations

from pydantic import ValidationError

from planbot.core.brief import Assumption, Brief, BriefUpdate, Language
from planbot.core.numbers import format_money
from planbot.core.wording import dialogue

MONEY_FIELDS = ("gmv_target", "gmv_last_year", "budget_total", "aov")
RATE_FIELDS = ("cvr", "growth_rate", "repurchase_rate")


def _field_error(exc: ValidationError, lang: str) -> str:
    err = exc.errors()[0]
    names = dialogue(lang)["fields"]
    field = str(err["loc"][0]) if err["loc"] else ""
    msg = str(err["msg"]).removeprefix("Value error, ")
    return f"{names.get(field, field)}: {msg}" if field else msg


def _refusal(field: str, value: object, lang: str) -> str:
    d = dialogue(lang)
    reasons: dict[str, str] = d["reject_reasons"]
    return str(d["rejected"]).format(field=d["fields"].get(field, field), value=value,
                                     reason=reasons.get(field, reasons["other"]))  # fmt: skip


def apply_update(update: BriefUpdate, brief: Brief, lang: Language) -> tuple[Brief | None, dict[str, str]]:
    """The brief with what the message says, less each value out of range: those are refused by
    name (field -> the sentence saying why, in the user's language) and the rest of the message is
    kept. (None, why) only when no field can be told apart from the fault."""
    refused = {f: _refusal(f, v, lang) for f, v in update.rejected.items()}
    values = dict(update.values)
    for _ in range(len(values) + 1):
        try:
            new = update.model_copy(update={"values": values}).apply(brief).model_copy(update={"language": lang})
            return Brief.model_validate(new.model_dump()), refused
        except ValidationError as exc:
            fields = {str(e["loc"][0]) for e in exc.errors() if e["loc"]} & set(values)
            if not fields:
                return None, {"": dialogue(lang)["bad_value"].format(message=_field_error(exc, lang))}
            for f in sorted(fields):
                refused[f] = _refusal(f, _said(values.pop(f), f, brief, lang), lang)
    return None, refused


def _said(value: object, field: str, brief: Brief, lang: str) -> str:
    """A refused value as the user will recognise it."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if field in RATE_FIELDS:
            return f"{float(value) * 100:.4f}".rstrip("0").rstrip(".") + "%"
        if field in MONEY_FIELDS:
            return format_money(int(value), brief.currency)
    if isinstance(value, dict) and "start" in value:
        return f"{value['start']} – {value.get('end')}"
    return str(value)


def note_said(brief: Brief, said: dict[str, str], lang: str) -> Brief:
    """A range or "两三百万" is read as its midpoint: list it as an assumption with what was said."""
    said = {f: w for f, w in said.items() if getattr(brief, f, None) is not None}
    if not said:
        return brief
    why = dialogue(lang)["midpoint"]
    kept = [a for a in brief.assumptions if a.field not in said]
    added = [Assumption(field=f, value=_said(getattr(brief, f), f, brief, lang), reason=why.format(said=w))
             for f, w in said.items()]  # fmt: skip
    return brief.model_copy(update={"assumptions": [*kept, *added]})
