"""Renderers: a Plan as Markdown, standalone HTML, JSON, DOCX, XLSX and PDF (with charts)."""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from planbot.core.plan import Plan

Format = Literal["md", "html", "json", "docx", "xlsx", "pdf"]
FORMATS: tuple[Format, ...] = ("md", "html", "json", "docx", "xlsx", "pdf")
MEDIA_TYPES: dict[str, str] = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "json": "application/json",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def render(plan: Plan, fmt: Format) -> bytes:
    """The document's bytes; heavy libraries (matplotlib, python-docx, openpyxl, WeasyPrint) load on first use."""
    if fmt == "md":
        from planbot.render.markdown import render_markdown  # noqa: PLC0415

        return render_markdown(plan).encode()
    if fmt == "html":
        from planbot.render.html import render_html  # noqa: PLC0415

        return render_html(plan).encode()
    if fmt == "docx":
        from planbot.render.docx import render_docx  # noqa: PLC0415

        return render_docx(plan)
    if fmt == "xlsx":
        from planbot.render.xlsx import render_xlsx  # noqa: PLC0415

        return render_xlsx(plan)
    if fmt == "pdf":
        from planbot.render.pdf import render_pdf  # noqa: PLC0415

        return render_pdf(plan)
    return plan.model_dump_json(indent=2).encode()


def filename(plan: Plan, fmt: str) -> str:
    """One name for a plan's document everywhere (CLI files, downloads, Slack uploads)."""
    # word characters and "-" only: no path separators, dots, quotes, spaces or markup, whatever the brand
    brand = re.sub(r"[^\w-]+", "-", plan.brief.brand or "plan").strip("-")[:40].strip("-") or "plan"
    return f"{brand}-{plan.period.start:%Y%m%d}-{plan.period.end:%Y%m%d}-v{plan.version}.{fmt}"


def fingerprint(plan: Plan) -> str:
    """Identifies a plan's content (not just id and version: a tampered copy differs)."""
    return hashlib.sha1(plan.model_dump_json().encode()).hexdigest()
