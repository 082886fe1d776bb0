"""Cleaning the noise real guide pages carry, and normalising text for matching.

Pages copied from document-sharing sites repeat their title and page numbers, carry figure
captions and VIP/download/copyright boilerplate, sometimes pinyin in parentheses after
characters (營銷(xiāo)), and mix 全角 and 半角 forms. The original script is kept for
display; matching uses Simplified Chinese.
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
    r"cookie (settings|policy|preferences)|accept (all )?cookies|vip会员|会员专享下载)",
    re.I,
)
_CHROME_WORD = re.compile(r"(vip|登录|注册|log ?in|sign ?(in|up)|试读|付费|预览|下载|download|二维码|关注公众号)", re.I)
_PAGE_LINE = re.compile(
    r"^\s*(第\s*\d+\s*页(\s*[/,，]?\s*共\s*\d+\s*页)?|共\s*\d+\s*页|page\s*\d+(\s*(of|/)\s*\d+)?|-\s*\d+\s*-|\d+\s*/\s*\d+)\s*$",
    re.I,
)
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
    if len(parts) >= 3 and all(len(p) <= 12 for p in parts):
        return True  # a navigation bar
    return len(s) <= 16 and not re.search(r"\d", s) and _CHROME_WORD.search(s) is not None


def clean(text: str, title: str = "") -> str:
    """Remove site boilerplate, repeated title/page lines, captions and pinyin noise."""
    text = halfwidth(text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [ln.rstrip() for ln in text.split("\n")]
    counts = Counter(ln.strip() for ln in lines if ln.strip())
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
        elif counts[s] >= 3 and len(s) <= 40 and not s.startswith("|"):
            continue  # running headers and footers
        if noise_line(s):
            continue
        out.append(strip_pinyin(ln))
    text = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def for_matching(text: str) -> str:
    """The form used for embeddings and BM25: Simplified Chinese, half-width, single spaces."""
    return re.sub(r"[ \t]+", " ", to_simplified(halfwidth(text))).strip()
