"""Control characters never reach a title, brand or name: NUL and friends break exports and terminals."""

from __future__ import annotations

import unicodedata


def strip_controls(text: str, *, keep_newlines: bool = False) -> str:
    """`text` without control (Cc), format-breaking bidi override and private-use characters;
    tabs and, where kept, newlines survive as whitespace."""
    out: list[str] = []
    for ch in text:
        if ch in "\n\r" and keep_newlines:
            out.append(ch)
        elif ch in "\t\n\r\x0b\x0c":
            out.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Co", "Cs") or ch in BIDI_OVERRIDES:
            continue
        else:
            out.append(ch)
    return "".join(out)


# right-to-left overrides turn "gpj.exe" into "exe.jpg" on screen; isolates and marks stay allowed
BIDI_OVERRIDES = frozenset("\u202a\u202b\u202c\u202d\u202e")
