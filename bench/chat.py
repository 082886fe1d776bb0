"""Chat-turn latency and throughput against the served app: `planbot serve` (uvicorn) on SQLite.

50 sessions talk at once, each a scripted Chinese conversation: three brief turns, a draft and a
revision. Latency is per HTTP turn as the client sees it; throughput is turns per wall second.
"""

from __future__ import annotations

import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx
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
            timings[kind].append(elapsed)


def _pct(xs: list[float]) -> tuple[float, float]:
    p = np.percentile(np.array(xs) * 1000, [50, 95])
    return float(p[0]), float(p[1])


def run(sessions: int = 50) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="planbot-bench-chat-") as tmp:
        data = knowledge_template(Path(tmp))
        server = Server(data).start()
        try:
            timings: dict[str, list[float]] = {"brief": [], "draft": [], "revision": []}
            failures: list[str] = []
            _converse(server.url, {k: [] for k in timings}, failures)  # warm-up: caches, first BM25 load
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
    lines = [
        "## Chat turns through the served API",
        "",
        f"{sessions} concurrent sessions x {len(SCRIPT)} turns (3 brief turns, a draft, a revision) against "
        f"`planbot serve` (1 uvicorn worker, SQLite WAL). Failures: {len(failures)}.",
        "",
        "| turns | count | p50 (ms) | p95 (ms) |",
        "| --- | ---: | ---: | ---: |",
    ]
    for kind, xs in (*timings.items(), ("all", every)):
        if xs:
            p50, p95 = _pct(xs)
            lines.append(f"| {kind} | {len(xs)} | {p50:.0f} | {p95:.0f} |")
    lines += [
        "",
        f"Throughput: {len(every) / wall:.1f} turns/s over {wall:.1f} s wall "
        f"(mean {statistics.mean(every) * 1000:.0f} ms per turn as seen by a client).",
    ]
    return lines
