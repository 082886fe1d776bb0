"""Cleaning the noise real guide pages carry, and normalising text for matching.

Pages copied from document-sharing sites repeat their title and page numbers, carry figure
captions and VIP/download/copyright boilerplate, sometimes pinyin in parentheses after
characters (營銷(xiāo)), and mix 全角 and 半角 forms. The original script is kept for
display; matching uses Simplified Chinese.

Text extracted from PDFs is hard-wrapped: `join_wrapped` joins a line broken mid-sentence (a line
of at least WRAP_MIN characters that does not end a sentence, followed by one that starts with a
lowercase letter or a Chinese character, or any line after a trailing comma) and an English word
hyphenated at a line end ("conver-" + "sion"). Headings, list items, table rows and short lines
(cells of a flattened table) are never joined. A line repeated 3+ times is a running header or
footer and is dropped, unless it is part of a table (repeated cells such as "10%" stay).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

_FULLWIDTH_ALNUM = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF5F) if chr(c).isalnum()}
_FULLWIDTH_ALNUM[0x3000] = 0x20  # ideographic space
_TONES = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
_PINYIN_SYLLABLE = re.compile(
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|van|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo|ui|ve|er|a|o|e|i|u|v)"
    r"[1-5]?"
)
_PAREN_LATIN = re.compile(rf"[(（]\s*([a-z{_TONES}]{{1,7}}[1-5]?)\s*[)）]")
# Site chrome: phrases that only document-sharing sites and blogs print. Marketing words that
# chrome also uses (点击, 免费, 积分, 会员专享, 扫码, cookie, 下载) count only in chrome's own phrases
# ("点击下载", "cookie settings") or on a very short line, so "点击率低于1%" and "会员专享券" stay.
_CHROME = re.compile(
    r"(本文档|文档分享|原创力|道客巴巴|豆丁|百度文库|all rights reserved|©|copyright|版权|侵权|举报|猜你喜欢|"
    r"相关文档|相关推荐|阅读全文|展开全文|收藏本文|分享到[:：]|上传者|subscribe|newsletter|related (posts|articles)|"
    r"share (this|on)|\d+ min read|posted by|advertisement|(免费|点击|扫码)(下载|试读|阅读|查看|关注)|下载请|"
    r"cookie (settings|policy|preferences)|accept (all )?cookies|vip会员|会员专享下载|继续阅读|剩余\d+页|还剩\d+页|"
    r"未读完|文档贡献者|上传于|阅读了该文档|下载文档|下载积分|skip to (main )?content|back to top|"
    r"(previous|next) (post|article)|leave a (comment|reply)|we use cookies|follow us|点击上方.{0,4}关注|"
    r"关注我们|设为星标|发表于|阅读原文)",
    re.I,
)
_CHROME_WORD = re.compile(r"(vip|登录|注册|log ?in|sign ?(in|up)|试读|付费|预览|下载|download|二维码|关注公众号)", re.I)
_PAGE_LINE = re.compile(
    r"^\s*(第\s*\d+\s*页(\s*[/,，]?\s*共\s*\d+\s*页)?|共\s*\d+\s*页|page\s*\d+(\s*(of|/)\s*\d+)?|-\s*\d+\s*-|\d+\s*/\s*\d+)\s*$",
    re.I,
)
_SENTENCE_END = "。！？；.!?;:：…"
_CLOSERS = "”’」』）)】\"'"
_COMMA_END = "，、,"
_CELLS = re.compile(r"\S(?:\t+| {2,})\S")  # a row of a table copied from a page: tab or 2+ space cells
_STRUCTURAL = re.compile(r"^(#|\||[-*•·]\s|\d{1,2}[.、)）]|[(（]?[一二三四五六七八九十]+[、)）]|第\S{1,3}[章节部分步])")
_CJK_START = re.compile(r"^[\u4e00-\u9fff]")
_CJK_END = re.compile(r"[\u4e00-\u9fff，、]$")
WRAP_MIN = 20  # a wrapped line is at least this long (40 for a line without Chinese)
SHORT_LINE = 30  # a line of a flattened table (one cell a line) is at most this long
TABLE_RUN = 6  # ... and comes in a run of at least this many short lines
_CAPTION = re.compile(r"^\s*(图|表|figure|fig\.|table)\s*\d+([.．:：\s-].{0,40})?$", re.I)


@cache
def _t2s():  # type: ignore[no-untyped-def]
    import opencc  # noqa: PLC0415 - loaded once, on first use

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → Simplified, for matching only (the original is what a user reads)."""
    return str(_t2s().convert(text))


def halfwidth(text: str) -> str:
    """全角 letters, digits and spaces to 半角; Chinese punctuation (，。：) is kept."""
    return text.translate(_FULLWIDTH_ALNUM)


def _is_pinyin_noise(m: re.Match[str], text: str) -> bool:
    token = m.group(1)
    before = text[m.start() - 1] if m.start() > 0 else ""
    if any(ch in _TONES for ch in token):
        return True
    plain = token.replace("ü", "v")
    return "\u4e00" <= before <= "\u9fff" and _PINYIN_SYLLABLE.fullmatch(plain) is not None


def strip_pinyin(text: str) -> str:
    return _PAREN_LATIN.sub(lambda m: "" if _is_pinyin_noise(m, text) else m.group(0), text)


def noise_line(line: str) -> bool:
    """A page number, a figure caption or a short line of site chrome (in either script)."""
    s = to_simplified(line.strip())
    if _PAGE_LINE.match(s) or _CAPTION.match(s):
        return True
    if len(s) > 60 or s.startswith("#"):
        return False
    if _CHROME.search(s):
        return True
    parts = [p.strip() for p in s.split("|")]
    if len(parts) >= 3 and all(len(p) <= 12 for p in parts) and not s.startswith("|"):
        return True  # a navigation bar (a "| cell | cell |" row is a table's, as loaders write HTML/DOCX tables)
    return len(s) <= 16 and not re.search(r"\d", s) and _CHROME_WORD.search(s) is not None


def ends_sentence(line: str) -> bool:
    s = line.rstrip().rstrip(_CLOSERS)
    return bool(s) and s[-1] in _SENTENCE_END


def table_row(line: str) -> bool:
    """A row of tab- or multi-space-separated cells, or a Markdown pipe row."""
    s = line.strip()
    return s.startswith("|") or _CELLS.search(s) is not None


def short_line(line: str) -> bool:
    s = line.strip()
    return 0 < len(s) <= SHORT_LINE and not ends_sentence(s) and not s.startswith("#")


def table_lines(lines: list[str]) -> set[int]:
    """Indexes of lines that belong to a table: runs of 2+ cell rows, runs of TABLE_RUN+ short lines."""
    found: set[int] = set()
    for test, least in ((table_row, 2), (short_line, TABLE_RUN)):
        run: list[int] = []
        for i, line in enumerate([*lines, ""]):
            if line.strip() and test(line):
                run.append(i)
                continue
            if len(run) >= least:
                found.update(run)
            run = []
    return found


def _wrapped(prev: str, line: str) -> str | None:
    """The two lines joined when `prev` was broken mid-sentence, else None."""
    a, b = prev.rstrip(), line.strip()
    if not a or not b or table_row(a) or table_row(b) or a.lstrip().startswith("#"):
        return None
    if _STRUCTURAL.match(b) or ends_sentence(a):
        return None
    if len(a.strip()) < (WRAP_MIN if re.search(r"[\u4e00-\u9fff]", a) else 2 * WRAP_MIN):
        return None
    if re.search(r"[A-Za-z]-$", a) and b[0].islower():
        return a[:-1] + b  # "conver-" + "sion"
    if not (b[0].islower() or _CJK_START.match(b) or a[-1] in _COMMA_END):
        return None
    return a + ("" if _CJK_END.search(a) and not b[0].isascii() else " ") + b


def join_wrapped(lines: list[str]) -> list[str]:
    """Hard-wrapped lines (PDF extraction) joined back into their paragraphs; tables untouched."""
    tables = table_lines(lines)
    out: list[str] = []
    joinable = False
    for i, line in enumerate(lines):
        joined = _wrapped(out[-1], line) if joinable and i not in tables and out else None
        if joined is not None:
            out[-1] = joined
        else:
            out.append(line)
        joinable = i not in tables
    return out


def _running(lines: list[str]) -> set[str]:
    """Lines repeated 3+ times outside tables: running headers and footers."""
    tables = table_lines(lines)
    counts = Counter(ln.strip() for ln in lines if ln.strip())
    in_table = {lines[i].strip() for i in tables}
    out = set()
    for s, n in counts.items():
        if n < 3 or s.startswith("|") or s in in_table:
            continue
        if len(s) <= 40 or (len(s) <= 80 and not _STRUCTURAL.match(s)):
            out.add(s)
    return out


def clean(text: str, title: str = "") -> str:
    """Remove site boilerplate, repeated title/page lines, captions and pinyin noise."""
    text = halfwidth(text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [ln.rstrip() for ln in text.split("\n")]
    running = _running(lines)
    title_key = title.strip().lstrip("#").strip()
    out: list[str] = []
    seen_title = False
    for ln in lines:
        s = ln.strip()
        bare = strip_pinyin(s.lstrip("#").strip())
        if not s:
            out.append("")
            continue
        if title_key and bare == title_key:
            if seen_title:
                continue  # the title repeated as a page header
            seen_title = True
        elif s in running:
            continue  # running headers and footers
        if noise_line(s):
            continue
        out.append(strip_pinyin(ln))
    text = "\n".join(join_wrapped(out))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def for_matching(text: str) -> str:
    """The form used for embeddings and BM25: Simplified Chinese, half-width, single spaces."""
    return re.sub(r"[ \t]+", " ", to_simplified(halfwidth(text))).strip()
