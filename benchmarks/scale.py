"""Write a synthetic knowledge base N times the shipped one.

    python benchmarks/scale.py --factor 100 -o /tmp/kb100.yaml

Copy 0 is the shipped data unchanged; each further copy k renames every
entity (ids get a suffix, names a made-up word, Chinese names and
abbreviations fresh characters) and rewires every reference to copy k, so
the result is valid, its names distinct, and the shipped queries still mean
what they mean at 1x. Every copy up to the 999th is renamed by as many
characters (copy 7's suffix is -x007, its word three syllables, as copy
99's are), so that each copy weighs the same: the 100x pack holds ten times
the copies of the 10x pack, byte for byte, and a command's growth from one
to the other is measured against data that grew as the sizes say.
"""

from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from clusters_cli.model import KINDS  # noqa: E402
from clusters_cli.paths import shipped_packs  # noqa: E402

# which fields hold ids, and so must be rewired in each copy: read from the model, never restated. Sources
# and lists stay shared (every copy cites the same pages), so references to them (locators, designations)
# are kept; every other reference, held inside an object too (a firm's bases: {city: ...}), is rewired
SHARED = ("sources", "designations")
REF_FIELDS = {
    kind.section: [ref for ref in kind.refs if KINDS[ref.target].section not in SHARED] for kind in KINDS.values()
}
SYLLABLES = ["ba", "ko", "ri", "te", "mu", "sa", "lo", "vi", "ne", "du", "ka", "zo", "pe", "hu", "gi", "ta"]
# the digits of a copy's number in its id suffix and Chinese characters, and the syllables of its word: the same
# for every copy below 1,000 (a copy's rows then weigh the same whatever the factor; beyond, they grow)
DIGITS = 3
SYLLABLES_PER_WORD = 3


def word(k: int) -> str:
    """A pronounceable, distinct word for copy k, of three syllables below 4,096: 1 -> 'Kobaba', 2 -> 'Ribaba',
    16 -> 'Bakoba' ..."""
    parts = []
    n = k
    while n or len(parts) < SYLLABLES_PER_WORD:
        parts.append(SYLLABLES[n % len(SYLLABLES)])
        n //= len(SYLLABLES)
    return "".join(parts).capitalize()


def number(k: int) -> str:
    """Copy k's number as its id suffix and Chinese characters spell it: 7 -> '007'."""
    return f"{k:0{DIGITS}d}"


# libyaml's emitter and loader where PyYAML has them (the tool reads with libyaml's loader too): the same text as
# the pure-Python dumper's (a test compares them), written in a fifth of the time at 1x (the 100x pack took six
# minutes to write without it)
_SafeDumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _NoAliasDumper(_SafeDumper):  # type: ignore[misc]
    def ignore_aliases(self, data: Any) -> bool:
        return True


def scaled(data: dict[str, Any], factor: int) -> dict[str, Any]:
    out = copy.deepcopy(data)
    used_abbr = {p["abbr"] for p in data["provinces"]} | {a for p in data["provinces"] for a in p.get("abbr_alt", [])}
    fresh = (chr(c) for c in range(0x4E00, 0x9FA5) if chr(c) not in used_abbr)
    used_codes = {e["code"] for section in ("provinces", "cities") for e in data.get(section, []) if "code" in e}
    fresh_codes = (str(c) for c in range(100001, 899999) if str(c) not in used_codes)  # codes stay unique
    for k in range(1, factor):
        suffix, tag = f"-x{number(k)}", word(k)
        zh = "".join(chr(0x4E00 + int(d) + 200) for d in number(k))  # a few CJK characters unique to k
        for section, fields in REF_FIELDS.items():
            if section in SHARED:
                continue

            for entity in data[section]:
                e = copy.deepcopy(entity)
                e["id"] += suffix
                e.pop("designations", None)  # a list holds no more members than its sources say
                if "name" in e:
                    e["name"] = f"{e['name']} {tag}"
                if "official_name" in e:
                    e["official_name"] = f"{e['official_name']} {tag}"
                if "name_zh" in e:
                    e["name_zh"] = e["name_zh"] + zh
                if "metric" in e:
                    e["metric"] = f"{e['metric']} ({tag})"
                if "code" in e:
                    e["code"] = next(fresh_codes)
                if "short_zh" in e:
                    e["short_zh"] = e["short_zh"] + zh
                if "abbr" in e:
                    e["abbr"] = next(fresh)
                    e.pop("abbr_alt", None)
                for key in ("aliases", "synonyms"):
                    if key in e:
                        e[key] = [f"{a} {tag}" for a in e[key]]
                if "pinyin" in e:
                    e["pinyin"] = f"{e['pinyin']} {tag}"
                for ref in fields:
                    value = e.get(ref.field)
                    if value is None:
                        continue
                    if ref.key is not None:  # objects holding the id under a key: each object's rewired
                        for item in value if isinstance(value, list) else [value]:
                            if isinstance(item, dict) and item.get(ref.key) is not None:
                                item[ref.key] += suffix
                        continue
                    e[ref.field] = [v + suffix for v in value] if isinstance(value, list) else value + suffix
                out[section].append(e)
    return out


def merged(packs: list[dict[str, Any]]) -> dict[str, Any]:
    """One knowledge base from several packs: their sections joined, the meta of the one naming a primary source."""
    metas = [p["meta"] for p in packs if p.get("meta", {}).get("primary_source")] or [packs[0]["meta"]]
    out: dict[str, Any] = {"meta": metas[0]}
    for kind in KINDS.values():
        out[kind.section] = [e for p in packs for e in p.get(kind.section) or []]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--factor", type=int, required=True, help="how many times the shipped data")
    parser.add_argument("-o", "--output", help="file to write (default: stdout)")
    parser.add_argument("--source", action="append", help="pack to scale (repeatable; default: the shipped packs)")
    args = parser.parse_args(argv)
    if args.factor < 1:
        parser.error("--factor must be at least 1")
    sources = args.source or shipped_packs()
    data = merged([yaml.load(Path(p).read_text(encoding="utf-8"), Loader=_SafeLoader) for p in sources])
    text = yaml.dump(scaled(data, args.factor), Dumper=_NoAliasDumper, allow_unicode=True, sort_keys=False, width=200)
    names = ", ".join(Path(p).name for p in sources)
    header = f"# Synthetic knowledge base: {args.factor}x {names} (benchmarks/scale.py)\n"
    if args.output:
        Path(args.output).write_text(header + text, encoding="utf-8")
    else:
        sys.stdout.write(header + text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
