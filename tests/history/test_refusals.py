"""Files planbot refuses, each with its code, the row and column it names and wording in both languages."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from planbot.history_read import MAX_HISTORY_BYTES, HistoryFileError, read_history
from tests.history.helpers import TODAY, read


def refuse(data: bytes, name: str = "history.csv") -> HistoryFileError:
    with pytest.raises(HistoryFileError) as info:
        read_history(name, data, today=TODAY)
    err = info.value
    assert err.message("zh") != err.message("en") and err.message("zh") and err.message("en")
    return err


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


@pytest.mark.parametrize(
    ("data", "code", "row", "column"),
    [
        (b"", "empty", None, None),
        (b" \r\n\r\n,,,\r\n", "empty", None, None),
        (_csv("月份,成交额,访客数"), "header_only", 1, None),
        (_csv("月份,成交额,访客数", "合计,100,20", ""), "header_only", 1, None),
        (_csv("店铺,成交额,访客数", "旗舰店,100,20"), "no_date_column", 1, None),
        (_csv("月份,备注", "2025-01,春节"), "no_figure_column", 1, None),
        (_csv("报表", "月份,成交额,访客数", "2025-01,100,20", "2025-02,一百二,30"), "not_a_number", 4, "成交额"),
        (_csv("Month,GMV,Visitors", "2025-01,100,20", "2025-02,120,n.a.x"), "not_a_number", 3, "Visitors"),
        (_csv("月份,成交额,访客数", "2025-01,100,20", "2025-02,-5,30"), "negative", 3, "成交额"),
        (_csv("Date,Ad spend", "01/02/2025,(12.50)"), "negative", 2, "Ad spend"),
        (_csv("月份,成交额,访客数", "2025-01,100,20", "明年二月,5,30"), "bad_date", 3, "月份"),
        (_csv("月份,成交额,访客数", "2025-13,100,20"), "bad_date", 2, "月份"),
        (_csv("月份,成交额,访客数", "2025-01,100,20", "2025-02,1,1", "2025/1,5,30"), "duplicate_month", 4, "月份"),
        (_csv("月份,推广工具,花费", "2025-01,直通车,100", "2025年1月,直通车,90"), "duplicate_month", 3, "月份"),
        (_csv("月份,成交额", "2025-01,$100", "2025-02,¥5"), "currency_mix", 3, "成交额"),
        (_csv("月份,成交额(元),币种", "2025-01,100,USD"), "currency_mix", 2, "币种"),
        (_csv("月份,成交额(万元)", "2025-01,99999999999"), "too_large_value", 2, "成交额(万元)"),
        (_csv("日期,成交额", *[f"2025-01-{d:02d},900000000000" for d in range(1, 31)]), "total_too_large", None, "gmv"),
        (_csv("月份,成交额,访客数", "2025-01,,", "2025-02,,"), "no_figures", 1, None),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "not_table", None, None),
        ("<html><table><tr><td>月份</td></tr></table></html>".encode(), "not_table", None, None),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "old_excel", None, None),
        (bytes(range(256)) * 40, "encoding", None, None),
        (b"\xff\xfe" + b"\x00\xd8" * 8, "encoding", None, None),
        (b"PK\x03\x04 not really a zip", "bad_xlsx", None, None),
        ("\ufeff\n  <!DOCTYPE html><html><table></table></html>".encode(), "not_table", None, None),
        (_csv("月份,成交额", "2025-01,100", '2025-02,"' + "9" * 200_000 + '"'), "bad_csv", 3, None),
    ],
)
def test_refused(data: bytes, code: str, row: int | None, column: str | None) -> None:
    err = refuse(data)
    assert (err.code, err.row, err.column) == (code, row, column)


def test_text_in_a_number_column_names_the_value() -> None:
    err = refuse(_csv("月份,成交额,访客数", "2025-01,100,20", "2025-02,一百二,30"))
    assert "一百二" in err.message("zh") and "第 3 行" in err.message("zh") and "成交额" in err.message("zh")
    assert "Row 3" in err.message("en") and "'一百二'" in err.message("en")


def test_old_excel_says_save_as_xlsx() -> None:
    err = refuse(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), name="report.xls")
    assert ".xlsx" in err.message("zh") and "save it as .xlsx" in err.message("en")


def test_word_document_is_not_a_table() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    err = refuse(buf.getvalue(), name="plan.docx")
    assert err.code == "not_table" and "Word" in err.message("en")


def test_fifty_megabyte_file_refused_fast(tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    with big.open("wb") as f:
        f.write("日期,支付金额\n".encode())
        line = b"2025-01-01,1234.5\n"
        f.write(line * (50 * 1024 * 1024 // len(line)))
    data = big.read_bytes()
    assert len(data) > 5 * MAX_HISTORY_BYTES
    start = time.perf_counter()
    err = refuse(data)
    assert time.perf_counter() - start < 0.5
    assert err.code == "too_large" and "50.0 MB" in err.message("en")


def test_xlsx_that_unpacks_huge_is_refused_before_openpyxl(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"0" * (100 * 1024 * 1024))
    assert len(buf.getvalue()) < MAX_HISTORY_BYTES
    assert refuse(buf.getvalue(), name="bomb.xlsx").code == "too_large"


def test_xlsx_without_a_table_on_any_sheet() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["店铺", "成交额"])
    ws.append(["旗舰店", 100])
    wb.create_sheet("空白")
    out = io.BytesIO()
    wb.save(out)
    err = refuse(out.getvalue(), name="x.xlsx")
    assert (err.code, err.row) == ("no_date_column", 1)


def test_notes_row_without_figures_is_skipped_not_refused() -> None:
    r = read("n.csv", _csv("月份,成交额", "2025-01,100", "数据来源：生意参谋", ",", "Total,100"))
    assert r.skipped_rows == [3, 4, 5] and r.history.source.rows == 1


def test_file_currency_wins_over_the_hint_and_hint_fills_a_silent_file() -> None:
    assert read("a.csv", _csv("Month,GMV", "2025-01,$100"), currency="CNY").history.currency == "USD"
    assert read("b.csv", _csv("Month,GMV", "2025-01,100"), currency="eur").history.currency == "EUR"
    assert read("c.csv", _csv("月份,成交额", "2025-01,100")).history.currency == "CNY"
