"""The playbook data files: every file loads, every fact's quote is in its guide, the market files name
no platform, and a broken or dangling file is refused with its name."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from planbot.core.categories import catalogue
from planbot.core.playbook.check import KNOWLEDGE, check_file, main, quote_problems, texts
from planbot.core.playbook.library import ROOT, PlaybookError, category_playbook, library, load_library, resolve

PLATFORMS = ("tmall", "taobao", "jd", "pinduoduo", "douyin", "kuaishou", "xiaohongshu", "wechat", "amazon", "shopify",
             "tiktok", "generic")  # fmt: skip
CATEGORIES = ("beauty", "apparel", "food", "pet", "mother_baby", "home", "electronics", "coffee", "health", "generic")


def test_every_file_loads_and_the_required_ones_exist() -> None:
    lib = load_library()
    assert set(PLATFORMS) <= set(lib.platforms)
    assert set(CATEGORIES) <= set(lib.categories)
    assert set(lib.markets) == {"cn", "global"}


def test_every_quote_is_word_for_word_in_its_guide() -> None:
    lib = library()
    problems = [p for kind, items in (("market", lib.markets), ("platform", lib.platforms),
                                      ("category", lib.categories))
                for key, item in items.items() for p in quote_problems(item, f"{kind}/{key}")]  # fmt: skip
    assert problems == []
    assert main([]) == 0


def test_the_guides_behind_the_playbooks_exist_in_both_languages() -> None:
    for kind in ("platform", "category", "market"):
        for path in (ROOT / kind).glob("*.yaml"):
            text = path.read_text(encoding="utf-8")
            for guide in set(re.findall(r"guide:\s*([a-z0-9-]+)", text)):
                assert (KNOWLEDGE / f"{guide}-zh.md").is_file() and (KNOWLEDGE / f"{guide}-en.md").is_file(), guide


def _term(term: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![a-z0-9]){re.escape(term)}(?![a-z0-9])" if term.isascii() else re.escape(term))


def test_market_files_name_no_platform() -> None:
    """The market playbooks are platform-neutral: each platform's tools come from its own file."""
    lib = library()
    terms = {t.lower() for k, p in lib.platforms.items() if k != "generic" for t in p.terms()}
    for key, market in lib.markets.items():
        phrases = [t.lower() for t in texts(market)]
        found = sorted(t for t in terms if any(_term(t).search(x) for x in phrases))
        assert found == [], f"market/{key}.yaml names {found}"


def test_every_catalogue_category_has_a_playbook_and_unknown_ones_fall_back() -> None:
    lib = library()
    assert all(c.playbook in lib.categories for c in catalogue().categories)
    assert category_playbook("猫粮")[0].key == "pet"
    assert category_playbook("cold brew coffee")[0].key == "coffee"
    assert category_playbook("扫地机器人")[0].key == "electronics"
    pb, known = category_playbook("quantum widgets")
    assert pb.key == "generic" and not known
    assert resolve("global", ["Walmart"], None).platforms[0].key == "generic"


def test_benchmarks_are_ranges_in_the_market_currency() -> None:
    for cat in library().categories.values():
        cn, us = cat.benchmarks["cn"]["default"], cat.benchmarks["global"]["default"]
        assert 0 < cn.cvr.low <= cn.cvr.high < 0.5 and 0 < us.cvr.low <= us.cvr.high < 0.5, cat.key
        assert cn.aov.high > us.aov.low, cat.key  # yuan, not dollars
        assert 0 < cn.budget_share_of_gmv.high < 1 and cn.roas.high > 1, cat.key


@pytest.fixture
def copy_root(tmp_path: Path) -> Path:
    root = tmp_path / "playbook"
    for kind in ("market", "platform", "category"):
        shutil.copytree(ROOT / kind, root / kind)
    return root


def test_a_malformed_file_is_refused_with_its_name(copy_root: Path) -> None:
    path = copy_root / "category" / "pet.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("seasonality:", "seasonalty:", 1), encoding="utf-8")
    with pytest.raises(PlaybookError, match=r"pet\.yaml"):
        load_library(copy_root)


def test_a_dangling_campaign_key_is_refused(copy_root: Path) -> None:
    path = copy_root / "platform" / "amazon.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("prime_day", "prime_dya", 1), encoding="utf-8")
    with pytest.raises(PlaybookError, match="prime_dya"):
        load_library(copy_root)


def test_adding_a_category_is_one_file(copy_root: Path) -> None:
    """A new category playbook loads next to the others (README: how to add one)."""
    src = (copy_root / "category" / "pet.yaml").read_text(encoding="utf-8")
    (copy_root / "category" / "aquarium.yaml").write_text(src.replace("key: pet", "key: aquarium", 1), "utf-8")
    assert "aquarium" in load_library(copy_root).categories
    assert check_file(copy_root / "category" / "aquarium.yaml") == []
