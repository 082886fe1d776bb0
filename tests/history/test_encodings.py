"""The encodings Excel and Chinese back-ends save CSV in: GBK, UTF-16 (BOM or not), UTF-8 with BOM."""

from __future__ import annotations

import pytest

from tests.history.helpers import month, read

TEXT = '生意参谋 店铺整体\n统计日期,访客数,支付金额(元),支付买家数\n2025年1月,"12,300","￥456,789.50","1,024"\n'


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig", "utf-16", "utf-16-be", "utf-16-le"])
def test_encodings(encoding: str) -> None:
    data = TEXT.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    r = read("f.csv", data)
    jan = month(r, 2025, 1)
    assert (jan.visitors, jan.gmv, jan.buyers) == (12300, 456790, 1024)
    assert r.history.source.style == "sycm"


def test_gbk_fixture_has_no_utf8_reading() -> None:
    from tests.history.helpers import fixture

    raw = fixture("sycm_ads_gbk.csv")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert read("sycm_ads_gbk.csv").history.ads


def test_utf16_fixture_has_bom_and_tabs() -> None:
    from tests.history.helpers import fixture

    raw = fixture("douyin_weekly_utf16.csv")
    assert raw[:2] in (b"\xff\xfe", b"\xfe\xff") and "\t" in raw.decode("utf-16")
