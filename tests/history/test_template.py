"""planbot's template: what it looks like, and that a filled one reads back exactly."""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pytest

from planbot.history_read import history_template, read_history
from tests.history.helpers import TODAY


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_template_examples_read_back(language: str, fmt: str) -> None:
    r = read_history(f"template.{fmt}", history_template(language, fmt), today=TODAY)  # type: ignore[arg-type]
    h = r.history
    assert h.source.style == "template"
    assert h.source.rows == 2
    assert len(h.months) == 1 and h.months[0].month == date(2025, 1, 1)
    assert len(h.ads) == 1
    if language == "zh":
        assert h.currency == "CNY"
        assert h.months[0].model_dump(exclude={"month"}) == {
            "gmv": 1250000,
            "visitors": 86000,
            "orders": 3100,
            "buyers": 2900,
            "new_buyers": 1200,
        }
        assert (h.ads[0].channel, h.ads[0].platform, h.ads[0].spend, h.ads[0].sales) == (
            "search",
            "tmall",
            80000,
            320000,
        )
        assert r.channels == {"直通车": "search"}
    else:
        assert h.currency == "USD"
        assert (h.months[0].gmv, h.months[0].visitors, h.months[0].new_buyers) == (85000, 42000, 800)
        assert (h.ads[0].channel, h.ads[0].platform, h.ads[0].spend, h.ads[0].sales) == (
            "meta",
            "shopify",
            12000,
            36000,
        )
    assert r.skipped_rows == [] and r.ignored_columns == []


def test_csv_template_has_bom_and_chinese_headers() -> None:
    raw = history_template("zh", "csv")
    assert raw.startswith(b"\xef\xbb\xbf")
    header = next(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert header[:3] == ["月份", "平台", "成交额"] and header[-1] == "币种"


def test_template_currency_argument() -> None:
    r = read_history("t.csv", history_template("zh", "csv", currency="usd"), today=TODAY)
    assert r.history.currency == "USD"


def test_xlsx_template_layout() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(history_template("en", "xlsx")))
    data, notes = wb.worksheets
    assert [c.value for c in data[1]][:4] == ["Month", "Platform", "GMV", "Visitors"]
    assert all(c.font.bold for c in data[1])
    assert data.column_dimensions["A"].width == 12
    assert notes.title == "Notes"
    explained = {row[0].value for row in notes.iter_rows(min_row=2)}
    assert {c.value for c in data[1]} <= explained  # every column has its note
    zh = openpyxl.load_workbook(io.BytesIO(history_template("zh", "xlsx")))
    assert zh.sheetnames == ["历史数据", "说明"]


def test_filled_xlsx_template_reads_back_exactly() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(history_template("zh", "xlsx")))
    ws = wb.worksheets[0]
    ws.delete_rows(2, 2)
    written = {(2024, m): (1_000_003 * m + 7, 50_000 + m, 2_000 + 3 * m, 1_900 + m, 700 + m) for m in range(1, 13)}
    for (y, m), (gmv, v, o, b, n) in written.items():
        ws.append([f"{y}-{m:02d}", "天猫", gmv, v, o, b, n, None, None, None, "CNY"])
        ws.append([f"{y}年{m}月", "天猫", None, None, None, None, None, "万相台", 10_000 + m, 40_001 + m, "CNY"])
        ws.append([f"{y}-{m:02d}", "京东", None, None, None, None, None, "京东快车", 5_000 + m, None, "CNY"])
    out = io.BytesIO()
    wb.save(out)
    r = read_history("filled.xlsx", out.getvalue(), today=TODAY)
    h = r.history
    assert h.source.rows == 36 and h.source.first == date(2024, 1, 1) and h.source.last == date(2024, 12, 1)
    for mf in h.months:
        assert (mf.gmv, mf.visitors, mf.orders, mf.buyers, mf.new_buyers) == written[(mf.month.year, mf.month.month)]
    wxt = [a for a in h.ads if a.channel == "feed_ads"]
    assert [(a.spend, a.sales) for a in wxt] == [(10_000 + m, 40_001 + m) for m in range(1, 13)]
    assert {a.platform for a in wxt} == {"tmall"}
    kc = [a for a in h.ads if a.channel == "search"]
    assert [(a.platform, a.spend, a.sales) for a in kc] == [("jd", 5_000 + m, None) for m in range(1, 13)]


def test_filled_csv_template_in_english_reads_back_exactly() -> None:
    text = history_template("en", "csv").decode("utf-8-sig").splitlines()[0]
    lines = [
        text,
        '2025-03,Amazon,"$120,500",61000,2400,2300,900,,,,USD',
        '2025-03,Amazon,,,,,,Sponsored Products,"$8,000.40","$30,000.60",USD',
    ]
    r = read_history("filled.csv", ("\r\n".join(lines)).encode("utf-8"), today=TODAY)
    m = r.history.months[0]
    assert (m.gmv, m.visitors, m.orders, m.buyers, m.new_buyers) == (120500, 61000, 2400, 2300, 900)
    a = r.history.ads[0]
    assert (a.channel, a.platform, a.spend, a.sales) == ("search", "amazon", 8000, 30001)
    assert r.history.currency == "USD"
