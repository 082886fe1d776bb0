"""A plan as PDF: WeasyPrint renders the HTML page with its print CSS, charts and an embedded CJK font.

The font is the Noto Sans CJK SC face from the mplfonts wheel (the charts use the same one), loaded
from a local file: nothing is fetched from the network; WeasyPrint subsets it into the PDF.
"""

from __future__ import annotations

import logging

from planbot.core.plan import Plan
from planbot.render.charts import cjk_font
from planbot.render.html import render_html

# The 4P lists side by side as a two-column grid (pair n in column n mod 2, rows aligned) instead of
# CSS multi-column: WeasyPrint balances columns by laying their content out again and again, which
# took two thirds of the PDF's time (13 s of CPU -> 5.5 s for the reference plan), and a balanced
# block that does not fit left the rest of its page empty.
STRATEGY_GRID = """
.strategy-lists { columns: auto; display: grid; grid-template-columns: 1fr 1fr; grid-auto-flow: dense;
                  column-gap: 1.5rem; }
.strategy-lists > :nth-child(4n+1), .strategy-lists > :nth-child(4n+2) { grid-column: 1; }
.strategy-lists > :nth-child(4n+3), .strategy-lists > :nth-child(4n+4) { grid-column: 2; }
"""


def render_pdf(plan: Plan) -> bytes:
    from weasyprint import HTML  # noqa: PLC0415 - heavy import, only when a PDF is asked for
    from weasyprint.urls import URLFetcher  # noqa: PLC0415

    logging.getLogger("fontTools").setLevel(logging.ERROR)
    _, path = cjk_font()
    # One face for every weight: the same glyphs on every machine, and one font to subset (not the
    # system's bold, JP and serif variants fontconfig would otherwise pull in).
    css = (
        "".join(
            f'@font-face {{ font-family: "Planbot CJK"; font-weight: {w}; src: url("{path.as_uri()}"); }}\n'
            for w in ("normal", "bold")
        )
        + 'body { font-family: "Planbot CJK"; } @page { font-family: "Planbot CJK"; }'
        + STRATEGY_GRID
    )

    html = render_html(plan, extra_css=css, png_charts=True)
    # only the local font file (and inline data) may be read: nothing from the network
    fetcher = URLFetcher(allowed_protocols={"file", "data"}, fail_on_errors=True)
    pdf: bytes = HTML(string=html, url_fetcher=fetcher).write_pdf()
    return pdf
