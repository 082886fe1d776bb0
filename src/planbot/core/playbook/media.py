"""How money is planned, as data (playbook/media.yaml): the reserve, cost categories per plan type,
each channel's timing, floor and expected return, the paid share of GMV, campaign roles, the launch
ramp, the customer model's cap and what priced tactics cost. Each figure cites its guide sentence."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from planbot.core.playbook.schema import ChannelKey, Market, Model, Source, TrafficModel, load_data

PATH = Path(__file__).resolve().parent / "media.yaml"
PlanType = Literal["annual", "part_year", "campaign", "launch"]
CostKey = Literal["media", "content", "people", "fees_tools"]
COST_KEYS: tuple[CostKey, ...] = ("media", "content", "people", "fees_tools")
Share = float


class Reserve(Model):
    share: float = Field(gt=0, lt=0.5)
    source: Source


class MinChannel(Model):
    share: float = Field(ge=0, lt=0.2)
    source: Source


class ChannelRule(Model):
    """Phase weights of a campaign's money for the channel, its always-on floor and its expected return."""

    warm_up: float = Field(ge=0)
    burst: float = Field(ge=0)
    follow_through: float = Field(ge=0)
    floor: float = Field(ge=0, le=1)
    return_: float = Field(gt=0, alias="return")

    def phases(self) -> dict[str, float]:
        return {"warm_up": self.warm_up, "burst": self.burst, "follow_through": self.follow_through}


class Launch(Model):
    spend: list[float] = Field(min_length=1)
    gmv: list[float] = Field(min_length=1)
    source: Source

    @model_validator(mode="after")
    def _front_loaded(self) -> Launch:
        if any(s <= g for s, g in zip(self.spend, self.gmv, strict=False)):
            raise ValueError("a launch's first months carry more of the spend than of the GMV")
        return self


class LaunchRetention(Model):
    return_: float = Field(gt=0, alias="return")
    channels: list[ChannelKey]
    source: Source


class Customers(Model):
    max_returning_share: float = Field(gt=0, lt=1)
    source: Source


class TacticCost(Model):
    key: Literal["top_creator", "mid_creator", "micro_creator", "host_slot", "ip_tie_up"]
    channel: ChannelKey
    unit_cost: int = Field(gt=0)
    min_units: int = Field(ge=1)


class MediaRules(Model):
    reserve: Reserve
    cost_split: dict[PlanType, dict[CostKey, Share]]
    cost_split_source: Source
    channels: dict[ChannelKey, ChannelRule]
    timing_source: Source
    floor_source: Source
    return_source: Source
    min_channel: MinChannel
    short_plan_floor: float = Field(gt=0, le=1)
    paid_share: dict[TrafficModel, Share]
    paid_share_source: Source
    campaign_roles: dict[Literal["S", "A", "B"], float]
    campaign_roles_source: Source
    launch: Launch
    launch_retention: LaunchRetention
    customers: Customers
    tactic_costs: dict[Market, list[TacticCost]]
    tactic_costs_source: dict[Market, Source]

    @model_validator(mode="after")
    def _complete(self) -> MediaRules:
        for kind, split in self.cost_split.items():
            if set(split) != set(COST_KEYS) or abs(sum(split.values()) - 1) > 1e-9:
                raise ValueError(f"cost_split.{kind} needs {COST_KEYS} summing to 1")
        if set(self.cost_split) != {"annual", "part_year", "campaign", "launch"}:
            raise ValueError("cost_split needs annual, part_year, campaign and launch")
        if len(self.channels) != 8:
            raise ValueError("media rules need all eight channels")
        return self

    def sources(self) -> list[Source]:
        return [
            self.reserve.source,
            self.cost_split_source,
            self.timing_source,
            self.floor_source,
            self.min_channel.source,
            self.return_source,
            self.paid_share_source,
            self.campaign_roles_source,
            self.launch.source,
            self.launch_retention.source,
            self.customers.source,
            *self.tactic_costs_source.values(),
        ]


class MediaRulesError(ValueError):
    """media.yaml does not load."""


def load_rules(path: Path = PATH) -> MediaRules:
    return load_data(path, MediaRules, MediaRulesError)


@cache
def rules() -> MediaRules:
    return load_rules()
