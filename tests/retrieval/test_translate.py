"""Query translation (retrieval/translate.py): the bilingual vocabulary, longest-match lookup, and what BM25 gets."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from planbot.retrieval.bm25_tokens import tokens
from planbot.retrieval.cleaning import for_matching
from planbot.retrieval.fusion import Fusion
from planbot.retrieval.query_terms import weighted_terms
from planbot.retrieval.translate import Translator, Vocabulary, load, singular, translator


def vocab(*entries: dict[str, list[str]]) -> Vocabulary:
    return Vocabulary.model_validate(list(entries))


def test_the_shipped_vocabulary_is_valid_and_covers_the_domain() -> None:
    entries = load().root
    assert len(entries) >= 300  # a few hundred general terms, not a handful
    en = {w for e in entries for w in e.en}
    zh = {w for e in entries for w in e.zh}
    for word in ("gmv", "roi", "roas", "cpc", "cpm", "aov", "coupon", "deposit", "presale", "wecom", "mini program",
                 "koc", "kol", "livestream", "seeding", "private domain", "return", "refund", "warehouse",
                 "inventory", "customer service", "black friday", "singles day", "prime day", "xiaohongshu"):  # fmt: skip
        assert word in en, word
    for word in ("复购", "会员", "客单价", "转化率", "定金", "尾款", "退货", "仓库", "客服", "好评", "企业微信", "小程序",
                 "直播间", "种草", "私域", "春节", "年货节", "母婴"):  # fmt: skip
        assert word in zh, word


def test_chinese_finds_english_and_the_reverse() -> None:
    t = translator()
    assert {"warehouse", "reopen"} <= set(t.terms("仓库什么时候复工"))
    assert {"仓库", "复工", "春节"} <= set(t.terms("When does the warehouse reopen after Chinese New Year?"))
    assert "退货" in t.terms("how do returns work for holiday orders")
    assert "退货期" in t.terms("what is the return window for holiday orders")  # the longer wording
    assert "return" in t.terms("退货政策")


def test_longest_wording_wins_and_plurals_match() -> None:
    t = Translator(vocab({"zh": ["折扣"], "en": ["discount"]}, {"zh": ["限时折扣"], "en": ["limited-time discount"]},
                         {"zh": ["优惠券"], "en": ["coupon"]}))  # fmt: skip
    assert t.terms("限时折扣几天") == ["limited-time discount"]  # not "discount" as well
    assert t.terms("a limited-time discount") == ["限时折扣"]
    assert t.terms("Coupons for new members") == ["优惠券"]
    assert [w for w, _ in t.matches("discount 折扣")] == ["折扣", "discount"]
    assert t.terms("nothing here") == []


def test_english_matches_whole_words_only() -> None:
    t = Translator(vocab({"zh": ["广告"], "en": ["ad"]}, {"zh": ["关税"], "en": ["duty"]}))
    assert t.terms("add a shadow to the header") == []
    assert t.terms("ads and duties") == ["广告", "关税"]


@pytest.mark.parametrize(
    "entries",
    [
        [{"zh": ["直播"], "en": []}],  # an entry needs both languages
        [{"zh": ["livestream"], "en": ["livestream"]}],  # Chinese wordings hold Chinese
        [{"zh": ["直播"], "en": ["直播 live"]}],  # English ones do not
        [{"zh": ["直播"], "en": ["Livestream"]}],  # lower case
        [{"zh": ["直播"], "en": ["live!"]}],  # plain words
        [{"zh": ["直播"], "en": ["livestream"]}, {"zh": ["自播"], "en": ["livestreams"]}],  # a wording names one term
        [{"zh": ["直播"], "en": ["livestream"]}, {"zh": ["直播"], "en": ["live"]}],
        [{"zh": ["直播"], "en": ["livestream"], "fr": ["direct"]}],
        [{"zh": ["直播"], "en": [True]}],  # YAML reads a bare `off` as false: it must be quoted
    ],
)
def test_a_bad_vocabulary_is_refused(entries: list[dict[str, list[object]]]) -> None:
    with pytest.raises(ValidationError):
        Vocabulary.model_validate(entries)


def test_a_bad_vocabulary_file_is_refused_at_load(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump([{"zh": ["直播"], "en": ["livestream"]}, {"zh": ["自播"], "en": ["livestream"]}]),
                    encoding="utf-8")  # fmt: skip
    with pytest.raises(ValidationError, match="livestream"):
        load(path)


def test_singular() -> None:
    assert [singular(w) for w in ("coupons", "policies", "ads", "class", "bonus", "analysis", "us", "q&a")] == [
        "coupon", "policy", "ad", "class", "bonus", "analysis", "us", "q&a"]  # fmt: skip


def test_bm25_scores_translations_once_and_by_their_weight() -> None:
    query = "仓库什么时候复工"
    sets = weighted_terms(query, Fusion(translation_weight=0.75))
    assert sets[0] == (1.0, tokens(for_matching(query)))
    weights = [w for w, _ in sets]
    assert weights[-1] == 0.75 and "warehouse" in sets[-1][1]
    for i, (_, later) in enumerate(sets[1:], 1):  # a token is scored in the first set that has it only
        assert not set(later) & {t for _, ts in sets[:i] for t in ts}
    assert [w for w, _ in weighted_terms(query, Fusion(translation_weight=0))] == weights[:-1]


PIECES = st.sampled_from(["仓库", "复工", "退货", "直播间", "优惠券", "会员日", "双十一", "warehouse", "return", "coupons",
                          "Prime Day", "KOL", "limited-time discount", " ", "-", "'s", "%", "off"])  # fmt: skip
QUERIES = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=12).map("".join)


@settings(max_examples=300, deadline=None)
@given(QUERIES)
def test_translation_keeps_the_query_and_is_deterministic(query: str) -> None:
    t = translator()
    out = t.translated(query)
    assert out.startswith(query)  # the query's own words are never dropped or changed
    assert set(tokens(for_matching(query))) <= set(tokens(for_matching(out)))
    assert out == t.translated(query) == Translator(load()).translated(query)  # the same every time, every load
    own = set(tokens(for_matching(query)))
    assert own <= {tok for _, ts in weighted_terms(query, Fusion()) for tok in ts}
