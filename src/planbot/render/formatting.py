"""Jinja2 environments and filters shared by the renderers: money, percentages, dates, escaping."""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from planbot.core.numbers import format_count, format_money, format_money_compact, format_percent
from planbot.core.plan import KPI, Plan

TEMPLATES = Path(__file__).resolve().parent / "templates"
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#])")


@cache
def labels(language: str) -> dict[str, Any]:
    with (Path(__file__).resolve().parent / "labels.yaml").open(encoding="utf-8") as fh:
        data: dict[str, dict[str, Any]] = yaml.safe_load(fh)
    return data["zh" if language == "zh" else "en"]


def md_escape(value: object) -> str:
    """Text from users, guides or a model, made inert in Markdown (no raw HTML, links or table breaks)."""
    text = re.sub(r"\s+", " ", str(value)).strip()
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return text.replace("<", "&lt;").replace(">", "&gt;")


def fmt_date(d: date, language: str) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if language == "zh" else f"{d:%b} {d.day}, {d.year}"


def fmt_short_date(d: date, language: str) -> str:
    return f"{d.month}月{d.day}日" if language == "zh" else f"{d:%b} {d.day}"


def kpi_target(k: KPI, language: str) -> str:
    if k.unit == "%":
        return format_percent(k.target, 2)
    if k.unit == "count":
        return format_count(int(k.target), language)
    if k.unit == "x":
        return f"{k.target:g}x"
    return format_money(int(k.target), k.unit)


def _environment(autoescape: bool) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"]) if autoescape else False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = md_escape
    env.filters["pct"] = lambda x, p=1: format_percent(float(x), p)
    return env


@cache
def environment(kind: str) -> Environment:
    return _environment(autoescape=kind == "html")


def context(plan: Plan) -> dict[str, Any]:
    lang = plan.language
    cur = plan.currency
    return {
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
    }
