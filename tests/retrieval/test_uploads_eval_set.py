"""Validity of the uploads evaluation set (tests/retrieval/uploads_eval): no retrieval quality gate.

The set judges whether search finds the passage of a messy uploaded page that answers a plain
question. These tests only check that the set itself is sound: big enough, bilingual, spread
over pages of the formats users upload, split deterministically, and that every expected phrase
survives extraction exactly as planbot indexes the page (load_file, then the cleaning `prepare`
applies before chunking), sits inside one passage, and appears in no shipped guide and no other
page, so that a hit means the right page's specific fact was found.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from planbot.core.controls import strip_controls
from planbot.retrieval.cleaning import clean, to_simplified
from planbot.retrieval.documents import detect_lang, display_title, prepare
from planbot.retrieval.evaluation import first_hit, normalize
from planbot.retrieval.loaders import iter_files, load_file

ROOT = Path(__file__).resolve().parents[2]
SET = Path(__file__).with_name("uploads_eval")
PAGES = SET / "pages"
FORMATS = {".html", ".txt", ".pdf", ".docx"}
_HEADING = re.compile(r"^#{1,4}\s", re.M)


class UploadQuestion(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^q\d{3}$")
    q: str = Field(min_length=2)
    lang: Literal["zh", "en"]
    page: str
    expect: list[str] = Field(min_length=1)
    split: Literal["dev", "heldout"]


@cache
def questions() -> list[UploadQuestion]:
    rows = yaml.safe_load((SET / "questions.yaml").read_text(encoding="utf-8"))
    return [UploadQuestion.model_validate(row) for row in rows]


def extracted(path: Path) -> str:
    """The page's text as the index sees it before chunking (documents.prepare)."""
    raw = load_file(path)
    return clean(strip_controls(raw.text, keep_newlines=True), display_title(raw))


@cache
def pages() -> dict[str, str]:
    return {p.name: extracted(p) for p in sorted(PAGES.iterdir()) if p.is_file()}


@cache
def passages() -> dict[str, list[str]]:
    return {p.name: [c.text for c in prepare(load_file(p)).chunks] for p in sorted(PAGES.iterdir()) if p.is_file()}


@cache
def guides() -> dict[str, str]:
    return {p.name: normalize(extracted(p)) for p in iter_files([ROOT / "knowledge"])}


def test_questions_load_and_are_big_and_bilingual() -> None:
    qs = questions()
    assert len(qs) >= 170
    langs = Counter(q.lang for q in qs)
    assert langs["zh"] >= 70 and langs["en"] >= 70, langs
    ids = [q.id for q in qs]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]


def test_pages_exist_in_upload_formats() -> None:
    names = set(pages())
    used = {q.page for q in questions()}
    assert used <= names, used - names
    assert names <= used, f"pages without questions: {names - used}"
    assert len(names) >= 12
    assert {Path(n).suffix for n in names} <= FORMATS
    assert {".html", ".pdf", ".docx", ".txt"} <= {Path(n).suffix for n in names}
    for name in names:
        data = (PAGES / name).read_bytes()
        if name.endswith(".pdf"):
            assert data.startswith(b"%PDF"), name
        if name.endswith(".docx"):
            assert data.startswith(b"PK"), name
    assert any(name.endswith(".txt") and (PAGES / name).read_bytes().startswith(b"\xff\xfe") for name in names)


def test_pages_are_messy_real_pages_in_both_languages() -> None:
    texts = pages()
    for name, text in texts.items():
        assert 2400 <= len(text) <= 6000, (name, len(text))  # pages of 2,500+ characters before cleaning
    langs = Counter(detect_lang(t) for t in texts.values())
    assert langs["en"] >= 4 and langs["zh"] >= 6, langs
    assert sum(1 for t in texts.values() if not _HEADING.search(t)) > len(texts) / 2  # most have no headings
    from docx import Document

    assert any(Document(str(PAGES / n)).tables for n in texts if n.endswith(".docx"))
    traditional = [n for n, t in texts.items() if to_simplified(t) != t and detect_lang(t) == "zh"]
    assert traditional, "no Traditional Chinese page"
    pinyin = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}[)）]")
    for name in traditional:
        raw = (PAGES / name).read_text(encoding="utf-8")
        assert pinyin.search(raw), name  # the copy-paste noise is there
        assert not pinyin.search(texts[name]), name  # and cleaning removes it


def test_every_page_has_enough_questions_and_the_split_is_balanced() -> None:
    qs = questions()
    per_page = Counter(q.page for q in qs)
    assert min(per_page.values()) >= 10, per_page
    dev = sum(q.split == "dev" for q in qs) / len(qs)
    assert 0.55 <= dev <= 0.65, dev
    for lang in ("zh", "en"):
        group = [q for q in qs if q.lang == lang]
        assert 0.55 <= sum(q.split == "dev" for q in group) / len(group) <= 0.65, lang
    for page, n in per_page.items():
        held = sum(q.split == "heldout" for q in qs if q.page == page)
        assert 0.25 <= held / n <= 0.5, (page, held, n)


def test_split_follows_the_documented_rule() -> None:
    """Within each (page, lang) group, in id order, positions 1 and 3 of every 5 are held out."""
    seen: Counter[tuple[str, str]] = Counter()
    for q in sorted(questions(), key=lambda q: q.id):
        pos = seen[q.page, q.lang]
        seen[q.page, q.lang] += 1
        assert q.split == ("heldout" if pos % 5 in (1, 3) else "dev"), q.id


def test_cross_language_questions_are_few() -> None:
    texts = pages()
    cross = [q.id for q in questions() if q.lang != detect_lang(texts[q.page])]
    assert 0 < len(cross) <= 15, cross


def test_expected_phrases_survive_extraction_into_one_passage() -> None:
    texts, chunks = pages(), passages()
    broken = []
    for q in questions():
        for phrase in q.expect:
            if not 6 <= len(phrase) <= 30:
                broken.append((q.id, phrase, "length"))
            elif first_hit([texts[q.page]], [phrase]) != 1:
                broken.append((q.id, phrase, "not in the extracted page"))
            elif first_hit(chunks[q.page], [phrase]) is None:
                broken.append((q.id, phrase, "split across passages"))
    assert not broken, broken


def test_expected_phrases_are_specific_to_their_page() -> None:
    """A phrase found in a shipped guide or another page would score a hit for the wrong passage."""
    others = {name: normalize(text) for name, text in pages().items()}
    clashes = []
    for q in questions():
        for phrase in q.expect:
            wanted = normalize(phrase)
            clashes += [(q.id, phrase, g) for g, text in guides().items() if wanted in text]
            clashes += [(q.id, phrase, p) for p, text in others.items() if p != q.page and wanted in text]
    assert not clashes, clashes
