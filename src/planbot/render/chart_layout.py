"""Layout helpers for the charts (`charts.py`): money labels that keep their unit, text measured with the
Agg renderer and shortened (with "…") or wrapped to a width in pixels, and a last pass that grows a
figure until everything it draws lies inside it.

Rules every chart follows (issue 20):
- legends sit outside the plot (`fig.legend(loc="outside …")`, laid out by constrained layout), their
  entries wrapped, never cut at the figure's edge;
- a label placed over a bar is measured and fitted to that bar's slot (wrapped, then ellipsized), and
  the axis grows so it stays inside the plot; it never spills over a neighbouring bar;
- the figure's width and height come from its content: `fit_figure` enlarges it when any artist
  still falls outside (a long legend, a long tick label), so nothing is clipped.
"""

from __future__ import annotations

import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

import matplotlib
from matplotlib import font_manager
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.text import Text

from planbot.core.numbers import symbol
from planbot.render import gantt

ELLIPSIS = "…"
PALETTE = ["#c2410c", "#0f766e", "#1d4ed8", "#a16207", "#7c3aed", "#be185d", "#15803d", "#475569", "#0e7490"]
INK = "#1d2433"
MUTED = "#475569"


@cache
def cjk_font() -> tuple[str, Path]:
    """(family name, file) of the CJK font, registered with matplotlib once."""
    import mplfonts  # noqa: PLC0415 - only for the path of the font it ships

    path = Path(mplfonts.__file__).resolve().parent / "fonts" / "NotoSansCJKsc-Regular.otf"
    font_manager.fontManager.addfont(str(path))
    name = font_manager.FontProperties(fname=str(path)).get_name()
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [name, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False
    matplotlib.rcParams["svg.fonttype"] = "path"
    matplotlib.rcParams["svg.hashsalt"] = "planbot"  # stable ids: the same plan gives the same SVG
    # every label is drawn as typed: "$ave & Co $5" is text, not mathtext (which would also fail on a lone backslash)
    matplotlib.rcParams["text.parse_math"] = False
    matplotlib.rcParams["text.usetex"] = False
    return name, path


def new_figure(width: float, height: float) -> Figure:
    """A figure (inches) with constrained layout on an Agg canvas, the CJK font registered."""
    cjk_font()
    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def title(fig: Figure, text: str) -> None:
    fig.suptitle(text, fontsize=13, x=0.02, ha="left", color=INK)


def colours(n: int) -> list[str]:
    return [PALETTE[i % len(PALETTE)] for i in range(n)]


def _digits(x: Decimal, significant: int) -> str:
    """`x` (>= 1) to `significant` digits (all of its whole part), grouped: 350, 63.2, 4.13, 1,234."""
    whole = len(str(int(x)))
    places = max(0, significant - whole)
    q = x.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    s = f"{q:,.{places}f}"
    return s.rstrip("0").rstrip(".") if "." in s else s


def money_label(amount: int, currency: str, language: str) -> str:
    """A chart's money: three significant digits with the unit whole, "¥92.3万" / "¥1,234万" / "¥1.2亿",
    "$350K" / "$63.2K" / "$4.5M". The unit is part of the string: a label is never cut inside it."""
    sign = "-" if amount < 0 else ""
    a = Decimal(abs(amount))
    sym = symbol(currency)
    if language == "zh":
        units: tuple[tuple[int, str, int], ...] = ((100_000_000, "亿", 3), (10_000, "万", 3))
    else:
        units = ((1_000_000_000, "B", 3), (1_000_000, "M", 3), (1_000, "K", 3))
    for i, (size, suffix, significant) in enumerate(units):
        if a >= size:
            text = _digits(a / size, significant)
            # 999,600 is "$1M", not "$1,000K"; but "¥1,234万" keeps its four digits (万 runs to 9,999)
            if i > 0 and language != "zh" and Decimal(text.replace(",", "")) >= 1000:
                bigger, big_suffix, _ = units[i - 1]
                return f"{sign}{sym}{_digits(a / bigger, significant)}{big_suffix}"
            if language == "zh" and suffix == "万" and Decimal(text.replace(",", "")) >= 10_000:
                return f"{sign}{sym}{_digits(a / 100_000_000, significant)}亿"
            return f"{sign}{sym}{text}{suffix}"
    return f"{sign}{sym}{int(a):,}"


def renderer(fig: Figure) -> RendererBase:
    return fig.canvas.get_renderer()  # type: ignore[attr-defined, no-any-return]


def text_width(fig: Figure, text: str, fontsize: float) -> float:
    """Width in pixels of the widest line of `text` at `fontsize` points, as the Agg renderer draws it."""
    r = renderer(fig)
    prop = FontProperties(size=fontsize)
    return max((r.get_text_width_height_descent(line, prop, ismath=False)[0] for line in text.split("\n")),
               default=0.0)  # fmt: skip


def ellipsize(fig: Figure, text: str, width: float, fontsize: float) -> str:
    """`text` (one line) as it fits `width` pixels: whole, or cut with "…" at the end."""
    if text_width(fig, text, fontsize) <= width:
        return text
    lo, hi = 0, len(text)  # the longest prefix that fits with its ellipsis
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if text_width(fig, text[:mid].rstrip() + ELLIPSIS, fontsize) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + ELLIPSIS


def cuts_word(text: str, wrapped: str) -> bool:
    """Whether a line break of `wrapped` (a wrap of `text`) falls inside a Latin word or a number
    ("Valent|ine's"), not at a space or beside a Chinese character."""
    flat, pos = " ".join(text.split()), 0
    lines = wrapped.split("\n")
    for line in lines[:-1]:  # only the last line can end in "…": the others are pieces of the text
        found = flat.find(line, pos)
        if found < 0:
            return False
        pos = found + len(line)
        if 0 < pos < len(flat) and flat[pos] != " " and _wordish(flat[pos - 1]) and _wordish(flat[pos]):
            return True
    return False


def _wordish(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "'’-.,&")


def fit_lines(fig: Figure, text: str, width: float, fontsize: float, max_lines: int) -> str:
    """`text` wrapped (at the natural places of `gantt.wrap_label`) into at most `max_lines` lines that
    each fit `width` pixels. When no wrap fits without breaking a word, the widest clean wrap that
    gets the text into `max_lines` lines is kept and each line too wide ends in "…"."""
    widest = min(80, max(4, sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)))
    clean = gantt.wrap_label(text, width=widest, max_lines=max_lines)
    for units in range(widest, 3, -2):
        wrapped = gantt.wrap_label(text, width=units, max_lines=max_lines)
        if cuts_word(text, wrapped):
            break
        clean = wrapped
        if text_width(fig, wrapped, fontsize) <= width:
            return wrapped
    return "\n".join(ellipsize(fig, line, width, fontsize) for line in clean.split("\n"))


def legend_label(fig: Figure, name: str, figures: str, fontsize: float, width: float) -> str:
    """A legend entry: "name  figures" on one line when it fits `width` pixels; else the name (wrapped to
    two lines, ellipsized only beyond them) above the figures, which are never cut."""
    one = f"{name}  {figures}"
    if text_width(fig, one, fontsize) <= width:
        return one
    return fit_lines(fig, name, width, fontsize, 2) + "\n" + figures


def visible_texts(fig: Figure) -> list[Text]:
    """Every text the figure draws: titles, tick labels, legend entries, labels; the empty ones left out."""
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip() and t.figure is not None]


def fit_figure(fig: Figure, rounds: int = 4, pad: float = 4.0) -> None:
    """Draw `fig` and enlarge it (inches) until its tight bounding box, and every visible text, lies inside."""
    for _ in range(rounds):
        fig.canvas.draw()
        r = renderer(fig)
        boxes = [t.get_window_extent(r) for t in visible_texts(fig)]
        boxes.append(fig.get_tightbbox(r).transformed(fig.dpi_scale_trans))
        x0 = min(b.x0 for b in boxes)
        y0 = min(b.y0 for b in boxes)
        x1 = max(b.x1 for b in boxes)
        y1 = max(b.y1 for b in boxes)
        over_w = max(0.0, -x0) + max(0.0, x1 - fig.bbox.width)
        over_h = max(0.0, -y0) + max(0.0, y1 - fig.bbox.height)
        if over_w <= 0.5 and over_h <= 0.5:
            return
        w, h = fig.get_size_inches()
        grow_w = (over_w + pad) / fig.dpi if over_w > 0.5 else 0.0
        grow_h = (over_h + pad) / fig.dpi if over_h > 0.5 else 0.0
        fig.set_size_inches(w + grow_w, h + grow_h)
    fig.canvas.draw()
