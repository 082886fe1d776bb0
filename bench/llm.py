"""LLM mode timing: with 1 s injected latency per call, how a plan's prose compares to one section's call.

Sections are written concurrently, so the plan should take about as long as its slowest section,
not the sum of twelve. The fake OpenAI-compatible server from the tests answers over real HTTP.
"""

from __future__ import annotations

import time

import metrics
from tests.fake_llm import FakeLLM, Reply

from planbot.config import REPO_ROOT, Settings
from planbot.core.builder import Builder
from planbot.core.plan import Plan
from planbot.llm.deadline import ModelCalls
from planbot.llm.writer import LLMWriter

LATENCY_S = 1.0


def run(builder: Builder, plan: Plan) -> list[str]:
    guidance = {name: builder.guidance(name, plan.language) for name in plan.sections()}
    with FakeLLM(lambda _body: Reply(latency_s=LATENCY_S)) as fake:
        settings = Settings(llm_model="fake", llm_base_url=fake.url, llm_api_key="x", llm_max_retries=0)
        writer = LLMWriter(ModelCalls(settings), REPO_ROOT / "prompts", "fake", concurrency=settings.llm_concurrency)
        writer.write_section(plan, "summary", guidance["summary"])  # warm-up: client, schema conversion
        t0 = time.perf_counter()
        writer.write_section(plan, "summary", guidance["summary"])
        one = time.perf_counter() - t0
        t0 = time.perf_counter()
        polished = writer.polish(plan, guidance)
        whole = time.perf_counter() - t0
    n = len(plan.sections())
    metrics.record("llm_parallel_ratio", whole / one)
    return [
        "## LLM mode (fake server, 1 s latency per call)",
        "",
        f"{n} sections, concurrency {settings.llm_concurrency}. One section call: {one:.2f} s; the whole plan's "
        f"prose: {whole:.2f} s; **ratio {whole / one:.2f}** (sequential would be ~{n:.0f}). "
        f"Calls: {polished.generation.calls}, fallbacks: {len(polished.generation.fallbacks)}.",
    ]
