"""Snapshots of the Markdown and HTML (without charts) of a Chinese and an English plan.

A change to a template or to the playbook shows up here as a diff to review. To accept it:
PLANBOT_UPDATE_SNAPSHOTS=1 pytest tests/render/test_snapshots.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from planbot.core.plan import Plan
from planbot.render.html import render_html
from planbot.render.markdown import render_markdown

SNAPSHOTS = Path(__file__).resolve().parents[1] / "snapshots"


@pytest.mark.parametrize(("key", "fmt"), [("beauty", "md"), ("beauty", "html"), ("us", "md"), ("us", "html")])
def test_snapshot(plans: dict[str, Plan], key: str, fmt: str) -> None:
    plan = plans[key]
    text = render_markdown(plan) if fmt == "md" else render_html(plan, charts=False)
    path = SNAPSHOTS / f"{key}.{fmt}"
    if os.environ.get("PLANBOT_UPDATE_SNAPSHOTS") or not path.exists():
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{path.name} changed; review and update the snapshot"
