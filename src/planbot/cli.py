"""The `planbot` command line: draft, validate, render and publish the schemas.

Exit codes: 0 ok, 1 invalid input or plan, 2 usage.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from rich.console import Console
from rich.table import Table

from planbot.core.numbers import format_money_compact
from planbot.core.plan import Plan, PlanIssue
from planbot.core.validate import errors
from planbot.errors import PlanbotError
from planbot.service import FORMATS, Format, Planbot

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    help="planbot: e-commerce marketing plans.",
)
err = Console(stderr=True)


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


def _load_brief(bot: Planbot, path: Path) -> Any:
    text = _read(path)
    if path.suffix.lower() in (".yaml", ".yml", ".json"):
        try:
            data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
        except (json.JSONDecodeError, yaml.YAMLError) as exc:
            raise _fail(f"{path} is not valid {path.suffix[1:].upper()}: {exc}") from exc
        if not isinstance(data, dict):
            raise _fail(f"{path} must hold a mapping of brief fields")
        return bot.parse_brief(data)
    return bot.brief_from_text(text)


def _print_issues(issues: list[PlanIssue]) -> None:
    for i in issues:
        colour = "red" if i.severity == "error" else "yellow"
        err.print(f"[{colour}]{i.severity}[/{colour}] {i.rule} at {i.path or '-'}: {i.message}", highlight=False)


def _slug(plan: Plan) -> str:
    brand = plan.brief.brand or "plan"
    base = re.sub(r"[^\w\u4e00-\u9fff-]+", "-", brand).strip("-")[:40] or "plan"
    return f"{base}-{plan.period.start:%Y%m%d}-{plan.period.end:%Y%m%d}-v{plan.version}"


def _write(bot: Planbot, plan: Plan, formats: list[Format], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        path = out / f"{_slug(plan)}.{fmt}"
        path.write_text(bot.render(plan, fmt), encoding="utf-8")
        written.append(path)
    return written


def _summary(plan: Plan) -> None:
    def money(a: int) -> str:
        return format_money_compact(a, plan.currency, plan.language)

    t = Table(title=plan.title, show_header=False)
    t.add_row("Period", f"{plan.period.start} – {plan.period.end}")
    t.add_row("Budget", f"{money(plan.budget.total)} (reserve {money(plan.budget.reserve)})")
    t.add_row(
        "GMV / UV / CVR",
        f"{money(plan.funnel.year.gmv)} / {plan.funnel.year.uv:,} / {plan.funnel.year.cvr:.2%}",
    )
    t.add_row("Campaigns", ", ".join(f"{c.name} {c.day}" for c in plan.calendar.campaigns))
    t.add_row("Sources", str(len(plan.sources)))
    err.print(t)


@app.command()
def draft(
    brief: Annotated[Path, typer.Argument(help="YAML/JSON brief, or a text file describing the business")],
    format: Annotated[str, typer.Option("--format", "-f", help="comma-separated: md,html,json")] = "md,html,json",
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="folder for the documents [$PLANBOT_DATA_DIR/exports]")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="print the plan JSON on stdout instead of writing files")
    ] = False,
) -> None:
    """Draft a plan from a brief."""
    formats = _formats(format)
    bot = Planbot()
    try:
        b = _load_brief(bot, brief)
        missing = b.missing()
        if missing:
            raise _fail(
                "the brief is missing required fields: "
                + ", ".join(missing)
                + " (platforms, period, budget_total and a GMV, growth or new-customer target)"
            )
        plan = bot.draft(b)
    except PlanbotError as exc:
        raise _fail(exc.message) from exc
    if as_json:
        sys.stdout.write(plan.model_dump_json(indent=2) + "\n")
        return
    _summary(plan)
    _print_issues(plan.warnings)
    for path in _write(bot, plan, formats, out or bot.settings.exports_dir):
        err.print(f"wrote {path}", highlight=False)


@app.command("validate")
def validate_cmd(plan_file: Annotated[Path, typer.Argument(help="a plan JSON file")]) -> None:
    """Check a plan: exit 1 and list the problems when it is invalid."""
    bot = Planbot()
    try:
        plan = bot.parse_plan(_read(plan_file))
    except PlanbotError as exc:
        raise _fail(exc.message) from exc
    issues = bot.validate(plan)
    _print_issues(issues)
    if errors(issues):
        raise _fail(f"{plan_file} is not a valid plan ({len(errors(issues))} errors)")
    err.print(f"[green]valid[/green]: {plan_file}", highlight=False)


@app.command()
def render(
    plan_file: Annotated[Path, typer.Argument(help="a plan JSON file")],
    format: Annotated[str, typer.Option("--format", "-f", help="comma-separated: md,html,json")] = "md,html",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="folder [$PLANBOT_DATA_DIR/exports]")] = None,
) -> None:
    """Render a (valid) plan JSON as documents."""
    formats = _formats(format)
    bot = Planbot()
    try:
        plan = bot.parse_plan(_read(plan_file))
    except PlanbotError as exc:
        raise _fail(exc.message) from exc
    issues = errors(bot.validate(plan))
    if issues:
        _print_issues(issues)
        raise _fail("refusing to render an invalid plan")
    for path in _write(bot, plan, formats, out or bot.settings.exports_dir):
        err.print(f"wrote {path}", highlight=False)


@app.command()
def schema(kind: Annotated[str, typer.Argument(help="plan or brief")] = "plan") -> None:
    """Print the JSON Schema of a plan or a brief."""
    if kind not in ("plan", "brief"):
        raise typer.BadParameter("choose plan or brief")
    sys.stdout.write(Planbot.schema("plan" if kind == "plan" else "brief") + "\n")


def main() -> None:
    app()
