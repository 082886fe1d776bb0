"""An in-memory retriever over the Markdown guides in knowledge/.

Good enough to ground and cite every plan offline with no index on disk; scoring is TF-IDF
over English words and Chinese character bigrams, so queries in either language reach
guides in both.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from planbot.core.ports import Passage

_WORD = re.compile(r"[a-z0-9]+(?:[.%][0-9]+)?")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)


def tokens(text: str) -> list[str]:
    low = text.lower()
    out = _WORD.findall(low)
    for run in _CJK_RUN.findall(low):
        out.extend(run[i : i + 2] for i in range(max(1, len(run) - 1)))
    return out


@dataclass(frozen=True)
class Guide:
    doc_id: str
    title: str
    lang: str
    tags: tuple[str, ...]
    body: str


def parse_guide(path: Path) -> Guide:
    text = path.read_text(encoding="utf-8")
    meta: dict[str, object] = {}
    m = _FRONT.match(text)
    if m:
        loaded = yaml.safe_load(m.group(1))
        meta = loaded if isinstance(loaded, dict) else {}
        text = text[m.end() :]
    tags = meta.get("tags") or []
    return Guide(
        doc_id=str(meta.get("id") or path.stem),
        title=str(meta.get("title") or path.stem),
        lang=str(meta.get("lang") or "zh"),
        tags=tuple(str(t) for t in tags) if isinstance(tags, list) else (),
        body=text,
    )


def split_sections(body: str) -> list[str]:
    """One chunk per heading section (## or ###), heading kept with its text."""
    parts = re.split(r"(?m)^(?=#{2,3} )", body)
    return [p.strip() for p in parts if p.strip() and not re.fullmatch(r"#.*", p.strip())]


def chunk_id(doc_id: str, text: str) -> str:
    return f"{doc_id}:{hashlib.sha1(text.encode('utf-8')).hexdigest()[:10]}"


class MemoryRetriever:
    def __init__(self, passages: list[Passage]) -> None:
        self.passages = passages
        self.by_id = {p.chunk_id: p for p in passages}
        self.tf = [Counter(tokens(p.title + " " + p.text)) for p in passages]
        df: Counter[str] = Counter()
        for tf in self.tf:
            df.update(tf.keys())
        n = len(passages)
        self.idf = {t: math.log(1 + n / c) for t, c in df.items()}

    @classmethod
    def from_dir(cls, directory: Path) -> MemoryRetriever:
        passages = []
        for path in sorted(directory.glob("**/*.md")):
            if path.name.lower() == "readme.md":
                continue
            g = parse_guide(path)
            for text in split_sections(g.body):
                passages.append(
                    Passage(
                        chunk_id=chunk_id(g.doc_id, text),
                        doc_id=g.doc_id,
                        title=g.title,
                        text=text,
                        lang=g.lang,
                    )
                )
        return cls(passages)

    def search(self, query: str, k: int = 4, lang: str | None = None) -> list[Passage]:
        q = Counter(tokens(query))
        scored = []
        for p, tf in zip(self.passages, self.tf, strict=True):
            if lang and p.lang != lang:
                continue
            length = math.sqrt(sum(tf.values())) or 1.0
            s = sum(self.idf.get(t, 0.0) * min(c, 3) * qc for t, qc in q.items() if (c := tf.get(t, 0))) / length
            if s > 0:
                scored.append((s, p))
        scored.sort(key=lambda x: (-x[0], x[1].chunk_id))
        return [p.model_copy(update={"score": round(s, 4)}) for s, p in scored[:k]]

    def get(self, chunk_id: str) -> Passage | None:
        return self.by_id.get(chunk_id)

    def chunk_ids(self) -> set[str]:
        return set(self.by_id)
