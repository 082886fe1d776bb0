import re

from planbot.core.plan import Plan
from planbot.render.formatting import labels
from planbot.render.html import render_html
from planbot.render.markdown import render_markdown


def test_markdown_has_every_section_and_table(plans: dict[str, Plan]) -> None:
    for plan in plans.values():
        md = render_markdown(plan)
        for title in labels(plan.language)["sections"].values():
            assert f"## {title}" in md
        assert md.count("| --- |") + md.count("| --- | ---") >= 10
        alloc = f"{plan.budget.allocated:,}"
        assert md.count(alloc) >= 4  # the total row of each budget table


def test_amounts_are_shown_exactly_and_compactly(plans: dict[str, Plan]) -> None:
    md = render_markdown(plans["beauty"])
    assert "¥15,000,000" in md and "¥1,500万" in md
    en = render_markdown(plans["us"])
    assert "$600,000" in en and "$600K" in en


def test_html_is_standalone(plans: dict[str, Plan]) -> None:
    html = render_html(plans["beauty"])
    assert html.startswith("<!doctype html>")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "@page" in html and "<table>" in html
    assert "花漾" in html and "¥15,000,000" in html


def test_user_text_is_escaped(beauty_plan: Plan) -> None:
    evil = "<img src=x onerror=alert(1)>[x](javascript:alert(1))"
    beauty_plan.title = evil
    beauty_plan.situation.competitors = evil
    html = render_html(beauty_plan)
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    md = render_markdown(beauty_plan)
    assert "<img" not in md and "&lt;img" in md
    assert not re.search(r"(?<!\\)\]\(javascript:", md)  # the brackets are escaped: no link
