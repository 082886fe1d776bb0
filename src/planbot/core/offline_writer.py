"""The offline writer: each section's prose from the playbook's templates and the computed facts.

It needs no model, so a plan can always be written; the LLM writer replaces its text but must keep
its numbers. Guides are cited, never pasted: the section carries the chosen passage's id, the
documents show a superscript marker that links to the sources list, where the passage is quoted
in whole sentences. A retrieved passage is untrusted text (an upload may say anything), so none of
it reaches the plan's prose.
"""

from __future__ import annotations

import re
from functools import cache

from jinja2 import Environment, StrictUndefined, Template

from planbot.core.citation_support import supports
from planbot.core.playbook import playbook
from planbot.core.ports import Passage, Prose, SectionRequest
from planbot.core.typography import chinese_punctuation

_ENV = Environment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)


@cache
def _template(language: str, section: str) -> Template:
    return _ENV.from_string(playbook(language)["prose"][section])


def pick_guidance(passages: list[Passage], language: str, text: str, n: int = 1) -> list[Passage]:
    """The retriever's best passages in the plan's language that carry a figure or term of the text: a
    reader cannot check a citation in a language the plan is not written in, nor one about something
    else, so a section with none cites nothing."""
    return [p for p in passages if p.lang == language and supports(p.text, text)][:n]


class OfflineWriter:
    def write(self, request: SectionRequest) -> Prose:
        text = _template(request.language, request.section).render(**request.facts)
        text = re.sub(r"\s+", " ", text).strip()
        if request.language == "zh":
            text = chinese_punctuation(text)
        chosen = pick_guidance(request.guidance, request.language, " ".join([text, *request.facts.values()]))
        return Prose(text=text, citations=[p.chunk_id for p in chosen])
