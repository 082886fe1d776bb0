"""LLM mode with a model that never answers: how long the slowest chat turn takes.

Every request has one deadline for all its model calls (the timeout plus MARGIN_S,
planbot/llm/deadline.py), so with llm_timeout_s=3 and the default retries a turn should take about
3 s, never the sum of its calls' timeouts and retries (9 s before the deadline at this timeout;
91-123 s with the defaults). The fake OpenAI-compatible server from the tests accepts each request and
never answers, over real HTTP; the service is warmed up first, as `planbot serve` does at start.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import metrics
from tests.fake_llm import FakeLLM, silent

from planbot.config import Settings
from planbot.llm.deadline import MARGIN_S
from planbot.retrieval.index import KnowledgeIndex
from planbot.service import Planbot

TIMEOUT_S = 3.0
# (turn, message, the action it must end in): a turn that did something else measured the wrong thing
TURNS = [
    ("first message", "我们是青禾，做护肤，天猫和抖音，2027年全年，预算500万，GMV目标5000万", "reply"),
    ("draft", "生成方案", "draft"),
    ("question after the draft", "双11的预算是多少？", "answer"),
    ("revision", "把直播预算提高到30%", "revise"),
]


def run(index: KnowledgeIndex) -> list[str]:
    with FakeLLM(silent) as fake:
        data = Path(tempfile.mkdtemp(prefix="planbot-bench-silent-"))
        settings = Settings(data_dir=data, warm_up=False, llm_model="fake", llm_base_url=fake.url,
                            llm_api_key="x", llm_timeout_s=TIMEOUT_S)  # fmt: skip
        bot = Planbot(settings, index=index)
        bot.warm_up()
        owner = bot.local_owner()
        session = bot.start_session(owner).session_id
        rows: list[tuple[str, float, int]] = []
        for name, text, action in TURNS:
            before = len(fake.requests)
            t0 = time.perf_counter()
            result = bot.send_message(owner, session, text)
            rows.append((name, time.perf_counter() - t0, len(fake.requests) - before))
            if result.action != action:
                raise RuntimeError(f"the {name} ended in {result.action!r}, not {action!r}: {result.reply[:200]}")
    worst = max(seconds for _, seconds, _ in rows)
    metrics.record("llm_silent_turn_max_s", worst)
    bound = TIMEOUT_S + MARGIN_S
    return [
        f"## LLM mode, a model that never answers (timeout {TIMEOUT_S:g} s, retries {settings.llm_max_retries})",
        "",
        f"One deadline per request ({TIMEOUT_S:g} s + {MARGIN_S:g} s = {bound:g} s for all its model calls). "
        "Service turns of one conversation, seconds (model requests made): "
        + "; ".join(f"{name} {seconds:.2f} s ({n})" for name, seconds, n in rows)
        + f". **Slowest {worst:.2f} s** (target ≤ {metrics.target('llm_silent_turn_max_s'):g} s).",
    ]
