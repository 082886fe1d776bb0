"""What every `planbot` command shares: the Typer app, where results and logs go, reading settings
and files, and the service (imported only when a command needs it: it loads Chroma and the model).

Exit codes: 0 ok, 1 invalid input or plan, 2 usage. Results go to stdout (tables on a terminal; one
tab-separated line per row, never cut, when piped; JSON with --json); logs, progress and errors go to
stderr, so `planbot search … > hits.txt` and `planbot keys list | …` get the results alone.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

from planbot.errors import PlanbotError
from planbot.render import FORMATS, Format

if TYPE_CHECKING:
    from planbot.config import Settings
    from planbot.service import Planbot

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    help="planbot: e-commerce marketing plans.",
)
out = Console(soft_wrap=True)  # results
err = Console(stderr=True, soft_wrap=True)  # logs, progress, errors (never wrapped: paths stay whole)


def rows(title: str, columns: list[str], rows: list[list[str]]) -> None:
    """A table on a terminal; piped, one tab-separated line per row (no header, nothing cut)."""
    if out.is_terminal:
        t = Table(title=title)
        for col in columns:
            t.add_column(col, overflow="fold")
        for row in rows:
            t.add_row(*row)
        out.print(t)
        return
    for row in rows:
        sys.stdout.write("\t".join(" ".join(cell.split()) for cell in row) + "\n")


def print_json(payload: object) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


def formats_option(value: str) -> list[Format]:
    chosen = [f.strip().lower() for f in value.split(",") if f.strip()]
    bad = [f for f in chosen if f not in FORMATS]
    if bad or not chosen:
        raise typer.BadParameter(f"unknown format {', '.join(bad) or value!r}; choose from {', '.join(FORMATS)}")
    return [f for f in FORMATS if f in chosen]


def fail(message: str) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(1)


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise fail(f"{path} does not exist") from exc
    except UnicodeDecodeError as exc:
        raise fail(f"{path} is not UTF-8 text") from exc
    except OSError as exc:
        raise fail(f"cannot read {path}: {exc.strerror}") from exc


def load_settings(create: bool = True, announce: bool = False) -> Settings:
    """Settings with the data dir resolved. A missing data dir is made only by commands that write
    (and said, with where it is); the others refuse, since an empty one there would hide the real data."""
    from pydantic import ValidationError  # noqa: PLC0415

    from planbot.config import Settings  # noqa: PLC0415

    try:
        settings = Settings()
    except ValidationError as exc:
        raise fail(f"a PLANBOT_ setting is invalid: {exc}") from exc
    data = settings.data_dir = settings.data_dir.resolve()
    if not data.is_dir():
        if not create:
            raise fail(
                f"no planbot data in {data} (nothing was ingested or saved there). Run `planbot ingest knowledge/` "
                "or `make run` first, or set PLANBOT_DATA_DIR to the folder that holds your data"
            )
        try:
            data.mkdir(parents=True)
        except OSError as exc:
            raise fail(f"cannot create the data dir {data}: {exc.strerror}; set PLANBOT_DATA_DIR elsewhere") from exc
        err.print(f"created the data dir {data} (PLANBOT_DATA_DIR sets another)", highlight=False)
    elif announce:
        err.print(f"data: {data}", highlight=False)
    return settings


def service(recover: bool = False, create: bool = True, announce: bool = False) -> Planbot:
    """The service, imported only when a command needs it (the index pulls in Chroma and the model).

    `recover`: a corrupted knowledge index is set aside instead of refused (`ingest --rebuild`)."""
    from planbot.retrieval.index import KnowledgeIndex  # noqa: PLC0415
    from planbot.service import Planbot  # noqa: PLC0415

    settings = load_settings(create, announce)
    try:
        index = (
            KnowledgeIndex(
                settings.data_dir, settings.chroma_url, recover=recover, embedding_cache=settings.embedding_cache_dir
            )
            if recover
            else None
        )
        return Planbot(settings, index=index)
    except PlanbotError as exc:
        raise fail(exc.message) from exc
