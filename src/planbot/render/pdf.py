"""A plan as PDF: WeasyPrint renders the HTML page with its print CSS, charts and an embedded CJK font.

The font is the Noto Sans CJK SC face from the mplfonts wheel (the charts use the same one), loaded
from a local file: nothing is fetched from the network; WeasyPrint subsets it into the PDF.
"""

from __future__ import annotations

import logging

from planbot.core.plan import Plan
from planbot.render.charts import cjk_font
from planbot.render.html import render_html


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
    )

    html = render_html(plan, extra_css=css, png_charts=True)
    # only the local font file (and inline data) may be read: nothing from the network
    fetcher = URLFetcher(allowed_protocols={"file", "data"}, fail_on_errors=True)
    pdf: bytes = HTML(string=html, url_fetcher=fetcher).write_pdf()
    return pdf
