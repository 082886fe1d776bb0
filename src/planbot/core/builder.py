"""Brief + guidance + Writer -> a validated Plan.

Every number is computed here (through budget.py, kpi.py and calendar.py); the writer only
supplies prose. A plan that fails validation is a bug in the builder and is never returned.
"""

from __future__ import annotations

import math
import re
import secrets
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from planbot.core import budget as B
from planbot.core import calendar as C
from planbot.core.brief import Assumption, Brief, GoalDimension
from planbot.core.catalog import ad_channel_key, analytics_sources, channel_key, platform_key, platform_name
from planbot.core.edits import Edit, apply_edit
from planbot.core.kpi import (
    BRAND_SEARCH_GROWTH,
    CAMPAIGN_CVR_LIFT,
    MEMBER_SHARE,
    Derivation,
    Note,
    derive_targets,
)
from planbot.core.kpi import funnel_row as make_funnel
from planbot.core.numbers import format_count, format_money_compact, format_percent
from planbot.core.plan import (
    KPI,
    Action,
    Alert,
    AlwaysOn,
    AlwaysOnItem,
    Budget,
    BudgetLine,
    CalendarSection,
    Campaign,
    ChannelPlan,
    Channels,
    Citation,
    Funnel,
    FunnelRow,
    Measurement,
    Mechanic,
    Objective,
    Objectives,
    PeriodBudget,
    Persona,
    Phase,
    Plan,
    PlanIssue,
    PlanOverrides,
    Review,
    Risk,
    Risks,
    Scope,
    Section,
    Segment,
    Situation,
    Strategy,
    Swot,
    Team,
    TeamRole,
)
from planbot.core.playbook import playbook
from planbot.core.ports import Passage, Retriever, SectionRequest, Writer
from planbot.core.sections import test_channels as T
from planbot.core.validate import validate
from planbot.errors import BadInput

# What the builder asks the knowledge base for, per section (bilingual so both guide languages match).
SECTION_QUERIES: dict[str, str] = {
    "summary": "年度整合营销方案 流程 annual integrated marketing plan",
    "situation": "市场调研 竞品 用户画像 SWOT market research competitors persona",
    "objectives": "SMART 目标 KPI 拆解 goals KPI decomposition",
    "funnel": "GMV UV 转化率 客单价 漏斗 funnel conversion rate average order value",
    "strategy": "4P 策略 公域 私域 用户分层 strategy private domain segments",
    "channels": "渠道 分配 搜索 社交媒体 channel split search social",
    "budget": "预算 分配 费用类别 应急储备 budget allocation reserve categories",
    "calendar": "大促 预热期 爆发期 延续期 campaign phases warm-up burst",
    "always_on": "日常运营 内容 社群 会员 CRM always-on content community membership",
    "measurement": "监测 复盘 看板 预警 A/B measurement review dashboards",
    "risks": "风险 应对 预案 risks contingency",
    "team": "团队 分工 负责人 roles owners team",
}
# Queries that find the passage stating each default figure, so an assumption cites its real source.
ASSUMPTION_QUERIES: dict[str, str] = {
    "aov": "默认值 客单价 200元 default average order value 60 dollars",
    "cvr": "默认值 平均转化率 2.5% average conversion rate default assume",
    "cvr_uplift": "转化率提升 不低于10% yearly CVR uplift goal at least 10%",
    "gmv_from_growth": "同比增长 GMV 目标 SMART year-on-year growth goals",
    "gmv_from_new_customers": "新客订单 占总订单 35% first-time buyers 35% of orders",
    "new_customers": "新客订单 占总订单 35% first-time buyers 35% of orders",
    "repurchase": "会员复购率 不低于15% 活动结束后30天 repurchase 15% measured 30 days",
    "campaigns": "每个季度都要有活动 every quarter carries work Q1 forgets",
    "goal_focus": "聚焦一到两个核心目标 辅助目标 focus one or two core goals",
    "reserve": "应急储备 预留10% 再分配规则 contingency reserve 10% re-allocation rule",
    "categories": "费用类别 广告投放50% 内容制作20% cost category advertising 50% content 20% people 20%",
    "campaign_cvr": "实时监测 转化率提升20%以上 real-time monitoring lifted CVR 20%",
    "brand_search": "品牌搜索量每月增长15% brand search +15% a month",
    "members": "私域 沉淀 公域到私域的闭环 private-domain users community members",
    "currency": "预算 分配 budget currency",
}
GOAL_ORDER = ("sales", "users", "conversion", "brand")
AGE_RANGE = re.compile(r"(\d{2})\s*[-–~到至]\s*(\d{2})\s*(?:岁|years|yrs|y/o)?")
GUIDANCE_K = 3


def _fill(args: dict[str, str], items: list[str]) -> list[str]:
    return [x.format(**args) for x in items]


def add_working_days(d: date, n: int) -> date:
    while n > 0:
        d += timedelta(days=1)
        if d.weekday() < 5:
            n -= 1
    return d


def new_plan_id() -> str:
    return "pl_" + secrets.token_urlsafe(12)


def _nice_step(x: float) -> int:
    if x < 10:
        return 1
    digits = len(str(int(x)))
    return 10 if digits == 2 else 5 * 10 ** (digits - 2)


def threshold_offer(aov: int, factor: float, rate: float, language: str) -> tuple[int, int]:
    """A threshold discount (满减) sized from the AOV: 满299减50 style in Chinese, round numbers in English."""
    raw = max(aov * factor, 2)
    step = _nice_step(raw)
    threshold = math.ceil(raw / step) * step
    if language == "zh" and step >= 10:
        threshold -= 1  # 299, not 300
    dstep = max(1, step // 5)
    discount = int(((threshold + 1) * rate) / dstep + 0.5) * dstep
    discount = min(max(discount, 1), threshold - 1) if threshold > 1 else 0
    return threshold, discount


class Builder:
    def __init__(self, retriever: Retriever, writer: Writer, clock: Callable[[], datetime] | None = None) -> None:
        self.retriever = retriever
        self.writer = writer
        self.clock = clock or (lambda: datetime.now(UTC))

    # -- public -------------------------------------------------------------------------------------
    def build(
        self,
        brief: Brief,
        overrides: PlanOverrides | None = None,
        plan_id: str | None = None,
        version: int = 1,
    ) -> Plan:
        missing = brief.missing()
        if missing:
            raise BadInput("the brief is missing required fields: " + ", ".join(missing), {"missing": missing})
        if brief.period is None or brief.budget_total is None:  # narrowed for the type checker
            raise BadInput("the brief needs a period and a budget")
        return _Build(self, brief, overrides or PlanOverrides(), plan_id or new_plan_id(), version).run()

    def revise(self, plan: Plan, edits: Sequence[Edit]) -> Plan:
        """The next version: each edit changes the brief or overrides, then every number is derived again."""
        current = plan
        for edit in edits:
            brief, overrides = apply_edit(current, edit)
            current = self.build(brief, overrides, plan.id, plan.version + 1)
        return current

    def guidance(self, section: str, language: str) -> list[Passage]:
        """Passages in the plan's language first; the other language only fills the gaps."""
        same = self.retriever.search(SECTION_QUERIES[section], k=GUIDANCE_K, lang=language)
        if len(same) >= GUIDANCE_K:
            return same
        seen = {p.chunk_id for p in same}
        other = [p for p in self.retriever.search(SECTION_QUERIES[section], k=GUIDANCE_K) if p.chunk_id not in seen]
        return (same + other)[:GUIDANCE_K]


class _Build:
    """One build: holds the intermediate figures so each section reads like the plan it produces."""

    def __init__(self, owner: Builder, brief: Brief, overrides: PlanOverrides, plan_id: str, version: int) -> None:
        assert brief.period is not None and brief.budget_total is not None
        self.o = owner
        self.brief = brief
        self.ov = overrides
        self.plan_id = plan_id
        self.version = version
        self.lang = brief.language
        self.pb: dict[str, Any] = playbook(self.lang)
        self.tests: dict[str, str] = {}  # channels under test: key -> the user's name (compute_budget)
        self.period = brief.period
        self.total = brief.budget_total
        self.cur = brief.currency
        self.notes: list[Note] = []
        self.warn_notes: list[Note] = []
        self.cited: dict[str, Passage] = {}
        self.guidance_cache: dict[str, list[Passage]] = {}

    # -- helpers ------------------------------------------------------------------------------------
    def money(self, amount: int) -> str:
        return format_money_compact(amount, self.cur, self.lang)

    def role(self, key: str) -> str:
        return str(self.pb["roles"][key])

    def guidance(self, section: str) -> list[Passage]:
        if section not in self.guidance_cache:
            self.guidance_cache[section] = self.o.guidance(section, self.lang)
        return self.guidance_cache[section]

    def prose(self, section: str, facts: dict[str, str]) -> tuple[str, list[str]]:
        passages = self.guidance(section)
        out = self.o.writer.write(SectionRequest(section=section, language=self.lang, facts=facts, guidance=passages))
        by_id = {p.chunk_id: p for p in passages}
        citations = [c for c in out.citations if c in by_id]
        for c in citations:
            self.cited[c] = by_id[c]
        return out.text, citations

    def period_label(self) -> str:
        s, e = self.period.start, self.period.end
        if s.month == 1 and s.day == 1 and e.month == 12 and e.day == 31 and s.year == e.year:
            return f"{s.year}年" if self.lang == "zh" else str(s.year)
        if self.lang == "zh":
            return f"{s.year}年{s.month}月{s.day}日至{e.year}年{e.month}月{e.day}日"
        return f"{s:%b %-d, %Y} – {e:%b %-d, %Y}"

    def platforms_label(self) -> str:
        names = list(
            dict.fromkeys(platform_name(k, self.lang) if (k := platform_key(p)) else p for p in self.brief.platforms)
        )
        if self.lang == "zh" or len(names) < 2:
            return "、".join(names)
        return ", ".join(names[:-1]) + " and " + names[-1]

    def channel_info(self, key: str) -> dict[str, Any]:
        """A core channel's playbook entry, or the entry of a channel under test (core/sections/test_channels)."""
        if key in self.tests:
            return T.test_entry(self.tests[key], self.pb)
        entry: dict[str, Any] = self.pb["channels"][key]
        return entry

    def brand_name(self) -> str:
        """The brand as the user named it, else a placeholder the reader sees must be filled in."""
        return self.brief.brand or str(self.pb["brand_placeholder"])

    # -- the build ----------------------------------------------------------------------------------
    def run(self) -> Plan:
        try:
            self.d: Derivation = derive_targets(self.brief)
        except ValueError as exc:
            raise BadInput(str(exc)) from exc
        self.t = self.d.targets
        self.notes.extend(self.d.assumptions)
        self.warn_notes.extend(self.d.warnings)
        if not self.brief.brand:
            self.notes.append(Note("brand", "brand", self.brand_name(), {"placeholder": self.brand_name()}))
        self.goals = list(self.brief.goal_focus) or ["sales"]
        if not self.brief.goal_focus:
            self.notes.append(Note("goal_focus", "goal_focus", "sales"))

        self.select_campaigns()
        self.compute_budget()
        self.compute_funnel()
        plan = self.assemble()
        report = validate(plan)
        errors = [i for i in report if i.severity == "error"]
        if errors:
            # only reachable through revisions that ask for the impossible (e.g. removing a quarter's last campaign)
            raise BadInput(
                "the plan would be inconsistent: " + "; ".join(i.message for i in errors),
                {"issues": [i.model_dump() for i in errors]},
            )
        plan.warnings = [i for i in report if i.severity == "warning"]  # the report already holds plan.warnings
        return plan

    def select_campaigns(self) -> None:
        requested = [k for c in self.brief.campaigns if (k := C.match_campaign(c))]
        custom = [C.CustomCampaign(c.name, c.day) for c in self.ov.custom_campaigns]
        self.campaigns, added = C.select_campaigns(
            self.brief.market,
            requested,
            self.period.start,
            self.period.end,
            self.lang,
            self.brief.platforms,
            custom,
            self.ov.excluded_campaigns,
        )
        if added and (requested or custom):
            names = [c.name for c in self.campaigns if c.key in added]
            sep = "、" if self.lang == "zh" else ", "
            self.notes.append(Note("campaigns", "campaigns", sep.join(names), {"names": sep.join(names)}))
        for c in self.campaigns:
            if c.clipped:
                self.warn_notes.append(Note("clipped", args={"name": c.name}))
            if c.estimated:
                self.warn_notes.append(Note("estimated", args={"name": c.name, "note": self.pb["estimated_note"]}))

    def compute_budget(self) -> None:
        self.reserve, self.allocated = B.split_reserve(self.total)
        self.notes.append(
            Note("reserve", "reserve", self.money(self.reserve), {"share": format_percent(B.RESERVE_SHARE)})
        )
        self.notes.append(Note("categories", "by_category", "50/20/20/10"))
        self.tests = T.channels_to_test(self.brief.channels, self.brief.platforms)
        unknown = [c for c in self.brief.channels if not (ad_channel_key(c) or channel_key(c))]
        if unknown:
            self.warn_notes.append(Note("allowed_channels", args={"channels": ", ".join(unknown)}))
        if self.tests:
            names = ("、" if self.lang == "zh" else ", ").join(self.tests.values())
            self.notes.append(Note("test_channels", "channels", names,
                                   {"names": names, "share": format_percent(T.TEST_SHARE)}))  # fmt: skip
        weights = T.with_tests(B.channel_weights(self.brief.market, self.brief.platforms, self.goals), self.tests)
        if self.ov.channel_shares:
            total_w = sum(weights.values())
            weights = B.apply_share_overrides({k: v / total_w for k, v in weights.items()}, self.ov.channel_shares)
        self.by_channel = B.allocate(self.allocated, weights)
        self.by_category = B.allocate(self.allocated, B.CATEGORY_SHARES)

        self.inten = B.intensity(self.period.start, self.period.end, self.campaigns)
        month_w = self.inten.month_totals()
        self.month_amounts = B.largest_remainder(self.allocated, month_w)
        self.month_gmv = B.largest_remainder(self.t.gmv, month_w)
        camp_totals = self.inten.campaign_totals()
        buckets = [sum(self.inten.always_on)] + [camp_totals[c.uid] for c in self.campaigns]
        amounts = B.largest_remainder(self.allocated, buckets)
        gmvs = B.largest_remainder(self.t.gmv, buckets)
        self.always_on_amount = amounts[0]
        self.camp_budget = {c.uid: a for c, a in zip(self.campaigns, amounts[1:], strict=True)}
        self.camp_gmv = {c.uid: g for c, g in zip(self.campaigns, gmvs[1:], strict=True)}

    def compute_funnel(self) -> None:
        quarters = C.quarters_in(self.period.start, self.period.end)
        self.quarter_rows: list[FunnelRow] = []
        self.quarter_amounts: list[int] = []
        for y, q in quarters:
            idx = [i for i, (my, mm) in enumerate(self.inten.months) if my == y and (mm - 1) // 3 + 1 == q]
            gmv = sum(self.month_gmv[i] for i in idx)
            self.quarter_amounts.append(sum(self.month_amounts[i] for i in idx))
            label = self.pb["quarter_label"].format(year=y, q=q)
            self.quarter_rows.append(make_funnel(B.quarter_key(y, q), label, self.cur, gmv, self.t.aov, self.t.cvr))
        uv = sum(r.uv for r in self.quarter_rows)
        year_label = "全周期" if self.lang == "zh" else "Whole period"
        self.year_row = FunnelRow(
            scope="year",
            label=year_label,
            currency=self.cur,
            gmv=self.t.gmv,
            aov=self.t.aov,
            cvr=self.t.cvr,
            uv=uv,
            orders=round(uv * self.t.cvr),
        )
        self.notes.append(
            Note(
                "campaign_cvr",
                "campaign_cvr",
                format_percent(min(self.t.cvr * CAMPAIGN_CVR_LIFT, 0.5)),
                {"lift": f"{CAMPAIGN_CVR_LIFT:g}"},
            )
        )

    # -- sections -----------------------------------------------------------------------------------
    def assemble(self) -> Plan:
        kpis = self.kpis()
        campaigns = self.calendar_campaigns(kpis)
        budget = self.budget_section()
        channels = self.channels_section()
        funnel = self.funnel_section()
        objectives = self.objectives_section()
        strategy = self.strategy_section()
        situation = self.situation_section()
        calendar = self.calendar_section(campaigns)
        always_on = self.always_on_section()
        measurement = self.measurement_section(campaigns)
        risks = self.risks_section()
        team = self.team_section()
        summary = self.summary_section()
        assumptions = self.assumptions()
        warnings = [self.issue(n) for n in self.warn_notes]
        sources = [
            Citation(chunk_id=p.chunk_id, doc_id=p.doc_id, title=p.title, snippet=p.text[:240])
            for p in self.cited.values()
        ]
        brand = self.brand_name()
        title = (
            f"{brand}{self.period_label()}整合营销方案"
            if self.lang == "zh"
            else f"{brand} integrated marketing plan, {self.period_label()}"
        )
        return Plan(
            id=self.plan_id,
            version=self.version,
            language=self.lang,
            currency=self.cur,
            market=self.brief.market,
            title=title,
            created_at=self.o.clock(),
            period=self.period,
            brief=self.brief,
            overrides=self.ov,
            summary=summary,
            situation=situation,
            objectives=objectives,
            kpis=kpis,
            funnel=funnel,
            strategy=strategy,
            channels=channels,
            budget=budget,
            calendar=calendar,
            always_on=always_on,
            measurement=measurement,
            risks=risks,
            team=team,
            assumptions=assumptions,
            sources=sources,
            warnings=warnings,
        )

    def issue(self, note: Note) -> PlanIssue:
        return PlanIssue(
            severity="warning",
            rule=note.key,
            path="",
            message=self.pb["warnings"][note.key].format(**note.args),
        )

    def assumptions(self) -> list[Assumption]:
        out = []
        for n in self.notes:
            query = ASSUMPTION_QUERIES.get(n.key, SECTION_QUERIES["summary"])
            passages = self.o.retriever.search(query, k=1, lang=self.lang) or self.o.retriever.search(query, k=1)
            source = passages[0].chunk_id if passages else None
            if source is not None:
                self.cited[source] = passages[0]
            reason = self.pb["assumptions"][n.key].format(**n.args)
            out.append(Assumption(field=n.field, value=n.value, reason=reason, source=source))
        return out

    def kpis(self) -> list[KPI]:
        lab, end = self.pb["kpi_labels"], self.period.end
        src = dict(self.pb["data_sources"])
        shop = analytics_sources(self.brief.platforms, self.lang)
        if shop:  # name the plan's own platforms' analytics instead of a generic "shop analytics"
            for metric in ("gmv", "uv", "cvr", "aov"):
                src[metric] = " / ".join(shop)
        t = self.t
        rows: list[KPI] = []

        def add(
            metric: str,
            target: float,
            unit: str,
            owner: str,
            due: date,
            scope: Scope = "year",
            ref: str | None = None,
            label: str | None = None,
        ) -> None:
            kid = f"{metric}-{ref or 'year'}"
            rows.append(
                KPI(
                    id=kid,
                    metric=metric,
                    label=label or lab[metric],
                    target=target,
                    unit=unit,
                    owner_role=self.role(owner),
                    due=due,
                    data_source=src[metric],
                    scope=scope,
                    scope_ref=ref,
                )
            )

        add("gmv", t.gmv, self.cur, "lead", end)
        add("uv", self.year_row.uv, "count", "performance", end)
        add("cvr", t.cvr, "%", "lead", end)
        add("aov", t.aov, self.cur, "lead", end)
        add("orders", self.year_row.orders, "count", "lead", end)
        add("new_customers", t.new_customers, "count", "crm", end)
        add("repurchase_rate", t.repurchase_rate, "%", "crm", end)
        add("roas", round(t.gmv / self.total, 2), "x", "performance", end)
        add("members", t.members, "count", "crm", end)
        self.notes.append(Note("members", "members", str(t.members), {"share": format_percent(MEMBER_SHARE)}))
        if "brand" in self.goals:
            add("brand_search", BRAND_SEARCH_GROWTH, "%", "content", end)
            self.notes.append(
                Note(
                    "brand_search",
                    "brand_search",
                    format_percent(BRAND_SEARCH_GROWTH),
                    {"value": format_percent(BRAND_SEARCH_GROWTH)},
                )
            )
        for row in self.quarter_rows:
            y, q = int(row.scope[:4]), int(row.scope[-1])
            due = min(C.quarter_bounds(y, q)[1], end)
            add("gmv", row.gmv, self.cur, "lead", due, "quarter", row.scope, f"{lab['gmv']} · {row.label}")
            add("uv", row.uv, "count", "performance", due, "quarter", row.scope, f"{lab['uv']} · {row.label}")
        for c in self.campaigns:
            row = self.campaign_funnel(c)
            add("gmv", row.gmv, self.cur, "lead", c.end, "campaign", c.uid, f"{lab['gmv']} · {c.name}")
            add("uv", row.uv, "count", "performance", c.end, "campaign", c.uid, f"{lab['uv']} · {c.name}")
            add("orders", row.orders, "count", "lead", c.end, "campaign", c.uid, f"{lab['orders']} · {c.name}")
            add(
                "repurchase_rate",
                t.repurchase_rate,
                "%",
                "crm",
                c.end + timedelta(days=30),
                "campaign",
                c.uid,
                f"{lab['repurchase_rate']} · {c.name}",
            )
        return rows

    def campaign_funnel(self, c: C.CampaignDates) -> FunnelRow:
        cvr = min(self.t.cvr * CAMPAIGN_CVR_LIFT, 0.5)
        return make_funnel(c.uid, c.name, self.cur, self.camp_gmv[c.uid], self.t.aov, cvr)

    def offer_amount(self, x: int) -> str:
        return format_money_compact(x, self.cur, "en") if self.lang == "en" else str(x)

    def mechanics(self, c: C.CampaignDates) -> list[Mechanic]:
        m = self.pb["mechanics"]
        out = []
        th, di = threshold_offer(self.t.aov, 1.15, 0.17, self.lang)
        out.append(
            Mechanic(
                kind="threshold_discount",
                description=m["threshold"].format(threshold=self.offer_amount(th), discount=self.offer_amount(di)),
                threshold=th,
                discount=di,
            )
        )
        if c.tier == "S":
            th2, di2 = threshold_offer(self.t.aov, 2.3, 0.2, self.lang)
            if th2 > th:
                out.append(
                    Mechanic(
                        kind="threshold_discount",
                        threshold=th2,
                        discount=di2,
                        description=m["threshold_high"].format(
                            threshold=self.offer_amount(th2), discount=self.offer_amount(di2)
                        ),
                    )
                )
            out.append(
                Mechanic(kind="percent_off", percent=0.5, description=m["percent_off"].format(percent="50%", zhe=5))
            )
            out.append(Mechanic(kind="flash_sale", description=m["flash_sale"]))
        if c.tier in ("S", "A"):
            out.append(Mechanic(kind="second_item", description=m["second_item"]))
        out.append(Mechanic(kind="gift", description=m["gift"]))
        th3, di3 = threshold_offer(self.t.aov, 0.8, 0.15, self.lang)
        out.append(
            Mechanic(
                kind="coupon",
                threshold=th3,
                discount=di3,
                description=m["coupon"].format(threshold=self.offer_amount(th3), discount=self.offer_amount(di3)),
            )
        )
        return out

    def calendar_campaigns(self, kpis: list[KPI]) -> list[Campaign]:
        ranked = [a.key for a in sorted(self.by_channel, key=lambda a: -a.share)]
        out = []
        for c in self.campaigns:
            phases = []
            for p in c.phases:
                acts = self.pb["phase_actions"][p.kind]
                chosen = ranked[:5]
                if p.kind == "follow_through":
                    chosen += [k for k in ("crm", "private_domain") if k in ranked and k not in chosen]
                actions = [Action(channel=k, text=acts[k]) for k in chosen]
                if c.key == "double11" and p.kind == "warm_up":
                    actions.insert(0, Action(channel="platform", text=self.pb["presale_action"]))
                phases.append(
                    Phase(
                        kind=p.kind,
                        name=self.pb["phase_names"][p.kind],
                        start=p.start,
                        end=p.end,
                        actions=actions,
                    )
                )
            amount = self.camp_budget[c.uid]
            purpose = B.allocate(amount, B.PURPOSE_SHARES)
            out.append(
                Campaign(
                    id=c.uid,
                    key=c.key,
                    name=c.name,
                    day=c.day,
                    tier=c.tier,
                    estimated=c.estimated,
                    phases=phases,
                    mechanics=self.mechanics(c),
                    currency=self.cur,
                    budget=amount,
                    budget_by_purpose=[
                        BudgetLine(key=a.key, label=self.pb["purposes"][a.key], share=a.share, amount=a.amount)
                        for a in purpose
                    ],
                    funnel=self.campaign_funnel(c),
                    kpis=[k.id for k in kpis if k.scope_ref == c.uid],
                )
            )
        return out

    def budget_section(self) -> Budget:
        months = []
        month_shares = B.shares([float(a) for a in self.month_amounts])
        for i, (y, m) in enumerate(self.inten.months):
            s, e = B.month_bounds(y, m, self.period.start, self.period.end)
            months.append(
                PeriodBudget(
                    key=B.month_key(y, m),
                    label=self.pb["month_label"].format(year=y, month=m, month_name=self.pb["month_names"][m - 1]),
                    start=s,
                    end=e,
                    share=month_shares[i],
                    amount=self.month_amounts[i],
                    activities=self.activities(s, e),
                )
            )
        quarters = []
        q_shares = B.shares([float(a) for a in self.quarter_amounts])
        for i, row in enumerate(self.quarter_rows):
            y, q = int(row.scope[:4]), int(row.scope[-1])
            qs, qe = C.quarter_bounds(y, q)
            s, e = max(qs, self.period.start), min(qe, self.period.end)
            quarters.append(
                PeriodBudget(
                    key=row.scope,
                    label=row.label,
                    start=s,
                    end=e,
                    share=q_shares[i],
                    amount=self.quarter_amounts[i],
                    activities=self.activities(s, e),
                )
            )
        camp_total = self.allocated - self.always_on_amount
        text, cites = self.prose(
            "budget",
            {
                "budget": self.money(self.total),
                "reserve": self.money(self.reserve),
                "reserve_share": format_percent(B.RESERVE_SHARE),
                "allocated": self.money(self.allocated),
                "campaign_share": format_percent(camp_total / self.allocated if self.allocated else 0),
            },
        )
        return Budget(
            text=text,
            citations=cites,
            currency=self.cur,
            total=self.total,
            reserve=self.reserve,
            reserve_share=B.RESERVE_SHARE,
            allocated=self.allocated,
            always_on=self.always_on_amount,
            by_category=[
                BudgetLine(key=a.key, label=self.pb["categories"][a.key], share=a.share, amount=a.amount)
                for a in self.by_category
            ],
            by_channel=[
                BudgetLine(key=a.key, label=self.channel_info(a.key)["name"], share=a.share, amount=a.amount)
                for a in self.by_channel
            ],
            by_quarter=quarters,
            by_month=months,
        )

    def activities(self, s: date, e: date) -> list[str]:
        names = []
        for c in self.campaigns:
            for p in c.phases:
                if p.start <= e and p.end >= s:
                    names.append(f"{c.name} · {self.pb['phase_names'][p.kind]}")
        return [*names, self.pb["always_on_activity"]]

    def channels_section(self) -> Channels:
        items = []
        for a in self.by_channel:
            ch = self.channel_info(a.key)
            items.append(
                ChannelPlan(
                    key=a.key,
                    name=ch["name"],
                    role=ch["role"],
                    share=a.share,
                    amount=a.amount,
                    tactics=list(ch["tactics"]),
                    kpis=list(ch["kpis"]),
                )
            )
        top = max(self.by_channel, key=lambda a: a.share)
        text, cites = self.prose(
            "channels",
            {
                "top_channel": self.channel_info(top.key)["name"],
                "top_share": format_percent(top.share),
                "n_channels": str(len(items)),
            },
        )
        return Channels(text=text, citations=cites, items=items)

    def funnel_section(self) -> Funnel:
        text, cites = self.prose(
            "funnel",
            {"baseline_cvr": format_percent(self.t.baseline_cvr, 2), "cvr": format_percent(self.t.cvr, 2)},
        )
        return Funnel(
            text=text,
            citations=cites,
            year=self.year_row,
            quarters=self.quarter_rows,
            baseline_cvr=self.t.baseline_cvr,
            roas=round(self.t.gmv / self.total, 2),
        )

    def objectives_section(self) -> Objectives:
        o, t, end = self.pb["objectives"], self.t, self.period.end
        due = end.isoformat()
        growth = o["growth"].format(growth=format_percent(t.growth)) if t.growth is not None else ""
        # per goal dimension: (statement, metric, target, unit)
        specs: dict[GoalDimension, tuple[str, str, float, str]] = {
            "sales": (o["sales"].format(gmv=self.money(t.gmv), due=due, growth=growth), "gmv", t.gmv, self.cur),
            "brand": (
                o["brand"].format(value=format_percent(BRAND_SEARCH_GROWTH)),
                "brand_search",
                BRAND_SEARCH_GROWTH,
                "%",
            ),
            "users": (
                o["users"].format(
                    new_customers=format_count(t.new_customers, self.lang),
                    due=due,
                    repurchase=format_percent(t.repurchase_rate),
                ),
                "new_customers",
                t.new_customers,
                "count",
            ),
            "conversion": (
                o["conversion"].format(
                    baseline=format_percent(t.baseline_cvr, 2), target=format_percent(t.cvr, 2), due=due
                ),
                "cvr",
                t.cvr,
                "%",
            ),
        }
        items = [
            Objective(
                dimension=g, statement=st, metric=metric, target=target, unit=unit, due=end, core=g in self.goals[:2]
            )
            for g in sorted(self.goals, key=GOAL_ORDER.index)
            for st, metric, target, unit in [specs[g]]
        ]
        core_sentence = " ".join(i.statement + ("。" if self.lang == "zh" else ".") for i in items if i.core)
        text, cites = self.prose("objectives", {"core_goal_sentence": core_sentence})
        return Objectives(text=text, citations=cites, items=items)

    def strategy_section(self) -> Strategy:
        s = self.pb["strategy"]
        args = {
            "hero": self.brief.category or self.pb["default_category"],
            "aov": self.money(self.t.aov),
            "platforms": self.platforms_label(),
        }
        segs = [
            Segment(segment=k, name=s["segments"][k]["name"], approach=s["segments"][k]["approach"])
            for k in ("new", "active", "dormant")
        ]
        text, cites = self.prose("strategy", {})
        return Strategy(
            text=text,
            citations=cites,
            product=_fill(args, s["product"]),
            price=_fill(args, s["price"]),
            place=_fill(args, s["place"]),
            promotion=_fill(args, s["promotion"]),
            traffic_loop=list(s["traffic_loop"]),
            segments=segs,
        )

    def situation_section(self) -> Situation:
        s = self.pb["situation"]
        sep = "、" if self.lang == "zh" else ", "
        args = {
            "category": self.brief.category or self.pb["default_category"],
            "market_name": self.pb["market_names"][self.brief.market],
            "platforms": self.platforms_label(),
            "audience": self.brief.audience or self.pb["default_audience"],
            "campaigns": sep.join(dict.fromkeys(c.name for c in self.campaigns)),
        }
        p = s["persona"]
        age = p["age"]
        if self.brief.audience and (m := AGE_RANGE.search(self.brief.audience)):
            age = f"{m[1]}-{m[2]}岁" if self.lang == "zh" else f"{m[1]}-{m[2]}"
        persona = Persona(
            description=p["description"].format(**args),
            age=age,
            regions=p["regions"],
            interests=list(p["interests"]),
        )
        swot = Swot(**{k: _fill(args, v) for k, v in s["swot"].items()})
        text, cites = self.prose("situation", {"audience": args["audience"]})
        return Situation(
            text=text,
            citations=cites,
            market=s["market"].format(**args),
            competitors=s["competitors"].format(**args),
            audience=persona,
            swot=swot,
            data_sources=list(s["data_sources"]),
        )

    def calendar_section(self, campaigns: list[Campaign]) -> CalendarSection:
        sep = "、" if self.lang == "zh" else ", "
        dates = sep.join(
            f"{c.name} {c.day:%m-%d}" if self.lang == "en" else f"{c.name}（{c.day.month}月{c.day.day}日）"
            for c in campaigns
        )
        years = sorted({c.day.year for c in campaigns}) or [self.period.start.year]
        text, cites = self.prose("calendar", {"years": "/".join(map(str, years)), "campaigns": dates})
        return CalendarSection(text=text, citations=cites, campaigns=campaigns)

    def always_on_section(self) -> AlwaysOn:
        items = [
            AlwaysOnItem(
                area=i["area"],
                cadence=i["cadence"],
                actions=list(i["actions"]),
                owner_role=self.role(i["owner_role"]),
            )
            for i in self.pb["always_on"]
        ]
        text, cites = self.prose("always_on", {})
        return AlwaysOn(text=text, citations=cites, items=items)

    def measurement_section(self, campaigns: list[Campaign]) -> Measurement:
        m = self.pb["measurement"]
        reviews = [
            Review(
                campaign=c.id,
                due=add_working_days(c.phases[-1].end, 3),
                agenda=m["review_agenda"].format(campaign=c.name),
            )
            for c in campaigns
        ]
        text, cites = self.prose("measurement", {})
        return Measurement(
            text=text + " " + m["process_metrics"],
            citations=cites,
            dashboards=list(m["dashboards"]),
            alerts=[Alert(**a) for a in m["alerts"]],
            ab_tests=list(m["ab_tests"]),
            reviews=reviews,
        )

    def risks_section(self) -> Risks:
        items = [Risk(**{**r, "owner_role": self.role(r["owner_role"])}) for r in self.pb["risks"]]
        text, cites = self.prose("risks", {"reserve": self.money(self.reserve)})
        return Risks(text=text, citations=cites, items=items)

    def team_section(self) -> Team:
        items = [
            TeamRole(role=self.role(r["role"]), responsibilities=list(r["responsibilities"])) for r in self.pb["team"]
        ]
        text, cites = self.prose("team", {})
        return Team(text=text, citations=cites, items=items)

    def summary_section(self) -> Section:
        sep = "、" if self.lang == "zh" else ", "
        core_goal = self.pb["goal_names"][self.goals[0]]
        text, cites = self.prose(
            "summary",
            {
                "brand": self.brand_name(),
                "period_label": self.period_label(),
                "platforms": self.platforms_label(),
                "budget": self.money(self.total),
                "reserve": self.money(self.reserve),
                "core_goal": core_goal,
                "gmv": self.money(self.t.gmv),
                "uv": format_count(self.year_row.uv, self.lang),
                "cvr": format_percent(self.t.cvr, 2),
                "aov": self.money(self.t.aov),
                "roas": f"{self.t.gmv / self.total:.1f}" + ("" if self.lang == "zh" else "x"),
                "n_campaigns": str(len(self.campaigns)),
                "campaigns": sep.join(c.name for c in self.campaigns),
            },
        )
        return Section(text=text, citations=cites)
