"""Header names and units from headers.yaml: which column means which figure, in what unit.

The names live in data so a new back-end's export needs a line of YAML, not code; the schema below
refuses a malformed file at import, not on a user's upload.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from functools import cache, lru_cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

FieldKind = Literal["money", "count", "rate", "ratio", "text"]
FIGURES = ("gmv", "visitors", "orders", "buyers", "new_buyers", "ad_spend", "ad_sales")


class FieldSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: FieldKind
    aliases: list[str] = Field(min_length=1)


class UnitSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    factor: Decimal
    currency: str | None = None


class StyleSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    platform: str | None = None
    currency: str | None = None
    ad_channel: str | None = None
    markers: list[str] = []
    headers: list[str] = []


class ChannelSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    channel: str = Field(min_length=1)
    platform: str | None = None
    names: list[str] = Field(min_length=1)


class DateSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    month: list[str]
    week: list[str]
    day: list[str]
    end: list[str]


class HeaderData(BaseModel):
    """headers.yaml, checked: every figure has aliases, no alias means two fields."""

    model_config = ConfigDict(extra="forbid")
    fields: dict[str, FieldSpec]
    dates: DateSpec
    ad_context_sales: list[str]
    ad_suffixes: dict[Literal["ad_spend", "ad_sales"], list[str]]
    units: dict[str, UnitSpec]
    signs: dict[str, str]
    totals: list[str]
    styles: dict[str, StyleSpec]
    channels: list[ChannelSpec]

    @model_validator(mode="after")
    def _consistent(self) -> HeaderData:
        missing = set(FIGURES) - set(self.fields)
        if missing:
            raise ValueError(f"headers.yaml lacks fields {sorted(missing)}")
        seen: dict[str, str] = {}
        date_names = [*self.dates.month, *self.dates.week, *self.dates.day, *self.dates.end]
        for name, spec in [*self.fields.items(), *(("date", FieldSpec(kind="text", aliases=date_names)),)]:
            for alias in spec.aliases:
                key = norm(alias)
                if seen.setdefault(key, name) != name:
                    raise ValueError(f"headers.yaml: {alias!r} names both {seen[key]} and {name}")
        return self


@cache
def _t2s() -> object:
    import opencc  # noqa: PLC0415 - loaded once, on first use

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """Traditional -> Simplified, so 訪客數 and 支付金額(萬元) read like 访客数 and 支付金额(万元)."""
    if text.isascii():
        return text
    return str(_t2s().convert(text))  # type: ignore[attr-defined]


_DROP = re.compile(r"[\s_\-·:：/\\.,，]+")


@lru_cache(maxsize=8192)  # the same names and ad tools come back on every row
def norm(text: str) -> str:
    """The comparable form of a name: NFKC, Simplified, lower case, no spaces or separators."""
    return _DROP.sub("", simplified(unicodedata.normalize("NFKC", text)).lower())


@cache
def data() -> HeaderData:
    raw = resources.files("planbot.history_read").joinpath("headers.yaml").read_text("utf-8")
    return HeaderData.model_validate(yaml.safe_load(raw))


class Header(BaseModel):
    """What one header cell says: the field, the unit read from it and its multiplier."""

    field: str | None  # None: not a column the reader uses
    unit: str | None = None
    factor: Decimal = Decimal(1)
    currency: str | None = None
    period: Literal["month", "week", "day"] | None = None  # date columns: what a value stands for
    channel: str | None = None  # 直通车消耗: the ad line the header names
    ad_context: bool = False  # 成交金额: GMV in a shop report, the ad line's sales in an ad report


_UNIT = re.compile(r"^(?P<name>.*?)\s*(?:[(\[](?P<a>[^)\]]*)[)\]]|/(?P<b>[^/]+)|(?P<c>%))\s*$")


def split_unit(header: str) -> tuple[str, str | None]:
    """ "支付金额（万元）" -> ("支付金额", "万元"); "Spend ($)" -> ("Spend", "$"); "转化率%" -> ("转化率", "%")."""
    text = unicodedata.normalize("NFKC", header).strip()
    m = _UNIT.match(text)
    if m and m.group("name").strip():
        unit = (m.group("a") or m.group("b") or m.group("c") or "").strip()
        if norm(unit) in _units() or not unit:
            return m.group("name").strip(), unit or None
    for unit in sorted(_units(), key=len, reverse=True):  # a unit glued on: 成交额万元
        if not unit.isascii() and norm(text).endswith(unit) and len(norm(text)) > len(unit) + 1:
            return text[: len(text) - len(unit)].strip(), unit
    return text, None


@cache
def _units() -> dict[str, UnitSpec]:
    return {norm(k): v for k, v in data().units.items()}


@cache
def _aliases() -> dict[str, tuple[str, int]]:
    """Normalised alias -> (field, rank): a lower rank is the more telling name."""
    out: dict[str, tuple[str, int]] = {}
    for name, spec in data().fields.items():
        for rank, alias in enumerate(spec.aliases):
            out[norm(alias)] = (name, rank)
    return out


@cache
def _dates() -> dict[str, Literal["month", "week", "day", "end"]]:
    d = data().dates
    out: dict[str, Literal["month", "week", "day", "end"]] = {}
    for names, period in ((d.month, "month"), (d.week, "week"), (d.day, "day"), (d.end, "end")):
        for n in names:
            out[norm(n)] = period  # type: ignore[assignment]
    return out


def rank(text: str) -> int:
    """How telling a header is for its field (0 best), to choose between two columns of one field."""
    name, _ = split_unit(text)
    return _aliases().get(norm(name), ("", 99))[1]


def read_header(text: str) -> Header:
    """Recognise one header cell (with its unit), or say it is not used (field None)."""
    name, unit = split_unit(text)
    key = norm(name)
    spec = _units().get(norm(unit)) if unit else None
    factor = spec.factor if spec else Decimal(1)
    currency = spec.currency if spec else None
    if key in _dates():
        period = _dates()[key]
        if period == "end":
            return Header(field="date_end")
        return Header(field="date", period=period)
    if key in _aliases():
        field = _aliases()[key][0]
        context = key in {norm(a) for a in data().ad_context_sales}
        return Header(field=field, unit=unit, factor=factor, currency=currency, ad_context=context)
    for field, suffixes in data().ad_suffixes.items():  # 直通车消耗, 千川成交金额(元)
        for suffix in sorted(suffixes, key=len, reverse=True):
            s = norm(suffix)
            if key.endswith(s) and len(key) > len(s):
                tool = name[: len(name) - _raw_len(name, s)].strip()
                if tool and channel_of(tool) is not None:
                    return Header(field=field, unit=unit, factor=factor, currency=currency, channel=tool)
    return Header(field=None, unit=unit)


def _raw_len(name: str, suffix_norm: str) -> int:
    """How many characters at the end of `name` make up the normalised suffix."""
    for n in range(1, len(name) + 1):
        if norm(name[-n:]) == suffix_norm:
            return n
    return len(suffix_norm)


@cache
def _channels() -> dict[str, ChannelSpec]:
    return {norm(n): c for c in data().channels for n in c.names}


def channel_of(name: str) -> ChannelSpec | None:
    """The channel key (and platform) an exported ad tool name stands for, when headers.yaml knows it."""
    return _channels().get(norm(name))


@cache
def _totals() -> frozenset[str]:
    return frozenset(norm(t) for t in data().totals)


def is_total(text: str) -> bool:
    return norm(text) in _totals()
