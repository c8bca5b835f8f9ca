"""Property-based tests: random queries at every command, random mutations
of the knowledge base. Whatever comes in, the exit code is a documented one,
no traceback appears, and --json output parses."""

from __future__ import annotations

import functools
import json
import random
import tempfile
from pathlib import Path
from typing import Any

import yaml
from helpers import PACKS, cli, fixture_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

COMMANDS = ["province", "city", "sector", "region", "company", "park", "cluster", "search"]
FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Any character but a lone surrogate (what UTF-8 can carry), named by category: st.text()'s default names
# the UTF-8 codec instead, whose character table Hypothesis computes for ~3 s on a fresh checkout.
ANY_CHARACTER = st.characters(blacklist_categories=("Cs",))
queries = st.one_of(
    st.text(alphabet=ANY_CHARACTER, max_size=60),
    st.text(alphabet=ANY_CHARACTER, min_size=1, max_size=12),
    st.sampled_from(
        [
            "Anhui",
            "广东",
            "粤",
            "guang dong",
            "PRD",
            "chips",
            "Jing-Jin-Ji",
            "Xi'an",
            "NEV",
            "[bold]",
            "\x1b[31m",
            "%s",
            "{}",
            "'; DROP TABLE keys; --",
            "a" * 300,
        ]
    ),
)


@FAST
@given(command=st.sampled_from(COMMANDS), query=queries, as_json=st.booleans())
def test_random_queries(command: str, query: str, as_json: bool) -> None:
    args = [command, query, *(["--json"] if as_json else [])]
    r = cli(*args)
    assert r.exit_code in {0, 1, 2}, (args, r.stderr)
    assert "Traceback" not in r.stderr and "\x1b" not in r.stderr
    if as_json and r.exit_code == 0:
        json.loads(r.stdout)
    if r.exit_code != 0:
        assert r.stderr.strip()
        # nothing on stdout, except an empty answer's JSON document (exit 1, "No matches")
        assert r.stdout == "" or (as_json and r.exit_code == 1 and json.loads(r.stdout)["hits"] == [])


@FAST
@given(places=st.lists(queries, min_size=0, max_size=7))
def test_random_compare(places: list[str]) -> None:
    r = cli("compare", *places, "--json")
    assert r.exit_code in {0, 1, 2} and "Traceback" not in r.stderr
    if r.exit_code == 0:
        assert json.loads(r.stdout)["kind"] == "compare"


@functools.cache
def base() -> str:
    """The fixture packs as one pack (sections joined, the article pack's meta), as JSON text: every kind of
    entry and reference is there, in one file that a mutation can break anywhere. It is valid (checked here
    once), so every mutation starts from a knowledge base that loads."""
    packs = [yaml.load(fixture_text(p), Loader=yaml.CSafeLoader) for p in PACKS]
    data: dict[str, Any] = {"meta": packs[1]["meta"]}
    for pack in packs:
        for section, entries in pack.items():
            if section != "meta":
                data.setdefault(section, []).extend(entries)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "base.yaml")
        path.write_text(yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True), encoding="utf-8")
        assert cli("validate", str(path)).exit_code == 0
    return json.dumps(data)


@functools.cache
def sections() -> list[str]:
    return [k for k, v in json.loads(base()).items() if isinstance(v, list)]


ODD_VALUES = [
    None,
    True,
    False,
    0,
    -1,
    1e308,
    "",
    "NO",
    "x" * 3000,
    [],
    {},
    ["a"],
    {"k": "v"},
    "nonexistent-id",
    "2024-01-01",
    3.5,
    "[red]markup[/]",
    "\x1b[31mred",
]


def mutate(data: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """One random change: a field set to an odd value, deleted, an entry duplicated or dropped."""
    section = rng.choice(sections())
    entries = data[section]
    if not isinstance(entries, list) or not entries:  # an earlier change retyped or emptied it
        data[section] = rng.choice(ODD_VALUES)
        return data
    entry = rng.choice(entries)
    if not isinstance(entry, dict):  # an earlier change made the section a list of odd values
        data[section] = rng.choice(ODD_VALUES)
        return data
    action = rng.choice(["set", "delete", "duplicate", "drop", "retype-section"])
    if action == "set":
        entry[rng.choice(list(entry))] = rng.choice(ODD_VALUES)
    elif action == "delete" and len(entry) > 1:
        del entry[rng.choice(list(entry))]
    elif action == "duplicate":
        entries.append(dict(entry))
    elif action == "drop":
        entries.remove(entry)
    else:
        data[section] = rng.choice(ODD_VALUES)
    return data


# Each example parses and validates a whole knowledge base twice: 5 keep the suite within its budget.
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(min_value=0, max_value=2**32 - 1), changes=st.integers(min_value=1, max_value=3))
def test_random_knowledge_base_mutations(tmp_path: Path, seed: int, changes: int) -> None:
    rng = random.Random(seed)
    data = json.loads(base())
    for _ in range(changes):
        data = mutate(data, rng)
    path = tmp_path / f"kb-{seed}.yaml"
    path.write_text(yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False), encoding="utf-8")
    loaded = 0
    for args in (
        ["--no-shipped", "validate", str(path)],
        ["--no-shipped", "--data", str(path), "province", "Anhui", "--json"],
        ["--no-shipped", "--data", str(path), "search", "wind", "--json"],
    ):
        if "search" in args and loaded == 3:
            break  # the pack failed to load above, as it would here: a second parse would show nothing new
        r = cli(*args)
        if "province" in args:
            loaded = r.exit_code
        assert r.exit_code in {0, 1, 2, 3}, (args, r.stderr[-500:])
        assert "Traceback" not in r.stderr
        if r.exit_code == 3:
            assert str(path) in r.stderr and "invalid knowledge base" in r.stderr
        if r.exit_code == 0 and "--json" in args:
            json.loads(r.stdout)
