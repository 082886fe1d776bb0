"""The offline writer: prose from the playbook's templates, the computed facts and retrieved guidance.

It needs no model, so a plan can always be written; the LLM writer (a later adapter) replaces
its text but must keep its numbers.
"""

from __future__ import annotations

import re
from functools import cache

from jinja2 import Environment, StrictUndefined, Template

from planbot.core.playbook import playbook
from planbot.core.ports import Passage, Prose, SectionRequest

_ENV = Environment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
_SENTENCE_END = re.compile(r"(?<=[。！？])\s*|(?<=[.!?])\s+")
MAX_GUIDANCE_CHARS = 90


@cache
def _template(language: str, section: str) -> Template:
    return _ENV.from_string(playbook(language)["prose"][section])


def first_sentence(text: str, limit: int = MAX_GUIDANCE_CHARS) -> str:
    """The passage's first full sentence (table rows and headings skipped), cut to a readable length."""
    lines = [ln.strip() for ln in text.splitlines()]
    body = " ".join(ln for ln in lines if ln and not ln.startswith(("#", "|", "---")))
    body = re.sub(r"\s+", " ", body).strip()
    parts = [p for p in _SENTENCE_END.split(body) if p]
    sentence = parts[0] if parts else body
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


def pick_guidance(passages: list[Passage], language: str, n: int = 1) -> list[Passage]:
    """Prefer passages in the plan's language, keeping the retriever's order."""
    same = [p for p in passages if p.lang == language]
    other = [p for p in passages if p.lang != language]
    return (same + other)[:n]


class OfflineWriter:
    def write(self, request: SectionRequest) -> Prose:
        chosen = pick_guidance(request.guidance, request.language)
        lead = playbook(request.language)["guidance_lead"]
        quote = "《{}》" if request.language == "zh" else "\u201c{}\u201d "
        # a passage in another language is cited by title only: an English plan does not quote Chinese
        guidance = " ".join(
            f"{lead}{quote.format(p.title)}{first_sentence(p.text) if p.lang == request.language else ''}".strip()
            for p in chosen
        )
        text = _template(request.language, request.section).render(**request.facts, guidance=guidance)
        text = re.sub(r"\s+", " ", text).strip()
        if request.language == "zh":
            text = re.sub(r"(?<=[\u4e00-\u9fff。！？；，：）])\s+(?=[\u4e00-\u9fff（])", "", text)
        return Prose(text=text, citations=[p.chunk_id for p in chosen])
