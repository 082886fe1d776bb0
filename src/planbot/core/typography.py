"""Chinese typography: full-width punctuation between Chinese characters, no stray spaces.

A fact written as "label: value" or a guide's own "日常运营: 内容…" reads as a typo in a Chinese plan.
"""

from __future__ import annotations

import re

_CJK = r"\u3400-\u9fff"
_SPACE_IN_CHINESE = re.compile(rf"(?<=[{_CJK}。！？；，：、）”])\s+(?=[{_CJK}（“])")
_HALF_WIDTH = {":": "：", ";": "；", ",": "，", "?": "？", "!": "！"}
_HALF_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}）])\s*([:;,?!])\s*(?=[{_CJK}（])")


def chinese_punctuation(text: str) -> str:
    """Full-width punctuation between Chinese characters and no spaces between them."""
    text = _HALF_BETWEEN_CJK.sub(lambda m: _HALF_WIDTH[m.group(1)], text)
    return _SPACE_IN_CHINESE.sub("", text)
