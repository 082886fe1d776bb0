"""Brief + playbooks + guidance + Writer -> a validated Plan.

A thin composition: the figures are computed once (sections/figures.py, through budget.py, kpi.py and
calendar.py), then each section is a small pure module of core/sections/ reading the brief, the
resolved playbooks (playbook/library.py) and those figures; the writer only supplies prose. A plan
that fails validation is a bug in the builder and is never returned.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from planbot.core import excerpts
from planbot.core.brief import Assumption, Brief
from planbot.core.citation_support import supports
from planbot.core.edits import Edit, apply_edit
from planbot.core.kpi import CAMPAIGN_CVR_LIFT, Note, derive_targets
from planbot.core.numbers import format_money_compact, format_percent
from planbot.core.plan import Citation, Plan, PlanIssue, PlanOverrides
from planbot.core.playbook import playbook
from planbot.core.playbook.library import ForeignScan, Resolved, foreign_scan, resolve
from planbot.core.playbook.media import rules
from planbot.core.playbook.schema import Source
from planbot.core.playbook.trade import trade
from planbot.core.ports import Passage, PassageFinder, Retriever, SectionRequest, Writer
from planbot.core.sections import calendar as cal
from planbot.core.sections import channels as chan
from planbot.core.sections import figures as F
from planbot.core.sections import history as H
from planbot.core.sections.context import Context
from planbot.core.sections.kpis import benchmark_for, category_defaults
from planbot.core.sections.kpis import kpis as kpi_rows
from planbot.core.sections.objectives import funnel_section, objectives_section
from planbot.core.sections.operations import always_on_section, measurement_section, team_section
from planbot.core.sections.risks import risks_section
from planbot.core.sections.situation import situation_section
from planbot.core.sections.strategy import strategy_section
from planbot.core.sections.summary import summary_section
from planbot.core.validate import validate
from planbot.errors import BadInput

__all__ = ["Builder", "new_plan_id", "threshold_offer"]
threshold_offer = cal.threshold_offer

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
    "campaign_cvr": "实时监测 转化率提升20%以上 real-time monitoring lifted CVR 20%",
    "brand_search": "品牌搜索量每月增长15% brand search +15% a month",
    "members": "私域 沉淀 公域到私域的闭环 private-domain users community members",
    "currency": "预算 分配 budget currency",
}
GUIDANCE_K = 3
GUIDANCE_POOL = 8  # passages fetched per section before those naming other platforms are dropped


def new_plan_id() -> str:
    return "pl_" + secrets.token_urlsafe(12)


class Builder:
    def __init__(self, retriever: Retriever, writer: Writer, clock: Callable[[], datetime] | None = None) -> None:
        self.retriever = retriever
        self.writer = writer
        self.clock = clock or (lambda: datetime.now(UTC))
        self.fact_chunks: dict[tuple[str, str], str] = {}  # (guide doc id, quote) -> the chunk that holds it

    def fact_passage(self, doc: str, quote: str, lang: str) -> Passage | None:
        """The indexed passage of a guide that holds a quote; remembered, and checked again on each use
        (a re-index may have replaced the chunk)."""
        known = self.fact_chunks.get((doc, quote))
        if known is not None and (p := self.retriever.get(known)) is not None and p.doc_id == doc:
            return p
        finder = self.retriever.find if isinstance(self.retriever, PassageFinder) else None
        hit = finder(doc, quote) if finder is not None else None
        if hit is None:  # no finder, or the quote spans two passages
            hit = next((p for p in self.retriever.search(quote, k=5, lang=lang) if p.doc_id == doc), None)
        if hit is not None:
            self.fact_chunks[doc, quote] = hit.chunk_id
        return hit

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

    def guidance(
        self, section: str, language: str, scan: ForeignScan | None = None, pb: Resolved | None = None
    ) -> list[Passage]:
        """Passages in the plan's language first (the other language fills gaps); none naming another platform,
        none from another market's, platform's or category's guide."""

        return self.passages(SECTION_QUERIES[section], language, GUIDANCE_K, GUIDANCE_POOL, scan, pb)

    def passages(
        self, query: str, language: str, k: int, pool: int, scan: ForeignScan | None, pb: Resolved | None
    ) -> list[Passage]:
        """Up to k of the top `pool` passages for a query that fit the plan (no other platform's name, no other
        playbook's guide), the plan's language first, the other language filling the gaps."""

        def fits(p: Passage) -> bool:
            return (scan is None or scan.fits(p.text)) and (pb is None or pb.speaks_for(p.doc_id))

        same = [p for p in self.retriever.search(query, k=pool, lang=language) if fits(p)][:k]
        if len(same) >= k:
            return same
        seen = {p.chunk_id for p in same}
        other = [p for p in self.retriever.search(query, k=pool) if p.chunk_id not in seen and fits(p)]
        return (same + other)[:k]


class _Build:
    """One build: the figures, the context the sections read, and the citations they collect."""

    def __init__(self, owner: Builder, brief: Brief, overrides: PlanOverrides, plan_id: str, version: int) -> None:
        self.o = owner
        self.brief = brief
        self.ov = overrides
        self.plan_id = plan_id
        self.version = version
        self.lang = brief.language
        self.labels: dict[str, Any] = playbook(self.lang)
        self.pb: Resolved = resolve(brief.market, brief.platforms, brief.category)
        self.scan = foreign_scan(brief.platforms, brief.channels)
        self.snippets: dict[str, str] = {}  # chunk id -> the quoted sentence, for passages cited as a fact's source
        self.cited: dict[str, Passage] = {}
        self.guidance_cache: dict[str, list[Passage]] = {}
        self.source_cache: dict[tuple[str, str], Passage | None] = {}

    # -- callbacks the sections use ------------------------------------------------------------------
    def prose(self, section: str, facts: dict[str, str]) -> tuple[str, list[str]]:
        if section not in self.guidance_cache:
            self.guidance_cache[section] = self.o.guidance(section, self.lang, self.scan, self.pb)
        passages = self.guidance_cache[section]
        out = self.o.writer.write(SectionRequest(section=section, language=self.lang, facts=facts, guidance=passages))
        by_id = {p.chunk_id: p for p in passages}
        said = " ".join([out.text, *facts.values()])  # the prose and the facts the section shows with it
        citations = [c for c in out.citations if c in by_id and supports(by_id[c].text, said)]
        for c in citations:
            self.cited[c] = by_id[c]
        return out.text, citations

    def cite_source(self, src: Source) -> str | None:
        """The indexed passage holding a playbook fact's quote (its guide in the plan's language)."""
        doc, quote = src.doc_id(self.lang), src.quote(self.lang)
        if not self.scan.fits(quote):  # the sources list shows the quote: never another platform's name
            return None
        if (doc, quote) not in self.source_cache:
            self.source_cache[doc, quote] = self.o.fact_passage(doc, quote, self.lang)
        found = self.source_cache[doc, quote]
        if found is None:
            return None
        self.cited[found.chunk_id] = found
        self.snippets.setdefault(found.chunk_id, quote)
        return found.chunk_id

    # -- the build ----------------------------------------------------------------------------------
    def run(self) -> Plan:
        own = H.own_baselines(self.brief, self.pb)
        defaults = H.own_defaults(self.brief, category_defaults(self.brief, self.pb), own, self.labels)
        try:
            d = derive_targets(self.brief, defaults)
        except ValueError as exc:
            raise BadInput(str(exc)) from exc
        goals: list[str] = [*self.brief.goal_focus] or [F.GOAL_DEFAULT]
        fig = F.Figures(d=d, goals=goals, own=own)
        ctx = Context(self.brief, self.ov, self.labels, self.pb, fig, self.prose, self.cite_source, self.scan)
        ctx.notes.extend(d.assumptions)
        ctx.notes.extend(H.history_notes(self.brief, self.pb, own, self.labels))
        ctx.warn_notes.extend(H.history_warnings(self.brief, own, self.labels))
        ctx.warn_notes.extend(d.warnings)
        if not self.brief.brand:
            ctx.notes.append(Note("brand", "brand", ctx.brand_name(), {"placeholder": ctx.brand_name()}))
        if not self.brief.goal_focus:
            ctx.notes.append(Note("goal_focus", "goal_focus", F.GOAL_DEFAULT))
        self.playbook_notes(ctx)
        F.select_campaigns(self.brief, self.ov, self.pb, fig, ctx.notes)
        bench = benchmark_for(self.pb, self.lang)[0]
        ctx.warn_notes += F.compute_budget(self.brief, self.ov, self.pb, fig, ctx.notes, bench)
        ctx.warn_notes += H.spend_warning(self.brief, own, fig.m.media, fig.t.gmv)
        reserve = format_money_compact(fig.reserve, self.brief.currency, self.lang)
        ctx.notes.append(Note("reserve", "reserve", reserve, {"share": format_percent(fig.rules.reserve.share)}))
        split = fig.rules.cost_split[fig.plan_type]
        value = "/".join(f"{round(v * 100):d}" for v in split.values())
        ctx.notes.append(Note("categories", "by_category", value, {"type": self.labels["plan_types"][fig.plan_type]}))
        F.compute_funnel(self.brief, fig, self.labels, ctx.notes, ctx.warn_notes)
        lift = format_percent(fig.campaign_cvr())
        ctx.notes.append(Note("campaign_cvr", "campaign_cvr", lift, {"lift": f"{CAMPAIGN_CVR_LIFT:g}"}))
        plan = self.assemble(ctx)
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

    def playbook_notes(self, ctx: Context) -> None:
        """Say which playbooks stand in: the generic category one for an unknown category, the generic platform."""
        if not self.pb.category_known:
            name = self.brief.category or self.labels["default_category"]
            ctx.notes.append(Note("category_playbook", "category", name, {"category": name}))
        if [p.key for p in self.pb.platforms] == ["generic"]:
            names = ctx.platforms_label()
            ctx.notes.append(Note("platform_playbook", "platforms", names, {"platforms": names}))

    def assemble(self, ctx: Context) -> Plan:
        kpis, kpi_cites = kpi_rows(ctx)
        campaigns = cal.campaigns(ctx, kpis)
        budget = chan.budget_section(ctx)
        channels = chan.channels_section(ctx)
        funnel = funnel_section(ctx)
        objectives = objectives_section(ctx)
        objectives.citations = list(dict.fromkeys([*objectives.citations, *kpi_cites]))
        strategy = strategy_section(ctx)
        situation = situation_section(ctx)
        calendar = cal.calendar_section(ctx, campaigns)
        always_on = always_on_section(ctx)
        measurement = measurement_section(ctx, campaigns)
        risks = risks_section(ctx)
        team = team_section(ctx)
        summary = summary_section(ctx)
        assumptions = self.assumptions(ctx.notes)
        warnings = [self.issue(n) for n in ctx.warn_notes]
        sources = [
            Citation(
                chunk_id=p.chunk_id,
                doc_id=p.doc_id,
                title=p.title,
                heading=excerpts.heading(p.text),
                # a guide in another language is cited by title and section: an English plan quotes no Chinese
                snippet=excerpts.quote(self.snippets.get(p.chunk_id) or p.text) if p.lang == self.lang else "",
            )
            for p in self.cited.values()
        ]
        brand = ctx.brand_name()
        title = (
            f"{brand}{ctx.period_label()}整合营销方案"
            if self.lang == "zh"
            else f"{brand} integrated marketing plan, {ctx.period_label()}"
        )
        assert self.brief.period is not None
        return Plan(
            id=self.plan_id,
            version=self.version,
            language=self.lang,
            currency=self.brief.currency,
            market=self.brief.market,
            title=title,
            created_at=self.o.clock(),
            period=self.brief.period,
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
            severity="warning", rule=note.key, path="", message=self.labels["warnings"][note.key].format(**note.args)
        )

    def assumptions(self, notes: list[Note]) -> list[Assumption]:
        out = []
        for n in notes:
            source = self.note_source(n)
            reason = self.labels["assumptions"][n.key].format(**n.args)
            out.append(Assumption(field=n.field, value=n.value, reason=reason, source=source))
        return out

    def note_source(self, n: Note) -> str | None:
        """The passage behind an assumption: the playbook's own source where it has one, else a search."""
        if n.key.endswith("_history"):  # the brand's own file: the reason names it, no guide stands behind it
            return None
        if n.key == "category_campaigns":
            return self.cite_source(self.pb.category.seasonality_source)
        if n.key in ("aov_category", "cvr_category", "repurchase_category"):
            return self.cite_source(benchmark_for(self.pb, self.lang)[0].source)
        media = rules()
        own = {
            "reserve": media.reserve.source,
            "categories": media.cost_split_source,
            "customer_model": media.customers.source,
            "returning_base": media.customers.source,
            "folded_channels": media.min_channel.source,
            "workdays_estimated": trade().workdays.cn_source,
            "carried": trade().edges.carry_source,
        }
        if n.key in own:
            return self.cite_source(own[n.key])
        query = ASSUMPTION_QUERIES.get(n.key, SECTION_QUERIES["summary"])
        found = self.o.passages(query, self.lang, 1, GUIDANCE_K, self.scan, self.pb)
        if not found:
            return None
        self.cited[found[0].chunk_id] = found[0]
        return found[0].chunk_id
