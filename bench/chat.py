"""Chat-turn latency and throughput against the served app: `planbot serve` (uvicorn) on SQLite.

50 sessions talk at once, each a scripted Chinese conversation: three brief turns, a draft and a
revision. Latency is per HTTP turn as the client sees it; throughput is turns per wall second.
"""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path

import httpx
import metrics
import numpy as np
from tests.servers import Server, knowledge_template

SCRIPT = [
    "户外用品，天猫+抖音",
    "2027年GMV目标8000万，客单价260",
    "预算一千万，重点做618和双11",
    "生成方案",
    "从搜索挪5%到直播",
]
BRIEF_TURNS = 3


def _converse(base: str, timings: dict[str, list[float]], failures: list[str]) -> None:
    with httpx.Client(base_url=base, timeout=120) as c:
        sid = c.post("/v1/sessions", json={}).json()["id"]
        for i, text in enumerate(SCRIPT):
            t0 = time.perf_counter()
            r = c.post(f"/v1/sessions/{sid}/messages", json={"text": text})
            elapsed = time.perf_counter() - t0
            if r.status_code != 200:
                failures.append(f"{r.status_code} {r.text[:100]}")
                return
            kind = "brief" if i < BRIEF_TURNS else ("draft" if text == "生成方案" else "revision")
            plan = r.json().get("plan")
            if kind != "brief" and (plan is None or plan["version"] != (1 if kind == "draft" else 2)):
                failures.append(f"{kind} made no plan version: {r.json()['reply'][:80]}")  # a turn that did no work
                return
            timings[kind].append(elapsed)


def _pct(xs: list[float]) -> tuple[float, float]:
    p = np.percentile(np.array(xs) * 1000, [50, 95])
    return float(p[0]), float(p[1])


def run(sessions: int = 50) -> list[str]:
    lines = [
        "## Chat turns through the served API",
        "",
        f"{sessions} concurrent sessions x {len(SCRIPT)} turns (3 brief turns, a draft, a revision: every draft "
        "must return version 1 and every revision version 2, else it counts as a failure) against `planbot serve` "
        "on SQLite WAL, with 1 and with 2 uvicorn workers (this machine has 2 cores).",
        "",
        "| workers | turns | count | p50 (ms) | p95 (ms) |",
        "| ---: | --- | ---: | ---: | ---: |",
    ]
    notes = []
    best: list[tuple[float, float]] = []
    for workers in (1, 2):
        rows, note, p95, rate = _run(sessions, workers)
        lines += rows
        notes.append(note)
        best.append((rate, p95))
    rate, p95 = max(best)  # the better configuration on this machine is the headline
    metrics.record("chat_turn_p95_ms_50c", p95)
    metrics.record("chat_turns_per_s_50c", rate)
    return [*lines, "", *notes]


def _run(sessions: int, workers: int) -> tuple[list[str], str, float, float]:
    with tempfile.TemporaryDirectory(prefix="planbot-bench-chat-") as tmp:
        data = knowledge_template(Path(tmp))
        server = Server(data, workers=workers).start()
        try:
            timings: dict[str, list[float]] = {"brief": [], "draft": [], "revision": []}
            failures: list[str] = []
            warm = [threading.Thread(target=_converse, args=(server.url, {k: [] for k in timings}, failures))
                    for _ in range(4 * workers)]  # warm every worker: model, BM25, search results  # fmt: skip
            for t in warm:
                t.start()
            for t in warm:
                t.join()
            threads = [
                threading.Thread(target=_converse, args=(server.url, timings, failures)) for _ in range(sessions)
            ]
            t0 = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.perf_counter() - t0
        finally:
            server.stop()
    every = [x for xs in timings.values() for x in xs]
    rows = []
    for kind, xs in (*timings.items(), ("all", every)):
        if xs:
            p50, p95 = _pct(xs)
            rows.append(f"| {workers} | {kind} | {len(xs)} | {p50:.0f} | {p95:.0f} |")
    rate = len(every) / wall if every else 0.0
    note = (f"{workers} worker(s): {rate:.1f} turns/s over {wall:.1f} s wall, failures: {len(failures)}"
            + (f" (first: {failures[0]})" if failures else "") + ".")  # fmt: skip
    return rows, note, _pct(every)[1] if every else float("nan"), rate
