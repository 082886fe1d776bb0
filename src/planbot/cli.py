"""The `planbot` command line: draft, validate, render and publish the schemas.

Exit codes: 0 ok, 1 invalid input or plan, 2 usage. Results go to stdout (tables on a terminal; one
tab-separated line per row, never cut, when piped; JSON with --json); logs, progress and errors go to
stderr, so `planbot search … > hits.txt` and `planbot keys list | …` get the results alone.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
import yaml
from rich.console import Console
from rich.table import Table

from planbot.core.brief import Brief
from planbot.core.numbers import format_money_compact
from planbot.core.plan import Plan, PlanIssue
from planbot.core.validate import errors
from planbot.errors import PlanbotError
from planbot.inputs import brief_from_prose, parse_brief, parse_plan
from planbot.render import FORMATS, Format, filename

if TYPE_CHECKING:
    from planbot.config import Settings
    from planbot.retrieval.index import IngestResult
    from planbot.service import Planbot
    from planbot.store.repository import Store

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    help="planbot: e-commerce marketing plans.",
)
out = Console(soft_wrap=True)  # results
err = Console(stderr=True, soft_wrap=True)  # logs, progress, errors (never wrapped: paths stay whole)


def _rows(title: str, columns: list[str], rows: list[list[str]]) -> None:
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


def _json(payload: object) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


def _formats(value: str) -> list[Format]:
    chosen = [f.strip().lower() for f in value.split(",") if f.strip()]
    bad = [f for f in chosen if f not in FORMATS]
    if bad or not chosen:
        raise typer.BadParameter(f"unknown format {', '.join(bad) or value!r}; choose from {', '.join(FORMATS)}")
    return [f for f in FORMATS if f in chosen]


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(1)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise _fail(f"{path} does not exist") from exc
    except UnicodeDecodeError as exc:
        raise _fail(f"{path} is not UTF-8 text") from exc
    except OSError as exc:
        raise _fail(f"cannot read {path}: {exc.strerror}") from exc


def _settings(create: bool = True, announce: bool = False) -> Settings:
    """Settings with the data dir resolved. A missing data dir is made only by commands that write
    (and said, with where it is); the others refuse, since an empty one there would hide the real data."""
    from pydantic import ValidationError  # noqa: PLC0415

    from planbot.config import Settings  # noqa: PLC0415

    try:
        settings = Settings()
    except ValidationError as exc:
        raise _fail(f"a PLANBOT_ setting is invalid: {exc}") from exc
    data = settings.data_dir = settings.data_dir.resolve()
    if not data.is_dir():
        if not create:
            raise _fail(
                f"no planbot data in {data} (nothing was ingested or saved there). Run `planbot ingest knowledge/` "
                "or `make run` first, or set PLANBOT_DATA_DIR to the folder that holds your data"
            )
        try:
            data.mkdir(parents=True)
        except OSError as exc:
            raise _fail(f"cannot create the data dir {data}: {exc.strerror}; set PLANBOT_DATA_DIR elsewhere") from exc
        err.print(f"created the data dir {data} (PLANBOT_DATA_DIR sets another)", highlight=False)
    elif announce:
        err.print(f"data: {data}", highlight=False)
    return settings


def _bot(recover: bool = False, create: bool = True, announce: bool = False) -> Planbot:
    """The service, imported only when a command needs it (the index pulls in Chroma and the model).

    `recover`: a corrupted knowledge index is set aside instead of refused (`ingest --rebuild`)."""
    from planbot.retrieval.index import KnowledgeIndex  # noqa: PLC0415
    from planbot.service import Planbot  # noqa: PLC0415

    settings = _settings(create, announce)
    try:
        index = KnowledgeIndex(settings.data_dir, settings.chroma_url, recover=recover) if recover else None
        return Planbot(settings, index=index)
    except PlanbotError as exc:
        raise _fail(exc.message) from exc


def _load_brief(path: Path) -> Brief:
    text = _read(path)
    if path.suffix.lower() in (".yaml", ".yml", ".json"):
        try:
            data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
        except (json.JSONDecodeError, yaml.YAMLError) as exc:
            raise _fail(f"{path} is not valid {path.suffix[1:].upper()}: {exc}") from exc
        if not isinstance(data, dict):
            raise _fail(f"{path} must hold a mapping of brief fields")
        return parse_brief(data)
    return brief_from_prose(text)


def _print_issues(issues: list[PlanIssue], console: Console = err) -> None:
    for i in issues:
        colour = "red" if i.severity == "error" else "yellow"
        console.print(f"[{colour}]{i.severity}[/{colour}] {i.rule} at {i.path or '-'}: {i.message}", highlight=False)


def _write(bot: Planbot, plan: Plan, formats: list[Format], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        path = out / filename(plan, fmt)
        path.write_bytes(bot.render(plan, fmt))
        written.append(path)
    return written


def _summary(plan: Plan) -> None:
    def money(a: int) -> str:
        return format_money_compact(a, plan.currency, plan.language)

    rows = [
        ["Period", f"{plan.period.start} – {plan.period.end}"],
        ["Budget", f"{money(plan.budget.total)} (reserve {money(plan.budget.reserve)})"],
        ["GMV / UV / CVR", f"{money(plan.funnel.year.gmv)} / {plan.funnel.year.uv:,} / {plan.funnel.year.cvr:.2%}"],
        ["Campaigns", ", ".join(f"{c.name} {c.day}" for c in plan.calendar.campaigns)],
        ["Sources", str(len(plan.sources))],
    ]
    t = Table(title=plan.title, show_header=False)
    for row in rows:
        t.add_row(*row)
    err.print(t)


@app.command()
def draft(
    brief: Annotated[Path, typer.Argument(help="YAML/JSON brief, or a text file describing the business")],
    format: Annotated[
        str, typer.Option("--format", "-f", help="comma-separated: md,html,json,docx,xlsx,pdf")
    ] = "md,html,json",
    out_dir: Annotated[
        Path | None, typer.Option("--out", "-o", help="folder for the documents [$PLANBOT_DATA_DIR/exports]")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="print the plan JSON on stdout instead of writing files")
    ] = False,
) -> None:
    """Draft a plan from a brief; prints the paths of the documents written (the summary goes to stderr)."""
    formats = _formats(format)
    try:
        b = _load_brief(brief)
        missing = b.missing()
        if missing:
            raise _fail(
                "the brief is missing required fields: "
                + ", ".join(missing)
                + " (platforms, period, budget_total and a GMV, growth or new-customer target)"
            )
        bot = _bot()
        plan = bot.draft(b)
    except PlanbotError as exc:
        raise _fail(exc.message) from exc
    if as_json:
        sys.stdout.write(plan.model_dump_json(indent=2) + "\n")
        return
    _summary(plan)
    _print_issues(plan.warnings)
    for path in _write(bot, plan, formats, out_dir or bot.settings.exports_dir):
        sys.stdout.write(f"{path}\n")


@app.command("validate")
def validate_cmd(
    plan_file: Annotated[Path, typer.Argument(help="a plan JSON file")],
    as_json: Annotated[bool, typer.Option("--json", help='print {"valid", "issues"} on stdout')] = False,
) -> None:
    """Check a plan: exit 1 and list the problems when it is invalid."""
    try:
        plan = parse_plan(_read(plan_file))
    except PlanbotError as exc:
        raise _fail(exc.message) from exc
    issues = _bot().validate(plan)
    if as_json:
        _json({"valid": not errors(issues), "issues": [i.model_dump(mode="json") for i in issues]})
    else:
        _print_issues(issues, out)
    if errors(issues):
        raise _fail(f"{plan_file} is not a valid plan ({len(errors(issues))} errors)")
    if not as_json:
        out.print(f"[green]valid[/green]: {plan_file}", highlight=False)


@app.command()
def render(
    plan_file: Annotated[Path, typer.Argument(help="a plan JSON file")],
    format: Annotated[
        str, typer.Option("--format", "-f", help="comma-separated: md,html,json,docx,xlsx,pdf")
    ] = "md,html",
    out_dir: Annotated[Path | None, typer.Option("--out", "-o", help="folder [$PLANBOT_DATA_DIR/exports]")] = None,
) -> None:
    """Render a (valid) plan JSON as documents; prints the paths written."""
    formats = _formats(format)
    try:
        plan = parse_plan(_read(plan_file))
    except PlanbotError as exc:
        raise _fail(exc.message) from exc
    bot = _bot()
    issues = errors(bot.validate(plan))
    if issues:
        _print_issues(issues)
        raise _fail("refusing to render an invalid plan")
    for path in _write(bot, plan, formats, out_dir or bot.settings.exports_dir):
        sys.stdout.write(f"{path}\n")


@app.command()
def schema(kind: Annotated[str, typer.Argument(help="plan or brief")] = "plan") -> None:
    """Print the JSON Schema of a plan or a brief."""
    if kind not in ("plan", "brief"):
        raise typer.BadParameter("choose plan or brief")
    model = Plan if kind == "plan" else Brief
    sys.stdout.write(json.dumps(model.model_json_schema(), ensure_ascii=False, indent=2) + "\n")


knowledge_app = typer.Typer(no_args_is_help=True, help="The guides planbot cites.")
app.add_typer(knowledge_app, name="knowledge")


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="files or folders (.md .txt .html .docx .pdf)")],
    rebuild: Annotated[bool, typer.Option("--rebuild", help="re-create the vector and BM25 indexes first")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print the results as JSON on stdout")] = False,
) -> None:
    """Add guides to the knowledge base; unchanged files are skipped. A path that does not exist is
    reported (exit 1) and the others are still ingested."""
    from rich.progress import Progress  # noqa: PLC0415

    from planbot.retrieval.loaders import iter_files  # noqa: PLC0415

    missing = [p for p in paths if not p.exists()]
    for p in missing:
        err.print(f"[red]error:[/red] {p} does not exist (no such file or folder)", highlight=False)
    bot = _bot(recover=rebuild, announce=True)
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
                results.append((f, bot.ingest_file(f), ""))
            except PlanbotError as exc:
                results.append((f, None, exc.message))
            progress.advance(task)
    table = [{"file": str(f), "doc_id": r.doc_id if r else None, "status": r.status if r else "failed",
              "chunks": r.chunks if r else 0, "note": r.reason if r else why} for f, r, why in results]  # fmt: skip
    if as_json:
        _json(table)
    else:
        _rows("ingest", ["file", "document", "status", "chunks", "note"],
              [[str(row[c] if row[c] is not None else "-") for c in ("file", "doc_id", "status", "chunks", "note")]
               for row in table])  # fmt: skip
    counts = Counter(r.status if r else "failed" for _, r, _ in results)
    chunks = sum(r.chunks for _, r, _ in results if r and r.status in ("added", "updated"))
    err.print(f"documents: {len(results)} ({', '.join(f'{v} {k}' for k, v in sorted(counts.items()))}); "
              f"new chunks: {chunks}", highlight=False)  # fmt: skip
    if counts.get("failed"):
        raise typer.Exit(1)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="a question or keywords, Chinese or English")],
    k: Annotated[int, typer.Option("-k", min=1, max=50, help="number of passages")] = 5,
    lang: Annotated[str | None, typer.Option("--lang", help="zh or en")] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="only guides with this tag")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Find the passages of the guides that answer a question."""
    if lang not in (None, "zh", "en"):
        raise typer.BadParameter("--lang must be zh or en")
    bot = _bot(create=False)
    try:
        bot.ensure_knowledge()
        hits = bot.index.search(query, k=k, lang=lang, tags=tag or [])
    except PlanbotError as exc:
        raise _fail(exc.message) from exc
    if as_json:
        _json({"hits": [{"chunk_id": h.chunk_id, "doc_id": h.doc_id, "title": h.title, "score": h.score,
                         "text": h.text} for h in hits]})  # fmt: skip
        return
    if not hits:
        err.print("no passage matches", highlight=False)
    for i, h in enumerate(hits, 1):
        out.print(f"[bold]{i}. {h.title}[/bold] ({h.chunk_id}, score {h.score:.4f})", highlight=False)
        out.print(h.text, highlight=False, markup=False)
        out.print()


@knowledge_app.command("list")
def knowledge_list(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """The documents in the knowledge base."""
    bot = _bot(create=False)
    bot.ensure_knowledge()
    docs = bot.index.documents()
    if as_json:
        _json([d.__dict__ for d in docs])
        return
    _rows(f"{len(docs)} documents", ["id", "title", "lang", "chunks", "source"],
          [[d.doc_id, d.title, d.lang, str(d.chunks), d.source] for d in docs])  # fmt: skip


@knowledge_app.command("remove")
def knowledge_remove(
    doc_id: Annotated[str, typer.Argument(help="a document id from `planbot knowledge list`")],
) -> None:
    """Remove a document and all its chunks."""
    bot = _bot(create=False)
    try:
        bot.index.remove(doc_id)
    except PlanbotError as exc:
        raise _fail(exc.message) from exc
    err.print(f"removed {doc_id}", highlight=False)


keys_app = typer.Typer(no_args_is_help=True, help="API keys for the REST API (shown once, stored hashed).")
app.add_typer(keys_app, name="keys")


def _store(create: bool = True) -> Store:
    from planbot.store.repository import Store  # noqa: PLC0415

    settings = _settings(create)
    try:
        return Store.for_data_dir(settings.data_dir, settings.database_url)
    except PlanbotError as exc:
        raise _fail(exc.message) from exc


@keys_app.command("create")
def keys_create(
    name: Annotated[str, typer.Argument(help="who or what the key is for")],
    adopt_local: Annotated[
        bool,
        typer.Option("--adopt-local", help="move the conversations, plans and uploads made without a key to this key"),
    ] = False,
) -> None:
    """Create a key; it is printed once on stdout and only its hash is kept.

    From the first key on, every API request needs a key (the open local mode ends), and what was made
    without one stays with the local owner, invisible to keys, unless --adopt-local moves it to this key."""
    if not name.strip() or len(name) > 100:
        raise _fail("a key name has 1 to 100 characters")
    try:
        key, info, adopted = _store().create_key_adopting(name.strip(), adopt_local=adopt_local)
    except PlanbotError as exc:
        raise _fail(exc.message) from exc
    sys.stdout.write(key + "\n")
    err.print(f"created key {info.id} ({info.name}); store it now, it cannot be shown again", highlight=False)
    if adopt_local:
        err.print(f"adopted from the local owner: {adopted.sessions} conversations, {adopted.plans} plans, "
                  f"{adopted.documents} uploaded guides", highlight=False)  # fmt: skip
    else:
        err.print("what was made without a key stays with the local owner, invisible to keys "
                  "(`planbot keys create NAME --adopt-local` moves it to a new key)", highlight=False)  # fmt: skip
    err.print("API requests now need `Authorization: Bearer <key>`", highlight=False)


@keys_app.command("list")
def keys_list(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """The keys (id, name, prefix, created, revoked); never the keys themselves."""
    keys = _store(create=False).keys()
    if as_json:
        _json([{**k.__dict__, "created_at": k.created_at.isoformat()} for k in keys])
        return
    _rows(f"{len(keys)} keys", ["id", "name", "prefix", "created", "revoked"],
          [[k.id, k.name, k.prefix + "…", k.created_at.isoformat(timespec="seconds"), "yes" if k.revoked else ""]
           for k in keys])  # fmt: skip


@keys_app.command("revoke")
def keys_revoke(key_id: Annotated[str, typer.Argument(help="the key's id or name")]) -> None:
    """Revoke a key: requests with it get 401 from now on."""
    try:
        _store(create=False).revoke_key(key_id)
    except PlanbotError as exc:
        raise _fail(exc.message) from exc
    err.print(f"revoked {key_id}", highlight=False)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="bind address (default PLANBOT_HOST, 127.0.0.1)")] = None,
    port: Annotated[int | None, typer.Option(help="port (default PLANBOT_PORT, 8000)")] = None,
    workers: Annotated[int, typer.Option(min=1, max=32, help="uvicorn worker processes")] = 1,
) -> None:
    """Serve the web UI (/) and the REST API (OpenAPI docs at /docs); indexes knowledge/ on first start.

    --host/--port override PLANBOT_HOST/PLANBOT_PORT; the app and every worker see the same values."""
    import os  # noqa: PLC0415

    import uvicorn  # noqa: PLC0415

    from planbot.retrieval.health import REBUILD_HINT, index_problem  # noqa: PLC0415

    settings = _settings(create=True, announce=True)
    problem = index_problem(settings.data_dir, settings.chroma_url)
    if problem:
        raise _fail(f"{problem.message}; {REBUILD_HINT}")
    host, port = host or settings.host, port or settings.port
    # the app factory reads Settings again (in each worker): one source of truth for where we are
    os.environ.update(PLANBOT_HOST=host, PLANBOT_PORT=str(port), PLANBOT_DATA_DIR=str(settings.data_dir))
    where = f"http://{'[' + host + ']' if ':' in host else host}:{port}"
    page = f"web UI at {where}/, " if settings.web_enabled else ""
    err.print(f"planbot serving on {where} ({page}API docs at {where}/docs)", highlight=False)
    uvicorn.run("planbot.api.app:create_app", factory=True, host=host, port=port, workers=workers,
                log_level="info")  # fmt: skip


@app.command()
def chat(
    session: Annotated[str | None, typer.Option(help="continue a session by id")] = None,
) -> None:
    """The interview in the terminal: describe the business, then say 生成方案 / draft."""
    bot = _bot()
    owner = bot.local_owner()
    console = Console()
    try:
        if session:
            view = bot.session(owner, session)
            sid = session
            console.print(view.messages[-1].text if view.messages else "", highlight=False)
        else:
            first = bot.start_session(owner)
            sid = first.session_id
            console.print(f"[dim]session {sid}[/dim]")
            console.print(first.reply, highlight=False)
    except PlanbotError as exc:
        raise _fail(exc.message) from exc
    while True:
        try:
            text = console.input("[bold cyan]> [/bold cyan]")
        except (EOFError, KeyboardInterrupt):
            break
        if text.strip().lower() in ("exit", "quit", "退出"):
            break
        try:
            result = bot.send_message(owner, sid, text)
        except PlanbotError as exc:
            console.print(f"[red]{exc.message}[/red]", highlight=False)
            continue
        console.print(result.reply, highlight=False)
        if result.plan:
            console.print(f"[dim]plan {result.plan.id} v{result.plan.version}[/dim]")
    console.print(f"[dim]session {sid} saved; continue with `planbot chat --session {sid}`[/dim]")


def main() -> None:
    app()
