"""Renderers: a Plan as Markdown and as a standalone HTML page (more formats in later issues)."""

from typing import Literal

Format = Literal["md", "html", "json"]
FORMATS: tuple[Format, ...] = ("md", "html", "json")
