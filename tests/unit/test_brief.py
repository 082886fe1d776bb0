from datetime import date

import pytest
from pydantic import ValidationError

from planbot.core.brief import Brief, BriefUpdate


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"budget_total": -5}, "budget_total"),
        ({"budget_total": 0}, "budget_total"),
        ({"cvr": 1.2}, "cvr"),
        ({"aov": 0}, "aov"),
        ({"currency": "XYZ"}, "unknown currency"),
        ({"period": {"start": "2027-12-31", "end": "2027-01-01"}}, "ends"),
        ({"period": {"start": "1999-01-01", "end": "1999-12-31"}}, "2000-2100"),
        ({"period": {"start": "2027-01-01", "end": "2030-12-31"}}, "two years"),
        ({"market": "mars"}, "market"),
        ({"budget_total": "lots"}, "budget_total"),
        ({"unknown_field": 1}, "unknown_field"),
    ],
)
def test_bad_briefs_are_refused_with_the_field_named(data: dict[str, object], fragment: str) -> None:
    with pytest.raises(ValidationError) as exc:
        Brief.model_validate(data)
    assert fragment in str(exc.value)


def test_required_fields() -> None:
    assert Brief().missing() == ["platforms", "period", "budget_total", "gmv_target"]
    partial = Brief(platforms=["天猫"], gmv_last_year=1_000_000, growth_rate=0.2)
    assert partial.missing() == ["period", "budget_total"]


def test_yaml_numbers_become_campaign_names() -> None:
    assert Brief.model_validate({"campaigns": [618, "双11"]}).campaigns == ["618", "双11"]


def test_updates_merge_lists_and_replace_values() -> None:
    b = Brief(platforms=["天猫"], budget_total=1_000_000)
    b2 = BriefUpdate(values={"platforms": ["抖音", "天猫"], "budget_total": 3_500_000}).apply(b)
    assert b2.platforms == ["天猫", "抖音"] and b2.budget_total == 3_500_000
    assert b.budget_total == 1_000_000  # the original is untouched


def test_period_helpers() -> None:
    p = Brief(period={"start": date(2027, 1, 1), "end": date(2027, 12, 31)}).period  # type: ignore[arg-type]
    assert p is not None and p.is_full_year() and p.days == 365
