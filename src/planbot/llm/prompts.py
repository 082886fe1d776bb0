"""Prompts are Jinja2 templates in prompts/*.j2, rendered with StrictUndefined (a missing variable fails)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined


@cache
def _environment(directory: Path) -> Environment:
    return Environment(
        loader=FileSystemLoader(directory),
        undefined=StrictUndefined,
        autoescape=False,  # prompts are plain text for a model, never HTML
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def render(directory: Path, name: str, **values: Any) -> str:
    return _environment(directory).get_template(f"{name}.j2").render(**values).strip()
