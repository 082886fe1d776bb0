"""The shape of the playbook data files: markets, platforms and categories.

What differs between plans lives in YAML under `playbook/market/`, `playbook/platform/` and
`playbook/category/`, one file per market, platform or category. Every file is validated against
these models when first read (a malformed file stops the loader, never a plan), and every fact a
plan can show carries the guide passage it comes from (`Source`): the knowledge guide
`knowledge/<guide>-<lang>.md` must contain the quote word for word (tests/unit/test_playbook_data.py),
so the plan can cite the passage in its sources list.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

Market = Literal["cn", "global"]
ChannelKey = Literal["search", "short_video", "kol", "feed_ads", "livestream", "private_domain", "crm", "partners"]
CHANNEL_KEYS: tuple[ChannelKey, ...] = (
    "search",
    "short_video",
    "kol",
    "feed_ads",
    "livestream",
    "private_domain",
    "crm",
    "partners",
)
RoleKey = Literal["lead", "performance", "content", "crm", "analyst", "ops", "cs"]
PhaseKey = Literal["warm_up", "burst", "follow_through"]
TrafficModel = Literal["search_shelf", "interest_feed", "seeding", "marketplace", "dtc", "social", "mixed"]
LadderTier = Literal["traffic", "profit", "image", "trial"]
GuideId = str


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


M = TypeVar("M", bound=BaseModel)


def load_data(path: Path, model: type[M], error: type[ValueError]) -> M:
    """A rules file validated against its model; a file that does not load is refused with its name."""
    try:
        return model.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise error(f"{path.name}: {exc}") from exc


class Text(Model):
    """One phrase in both plan languages."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def in_(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class TextList(Model):
    """A list of phrases in both plan languages (the lists need not be the same length)."""

    zh: list[str] = Field(min_length=1)
    en: list[str] = Field(min_length=1)

    def in_(self, lang: str) -> list[str]:
        return list(self.zh if lang == "zh" else self.en)


class Source(Model):
    """Where a fact comes from: a knowledge guide (id without its -zh/-en suffix) and the sentence
    that says it, quoted word for word from each language's guide."""

    guide: GuideId = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    zh: str = Field(min_length=4)
    en: str = Field(min_length=8)

    def quote(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def doc_id(self, lang: str) -> str:
        return f"{self.guide}-{'zh' if lang == 'zh' else 'en'}"


class Scoped(Model):
    """An item that may hold for some markets or some of the category's catalogue entries only.

    `markets`: empty for every market. `categories`: catalogue keys (core/playbook/categories.yaml), empty
    for every entry the category playbook serves (an alcohol rule in the food playbook names `alcohol`)."""

    markets: list[Market] = Field(default_factory=list)
    categories: list[str] = Field(default_factory=list)


class Fact(Scoped):
    """A sentence a plan may show, with its source."""

    text: Text
    source: Source


class Range(Model):
    low: float = Field(ge=0)
    high: float = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.low > self.high:
            raise ValueError(f"range low {self.low} is above high {self.high}")
        return self


class Benchmark(Model):
    """Typical figures for a category on a platform (or its market's default), with their source.

    Rates are fractions (0.025), money is in the market's currency (CNY for cn, USD for global),
    CPC in the same currency per click."""

    cvr: Range
    aov: Range
    repurchase_rate: Range  # share of buyers who buy again within the cycle
    repurchase_cycle_days: Range
    budget_share_of_gmv: Range
    roas: Range  # attributable GMV / media spend
    cpc: Range
    source: Source

    @model_validator(mode="after")
    def _plausible(self) -> Benchmark:
        for name in ("cvr", "repurchase_rate", "budget_share_of_gmv"):
            if getattr(self, name).high > 1:
                raise ValueError(f"{name} is a fraction (0.025), not a percentage")
        return self


class AlwaysOnItem(Scoped):
    area: Text
    cadence: Text
    actions: TextList
    owner_role: RoleKey
    source: Source


class RiskItem(Scoped):
    risk: Text
    trigger: Text
    impact: Text
    response: Text
    owner_role: RoleKey
    source: Source


class PersonaItem(Scoped):
    name: Text
    description: Text
    age: Text
    interests: TextList
    source: Source


class LadderItem(Scoped):
    """One rung of the price ladder: 引流款 (traffic), 利润款 (profit), 形象款 (image), 试用装 (trial)."""

    tier: LadderTier
    text: Text
    source: Source


class AdTool(Model):
    """A platform's own tool for a channel (万相台无界 for search on Tmall, 巨量千川 for feed ads on Douyin)."""

    name: Text
    channel: ChannelKey
    use: Text  # what it is used for, in a phrase
    source: Source


class DataSourceItem(Model):
    """Where a platform's numbers live and what to pull from it before planning."""

    name: Text
    pulls: TextList  # report names and metrics to export
    source: Source
    sales: bool = False  # holds the shop's GMV, orders, visitors and CVR (the KPI table's data source)


class ChannelText(Model):
    """A channel as a market plans it; platform-neutral (the platforms' tools are added from their files)."""

    name: Text
    role: Text
    tactics: TextList
    kpis: TextList


class SegmentText(Model):
    name: Text
    approach: Text


class MarketPlaybook(Model):
    """How a market plans: its channel set and their weights, generic actions, risks and research sources."""

    key: Market
    names: Text
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    channel_weights: dict[ChannelKey, float]
    channels: dict[ChannelKey, ChannelText]
    phase_actions: dict[PhaseKey, dict[ChannelKey, Text]]
    presale_action: Text
    always_on: list[AlwaysOnItem]
    risks: list[RiskItem]
    strategy: dict[Literal["product", "price", "place", "promotion", "traffic_loop"], TextList]
    segments: dict[Literal["new", "active", "dormant"], SegmentText]
    research_sources: TextList  # market-wide research (indices, reports), named in the situation
    default_campaigns: list[str] = Field(min_length=1)  # calendar keys, in priority order
    source: Source

    @model_validator(mode="after")
    def _complete(self) -> MarketPlaybook:
        missing = [k for k in CHANNEL_KEYS if k not in self.channels or k not in self.channel_weights]
        if missing:
            raise ValueError(f"market {self.key} lacks channels {missing}")
        for phase, acts in self.phase_actions.items():
            gaps = [k for k in CHANNEL_KEYS if k not in acts]
            if gaps:
                raise ValueError(f"market {self.key} phase {phase} lacks actions for {gaps}")
        return self


class PlatformPlaybook(Model):
    """One platform: how traffic reaches a shop there, its own tools, data, mechanics, rules and rhythm."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    names: Text
    market: Market | Literal["any"]
    traffic_model: TrafficModel
    traffic: Fact  # one sentence: how buyers find products here
    ad_tools: list[AdTool]
    data_sources: list[DataSourceItem]
    mechanics: list[Fact]  # native promotion mechanics (跨店满减, Lightning Deals)
    rules: list[Fact]  # platform rules that limit tactics (off-platform diversion, paid-seeding disclosure)
    always_on: list[AlwaysOnItem]
    risks: list[RiskItem] = Field(default_factory=list)
    events: list[str] = Field(default_factory=list)  # calendar keys only this kind of platform runs (prime_day)
    presale: list[str] = Field(default_factory=list)  # campaigns it runs with deposit presales (预售定金)
    channel_tilt: dict[ChannelKey, float] = Field(default_factory=dict)  # multiplies the market's weights
    extra_terms: list[str] = Field(default_factory=list)  # other names that identify it in text (淘宝群, 88VIP)

    def sales_data(self) -> DataSourceItem | None:
        """Where the shop's sales figures are read: the source marked `sales`, else the first."""
        return next((d for d in self.data_sources if d.sales), self.data_sources[0] if self.data_sources else None)

    def terms(self) -> list[str]:
        """Every name that says this platform: itself, its tools and data sources (for the no-foreign-platform scan)."""
        names = [self.names.zh, self.names.en, *self.extra_terms]
        names += [t.name.zh for t in self.ad_tools] + [t.name.en for t in self.ad_tools]
        names += [d.name.zh for d in self.data_sources] + [d.name.en for d in self.data_sources]
        return list(dict.fromkeys(n for n in names if n))


class ChannelTactics(Model):
    """How a category works a channel (萌宠博主试吃测评 for pet food on creators; 横评 for 3C)."""

    tactics: TextList
    source: Source


class CategoryPlaybook(Model):
    """One category: its moments, seasonality, benchmarks, personas, risks, compliance and product ladder."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    names: Text
    moments: dict[Market, list[str]]  # calendar keys, most important first
    seasonality: dict[Market, list[float]]  # 12 monthly demand indices (Jan..Dec), mean about 1
    seasonality_source: Source
    benchmarks: dict[Market, dict[str, Benchmark]]  # "default" plus platform keys
    personas: list[PersonaItem] = Field(min_length=1)
    facts: list[Fact] = Field(min_length=1)  # what a marketer knows about the category (situation)
    risks: list[RiskItem] = Field(min_length=1)
    compliance: list[Fact] = Field(min_length=1)
    product_ladder: list[LadderItem] = Field(min_length=1)
    channel_tilt: dict[ChannelKey, float] = Field(default_factory=dict)
    always_on: list[AlwaysOnItem] = Field(default_factory=list)
    channel_tactics: dict[ChannelKey, ChannelTactics] = Field(default_factory=dict)  # first in the channel's tactics
    # a moment that fits only some of what the category covers: kept when the brief's category words hold one
    # of its words, or hold none of any moment's words (猫粮 keeps 8.8 爱猫日, drops 8.26 爱犬日; 宠物食品 keeps both)
    moment_words: dict[str, list[str]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _shape(self) -> CategoryPlaybook:
        for market in ("cn", "global"):
            if market not in self.moments or market not in self.seasonality or market not in self.benchmarks:
                raise ValueError(f"category {self.key} needs moments, seasonality and benchmarks for {market}")
            curve = self.seasonality[market]
            if len(curve) != 12 or min(curve) <= 0:
                raise ValueError(f"category {self.key} {market} seasonality needs 12 positive monthly values")
            if "default" not in self.benchmarks[market]:
                raise ValueError(f"category {self.key} {market} benchmarks need a 'default' entry")
        return self
