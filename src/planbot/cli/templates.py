"""A brand's history on the command line (issue 23): `planbot draft BRIEF --history FILE` reads it
into the brief, and `planbot template history` writes planbot's own template (zh or en, CSV or XLSX)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Literal

import typer

from planbot.cli.common import app, err, fail
from planbot.core.brief import Brief
from planbot.errors import PlanbotError

template_app = typer.Typer(no_args_is_help=True, help="Templates planbot publishes (the brand history).")
app.add_typer(template_app, name="template")


def with_history(brief: Brief, path: Path) -> Brief:
    """The brief with the history read from `path` (in the brief's currency); a file that cannot be read
    fails with the reader's message naming the row and column (exit 1)."""
    from planbot import histories  # noqa: PLC0415 - the reader loads openpyxl

    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise fail(f"{path} does not exist") from exc
    except OSError as exc:
        raise fail(f"cannot read {path}: {exc.strerror}") from exc
    try:
        reading = histories.read(path.name, data, brief.currency, brief.language)
    except PlanbotError as exc:
        raise fail(exc.message) from exc
    err.print(histories.summary(reading.history, brief.language), highlight=False)
    if reading.skipped_rows:
        rows = ", ".join(str(r) for r in reading.skipped_rows[:20])
        err.print(f"skipped rows (totals, blank, notes): {rows}", highlight=False)
    return brief.model_copy(update={"history": reading.history})


@template_app.command("history")
def history_template_cmd(
    lang: Annotated[Literal["zh", "en"], typer.Option("--lang", "-l", help="the headers' language")] = "zh",
    fmt: Annotated[Literal["csv", "xlsx"], typer.Option("--format", "-f", help="csv or xlsx")] = "csv",
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="file to write ('-': stdout) [./planbot-history-template-LANG.FORMAT]"),
    ] = None,
) -> None:
    """Write planbot's history template (month, GMV, visitors, orders, buyers, ad spend and sales per
    channel, with two example rows); prints the path written."""
    from planbot.history_read import history_template  # noqa: PLC0415

    data = history_template(lang, fmt)
    if out is not None and str(out) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    path = out or Path(f"planbot-history-template-{lang}.{fmt}")
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise fail(f"cannot write {path}: {exc.strerror}") from exc
    sys.stdout.write(f"{path}\n")
