"""planbot's own history template: the columns the reader knows best, with two example rows."""

from __future__ import annotations

import csv
import io

from planbot.history_read.contract import TemplateFormat

HEADERS = {
    "zh": [
        "月份",
        "平台",
        "成交额",
        "访客数",
        "订单数",
        "买家数",
        "新买家数",
        "广告渠道",
        "广告花费",
        "广告成交额",
        "币种",
    ],
    "en": [
        "Month",
        "Platform",
        "GMV",
        "Visitors",
        "Orders",
        "Buyers",
        "New buyers",
        "Ad channel",
        "Ad spend",
        "Ad sales",
        "Currency",
    ],
}
EXAMPLES: dict[str, list[list[str | int | None]]] = {
    "zh": [
        ["2025-01", "天猫", 1250000, 86000, 3100, 2900, 1200, None, None, None, "CNY"],
        ["2025-01", "天猫", None, None, None, None, None, "直通车", 80000, 320000, "CNY"],
    ],
    "en": [
        ["2025-01", "Shopify", 85000, 42000, 1300, 1200, 800, None, None, None, "USD"],
        ["2025-01", "Shopify", None, None, None, None, None, "Meta", 12000, 36000, "USD"],
    ],
}
NOTES = {
    "zh": [
        ("月份", "2025-01 或 2025年1月；按周或按日填写也可以（填日期，如 2025-01-15），planbot 会汇总到月。"),
        ("平台", "天猫、京东、抖音、拼多多、Shopify、亚马逊等；只有一个店铺可留空。"),
        ("成交额", "当月支付成交金额，单位为“币种”列的货币（元，不是万元），不含退款调整。"),
        ("访客数", "当月店铺访客数（UV），整数。"),
        ("订单数", "当月支付订单数，整数。"),
        ("买家数", "当月支付买家数，整数。"),
        ("新买家数", "当月首次购买的买家数，整数。"),
        ("广告渠道", "直通车、引力魔方、万相台、巨量千川、京东快车、多多搜索、Meta 等；只填广告的行写这一列。"),
        ("广告花费", "该广告渠道当月花费（元）。"),
        ("广告成交额", "后台归因到该广告渠道的成交额（元）。"),
        ("币种", "CNY、USD 等；整个文件只能用一种币种。"),
        (
            "说明",
            "每行可以是店铺数据，也可以是一条广告线；同一月份可以有多行广告。转化率、客单价由 planbot 计算，无需填写。",
        ),
    ],
    "en": [
        (
            "Month",
            "2025-01 or Jan 2025; weekly or daily rows work too (a date such as 2025-01-15): "
            "planbot sums them by month.",
        ),
        ("Platform", "Tmall, JD, Douyin, Pinduoduo, Shopify, Amazon ...; leave empty if you sell in one shop only."),
        ("GMV", "Paid sales in the month, in the Currency column's currency (whole units, not thousands)."),
        ("Visitors", "Shop visitors (sessions / UV) in the month, a whole number."),
        ("Orders", "Paid orders in the month, a whole number."),
        ("Buyers", "Paying customers in the month, a whole number."),
        ("New buyers", "First-time customers in the month, a whole number."),
        ("Ad channel", "Meta, Google, Sponsored Products, 直通车, 巨量千川 ...; fill it on ad rows only."),
        ("Ad spend", "Spend on that ad channel in the month."),
        ("Ad sales", "Sales the ad platform attributes to that channel in the month."),
        ("Currency", "USD, CNY, EUR ...; one currency per file."),
        (
            "Note",
            "A row holds shop figures or one ad line; a month may have several ad rows. "
            "Conversion rate and AOV are computed by planbot: no need to fill them.",
        ),
    ],
}
WIDTHS = [12, 12, 14, 12, 10, 10, 12, 16, 12, 14, 10]


def history_template(language: str, fmt: TemplateFormat, currency: str | None = None) -> bytes:
    """The template in zh or en; CSV carries a BOM so Excel shows the Chinese headers correctly."""
    lang = "zh" if language == "zh" else "en"
    rows = [[*r[:-1], currency.upper() if currency else r[-1]] for r in EXAMPLES[lang]]
    if fmt == "csv":
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\r\n")
        w.writerow(HEADERS[lang])
        w.writerows(["" if v is None else v for v in r] for r in rows)
        return out.getvalue().encode("utf-8-sig")
    return _xlsx(lang, rows)


def _xlsx(lang: str, rows: list[list[str | int | None]]) -> bytes:
    from openpyxl import Workbook  # noqa: PLC0415 - only the XLSX template needs it
    from openpyxl.styles import Alignment, Font  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "历史数据" if lang == "zh" else "History"
    ws.append(HEADERS[lang])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append(r)
    for i, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for row in ws.iter_rows(min_row=2, max_col=1):
        row[0].number_format = "@"  # keep 2025-01 as typed, not an Excel date
    ws.freeze_panes = "A2"
    notes = wb.create_sheet("说明" if lang == "zh" else "Notes")
    notes.append(["列" if lang == "zh" else "Column", "含义与单位" if lang == "zh" else "Meaning and unit"])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for name, text in NOTES[lang]:
        notes.append([name, text])
    notes.column_dimensions["A"].width = 14
    notes.column_dimensions["B"].width = 100
    for row in notes.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
