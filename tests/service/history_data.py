"""History files for the surface tests (issue 23), written in the headers of planbot's own template.

The columns' meanings come from reading the template back, so these files follow the template
whatever its headers are: a month column, GMV, visitors and orders, one month per row.
"""

from __future__ import annotations

import csv
import io

from planbot.history_read import history_template, read_history

FIGURES = {"gmv": 1_200_000, "visitors": 90_000, "orders": 4_000, "buyers": 3_500, "new_buyers": 1_200}


def template_headers(lang: str = "zh") -> tuple[list[str], dict[int, str]]:
    """The template's header row and {0-based column: field} as the reader recognises it."""
    data = history_template(lang, "csv")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    fields = {c.column - 1: c.field for c in read_history(f"template-{lang}.csv", data).columns}
    return rows[0], fields


def monthly_csv(months: int = 12, lang: str = "zh", year: int = 2025, bad: str | None = None) -> bytes:
    """`months` months of shop figures from January `year`; with `bad`, the third month's GMV is that text."""
    header, fields = template_headers(lang)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    for i in range(months):
        y, m = year + i // 12, i % 12 + 1
        row = [""] * len(header)
        for col, field in fields.items():
            if field in ("date", "month"):
                row[col] = f"{y}-{m:02d}"
            elif field in FIGURES:
                row[col] = str(FIGURES[field] + 10_000 * i)
        if bad is not None and i == 2:
            row[next(c for c, f in fields.items() if f == "gmv")] = bad
        w.writerow(row)
    return out.getvalue().encode("utf-8")


BAD_ROW = 4  # the header is row 1: the third month is file row 4
