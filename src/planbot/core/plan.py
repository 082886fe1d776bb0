"""The Plan schema: sections in the order a marketer reads them (design.md).

Money fields are plain integers in the plan's currency so that hand-edited JSON can still be
parsed and then *rejected with a reason* by the validator (negative money, broken sums),
instead of failing schema parsing with a less helpful message.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from planbot.core.brief import Assumption, Brief, GoalDimension, Language, Market, Period
from planbot.core.calendar import PhaseKind, Tier
from planbot.core.controls import strip_controls

Scope = Literal["year", "quarter", "campaign"]
Severity = Literal["error", "warning"]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Section(Model):
    """Every prose section carries its text and the chunk ids it cites."""

    text: str = ""
    citations: list[str] = Field(default_factory=list)


class Citation(Model):
    chunk_id: str
    doc_id: str
    title: str
    snippet: str  # whole sentences of the passage, plain text
    heading: str = ""  # the guide's section the passage sits in, plain text


class Persona(Model):
    description: str
    age: str
    regions: str
    interests: list[str]


class Swot(Model):
    strengths: list[str]
    weaknesses: list[str]
    opportunities: list[str]
    threats: list[str]


class Situation(Section):
    market: str
    competitors: str
    audience: Persona
    swot: Swot
    data_sources: list[str]


class Objective(Model):
    dimension: GoalDimension
    statement: str
    metric: str
    target: float
    unit: str
    due: date
    core: bool


class Objectives(Section):
    items: list[Objective]


class KPI(Model):
    id: str
    metric: str
    label: str
    target: float
    unit: str  # a currency code, "%", "count" or "x"
    owner_role: str
    due: date
    data_source: str
    scope: Scope
    scope_ref: str | None = None  # quarter key ("2027-Q2") or campaign key
    benchmark: str = ""  # the category's typical range on the plan's platforms, as text ("2%-4% (Tmall)")


class FunnelRow(Model):
    scope: str  # "year", a quarter key or a campaign key
    label: str
    currency: str
    gmv: int
    aov: int
    cvr: float
    uv: int
    orders: int
    new_orders: int | None = None  # first orders of new customers; new + returning == orders
    returning_orders: int | None = None
    campaign_gmv: int | None = None  # quarter rows: the part of the GMV sold in campaign phases
    gmv_last_year: int | None = None  # month rows: the same days a year earlier, from the brand's history


class Funnel(Section):
    year: FunnelRow
    quarters: list[FunnelRow]
    months: list[FunnelRow] = Field(default_factory=list)  # one per month of the period (plans since release 2)
    baseline_cvr: float
    campaign_cvr: float | None = None  # the CVR campaign days are planned at (the prose states it)
    always_on_cvr: float | None = None  # and the days between campaigns
    roas: float  # MER / 营销费效比: GMV / total marketing budget
    ad_roas: float | None = None  # attributable GMV / media spend
    paid_gmv: int | None = None  # GMV paid media is expected to drive


class Segment(Model):
    segment: Literal["new", "active", "dormant"]
    name: str
    approach: str


class Strategy(Section):
    product: list[str]
    price: list[str]
    place: list[str]
    promotion: list[str]
    traffic_loop: list[str]
    segments: list[Segment]


class ChannelPlan(Model):
    key: str
    name: str
    role: str
    share: float  # of the media budget
    amount: int
    tactics: list[str]
    kpis: list[str]
    attributed_gmv: int | None = None  # GMV this channel's spend is expected to drive
    roas: float | None = None  # attributed_gmv / amount


class Feasibility(Model):
    """Whether the media money can deliver the target at the category's returns, and the honest options."""

    status: Literal["ok", "above_range", "below_range"]
    paid_share: float  # share of GMV paid media drives (by the platforms' traffic models)
    paid_gmv: int
    required_roas: float  # paid_gmv / media
    roas_low: float
    roas_high: float
    budget_needed: int | None = None  # total budget the target needs at the edge of the range
    reachable_gmv: int | None = None  # the target this budget reaches at the edge of the range
    basis: Literal["category", "own", "mixed"] = "category"  # whose ROAS range: the category's, the brand's history
    clicks: int = 0  # what the search and feed-ads money buys at the category's CPC
    click_orders: int = 0  # those clicks at the plan's CVR


class Channels(Section):
    items: list[ChannelPlan]


class BudgetLine(Model):
    key: str
    label: str
    share: float
    amount: int
    attributed_gmv: int | None = None  # platform lines: the GMV their media is expected to drive
    roas: float | None = None
    benchmark: str = ""  # the category's ROAS range there


class PeriodBudget(Model):
    key: str  # "2027-Q1" or "2027-01"
    label: str
    start: date
    end: date
    share: float
    amount: int
    activities: list[str]


class Budget(Section):
    currency: str
    total: int
    reserve: int
    reserve_share: float
    allocated: int  # total - reserve: the cost categories, quarters and months sum to this
    always_on: int  # allocated money not tied to a campaign
    by_category: list[BudgetLine]
    by_channel: list[BudgetLine]  # sums to `media` (plans before release 2: to `allocated`)
    by_quarter: list[PeriodBudget]
    by_month: list[PeriodBudget]
    media: int | None = None  # the media cost category: what the channels and platforms spend
    by_platform: list[BudgetLine] = Field(default_factory=list)  # sums to `media`
    plan_type: Literal["annual", "part_year", "campaign", "launch"] | None = None
    feasibility: Feasibility | None = None

    @property
    def channel_total(self) -> int:
        """What the channel table sums to: the media (release-2 plans), else the allocated budget."""
        return self.media if self.media is not None else self.allocated


class Mechanic(Model):
    kind: Literal["threshold_discount", "percent_off", "second_item", "flash_sale", "gift", "coupon"]
    description: str
    threshold: int | None = None
    discount: int | None = None
    percent: float | None = None


class Action(Model):
    channel: str
    text: str


class Phase(Model):
    kind: PhaseKind
    name: str
    start: date
    end: date
    actions: list[Action]


MilestoneKind = Literal[
    "stock_order", "creative_final", "platform_open", "last_order", "ground_cutoff", "carrier_stop", "carrier_resume"
]
DEADLINE_KINDS: tuple[MilestoneKind, ...] = ("stock_order", "creative_final")  # the team's own: on working days


class Milestone(Model):
    """A dated fact or deadline around a campaign: stock and creative lead times, a platform's opening,
    a logistics cut-off or stop (core/trade_calendar.py)."""

    kind: MilestoneKind
    day: date
    text: str


Logistics = Literal["normal", "ends_before_cutoff", "virtual"]


class Campaign(Model):
    id: str  # "double11-2027": unique within the plan
    key: str  # catalogue key ("double11") or "custom-…"
    name: str
    day: date
    tier: Tier
    estimated: bool = False
    wave: str | None = None  # "tmall/first": a platform wave of a big sale (its day is the wave's last day)
    carried: bool = False  # next year's campaign whose warm-up starts inside the period (its day is after it)
    logistics: Logistics = "normal"  # physical bursts end by the last order day, or the campaign sells virtual goods
    milestones: list[Milestone] = Field(default_factory=list)
    phases: list[Phase]
    mechanics: list[Mechanic]
    currency: str
    budget: int
    budget_by_purpose: list[BudgetLine]  # the campaign's money by channel and its content production
    funnel: FunnelRow
    kpis: list[str]


class CalendarSection(Section):
    campaigns: list[Campaign]


class AlwaysOnItem(Model):
    area: str
    cadence: str
    actions: list[str]
    owner_role: str


class AlwaysOn(Section):
    items: list[AlwaysOnItem]


class Alert(Model):
    metric: str
    threshold: str
    response: str


class Review(Model):
    campaign: str
    due: date
    agenda: str


class FollowUp(Model):
    """Something due after the plan ends (a repurchase check a cycle after the last campaign): not a KPI."""

    campaign: str | None = None
    due: date
    text: str


class Measurement(Section):
    dashboards: list[str]
    alerts: list[Alert]
    ab_tests: list[str]
    reviews: list[Review]
    follow_ups: list[FollowUp] = Field(default_factory=list)


class Risk(Model):
    risk: str
    trigger: str
    impact: str
    response: str
    owner_role: str


class Risks(Section):
    items: list[Risk]


class TeamRole(Model):
    role: str
    responsibilities: list[str]


class Team(Section):
    items: list[TeamRole]


class CustomCampaignSpec(Model):
    name: Annotated[str, Field(min_length=1, max_length=80)]
    day: date

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, v: object) -> object:
        """A campaign's name heads its calendar entry: no control characters in it."""
        return strip_controls(v).strip() if isinstance(v, str) else v


class PlanOverrides(Model):
    """What revisions changed beyond the brief; the builder re-derives every number from these."""

    channel_shares: dict[str, float] = Field(default_factory=dict)
    platform_shares: dict[str, float] = Field(default_factory=dict)  # platform key -> share of media
    excluded_campaigns: list[str] = Field(default_factory=list)
    custom_campaigns: list[CustomCampaignSpec] = Field(default_factory=list)


class PlanIssue(Model):
    severity: Severity
    rule: str
    path: str
    message: str


class Generation(Model):
    """Who wrote the prose: the offline writer, or a model (with its token usage and what fell back)."""

    engine: Literal["offline", "llm"] = "offline"
    model: str | None = None
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    fallbacks: list[str] = Field(default_factory=list)  # sections that kept the offline text
    reasons: dict[str, str] = Field(default_factory=dict)  # why, per section
    seconds: float = 0.0


class Plan(Model):
    id: str
    version: int = 1
    language: Language
    currency: str
    market: Market
    title: str
    created_at: datetime
    period: Period
    brief: Brief
    overrides: PlanOverrides = Field(default_factory=PlanOverrides)
    summary: Section
    situation: Situation
    objectives: Objectives
    kpis: list[KPI]
    funnel: Funnel
    strategy: Strategy
    channels: Channels
    budget: Budget
    calendar: CalendarSection
    always_on: AlwaysOn
    measurement: Measurement
    risks: Risks
    team: Team
    assumptions: list[Assumption]
    sources: list[Citation]
    warnings: list[PlanIssue] = Field(default_factory=list)
    generation: Generation = Field(default_factory=Generation)

    def sections(self) -> dict[str, Section]:
        return {
            "summary": self.summary,
            "situation": self.situation,
            "objectives": self.objectives,
            "funnel": self.funnel,
            "strategy": self.strategy,
            "channels": self.channels,
            "budget": self.budget,
            "calendar": self.calendar,
            "always_on": self.always_on,
            "measurement": self.measurement,
            "risks": self.risks,
            "team": self.team,
        }
