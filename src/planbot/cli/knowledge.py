"""`planbot ingest`, `search` and `knowledge list|remove`: the guides planbot cites."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from planbot.cli.common import app, err, fail, out, print_json, rows, service
from planbot.errors import PlanbotError

if TYPE_CHECKING:
    from rich.progress import Progress

    from planbot.retrieval.index import IngestResult

knowledge_app = typer.Typer(no_args_is_help=True, help="The guides planbot cites.")
app.add_typer(knowledge_app, name="knowledge")


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="files or folders (.md .txt .html .docx .pdf)")],
    rebuild: Annotated[bool, typer.Option("--rebuild", help="re-create the vector and BM25 indexes first")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print the results as JSON on stdout")] = False,
) -> None:
    """Add guides to the knowledge base; unchanged files are skipped.

    A path that does not exist is reported (exit 1) and the others are still ingested."""
    from rich.progress import Progress  # noqa: PLC0415

    from planbot.retrieval.loaders import iter_files  # noqa: PLC0415

    missing = [p for p in paths if not p.exists()]
    for p in missing:
        err.print(f"[red]error:[/red] {p} does not exist (no such file or folder)", highlight=False)
    bot = service(recover=rebuild, announce=True)
    if bot.index.recovered:
        err.print(f"set aside the corrupted {', '.join(bot.index.recovered)} (renamed *.corrupt-*)", highlight=False)
        if "knowledge.json" in bot.index.recovered:
            err.print("the stored chunks were lost with it: upload your own guides again", highlight=False)
    if rebuild:
        err.print(f"rebuilt the indexes from {bot.index.rebuild()} stored chunks", highlight=False)
    files = iter_files([p for p in paths if p.exists()])
    results: list[tuple[Path, IngestResult | None, str]] = [(p, None, "does not exist") for p in missing]
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("ingesting", total=len(files))
        for f in files:
            try:
                results.append((f, bot.ingest_file(f, passages_progress(f, progress)), ""))
            except PlanbotError as exc:
                results.append((f, None, exc.message))
            progress.advance(task)
    table = [{"file": str(f), "doc_id": r.doc_id if r else None, "status": r.status if r else "failed",
              "chunks": r.chunks if r else 0, "note": r.reason if r else why} for f, r, why in results]  # fmt: skip
    if as_json:
        print_json(table)
    else:
        rows("ingest", ["file", "document", "status", "chunks", "note"],
              [[str(row[c] if row[c] is not None else "-") for c in ("file", "doc_id", "status", "chunks", "note")]
               for row in table])  # fmt: skip
    counts = Counter(r.status if r else "failed" for _, r, _ in results)
    chunks = sum(r.chunks for _, r, _ in results if r and r.status in ("added", "updated"))
    err.print(f"documents: {len(results)} ({', '.join(f'{v} {k}' for k, v in sorted(counts.items()))}); "
              f"new chunks: {chunks}", highlight=False)  # fmt: skip
    if counts.get("failed"):
        raise typer.Exit(1)


def passages_progress(path: Path, bar: Progress) -> Callable[[int, int], None]:
    """How far a file's passages are embedded: a bar of its own on a terminal, a line per tenth in a pipe
    or a log (a 100-page PDF is thousands of passages and minutes of work)."""
    state: dict[str, Any] = {"task": None, "shown": -1}

    def report(done: int, total: int) -> None:
        if err.is_terminal:
            if state["task"] is None:
                state["task"] = bar.add_task(f"  {path.name}", total=total)
            bar.update(state["task"], completed=done, total=total)
            return
        tenth = done * 10 // max(1, total)
        if tenth > state["shown"]:
            state["shown"] = tenth
            err.print(f"indexing {path.name}: {done} of {total} passages", highlight=False)

    return report


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="a question or keywords, Chinese or English")],
    k: Annotated[int, typer.Option("-k", min=1, max=50, help="number of passages")] = 5,
    lang: Annotated[str | None, typer.Option("--lang", help="zh or en")] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="only guides with this tag")] = None,
    source: Annotated[str | None, typer.Option("--source", help="uploaded or shipped guides only")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Find the passages of the guides that answer a question."""
    if lang not in (None, "zh", "en"):
        raise typer.BadParameter("--lang must be zh or en")
    if source not in (None, "uploaded", "shipped"):
        raise typer.BadParameter("--source must be uploaded or shipped")
    bot = service(create=False)
    try:
        bot.ensure_knowledge()
        hits = bot.index.search(query, k=k, lang=lang, tags=tag or [], source=source)  # type: ignore[arg-type]
    except PlanbotError as exc:
        raise fail(exc.message) from exc
    if as_json:
        print_json({"hits": [{"chunk_id": h.chunk_id, "doc_id": h.doc_id, "title": h.title, "score": h.score,
                              "source": h.source, "text": h.text} for h in hits]})  # fmt: skip
        return
    if not hits:
        err.print("no passage matches", highlight=False)
    for i, h in enumerate(hits, 1):
        out.print(f"[bold]{i}. {h.title}[/bold] ({h.source}, {h.chunk_id}, score {h.score:.4f})", highlight=False)
        out.print(h.text, highlight=False, markup=False)
        out.print()


@knowledge_app.command("list")
def knowledge_list(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """The documents in the knowledge base."""
    bot = service(create=False)
    bot.ensure_knowledge()
    docs = bot.index.documents()
    if as_json:
        print_json([d.__dict__ for d in docs])
        return
    rows(f"{len(docs)} documents", ["id", "title", "lang", "chunks", "source"],
          [[d.doc_id, d.title, d.lang, str(d.chunks), d.source] for d in docs])  # fmt: skip


@knowledge_app.command("remove")
def knowledge_remove(
    doc_id: Annotated[str, typer.Argument(help="a document id from `planbot knowledge list`")],
) -> None:
    """Remove a document and all its chunks."""
    bot = service(create=False)
    try:
        bot.remove_document(doc_id)  # the operator may remove any guide, shipped or uploaded
    except PlanbotError as exc:
        raise fail(exc.message) from exc
    err.print(f"removed {doc_id}", highlight=False)
