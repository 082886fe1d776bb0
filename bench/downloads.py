"""Speed at the click (issue 20): `export_all_s`, what the background job takes to render all six
formats of a fresh plan version, and `download_p95_ms`, a download of a rendered version over real
HTTP from `planbot serve` (SQLite, as `make run` starts it)."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import httpx
import metrics
import numpy as np
from tests.servers import Server, knowledge_template

from planbot.config import Settings
from planbot.core.plan import Plan
from planbot.render import FORMATS, render
from planbot.render_pool import render_all, warm
from planbot.store.documents import DocumentRows
from planbot.store.repository import Store

BRIEF = "户外用品，天猫+抖音，2027年GMV目标8000万，预算一千万，客单价260，重点做618和双11"


def export_all(plan: Plan, rounds: int = 3) -> list[str]:
    """The job's work on fresh copies of `plan` (a new version each time: no chart is cached), with the
    job's settings (PLANBOT_RENDER_PROCESSES parallel processes), against the formats in sequence."""
    processes = Settings().render_processes
    warm(processes)
    for _ in render_all(plan.model_copy(update={"version": 900}), FORMATS, processes):
        pass  # the pool's processes are up and have loaded their libraries
    job, sequential = [], []
    for i in range(rounds):
        fresh = plan.model_copy(update={"version": 1000 + i})
        t0 = time.perf_counter()
        done = [fmt for fmt, _ in render_all(fresh, FORMATS, processes)]
        job.append(time.perf_counter() - t0)
        assert sorted(done) == sorted(FORMATS)
        fresh = plan.model_copy(update={"version": 2000 + i})
        t0 = time.perf_counter()
        for fmt in FORMATS:
            render(fresh, fmt)
        sequential.append(time.perf_counter() - t0)
    metrics.record("export_all_s", statistics.median(job))
    return [
        f"Render job, all six formats of a fresh version with {processes} processes: median of {rounds} "
        f"**{statistics.median(job):.2f} s** (max {max(job):.2f}); the same formats one after another in "
        f"one process: {statistics.median(sequential):.2f} s.",
    ]


def _wait_rendered(db: Store, pid: str, wait_s: float = 600) -> str:
    rows = DocumentRows(db)
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        job = rows.job(pid, 1)
        if job is not None and job.status in ("done", "failed"):
            return job.status
        time.sleep(0.1)
    return "timed out"


def run(rounds: int = 10) -> list[str]:
    """`rounds` downloads of each format of one rendered plan (after one of each, unmeasured)."""
    with tempfile.TemporaryDirectory(prefix="planbot-bench-downloads-") as tmp:
        data = knowledge_template(Path(tmp))
        server = Server(
            data, PLANBOT_RATE_LIMIT_PER_MINUTE="0", PLANBOT_RENDER_WORKER="true", PLANBOT_RENDER_POLL_S="0.5"
        )
        server.start()
        db = Store(f"sqlite:///{data / 'planbot.db'}")
        try:
            with httpx.Client(base_url=server.url, timeout=120) as client:
                r = client.post("/v1/plans", json={"text": BRIEF})
                r.raise_for_status()
                pid = r.json()["id"]
                t0 = time.perf_counter()
                status = _wait_rendered(db, pid)
                job_s = time.perf_counter() - t0
                for fmt in FORMATS:
                    client.get(f"/v1/plans/{pid}/export/{fmt}").raise_for_status()
                per: dict[str, list[float]] = {fmt: [] for fmt in FORMATS}
                for _ in range(rounds):
                    for fmt in FORMATS:
                        t = time.perf_counter()
                        client.get(f"/v1/plans/{pid}/export/{fmt}").raise_for_status()
                        per[fmt].append((time.perf_counter() - t) * 1000)
                sizes = {fmt: len(client.get(f"/v1/plans/{pid}/export/{fmt}").content) for fmt in FORMATS}
        finally:
            db.close()
            server.stop()
    every = [ms for samples in per.values() for ms in samples]
    p95 = float(np.percentile(every, 95))
    metrics.record("download_p95_ms", p95)
    return [
        "## Downloads of a rendered plan",
        "",
        f"`planbot serve` (SQLite): a plan drafted over POST /v1/plans; its render job was `{status}` "
        f"{job_s:.1f} s later (in the background, from a cold process pool). Then {rounds} downloads of each "
        f"format over HTTP: p95 of all {len(every)} **{p95:.1f} ms**.",
        "",
        "| format | size (KB) | median (ms) | max (ms) |",
        "| --- | ---: | ---: | ---: |",
        *(
            f"| {fmt} | {sizes[fmt] / 1024:.0f} | {statistics.median(per[fmt]):.1f} | {max(per[fmt]):.1f} |"
            for fmt in FORMATS
        ),
    ]
