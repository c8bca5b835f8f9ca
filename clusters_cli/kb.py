"""The knowledge base: loading (through a cache), and the lookups views need.

Nothing here knows about the terminal. `load_kb()` returns a validated,
sanitised `KB` or raises `InvalidKnowledgeBase` listing every problem.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from collections import defaultdict
from functools import cached_property
from typing import Any

from . import __version__
from .errors import InvalidKnowledgeBase, Problem
from .paths import data_path

Entity = dict[str, Any]

# CLI kind (singular) -> section of the YAML file
KINDS: dict[str, str] = {
    "province": "provinces",
    "region": "regions",
    "city": "cities",
    "park": "parks",
    "sector": "sectors",
    "company": "companies",
    "cluster": "clusters",
    "statistic": "statistics",
    "source": "sources",
}

_CACHE_FORMAT = 1


def cache_dir() -> str:
    explicit = os.environ.get("CLUSTERS_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "clusters")


def _cache_key(path: str, st: os.stat_result) -> bytes:
    parts = (os.path.abspath(path), st.st_size, st.st_mtime_ns, __version__, _CACHE_FORMAT, sys.version_info[:2])
    return repr(parts).encode()


def _cache_file(key: bytes) -> str:
    return os.path.join(cache_dir(), hashlib.sha256(key).hexdigest()[:32] + ".kbcache")


def _read_cache(key: bytes) -> dict[str, Any] | None:
    """The cached data for `key`, or None when absent, stale or damaged."""
    try:
        with open(_cache_file(key), "rb") as f:
            blob = f.read()
        header, sep, payload = blob.partition(b"\n")
        if not sep or header != hashlib.sha256(key + payload).hexdigest().encode():
            return None  # another key's file, truncated or corrupted
        data = marshal.loads(payload)
    except (OSError, ValueError, EOFError, TypeError):
        return None
    return data if isinstance(data, dict) else None


def _write_cache(key: bytes, data: dict[str, Any]) -> None:
    """Write atomically (temp file + rename), so racing runs never see half a file.

    Any failure is ignored: the cache only saves time.
    """
    try:
        folder = cache_dir()
        os.makedirs(folder, exist_ok=True)
        payload = marshal.dumps(data)
        header = hashlib.sha256(key + payload).hexdigest().encode()
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".kbcache")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(header + b"\n" + payload)
            os.replace(tmp, _cache_file(key))
        except BaseException:
            os.unlink(tmp)
            raise
    except (OSError, ValueError):
        pass


def _load_fresh(path: str) -> dict[str, Any]:
    from .loader import load_yaml
    from .text import clean_tree
    from .validate import validate_data

    data, locs = load_yaml(path)
    if not isinstance(data, dict):
        kind = type(data).__name__
        raise InvalidKnowledgeBase(
            path, [Problem(path, 1, 1, "", f"the top level must be a mapping of sections, not a {kind}")]
        )
    problems = validate_data(path, data, locs)
    if problems:
        raise InvalidKnowledgeBase(path, problems)
    cleaned: dict[str, Any] = clean_tree(data)
    return cleaned


def load_kb(path: str | None = None, *, use_cache: bool = True) -> KB:
    """Load, validate and index the knowledge base at `path` (default: --data/CLUSTERS_DATA/shipped)."""
    path = data_path(path)
    try:
        st = os.stat(path)
    except OSError:
        st = None
    if st is None or not use_cache or os.path.isdir(path):
        return KB(_load_fresh(path), path)
    key = _cache_key(path, st)
    data = _read_cache(key)
    if data is None:
        data = _load_fresh(path)
        _write_cache(key, data)
    return KB(data, path)


class KB:
    """A validated knowledge base with id lookups and relation indexes."""

    def __init__(self, data: dict[str, Any], path: str) -> None:
        self.data = data
        self.path = path
        self.meta: Entity = data["meta"]
        self.by_id: dict[str, dict[str, Entity]] = {
            kind: {e["id"]: e for e in data[section]} for kind, section in KINDS.items()
        }

    def all(self, kind: str) -> list[Entity]:
        result: list[Entity] = self.data[KINDS[kind]]
        return result

    def get(self, kind: str, ident: str | None) -> Entity | None:
        if ident is None:
            return None
        return self.by_id[kind].get(ident)

    def ref(self, kind: str, ident: str | None) -> dict[str, Any] | None:
        """{id, name} of an entity, the shape views use for links."""
        entity = self.get(kind, ident)
        return None if entity is None else {"id": entity["id"], "name": entity["name"]}

    def refs(self, kind: str, idents: list[str]) -> list[dict[str, Any]]:
        return [r for r in (self.ref(kind, i) for i in idents) if r is not None]

    # --- relations, built on first use

    @cached_property
    def city_province(self) -> dict[str, str]:
        return {c["id"]: c["province"] for c in self.all("city")}

    def cluster_provinces(self, cluster: Entity) -> set[str]:
        """Provinces a cluster lies in, from its provinces, cities and parks (not its region)."""
        found = set(cluster.get("provinces", []))
        found.update(self.city_province[c] for c in cluster.get("cities", []))
        for p in cluster.get("parks", []):
            found.add(self.city_province[self.by_id["park"][p]["city"]])
        return found

    @cached_property
    def clusters_by_province(self) -> dict[str, list[Entity]]:
        index: dict[str, list[Entity]] = defaultdict(list)
        for cl in self.all("cluster"):
            for prov in sorted(self.cluster_provinces(cl)):
                index[prov].append(cl)
        return index

    @cached_property
    def clusters_by_city(self) -> dict[str, list[Entity]]:
        index: dict[str, list[Entity]] = defaultdict(list)
        for cl in self.all("cluster"):
            cities = set(cl.get("cities", []))
            cities.update(self.by_id["park"][p]["city"] for p in cl.get("parks", []))
            for city in cities:
                index[city].append(cl)
        return index

    def _index(self, kind: str, field: str) -> dict[str, list[Entity]]:
        index: dict[str, list[Entity]] = defaultdict(list)
        for entity in self.all(kind):
            value = entity.get(field)
            for v in value if isinstance(value, list) else [value]:
                if v is not None:
                    index[v].append(entity)
        return index

    @cached_property
    def clusters_by_region(self) -> dict[str, list[Entity]]:
        return self._index("cluster", "region")

    @cached_property
    def clusters_by_sector(self) -> dict[str, list[Entity]]:
        return self._index("cluster", "sector")

    @cached_property
    def clusters_by_park(self) -> dict[str, list[Entity]]:
        return self._index("cluster", "parks")

    @cached_property
    def clusters_by_company(self) -> dict[str, list[Entity]]:
        return self._index("cluster", "companies")

    @cached_property
    def regions_by_province(self) -> dict[str, list[Entity]]:
        return self._index("region", "provinces")

    @cached_property
    def regions_by_city(self) -> dict[str, list[Entity]]:
        return self._index("region", "cities")

    @cached_property
    def parks_by_city(self) -> dict[str, list[Entity]]:
        return self._index("park", "city")

    @cached_property
    def cities_by_province(self) -> dict[str, list[Entity]]:
        return self._index("city", "province")

    @cached_property
    def sector_children(self) -> dict[str, list[Entity]]:
        return self._index("sector", "parent")

    def sector_descendants(self, sector_id: str) -> list[str]:
        """The sector and every sector below it, depth first."""
        out = [sector_id]
        for child in self.sector_children.get(sector_id, []):
            out.extend(self.sector_descendants(child["id"]))
        return out

    def sector_ancestors(self, sector_id: str) -> list[str]:
        out: list[str] = []
        parent = self.by_id["sector"][sector_id].get("parent")
        while parent is not None and parent not in out:
            out.append(parent)
            parent = self.by_id["sector"][parent].get("parent")
        return out
