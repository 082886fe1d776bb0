"""Jinja2 environments and filters shared by the renderers: money, percentages, dates, escaping.

User text (brand, category, campaign and channel names, anything a writer or a model produced) is
escaped once, for the context it lands in, at the point where it lands there:

- HTML text and attributes: Jinja2's autoescape (`plan.html.j2`), nothing else;
- a CSS string inside `<style>` (the PDF page header): `css_string` -- raw text for HTML, so no
  entities (they would show as `&amp;`), but backslash, quotes, newlines and `<` escaped the CSS way;
- Markdown: `md_escape` -- backslash escapes, and `&lt;` `&gt;` (and `&amp;` only where an `&` would
  otherwise start an entity), so a Markdown reader shows the text literally;
- DOCX and XLSX cells: plain text, no entities (`plain_text` drops the control characters XML cannot
  hold; `xlsx` stores text that starts with `=` as text, not as a formula);
- chart labels: matplotlib's mathtext is off (`charts.py`), so `$` is drawn as a dollar sign;
- file names: `planbot.render.filename` keeps word characters and `-` only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Literal, cast

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from pydantic import BaseModel

from planbot.core.datefmt import long_date, short_date
from planbot.core.numbers import format_count, format_money, format_money_compact, format_percent
from planbot.core.plan import KPI, Campaign, FollowUp, FunnelRow, Milestone, Plan

TEMPLATES = Path(__file__).resolve().parent / "templates"
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")  # ~: GFM strikethrough
_MD_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")  # an & that a Markdown reader would read as an entity
# what would start a list item or a thematic break at the start of a line ("- x", "1. x", "---")
_MD_BLOCK = re.compile(r"^([-+](?=\s|$)|-(?=[-\s]*$)|\d{1,9}(?=[.)](?:\s|$)))")
_MD_CUT_ENTITY = re.compile(r"&#?[0-9A-Za-z]*$")  # the start of an entity, cut off by truncation
# C0 controls other than tab, newline and carriage return, and the two non-characters: XML 1.0 cannot hold them
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@cache
def labels(language: str) -> dict[str, Any]:
    with (Path(__file__).resolve().parent / "labels.yaml").open(encoding="utf-8") as fh:
        data: dict[str, dict[str, Any]] = yaml.safe_load(fh)
    return data["zh" if language == "zh" else "en"]


def md_escape(value: object) -> str:
    """Text from users, guides or a model, made inert in Markdown (no raw HTML, links or table breaks)."""
    text = plain_text(re.sub(r"\s+", " ", str(value)).strip())
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _MD_BLOCK.sub(lambda m: m[1] + "\\" if m[1][0].isdigit() else "\\" + m[1], text)
    text = _MD_ENTITY.sub("&amp;", text)
    return text.replace("<", "&lt;").replace(">", "&gt;")


def md_truncate(value: object, length: int = 255) -> str:
    """`md_escape`, then Jinja2's `truncate` (same lengths), never cutting an escape in two: a cut
    `&lt;` would read `&l...`, a lone backslash would escape the ellipsis."""
    text = md_escape(value)
    if len(text) <= length + 5:  # Jinja2's default leeway
        return text
    body = text[: length - 3].rsplit(" ", 1)[0]
    body = _MD_CUT_ENTITY.sub("", body)
    if (len(body) - len(body.rstrip("\\"))) % 2:
        body = body[:-1]
    return body + "..."


def css_string(value: object) -> Markup:
    """`value` as a double-quoted CSS string, for `content:` inside a `<style>` element.

    `<style>` is raw text for an HTML parser: entities are not decoded there, so HTML escaping
    would show `&amp;` in the page header. CSS escapes instead: backslash and quotes with a
    backslash, newlines and other controls (and `<`, `>`, so that `</style>` cannot close the
    element) as hex escapes; NUL becomes U+FFFD, as a CSS parser would read it.
    """
    out: list[str] = []
    for ch in str(value):
        if ch in "\\\"'":
            out.append("\\" + ch)
        elif ch == "\0":
            out.append("\ufffd")
        elif ch in "<>" or ch < " " or ch == "\x7f":
            out.append(f"\\{ord(ch):x} ")  # the space ends the hex escape and is not shown
        else:
            out.append(ch)
    return Markup('"' + "".join(out) + '"')


def plain_text(value: object) -> str:
    """User text for DOCX and XLSX: literal (no entities), without the control characters XML cannot hold."""
    return _NOT_XML.sub("", str(value))


def _plain(value: object) -> object:
    """`value` with `plain_text` applied to every string in it; the same object where nothing changes."""
    if isinstance(value, str):
        return plain_text(value) if _NOT_XML.search(value) else value
    if isinstance(value, BaseModel):
        update = {name: new for name, old in value if (new := _plain(old)) is not old}
        return value.model_copy(update=update) if update else value
    if isinstance(value, list | tuple):
        items = [_plain(v) for v in value]
        return type(value)(items) if any(a is not b for a, b in zip(items, value, strict=True)) else value
    if isinstance(value, dict):
        pairs = [(_plain(k), _plain(v)) for k, v in value.items()]
        changed = any(k is not k0 or v is not v0 for (k, v), (k0, v0) in zip(pairs, value.items(), strict=True))
        return dict(pairs) if changed else value
    return value


def plain_plan(plan: Plan) -> Plan:
    """The plan with `plain_text` applied to every string: a control character pasted into a brand or
    typed by a model would otherwise make python-docx and openpyxl refuse the whole document."""
    return cast(Plan, _plain(plan))


def fmt_date(d: date, language: str) -> str:
    return long_date(d, language)


def fmt_short_date(d: date, language: str) -> str:
    return short_date(d, language)


def campaign_notes(c: Campaign, language: str) -> list[str]:
    """What the reader must know about a campaign's dates: a carried campaign, a logistics constraint."""
    T = labels(language)["trade"]
    notes: list[str] = [T["carried"]] if c.carried else []
    if c.logistics != "normal":
        notes.append(T["logistics"][c.logistics])
    return notes


def milestones(c: Campaign, plan: Plan) -> list[tuple[str, Milestone]]:
    """The campaign's milestones in date order (a stable sort: same-day ones keep the plan's order), each
    with its date as text: short in a one-year plan, with the year in every row if any falls outside it."""
    marks = sorted(c.milestones, key=lambda m: m.day)
    y = plan.period.start.year
    short = plan.period.end.year == y and all(m.day.year == y for m in marks)
    return [(fmt_short_date(m.day, plan.language) if short else fmt_date(m.day, plan.language), m) for m in marks]


def follow_ups(plan: Plan) -> list[FollowUp]:
    """What is due after the plan ends, in date order."""
    return sorted(plan.measurement.follow_ups, key=lambda f: f.due)


def kpi_target(k: KPI, language: str) -> str:
    if k.unit == "%":
        return format_percent(k.target, 2)
    if k.unit == "count":
        return format_count(int(k.target), language)
    if k.unit == "x":
        return f"{k.target:g}x"
    return format_money(int(k.target), k.unit)


def fmt_ratio(x: float) -> str:
    """A return ratio as marketers write it: 3.2x."""
    return f"{x:g}x"


def channel_title(plan: Plan) -> str:
    """The budget-by-channel table's title: media by channel once the plan has a media category."""
    title: str = labels(plan.language)["budget"]["by_channel_media" if plan.budget.media is not None else "by_channel"]
    return title


def has_order_mix(rows: list[FunnelRow]) -> bool:
    """Whether the funnel rows split orders into new and returning (plans before release 2 do not)."""
    return any(r.new_orders is not None or r.returning_orders is not None for r in rows)


@dataclass(frozen=True)
class Fact:
    """One budget summary line: a label, a value of some kind, and a note shown after it."""

    label: str
    value: int | float | str
    kind: Literal["money", "percent", "ratio", "count", "text"]
    note: str = ""


def budget_facts(plan: Plan) -> tuple[list[Fact], list[Fact]]:
    """(plan type lines, feasibility lines): what the budget summary adds for release-2 plans; empty for older ones."""
    L = labels(plan.language)
    B = L["budget"]
    b = plan.budget
    head = [Fact(B["plan_type"], L["plan_types"][b.plan_type], "text")] if b.plan_type else []
    f = b.feasibility
    if f is None:
        return head, []
    facts = [
        Fact(B["paid_share"], f.paid_share, "percent"),
        Fact(B["required_roas"], f.required_roas, "ratio",
             f"{B['benchmark']} {f.roas_low:g}–{f.roas_high:g}x"),
    ]  # fmt: skip
    if f.status != "ok":
        if f.budget_needed is not None:
            facts.append(Fact(B["budget_needed"], f.budget_needed, "money"))
        if f.reachable_gmv is not None:
            facts.append(Fact(B["reachable_gmv"], f.reachable_gmv, "money"))
    if f.clicks:
        facts.append(Fact(B["clicks"], f.clicks, "count", f"{B['click_orders']} {f.click_orders:,}"))
    return head, facts


def fact_text(fact: Fact, plan: Plan) -> str:
    """The fact's value as text, with its note in brackets."""
    v = fact.value
    if fact.kind == "money":
        text = format_money(int(v), plan.currency)
    elif fact.kind == "percent":
        text = format_percent(float(v), 1)
    elif fact.kind == "ratio":
        text = fmt_ratio(float(v))
    elif fact.kind == "count":
        text = f"{int(v):,}"
    else:
        text = str(v)
    if not fact.note:
        return text
    return f"{text}（{fact.note}）" if plan.language == "zh" else f"{text} ({fact.note})"


def _environment(autoescape: bool) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"]) if autoescape else False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = md_escape
    env.filters["md_truncate"] = md_truncate
    env.filters["css_string"] = css_string
    env.filters["pct"] = lambda x, p=1: format_percent(float(x), p)
    return env


@cache
def environment(kind: str) -> Environment:
    return _environment(autoescape=kind == "html")


def punctuation(language: str) -> dict[str, str]:
    """Full-width in Chinese (方案周期：…；…（…）), ASCII with spaces in English."""
    if language == "zh":
        return {"col": "：", "semi": "；", "lp": "（", "rp": "）"}
    return {"col": ": ", "semi": "; ", "lp": " (", "rp": ")"}


def context(plan: Plan) -> dict[str, Any]:
    from planbot.render.executive import executive  # noqa: PLC0415 - executive builds on this module
    from planbot.render.months import change, change_text, month_table  # noqa: PLC0415 - as executive

    lang = plan.language
    cur = plan.currency
    head, feas = budget_facts(plan)
    return {
        **punctuation(lang),
        "ex": executive(plan),
        "E": labels(lang)["executive"],
        "year_kpis": [k for k in plan.kpis if k.scope == "year"],
        # the summary's first decision states the target against the budget: the notes do not repeat it
        "notes": [w for w in plan.warnings if w.rule not in ("roas_above_range", "roas_below_range")],
        "appendix_kpis": [k for k in plan.kpis if k.scope != "year"],
        "plan": plan,
        "L": labels(lang),
        "money": lambda a: format_money(int(a), cur),
        "money_c": lambda a: format_money_compact(int(a), cur, lang),
        "count": lambda n: format_count(int(n), lang),
        "date": lambda d: fmt_date(d, lang),
        "sdate": lambda d: fmt_short_date(d, lang),
        "target": lambda k: kpi_target(k, lang),
        "sources": {s.chunk_id: i + 1 for i, s in enumerate(plan.sources)},
        "campaign_names": {c.id: c.name for c in plan.calendar.campaigns},
        "sep": "、" if lang == "zh" else ", ",
        "ratio": fmt_ratio,
        "opt_money": lambda a: "" if a is None else format_money(int(a), cur),
        "opt_count": lambda n: "" if n is None else f"{int(n):,}",
        "opt_ratio": lambda x: "" if x is None else fmt_ratio(float(x)),
        "media_total": plan.budget.channel_total,
        "channel_title": channel_title(plan),
        "order_mix": has_order_mix([plan.funnel.year, *plan.funnel.quarters]),
        "channel_returns": any(c.attributed_gmv is not None or c.roas is not None for c in plan.channels.items),
        "campaign_notes": lambda c: campaign_notes(c, lang),
        "milestones": lambda c: milestones(c, plan),
        "follow_ups": follow_ups(plan),
        "facts": [(f.label, fact_text(f, plan)) for f in head],
        "feasibility": [(f.label, fact_text(f, plan)) for f in feas],
        "months": month_table(plan),  # None for a plan stored without months
        "change": lambda gmv, last: change_text(change(gmv, last)),
    }
