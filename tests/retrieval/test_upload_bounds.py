"""The work one upload may cause is bounded: tiny sections are merged, too many passages are refused
before any embedding, and indexing gives up after its time budget, each time leaving the index as it was."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from planbot.errors import BadInput, TooLarge
from planbot.retrieval import vectors
from planbot.retrieval.chunking import MANY_SECTIONS, MAX_CHARS, chunk_document
from planbot.retrieval.cleaning import clean
from planbot.retrieval.index import KnowledgeIndex
from planbot.retrieval.loaders import RawDocument, load_bytes
from tests.retrieval.gates import GatedEmbeddings

BASE = RawDocument(doc_id="base", title="Budget", text="Budget planning for warm-up phases and reserves. " * 4,
                   lang="en", source="base.md")  # fmt: skip


def flood(sections: int) -> bytes:
    """The issue's file: thousands of tiny headed sections (10,000 make ~0.45 MB)."""
    body = "".join(f"## Tip {i}\nRestock item {i} a week early.\n\n" for i in range(sections))
    return ("# Tiny sections\n\n" + body).encode()


def snapshot(idx: KnowledgeIndex) -> tuple[bytes, list[str], list[str]]:
    stored = sorted(idx.store.get()["ids"])
    return idx.manifest_path.read_bytes(), stored, sorted(p.chunk_id for p in idx.search("budget reserves", k=5))


@pytest.fixture
def index(tmp_path: Path) -> KnowledgeIndex:
    idx = KnowledgeIndex(tmp_path / "kb", embeddings=GatedEmbeddings())
    idx.ingest(BASE)
    return idx


def test_ten_thousand_tiny_sections_are_merged_into_full_size_passages() -> None:
    raw = load_bytes(flood(10_000), "flood.md")
    text = clean(raw.text, raw.title)
    chunks = chunk_document("flood", raw.title, text)
    assert len(chunks) < 1000  # not one per section: ~13 sections per passage
    assert all(len(c.text) <= MAX_CHARS for c in chunks)
    found = [int(n) for c in chunks for n in re.findall(r"Restock item (\d+) ", c.text)]
    assert found == list(range(10_000))  # every section, whole, once, in order
    assert all(c.text.startswith("## Tip ") for c in chunks) and chunks[0].heading == "Tip 0"


def test_a_guide_of_a_few_sections_keeps_one_passage_per_section() -> None:
    text = "\n\n".join(f"## Part {i}\nShort note {i}." for i in range(MANY_SECTIONS))
    assert len(chunk_document("d", "T", text)) == MANY_SECTIONS  # small sections stay apart (stable chunk ids)
    merged = chunk_document("d", "T", text + "\n\n## One more\nThe last note.")
    assert len(merged) < MANY_SECTIONS / 5


def test_long_sections_among_many_are_still_split_under_their_heading() -> None:
    long = "搜索广告承接需求。" * 200
    text = "\n\n".join([*(f"## Tip {i}\nNote {i}." for i in range(MANY_SECTIONS)), f"## Long\n{long}", "## Tail\nEnd."])
    chunks = chunk_document("d", "T", text)
    longs = [c for c in chunks if c.heading == "Long"]
    assert len(longs) > 1 and all(c.text.startswith("## Long\n") for c in longs)
    assert chunks[-1].heading == "Tail"


def test_a_file_over_the_passage_limit_is_refused_before_anything_is_embedded(index: KnowledgeIndex) -> None:
    emb = index.embeddings
    assert isinstance(emb, GatedEmbeddings)
    embedded, before = emb.passages, snapshot(index)
    with pytest.raises(TooLarge, match=r"^flood\.md would make \d+ passages; the limit is 50 per upload: split it"):
        index.ingest(load_bytes(flood(3000), "flood.md"), max_chunks=50)
    assert emb.passages == embedded and snapshot(index) == before
    assert not (index.dir / "pending.json").exists()
    assert index.ingest(load_bytes(flood(3000), "flood.md"), max_chunks=2000).status == "added"  # within the limit


def test_an_unchanged_document_is_not_refused_by_a_lower_limit(index: KnowledgeIndex) -> None:
    raw = load_bytes(flood(400), "flood.md")
    added = index.ingest(raw)
    assert index.ingest(raw, max_chunks=1).status == "unchanged"  # a restart re-ingesting it is no failure
    assert added.chunks > 1


def test_indexing_gives_up_after_its_time_budget_and_changes_nothing(
    index: KnowledgeIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    ticks = iter(range(1000))
    monkeypatch.setattr(vectors, "clock", lambda: float(next(ticks)))  # one second per look at the clock
    before = snapshot(index)
    raw = RawDocument(doc_id="slow", title="Slow", lang="en", source="slow.md",
                      text="\n\n".join(f"## Part {i}\n" + f"Slow guide part {i} words. " * 20 for i in range(60)))  # fmt: skip
    seen: list[tuple[int, int]] = []
    with pytest.raises(BadInput, match=r"^slow\.md took more than 2\.5 s to index and was not added"):
        index.ingest(raw, progress=lambda done, total: seen.append((done, total)), time_budget_s=2.5)
    assert seen[0] == (0, 60) and 0 < seen[-1][0] < 60  # it stopped part of the way through
    assert snapshot(index) == before  # the vectors it had stored went again
    assert not (index.dir / "pending.json").exists()
    assert index.ingest(raw).status == "added"  # without a budget it goes in


def test_progress_counts_every_stored_passage(index: KnowledgeIndex) -> None:
    seen: list[tuple[int, int]] = []
    result = index.ingest(load_bytes(flood(1000), "flood.md"), progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, result.chunks) and seen[-1] == (result.chunks, result.chunks)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen) and {t for _, t in seen} == {result.chunks}
    assert len(seen) == 1 + -(-result.chunks // vectors.BATCH)  # once before, then once per batch


def test_titles_ids_and_tags_lose_control_characters(index: KnowledgeIndex) -> None:
    raw = RawDocument(doc_id="nul\x00id", title="Bad\x00 title\x1b[31m\u202e", text="Budget reserve planning. " * 5,
                      lang="en", tags=["bud\x00get", "\x07"], source="bad\x00.md")  # fmt: skip
    result = index.ingest(raw)
    assert (result.doc_id, result.title) == ("nulid", "Bad title[31m")
    doc = next(d for d in index.documents() if d.doc_id == "nulid")
    assert (doc.title, doc.tags) == ("Bad title[31m", ["budget"])
    assert all(not re.search(r"[\x00-\x1f\u202e]", p.title) for p in index.search("budget reserve", k=5))
    untitled = index.ingest(RawDocument(title="\x00\x01", text="Zebra lantern notes for dusk sales. " * 3,
                                        source="zebra-notes.md"))  # fmt: skip
    assert untitled.title == "zebra-notes"  # nothing left of the title: the file's name


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("colon.md", b"---\ntitle: Summer: the big sale\nlang: en\n---\n# Summer sale\n\nBody text here.",
         r"the front matter at the top of colon\.md is not valid YAML: mapping values are not allowed here \(line 2"),
        ("bracket.md", b"---\ntitle: [unclosed\n---\n# Heading\n\nBody text here.",
         r"the front matter at the top of bracket\.md is not valid YAML"),
        ("open.md", b"---\ntitle: Never closed\nlang: en\n\n# Heading\n\nBody text here.",
         r"the front matter at the top of open\.md has no closing '---' line"),
    ],
)  # fmt: skip
def test_front_matter_that_does_not_parse_refuses_the_file_with_the_problem(name: str, data: bytes, says: str) -> None:
    with pytest.raises(BadInput, match=says):
        load_bytes(data, name)


def test_rules_of_dashes_around_text_are_text_and_never_the_title() -> None:
    ruled = load_bytes(b"---\nJust an intro paragraph, no metadata\n---\n\nMore text follows here.", "ruled.md")
    assert ruled.title == "Just an intro paragraph, no metadata" and "Just an intro" in ruled.text
    bare = load_bytes(b"---\n\n***\n\nsome body text without a heading", "bare.md")
    assert bare.title == "some body text without a heading"
    empty = load_bytes(b"---\n---\n# Heading\nBody", "empty.md")
    assert (empty.title, empty.text) == ("Heading", "# Heading\nBody")
    nul = load_bytes(b'---\ntitle: "Bad\\0 title\\x07"\nid: "g\\x001"\n---\nBody text long enough.', "nul.md")
    assert (nul.title, nul.doc_id) == ("Bad title", "g1")
