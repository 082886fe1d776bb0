"""Tactics sized to the money in their line: how many creators of each tier, host slots or IP tie-ups
a channel's budget pays for (playbook/media.yaml tactic_costs), and which playbook tactics the line
cannot pay for (an IP tie-up in a partners line of ¥80,000 is left out, and the plan says why)."""

from __future__ import annotations

from dataclasses import dataclass

from planbot.core.playbook.media import TacticCost
from planbot.core.sections.context import Context

TOP_SHARE = 0.4  # a creator pyramid puts at most this much of the line on top-tier creators
MID_SHARE = 0.5  # and half of what is left on mid-tier ones; micro creators take the rest
HOST_SHARE = 0.5  # at most half of the live money on hosts' slots; the rest promotes the shop's own live


@dataclass(frozen=True)
class Sized:
    line: str  # what the money buys, as a tactic line
    drops: tuple[str, ...]  # words of tactics the line cannot pay for


def _units(amount: float, cost: TacticCost) -> int:
    n = int(amount // cost.unit_cost)
    return n if n >= cost.min_units else 0


def size(ctx: Context, channel: str, amount: int) -> Sized | None:
    """The sizing line for a channel with priced tactics, or None for the others."""
    priced = ctx.fig.rules.tactic_costs[ctx.pb.market.key]
    costs: dict[str, TacticCost] = {str(c.key): c for c in priced if c.channel == channel}
    if not costs:
        return None
    lab = ctx.labels["sizing"]
    names, drops = lab["names"], lab["drops"]
    money = ctx.money

    def tier(key: str, n: int) -> str:
        return str(lab["tier"]).format(n=n, name=names[key], unit=money(costs[key].unit_cost))

    def none(key: str) -> str:
        return str(lab["none"]).format(name=names[key], unit=money(costs[key].unit_cost))

    if channel == "kol":
        parts, missing, left = [], [], float(amount)
        for key, cap in (("top_creator", TOP_SHARE), ("mid_creator", MID_SHARE), ("micro_creator", 1.0)):
            if key not in costs:
                continue
            n = _units(left * cap, costs[key])
            if n:
                parts.append(tier(key, n))
                left -= n * costs[key].unit_cost
            else:
                missing.append(key)
        text = ctx.sep.join(parts) if parts else lab["organic"]
        if missing:
            text += lab["join"] + ctx.sep.join(none(k) for k in missing)
        words = tuple(w for k in missing for w in drops.get(k, []))
        return Sized(str(lab["kol"]).format(amount=money(amount), parts=text), words)
    key = "host_slot" if channel == "livestream" else "ip_tie_up"
    if key not in costs:
        return None
    n = _units(amount * (HOST_SHARE if key == "host_slot" else 1.0), costs[key])
    if n:
        text = str(lab[f"{channel}_some"]).format(amount=money(amount), what=tier(key, n))
        return Sized(text, ())
    text = str(lab[f"{channel}_none"]).format(amount=money(amount), what=none(key))
    return Sized(text, tuple(drops.get(key, [])))


def unpaid(sized: dict[str, Sized]) -> tuple[str, ...]:
    """Words of every tactic some line cannot pay for (a host slot can be named in a creators' action)."""
    return tuple(dict.fromkeys(w for z in sized.values() for w in z.drops))


def affordable(text: str, words: tuple[str, ...]) -> bool:
    return not any(w.lower() in text.lower() for w in words)
