"""The refusals, worded for marketers in Chinese and English, one code each."""

from __future__ import annotations

from planbot.history_read.contract import HistoryFileError

MESSAGES: dict[str, tuple[str, str]] = {
    "too_large": (
        "文件有 {size} MB，超过了 {limit} MB 的上限。请只导出需要的月份（或按月汇总后再导出）。",
        "The file is {size} MB, over the {limit} MB limit. Export only the months you need, or monthly totals.",
    ),
    "empty": ("文件是空的，没有任何数据。", "The file is empty: there is nothing to read."),
    "not_table": (
        "这不是表格文件（{kind}）。请在后台导出 CSV 或 Excel（.xlsx），或另存为 .xlsx / .csv 后再上传。",
        "This is not a spreadsheet ({kind}). Export CSV or Excel (.xlsx) from the back-end, "
        "or save it as .xlsx or .csv.",
    ),
    "old_excel": (
        "这是旧版 Excel（.xls）文件，无法读取。请用 Excel 或 WPS 打开后“另存为” .xlsx 或 .csv 再上传。",
        "This is an old Excel (.xls) file, which cannot be read. Open it in Excel and save it as .xlsx or .csv.",
    ),
    "encoding": (
        "文件的文字编码无法识别（已尝试 UTF-8、UTF-16、GB18030）。请在 Excel 中另存为“CSV UTF-8”或 .xlsx。",
        "The file's text encoding could not be read (tried UTF-8, UTF-16, GB18030). Save it as 'CSV UTF-8' or .xlsx.",
    ),
    "bad_csv": (
        "CSV 文件在第 {row} 行附近格式有误（{detail}）。请在 Excel 中打开后另存为 CSV 或 .xlsx。",
        "The CSV file is malformed near row {row} ({detail}). Open it in Excel and save it as CSV or .xlsx.",
    ),
    "bad_xlsx": (
        "Excel 文件已损坏或无法打开：{detail}。请重新导出或另存为 .xlsx。",
        "The Excel file is damaged or cannot be opened: {detail}. Export it again or save it as .xlsx.",
    ),
    "no_date_column": (
        "没有找到日期列（如“日期”“月份”“统计日期”）。请确认表头行包含日期列。",
        "No date column found (such as 'Date', 'Month', 'Day'). Check that the header row has a date column.",
    ),
    "no_figure_column": (
        "没有找到可用的数据列（如“支付金额”“访客数”“订单数”“广告花费”）。请检查表头。",
        "No figure column found (such as 'GMV', 'Visitors', 'Orders', 'Ad spend'). Check the header row.",
    ),
    "header_only": (
        "文件只有表头，没有数据行。",
        "The file has a header row but no data rows.",
    ),
    "not_a_number": (
        "第 {row} 行“{column}”列的“{value}”不是数字。请填写数字（可带千分位、¥/$ 或 %）。",
        "Row {row}, column '{column}': '{value}' is not a number. Enter a number (commas, ¥/$ or % are fine).",
    ),
    "negative": (
        "第 {row} 行“{column}”列是负数（{value}）。成交额、访客、订单、花费都不能为负，请检查数据。",
        "Row {row}, column '{column}' is negative ({value}). Sales, visitors, orders and spend cannot be negative.",
    ),
    "bad_date": (
        "第 {row} 行“{column}”列的“{value}”不是可识别的日期（例如 2025-01、2025年1月、2025-01-15）。",
        "Row {row}, column '{column}': '{value}' is not a date we can read (e.g. 2025-01, Jan 2025, 2025-01-15).",
    ),
    "duplicate_month": (
        "第 {row} 行与第 {other} 行都是 {month} 的数据且数字不同。月度表中每个月（每条广告线）只能有一行。",
        "Rows {other} and {row} both hold {month} with different figures. A monthly file has one row per month "
        "(per ad line).",
    ),
    "currency_mix": (
        "文件中混用了多种币种（{currencies}，见第 {row} 行“{column}”列）。请每种币种分别导出一个文件。",
        "The file mixes currencies ({currencies}; see row {row}, column '{column}'). Export one file per currency.",
    ),
    "too_many": (
        "文件的数据太多（{what}）。请只导出近几年的按月或按日数据。",
        "The file holds too much ({what}). Export only the last few years, by month or by day.",
    ),
    "no_figures": (
        "数据行里没有任何数字：所有数据列都是空的。",
        "The data rows hold no figures: every figure column is empty.",
    ),
    "total_too_large": (
        "{month} 的“{column}”合计为 {value}，大得不合理，请检查单位（元/万元）。",
        "The {month} total of '{column}' is {value}, implausibly large. Check the unit (yuan vs 10k yuan).",
    ),
    "too_large_value": (
        "第 {row} 行“{column}”列的数字 {value} 大得不合理，请检查单位（元/万元）。",
        "Row {row}, column '{column}': {value} is implausibly large. Check the unit (yuan vs 10k yuan).",
    ),
}


def fail(code: str, row: int | None = None, column: str | None = None, **facts: object) -> HistoryFileError:
    """The error for `code`, its messages filled with the row, the column and what was found there."""
    zh, en = MESSAGES[code]
    facts = {"row": row, "column": column, **facts}
    return HistoryFileError(code, zh.format(**facts), en.format(**facts), row=row, column=column)
