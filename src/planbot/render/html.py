"""A plan as one standalone HTML page: inline CSS, print styles, nothing loaded from the internet."""

from __future__ import annotations

from planbot.core.plan import Plan
from planbot.render.formatting import context, environment


def render_html(plan: Plan) -> str:
    return environment("html").get_template("plan.html.j2").render(**context(plan))
