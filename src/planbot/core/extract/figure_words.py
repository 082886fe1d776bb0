"""Words that say which brief field a figure is: a metric (客单价, visitors), money to spend, a sales
figure of some year, a growth, or a count that is no field at all (followers, income).

Kept apart from figures.py, which decides between them by distance and context.
"""

from __future__ import annotations

import re

# Words naming what a figure is. Specific metrics first: at equal distance they beat a bare target word.
_SPECIFIC: list[tuple[str, str]] = [
    ("aov", r"客单价?|笔单价|件单价|平均每单|每单|单均|\baov\b|average\s*(?:order|basket|ticket)(?:\s*(?:value|size))?|"
            r"avg\.?\s*(?:order|basket|ticket)(?:\s*value)?|per\s*order|ticket\s*size|"
            r"typical\s*(?:order|basket)|order\s*value|basket(?:\s*size)?"),
    ("uv_last_year", r"\buvs?\b|访客|流量|访问量?|进店|visitors?|traffic|sessions|visits"),
    ("new_customers_target", r"新客|新用户|拉新|new\s*(?:customers?|buyers|users)"),
    ("budget_total", r"预算|营销费用?|推广费用?|费用|花费|投放|投入|投(?![诉资])|budge?t|ad\s*spend|spend(?:ing)?|"
                     r"marketing|\bads\b"),
    ("repurchase_rate", r"复购率?|回购|repurchase|repeat(?:\s*(?:purchase|rate))?|retention"),
    ("cvr", r"转[化换]率?|\bcvr\b|conv(?:ersion)?\.?\s*rate|convrate|conversion|converts?\s*at|\bconv\b\.?"),
    # what a customer earns is no sales figure: "家庭年收入50万以上", "household income $100k+"
    ("other", r"(?<![去今明上本])年收入|(?:家庭|月|人均|个人)收入|收入水平|月薪|年薪|工资|薪资|income|salar(?:y|ies)|"
              r"\bearn(?:s|ing)?\b"),
]  # fmt: skip
_GENERIC: list[tuple[str, str]] = [
    ("growth_rate", r"增长|增速|同比|环比|涨|提升|下降|下滑|growth|grow|increase|decline|\byoy\b|\bup\b|\bdown\b|"
                    r"over\s*last\s*year"),
    ("last", r"去年|上一年|上年|前一年|last\s*(?:year|yr)|\bly\b|prior\s*year|up\s*from|\bdid\b|做了|跑下来|实际|"
             r"\bvs\.?(?![a-z])|versus|compared\s*(?:to|with)|相比|对比|"
             r"close\s*at|land\s*at"),
    ("this", r"今年|本年|this\s*(?:year|yr)"),
    ("next", r"明年|来年|下一年|next\s*(?:year|yr)"),
    # counts that are no brief field: a figure named by one of these is dropped, never a loose answer
    ("other", r"粉丝|关注|评分|评价|好评|点赞|播放|曝光|单量|followers|fans|likes|views|impressions|reviews|"
              r"ratings?|score|stars|\b(?:cpc|cpm|cpa|cac|cpl|roi|roas|acos|ctr|ltv)\b"),
    ("target", r"目标|做到|冲到|冲刺|冲|卖到|达到|翻到|提到|想做|要做|target|goal|aim(?:ing)?\s*for|\bhit\b|"
               r"\breach\b|get\s*to|\bwant|wanna|hoping\s*for|(?:'d|would)\s*like"),
    ("gmv", r"gmv|销售额|营业额|成交额|营收|收入|销售|年销|\bsales\b|revenue|turnover|\brev\b"),
]  # fmt: skip


def _ascii_bounds(pattern: str) -> str:
    """\\b between "年" and "U" is no boundary (CJK is \\w): bound English words by letters only."""
    return re.sub(r"(?<=[a-z)?])\\b", "(?![a-z])", re.sub(r"\\b(?=[a-z(])", "(?<![a-z])", pattern))


WORDS = [(name, re.compile(_ascii_bounds(p), re.I)) for name, p in [*_SPECIFIC, *_GENERIC]]
SPECIFIC_COUNT = len(_SPECIFIC)  # WORDS[:SPECIFIC_COUNT] name one metric; the rest are generic
