"""Every citation of a plan carries a figure or a specific term of what its section says (issue 22).

The retriever's best passage for a section's question is not always about what the section ends
up saying; such a passage is not cited (core/citation_support.py)."""

from __future__ import annotations

import json

from planbot.core.citation_support import supports, terms
from planbot.core.plan import Plan
from planbot.retrieval.index import KnowledgeIndex


def test_every_citation_supports_its_section(plans: dict[str, Plan], retriever: KnowledgeIndex) -> None:
    checked = 0
    for key, plan in plans.items():
        for name, section in plan.sections().items():
            said = json.dumps(section.model_dump(mode="json"), ensure_ascii=False)
            for cid in section.citations:
                passage = retriever.get(cid)
                assert passage is not None, (key, name, cid)
                assert supports(passage.text, said), (key, name, cid, passage.text[:200])
                checked += 1
    assert checked >= 40  # the plans still cite: a rule that dropped every citation would pass vacuously


def test_support_is_a_shared_figure_or_a_specific_term() -> None:
    assert supports("预热期一般在活动前7-10天开始。", "双11预热期从10月20日开始")  # a term, in either wording
    assert supports("Warm-up starts 7-10 days before the sale.", "双11预热期从10月20日开始")  # across languages
    assert supports("应急储备留10%。", "预留¥50万（10%）作机动")  # the figure
    assert not supports("客单价国内按200元估算。", "本方案总预算¥500万，GMV目标¥5,000万")
    assert not supports("预算要写清楚目标。", "Budget and goals by quarter")  # generic words support nothing
    assert terms("BFCM week") and terms("黑五") & terms("Black Friday")
