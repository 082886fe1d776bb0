"""`planbot serve` (the web UI and the REST API) and `planbot chat` (the interview in the terminal)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from planbot.cli.common import app, err, fail, load_settings, service
from planbot.errors import PlanbotError


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
    from planbot.web.cookies import load_secret  # noqa: PLC0415

    settings = load_settings(create=True, announce=True)
    try:  # made (or refused) once here, so workers never race to create it and a bad key stops the start
        load_secret(settings.data_dir, settings.secret_key.get_secret_value() if settings.secret_key else None)
    except PlanbotError as exc:
        raise fail(exc.message) from exc
    problem = index_problem(settings.data_dir, settings.chroma_url)
    if problem:
        raise fail(f"{problem.message}; {REBUILD_HINT}")
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
    bot = service()
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
        raise fail(exc.message) from exc
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
