"""A plan as Markdown: every table of the plan, user text escaped."""

from __future__ import annotations

from planbot.core.plan import Plan
from planbot.render.formatting import context, environment


def render_markdown(plan: Plan) -> str:
    return environment("md").get_template("plan.md.j2").render(**context(plan))
