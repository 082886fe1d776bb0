"""Cold start (process start to /readyz) and idle memory of `planbot serve` on an indexed data dir,
started the way `make run` starts it (warm-up on): RSS is read once the warm-up draft is done."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import httpx
import metrics
from tests.servers import Server, knowledge_template


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run(rounds: int = 3) -> list[str]:
    starts, rss_start, rss_idle = [], [], []
    with tempfile.TemporaryDirectory(prefix="planbot-bench-start-") as tmp:
        data = knowledge_template(Path(tmp))
        for _ in range(rounds):
            server = Server(data, PLANBOT_WARM_UP="true")
            t0 = time.perf_counter()
            server.start()
            starts.append(time.perf_counter() - t0)
            assert server.proc is not None
            rss_start.append(_rss_mb(server.proc.pid))
            time.sleep(15)  # the background warm-up (one draft and its charts) finishes
            httpx.get(server.url + "/healthz", timeout=10)
            rss_idle.append(_rss_mb(server.proc.pid))
            server.stop()
    metrics.record("cold_start_s", statistics.median(starts))
    metrics.record("rss_mb_idle", statistics.median(rss_idle))
    return [
        "## Start and memory",
        "",
        f"`planbot serve` on an indexed data dir, {rounds} starts (median): process start → /readyz "
        f"**{statistics.median(starts):.2f} s** (min {min(starts):.2f}, max {max(starts):.2f}). RSS at ready "
        f"{statistics.median(rss_start):.0f} MB; idle after the warm-up draft "
        f"**{statistics.median(rss_idle):.0f} MB**.",
    ]
