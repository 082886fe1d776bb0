"""A plan as one standalone HTML page: inline CSS and SVG charts, print styles, nothing loaded from the internet."""

from __future__ import annotations

import base64

from markupsafe import Markup

from planbot.core.plan import Plan
from planbot.render.formatting import context, environment, plain_plan


def render_html(plan: Plan, charts: bool = True, extra_css: str = "", png_charts: bool = False) -> str:
    """The page; `charts=False` leaves the charts out (fast previews, template snapshots).

    Charts are inline SVG (text as paths) for browsers; `png_charts` embeds them as PNG data URIs,
    which WeasyPrint lays out several times faster than thousands of SVG paths.
    """
    plan = plain_plan(plan)  # no control characters (boxes in the PDF); autoescape does the rest, once
    svgs: dict[str, Markup] = {}
    if charts:
        from planbot.render import charts as C  # noqa: PLC0415 - matplotlib loads only when charts are drawn

        if png_charts:
            svgs = {
                name: Markup('<img alt="" src="data:image/png;base64,{}">').format(
                    base64.b64encode(C.png(plan, name, dpi=130)).decode()
                )
                for name in C.shown(plan)
            }
        else:
            svgs = {name: Markup(C.svg(plan, name)) for name in C.shown(plan)}
    return (
        environment("html")
        .get_template("plan.html.j2")
        .render(**context(plan), charts=svgs, extra_css=Markup(extra_css))
    )
