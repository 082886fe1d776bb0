"""`planbot draft`, `validate`, `render` and `schema`: plans from briefs, checked and rendered."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
import yaml
from rich.console import Console
from rich.table import Table

from planbot.cli.common import app, err, fail, formats_option, out, print_json, read_text, service
from planbot.cli.templates import with_history
from planbot.core.brief import Brief
from planbot.core.numbers import format_money_compact
from planbot.core.plan import Plan, PlanIssue
from planbot.core.validate import errors
from planbot.errors import PlanbotError
from planbot.inputs import brief_from_prose, parse_brief, parse_plan
from planbot.render import Format, filename

if TYPE_CHECKING:
    from planbot.service import Planbot


def _load_brief(path: Path) -> Brief:
    text = read_text(path)
    if path.suffix.lower() in (".yaml", ".yml", ".json"):
        try:
            data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
        except (json.JSONDecodeError, yaml.YAMLError) as exc:
            raise fail(f"{path} is not valid {path.suffix[1:].upper()}: {exc}") from exc
        if not isinstance(data, dict):
            raise fail(f"{path} must hold a mapping of brief fields")
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
    history: Annotated[
        Path | None,
        typer.Option("--history", help="the brand's sales/ad history: a CSV or XLSX export, or planbot's template"),
    ] = None,
) -> None:
    """Draft a plan from a brief; prints the paths of the documents written (the summary goes to stderr)."""
    formats = formats_option(format)
    try:
        b = _load_brief(brief)
        if history is not None:
            b = with_history(b, history)
        missing = b.missing()
        if missing:
            raise fail(
                "the brief is missing required fields: "
                + ", ".join(missing)
                + " (platforms, period, budget_total and a GMV, growth or new-customer target)"
            )
        bot = service()
        plan = bot.draft(b)
    except PlanbotError as exc:
        raise fail(exc.message) from exc
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
        plan = parse_plan(read_text(plan_file))
    except PlanbotError as exc:
        raise fail(exc.message) from exc
    issues = service().validate(plan)
    if as_json:
        print_json({"valid": not errors(issues), "issues": [i.model_dump(mode="json") for i in issues]})
    else:
        _print_issues(issues, out)
    if errors(issues):
        raise fail(f"{plan_file} is not a valid plan ({len(errors(issues))} errors)")
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
    formats = formats_option(format)
    try:
        plan = parse_plan(read_text(plan_file))
    except PlanbotError as exc:
        raise fail(exc.message) from exc
    bot = service()
    issues = errors(bot.validate(plan))
    if issues:
        _print_issues(issues)
        raise fail("refusing to render an invalid plan")
    for path in _write(bot, plan, formats, out_dir or bot.settings.exports_dir):
        sys.stdout.write(f"{path}\n")


@app.command()
def schema(kind: Annotated[str, typer.Argument(help="plan or brief")] = "plan") -> None:
    """Print the JSON Schema of a plan or a brief."""
    if kind not in ("plan", "brief"):
        raise typer.BadParameter("choose plan or brief")
    model = Plan if kind == "plan" else Brief
    sys.stdout.write(json.dumps(model.model_json_schema(), ensure_ascii=False, indent=2) + "\n")
