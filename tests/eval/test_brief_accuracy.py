"""The brief reader's field accuracy on the evaluation set (issue 16), held at its floor.

The set (tests/eval/briefs) was written before the reader it judges; `make bench` reports the
same figure as `extract_field_accuracy`. Kept apart from the unit tests: a change that loses
accuracy anywhere in the set fails here even when every unit test passes.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import brief_eval

FLOOR = 0.98  # issue 16: every entry, dev and heldout
HELDOUT_FLOOR = 0.94  # the held-out split alone, never tuned on (95.0% when this was written)


@pytest.fixture(scope="module")
def score() -> brief_eval.Score:
    return brief_eval.run()


def test_the_set_is_big_enough_and_both_languages_are_there() -> None:
    for lang in ("zh", "en"):
        assert len(brief_eval.load(f"utterances_{lang}.yaml")) >= 200
        assert len(brief_eval.load(f"conversations_{lang}.yaml")) >= 20
    ids = [e["id"] for f in brief_eval.EVAL_DIR.glob("*.yaml") for e in brief_eval.load(f.name)]
    assert len(ids) == len(set(ids))


def test_field_accuracy_overall_and_per_language(score: brief_eval.Score) -> None:
    summary = score.summary()
    misses = "\n".join(f"{c.entry} {c.field}: want {c.want!r}, got {c.got!r}" for c in score.misses()[:40])
    assert summary["overall"] >= FLOOR, misses
    assert summary["zh"] >= FLOOR and summary["en"] >= FLOOR, (summary, misses)
    assert summary["heldout"] >= HELDOUT_FLOOR, summary
