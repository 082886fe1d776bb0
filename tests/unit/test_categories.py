"""The category catalogue (playbook/categories.yaml): it loads, and every name maps back to its entry."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from planbot.core.categories import catalogue, category_key, category_name, load_catalogue

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"
# the categories the playbooks of the platform-and-category issue are written for
EXPECTED = {
    "skincare", "cosmetics", "beauty", "mother_baby", "pet_food", "pet_supplies", "womenswear", "menswear",
    "apparel", "shoes", "snacks", "food", "tea", "coffee", "alcohol", "home", "appliances", "electronics",
    "outdoor", "sports", "toys", "jewelry", "health", "books",
}  # fmt: skip


def test_the_catalogue_loads_and_covers_the_common_categories() -> None:
    keys = {c.key for c in catalogue().categories}
    assert keys >= EXPECTED


def test_every_alias_and_name_maps_back_to_its_key() -> None:
    for cat in catalogue().categories:
        for alias in (*cat.aliases, cat.zh, cat.en, *cat.aliases_zh, *cat.aliases_en):
            assert category_key(alias) == cat.key, (alias, cat.key)


def test_sources_name_a_knowledge_guide_or_the_catalogue() -> None:
    guides = {p.stem for p in KNOWLEDGE.glob("*.md")}
    for cat in catalogue().categories:
        assert cat.source == "catalogue" or cat.source in guides, (cat.key, cat.source)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("宠物食品", "pet_food"),
        ("猫零食", "pet_food"),  # the longest alias wins: a cat snack is pet food, not a snack
        ("宠物用品", "pet_supplies"),
        ("母婴用品", "mother_baby"),
        ("坚果零食", "snacks"),
        ("茶饮料", "beverages"),
        ("茶叶", "tea"),
        ("户外露营装备", "outdoor"),
        ("socks", "apparel"),
        ("sock", "apparel"),
        ("wool socks", "apparel"),
        ("Dog Treats", "pet_food"),
        ("pet shampoo", "pet_supplies"),
        ("outdoor furniture", "home"),
        ("men's grooming", "beauty"),
        ("men’s grooming", "beauty"),
        ("LED desk lamps", "home"),
        ("honey & beeswax stuff", "food"),
        # singular or plural, whichever the user wrote
        ("supplement", "health"),
        ("phone accessory", "electronics"),
        ("handmade candle", "home"),
        ("hot sauce", "food"),
        ("refurbished phones", "electronics"),
        ("ceramic planters", "home"),
        ("wax melts", "home"),
        ("yoga wear", "sports"),
        # common products the first catalogue lacked, by their product noun or its catalogue word
        ("婴儿湿巾", "mother_baby"),
        ("大米杂粮", "food"),
        ("瑜伽服", "sports"),
        ("二手手机", "electronics"),
    ],
)
def test_category_key_of_what_users_write(text: str, key: str) -> None:
    assert category_key(text) == key


def test_unknown_words_map_to_nothing() -> None:
    assert category_key("跨境") is None
    assert category_key("quantum widgets") is None
    assert category_key("") is None
    assert category_key("pets") == "pet_supplies"  # English plurals
    assert category_key("carpet") is None  # whole words only: "pet" is not in "carpet"
    assert category_key("glass") is None  # "ss" is not a plural: no "gla" alias is made up
    assert category_key("campus") is None


def test_category_name_in_each_language() -> None:
    assert category_name("pet_food", "zh") == "宠物食品"
    assert category_name("pet_food", "en") == "pet food"
    assert category_name("nope", "en") == "nope"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "categories.yaml"
    path.write_text(text, encoding="utf-8")
    return path


ENTRY = "- {key: tea, zh: 茶叶, en: tea, source: catalogue, playbook: food, aliases_zh: [茶], aliases_en: [tea]}\n"


def test_a_malformed_catalogue_is_refused_at_load(tmp_path: Path) -> None:
    assert [c.key for c in load_catalogue(_write(tmp_path, ENTRY)).categories] == ["tea"]
    with pytest.raises(ValidationError):  # an unknown field
        load_catalogue(_write(tmp_path, ENTRY.replace("source: catalogue", "source: catalogue, colour: red")))
    with pytest.raises(ValidationError):  # a missing field
        load_catalogue(_write(tmp_path, ENTRY.replace("source: catalogue, ", "")))
    with pytest.raises(ValidationError):  # one alias under two keys
        load_catalogue(_write(tmp_path, ENTRY + ENTRY.replace("key: tea", "key: drinks")))
    with pytest.raises(ValidationError):  # a source that is neither a guide id nor "catalogue"
        load_catalogue(_write(tmp_path, ENTRY.replace("source: catalogue", "source: Some Book")))
