"""Issue 23: reading a brand's history export and the plan-side work it adds.

Reading: a three-year daily CSV (about 1,100 rows, the largest export a shop usually pulls) and the same
rows as XLSX, median of a few reads. Baselines: what `core/history/baselines.baselines` adds to a build.
"""

from __future__ import annotations

import io
import statistics
import time
from datetime import date, timedelta

import metrics  # bench/metrics.py (run.py puts bench/ on the path)
from openpyxl import Workbook

from planbot.core.history.baselines import baselines
from planbot.history_read import read_history
from planbot.history_read.template import HEADERS

HEAD = ["日期", *HEADERS["zh"][1:]]  # the Chinese template's columns, by day instead of month


def daily_rows(days: int = 1096) -> list[list[object]]:
    rows: list[list[object]] = []
    start = date(2024, 1, 1)
    for i in range(days):
        d = start + timedelta(days=i)
        gmv = 200_000 + (i % 97) * 1_000
        rows.append([d.isoformat(), "天猫", gmv, gmv // 6, gmv // 180, gmv // 200, gmv // 330, "", "", "", "CNY"])
    return rows


def _csv(rows: list[list[object]]) -> bytes:
    lines = [",".join(HEAD), *(",".join(str(x) for x in r) for r in rows)]
    return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")


def _xlsx(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEAD)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _median_ms(fn: object, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def run(repeat: int = 5) -> list[str]:
    rows = daily_rows()
    csv, xlsx = _csv(rows), _xlsx(rows)
    csv_ms = _median_ms(lambda: read_history("daily.csv", csv), repeat)
    xlsx_ms = _median_ms(lambda: read_history("daily.xlsx", xlsx), repeat)
    history = read_history("daily.csv", csv).history
    flat = [1.0] * 12
    base_ms = _median_ms(lambda: baselines(history, date(2027, 1, 1), flat), repeat * 20)
    metrics.record("history_read_csv_ms", csv_ms)
    metrics.record("history_read_xlsx_ms", xlsx_ms)
    metrics.record("history_baselines_ms", base_ms)
    return [
        "## Brand history (issue 23)",
        "",
        f"A three-year daily export ({len(rows):,} rows, {len(history.months)} months after summing), "
        f"median of {repeat}:",
        "",
        "| step | size | median (ms) | rows/s |",
        "| --- | ---: | ---: | ---: |",
        f"| read CSV | {len(csv) / 1024:.0f} KB | {csv_ms:.0f} | {len(rows) / csv_ms * 1000:,.0f} |",
        f"| read XLSX | {len(xlsx) / 1024:.0f} KB | {xlsx_ms:.0f} | {len(rows) / xlsx_ms * 1000:,.0f} |",
        f"| baselines for a plan | {len(history.months)} months | {base_ms:.2f} | |",
    ]
