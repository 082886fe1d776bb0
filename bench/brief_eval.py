"""Field accuracy of the offline brief reader on tests/eval/briefs (issue 16).

Each entry runs through the interview policy (`interview.respond`) exactly as a chat turn does:
the brief before the message (`before`), the field just asked (`asked`), the message, then the
brief after it is compared with what a careful reader takes from the text. Every expected field,
every field that must stay unset, every refused and every "don't know" field is one check;
accuracy is checks passed / checks made, overall, per language and per split (dev / heldout).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from planbot.core import calendar as C
from planbot.core import interview
from planbot.core.brief import Brief
from planbot.core.catalog import ad_channel_key, platform_key
from planbot.core.extract import extract
from planbot.core.language import language_guess
from planbot.core.wording import dialogue

ROOT = Path(__file__).resolve().parent.parent
EVAL_DIR = ROOT / "tests" / "eval" / "briefs"
READ_ON = date(2026, 12, 6)
KEYED = {"platforms": platform_key, "channels": ad_channel_key, "campaigns": C.match_campaign}
RATES = ("growth_rate", "cvr", "repurchase_rate")


@dataclass
class Check:
    entry: str
    lang: str
    split: str
    field: str
    ok: bool
    want: object
    got: object


@dataclass
class Score:
    checks: list[Check] = field(default_factory=list)

    def accuracy(self, lang: str | None = None, split: str | None = None) -> float:
        chosen = [c for c in self.checks if lang in (None, c.lang) and split in (None, c.split)]
        return sum(c.ok for c in chosen) / len(chosen) if chosen else 0.0

    def misses(self, split: str | None = None) -> list[Check]:
        return [c for c in self.checks if not c.ok and split in (None, c.split)]

    def summary(self) -> dict[str, float]:
        out = {"overall": self.accuracy(), "dev": self.accuracy(split="dev"), "heldout": self.accuracy(split="heldout")}
        for lang in ("zh", "en"):
            out[lang] = self.accuracy(lang)
            out[f"{lang}_heldout"] = self.accuracy(lang, "heldout")
        out["checks"] = float(len(self.checks))
        return {k: round(v, 4) for k, v in out.items()}


def load(name: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = yaml.safe_load((EVAL_DIR / name).read_text(encoding="utf-8"))
    return data


def _keys(kind: str, names: Iterable[object]) -> set[str]:
    to_key = KEYED[kind]
    return {k or str(n) for n in names if (k := to_key(str(n))) or True}


def _plain(text: str) -> str:
    return re.sub(r"[\s\"'“”「」《》,，。.、]", "", text).lower()


def _same(name: str, want: object, got: object) -> bool:
    if want is None or want == []:
        return got in (None, [], "")
    if name in KEYED:
        return isinstance(got, list) and _keys(name, got) == _keys(name, want if isinstance(want, list) else [want])
    if name == "period":
        assert isinstance(want, dict)
        return got is not None and (got.start, got.end) == (want["start"], want["end"])  # type: ignore[attr-defined]
    if name in RATES:
        return isinstance(got, float) and abs(got - float(want)) < 1e-6  # type: ignore[arg-type]
    if name in ("category", "brand", "audience"):
        options = want if isinstance(want, list) else [want]
        if not isinstance(got, str):
            return False
        if name == "brand":
            return got.strip() in [str(o) for o in options]
        if name == "category":
            return _plain(got) in [_plain(str(o)) for o in options]
        return any(_plain(str(o)) in _plain(got) or (_plain(got) and _plain(got) in _plain(str(o))) for o in options)
    return bool(got == want)


def _brief(values: dict[str, Any] | None) -> Brief:
    data = dict(values or {})
    if isinstance(data.get("period"), dict):
        data["period"] = {"start": data["period"]["start"], "end": data["period"]["end"]}
    for name in ("brand", "category", "audience"):  # a list of acceptable spellings: the first stands for them
        if isinstance(data.get(name), list):
            data[name] = data[name][0]
    for kind in ("platforms", "channels", "campaigns"):
        if kind in data:
            data[kind] = [str(x) for x in data[kind]]
    return Brief.model_validate(data)


def _judge(score: Score, entry: dict[str, Any], lang: str, brief: Brief, before: Brief, reply: str,
           unknown: list[str]) -> None:  # fmt: skip
    def add(name: str, ok: bool, want: object, got: object) -> None:
        score.checks.append(Check(entry["id"], lang, entry.get("split", "dev"), name, ok, want, got))

    for name, want in (entry.get("expect") or {}).items():
        got = getattr(brief, name)
        add(name, _same(name, want, got), want, got)
    for name in entry.get("unset") or []:
        if name in (entry.get("expect") or {}):
            continue
        got = getattr(brief, name)
        was = getattr(before, name)
        add(f"unset:{name}", got in (None, [], "") or got == was, None, got)
    names = dialogue(lang)["fields"]
    for name in entry.get("rejected") or []:
        got, was = getattr(brief, name), getattr(before, name)
        add(f"rejected:{name}", got == was and names.get(name, name) in reply, f"refused, reply names {name}", reply)
    for name in entry.get("unknown") or []:
        add(f"unknown:{name}", name in unknown, "unknown", unknown)


def score_utterances(score: Score, entries: list[dict[str, Any]], lang: str) -> None:
    for e in entries:
        today = e.get("today") or READ_ON
        before = _brief(e.get("before"))
        asked = [e["asked"]] if e.get("asked") else []
        state = interview.Conversation(brief=before, asked=asked)
        turn = interview.respond(state, e["text"], today)
        unknown = extract(e["text"], today, asked).unknown
        _judge(score, e, lang, turn.state.brief, before, turn.reply, unknown)
        if "language" in e:
            got = turn.state.language
            score.checks.append(Check(e["id"], lang, e.get("split", "dev"), "language", got == e["language"],
                                      e["language"], got))  # fmt: skip


def score_conversations(score: Score, entries: list[dict[str, Any]], lang: str) -> None:
    for e in entries:
        today = e.get("today") or READ_ON
        state, reply, unknown = interview.Conversation(), "", []
        for text in e["turns"]:
            unknown += extract(text, today, state.asked).unknown
            turn = interview.respond(state, text, today)
            state, reply = turn.state, turn.reply
        _judge(score, e, lang, state.brief, Brief(), reply, unknown)
        if "language" in e:
            want = e["language"]
            ok = state.language == want and language_guess(reply or "x") in (want, None)
            score.checks.append(Check(e["id"], lang, e.get("split", "dev"), "language", ok, want, state.language))


def run() -> Score:
    score = Score()
    for lang in ("zh", "en"):
        score_utterances(score, load(f"utterances_{lang}.yaml"), lang)
        score_conversations(score, load(f"conversations_{lang}.yaml"), lang)
        if (EVAL_DIR / f"dev2_{lang}.yaml").exists():  # a second development set, written after the first tuning
            score_utterances(score, load(f"dev2_{lang}.yaml"), lang)
    return score


if __name__ == "__main__":
    import sys

    result = run()
    split = sys.argv[1] if len(sys.argv) > 1 else "dev"
    for c in result.misses(split):
        print(f"{c.entry:24} {c.field:22} want={c.want!r:.60} got={c.got!r:.80}")
    summary = result.summary()
    print({k: v for k, v in summary.items() if split in k or k == "checks"} if split == "dev" else summary)
