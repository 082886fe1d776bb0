"""Bytes -> rows of cells: CSV in the encodings Chinese and global back-ends use, or XLSX sheets.

Sizes are checked before parsing, and an XLSX's unpacked size before openpyxl sees it, so a huge or
zip-bomb upload is refused without being read.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from planbot.history_read.contract import MAX_HISTORY_BYTES
from planbot.history_read.errors import fail
from planbot.history_read.values import Cell

MAX_UNZIPPED = 8 * MAX_HISTORY_BYTES
MAX_ROWS = 200_000
MAX_COLUMNS = 200


@dataclass
class Sheet:
    """One table: rows of cells (row i of the list is file row i + 1) and merged header spans."""

    name: str
    rows: list[list[Cell]]
    merged_across: set[tuple[int, int]]  # (row, column), 1-based: cells filled from a merge to their left


def check_size(data: bytes) -> None:
    if len(data) > MAX_HISTORY_BYTES:
        raise fail("too_large", size=f"{len(data) / 1048576:.1f}", limit=MAX_HISTORY_BYTES // 1048576)
    if not data.strip():
        raise fail("empty")


def sheets(name: str, data: bytes) -> list[Sheet]:
    """The file's tables, by what its bytes are (the name only helps say what it is not)."""
    check_size(data)
    head = data[:8]
    if head.startswith(b"PK\x03\x04"):
        return _xlsx(data)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise fail("old_excel")
    if head.startswith(b"%PDF"):
        raise fail("not_table", kind="PDF")
    if data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower().startswith((b"<html", b"<!doc", b"<?xml", b"<table")):
        raise fail("not_table", kind="HTML/XML")
    return [Sheet(name, _csv_rows(decode_text(data)), set())]


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, then GB18030 (GBK's superset); else refuse."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise fail("encoding") from None
    odd, even = data[1:2000:2], data[0:2000:2]
    if odd.count(0) > len(odd) // 3 and even.count(0) <= len(even) // 20:  # UTF-16 LE saved without a BOM
        try:
            return data.decode("utf-16-le")
        except UnicodeDecodeError:
            pass
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _binary(text):
            break
        return text
    raise fail("encoding")


def _binary(text: str) -> bool:
    """Control characters other than tabs and line breaks say the bytes were never text."""
    sample = text[:20000]
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n")
    return bad > max(2, len(sample) // 1000)


def _csv_rows(text: str) -> list[list[Cell]]:
    lines = text.splitlines()[:50]
    counts = {d: sum(line.count(d) for line in lines) for d in (",", "\t", ";")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    rows: list[list[Cell]] = []
    try:
        for i, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter)):
            if i >= MAX_ROWS:
                raise fail("too_many", what=f"> {MAX_ROWS} rows")
            rows.append(list(row[:MAX_COLUMNS]))
    except csv.Error as e:  # a cell past the csv module's field limit, a stray quote at the end
        raise fail("bad_csv", row=len(rows) + 1, detail=str(e)) from None
    return rows


def _xlsx(data: bytes) -> list[Sheet]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = z.namelist()
            if "xl/workbook.xml" not in names:
                kind = "Word" if "word/document.xml" in names else "ZIP"
                raise fail("not_table", kind=kind)
            if sum(i.file_size for i in z.infolist()) > MAX_UNZIPPED:
                raise fail("too_large", size=f"{len(data) / 1048576:.1f}", limit=MAX_HISTORY_BYTES // 1048576)
    except zipfile.BadZipFile as e:
        raise fail("bad_xlsx", detail=str(e)) from None
    import openpyxl  # noqa: PLC0415 - only XLSX uploads pay for it

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as e:  # openpyxl raises many kinds on a broken workbook
        raise fail("bad_xlsx", detail=type(e).__name__) from None
    out: list[Sheet] = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        if ws.max_row > MAX_ROWS:
            raise fail("too_many", what=f"> {MAX_ROWS} rows")
        rows = [[_value(c) for c in r[:MAX_COLUMNS]] for r in ws.iter_rows(values_only=True)]
        across: set[tuple[int, int]] = set()
        for rng in ws.merged_cells.ranges:  # a merged header: every cell of the range takes its value
            top = rows[rng.min_row - 1][rng.min_col - 1] if rng.min_row <= len(rows) else None
            for r in range(rng.min_row, min(rng.max_row, len(rows)) + 1):
                for c in range(rng.min_col, min(rng.max_col, MAX_COLUMNS) + 1):
                    while len(rows[r - 1]) < c:
                        rows[r - 1].append(None)
                    rows[r - 1][c - 1] = top
                    if c > rng.min_col:
                        across.add((r, c))
        out.append(Sheet(ws.title, rows, across))
    return out


def _value(v: object) -> Cell:
    """An openpyxl value as the reader's cell: numbers and dates kept, rich text and the rest as text."""
    if isinstance(v, bool):
        return str(v)
    if v is None or isinstance(v, (str, int, float, Decimal, date)):
        return v
    return str(v)
